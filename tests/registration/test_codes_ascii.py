"""Codes typed or scanned with digits of another script (Persian, full-width): refused as malformed,
never a crash (issue 12, finding 14). A card code and a household number are ASCII; the browser's
verifier refuses the same codes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from camps.distributions import rounds
from registration.cards import services as cards
from registration.cards.token import verify
from registration.households.numbers import is_valid

TODAY = date.today()
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
DIGITS = pytest.mark.parametrize("digits", [PERSIAN, FULL_WIDTH], ids=["persian", "full-width"])
FEEDBACK = {
    "camp": "KHR",
    "channel": "hotline",
    "type": "complaint",
    "sector": "shelter",
    "language": "fa",
    "description": "The tent leaks.",
}


@pytest.fixture(autouse=True)
def _keys_in_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "KEYS_PATH", str(tmp_path / "keys"))


@pytest.fixture()
def round_(session, make):
    return rounds.create_round(
        session,
        None,
        make.camp("KHR"),
        {
            "name": "Food",
            "starts_on": TODAY - timedelta(days=1),
            "ends_on": TODAY + timedelta(days=5),
            "rule": "person",
            "statuses": ["active"],
            "alternates_allowed": True,
            "items": [{"name": "Wheat flour", "unit": "kg", "quantity": 12.5}],
        },
    )


def _foreign(number: str, digits: dict) -> str:
    """``KHR-000001-7`` as ``KHR-۰۰۰۰۰۱-7``: the six digits in another script, the rest as it was."""
    camp, sequence, check = number.split("-")
    return f"{camp}-{sequence.translate(digits)}-{check}"


def _card_code(app, session, household) -> str:
    with app.app_context():
        return cards.issue(session, None, household, TODAY).code


@DIGITS
def test_a_card_code_with_non_ascii_digits_is_malformed(app, api, make, session, digits):
    household = make.household("KHR")
    code = _card_code(app, session, household)
    foreign = code.replace(household.number, _foreign(household.number, digits))
    assert foreign != code
    response = api("registration_clerk").post("/api/v1/cards/verify", json={"code": foreign})
    assert response.status_code == 200 and response.get_json()["outcome"] == "malformed"
    result = app.test_cli_runner().invoke(args=["cards", "verify", foreign])
    assert result.exit_code == 1 and result.output.strip() == "malformed" and result.exception.code == 1


@DIGITS
def test_a_household_number_with_non_ascii_digits_is_no_crash(api, make, session, round_, digits):
    household = make.household("KHR")
    foreign = _foreign(household.number, digits)
    officer = api("distribution_officer")
    checked = officer.post(f"/api/v1/rounds/{round_.id}/check", json={"household": foreign})
    assert checked.status_code == 200 and checked.get_json()["outcome"] == "malformed"
    assert api("registration_clerk").get(f"/api/v1/households/{foreign}").status_code == 404
    found = api("registration_clerk").post("/api/v1/households/search", json={"q": foreign})
    assert found.status_code == 200
    logged = api("registration_clerk").post("/api/v1/feedback", json={**FEEDBACK, "household": foreign})
    assert logged.status_code == 422 and "household" in logged.get_json()["error"]["fields"]


@DIGITS
def test_the_token_and_number_checks_refuse_other_digits(digits):
    number = _foreign("KHR-000001-7", digits)
    assert is_valid(number) is False
    code = f"P1/K1/C00000001/{number}/20281206/" + "A" * 96
    assert verify(code, {}, today=TODAY).outcome == "malformed"
