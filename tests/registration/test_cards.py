"""ID cards through the database and the pages: issue, reprint, replace, lost, renew, verify."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.errors import UserValueError
from registration.cards import services
from registration.cards.models import Card, SigningKey
from registration.cards.token import verify_revocation_document

TODAY = date.today()


@pytest.fixture(autouse=True)
def _keys_in_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "KEYS_PATH", str(tmp_path / "keys"))


def test_first_card_creates_the_signing_key_and_verifies(app, session, make):
    household = make.household("KHR")
    with app.app_context():
        card = services.issue(session, None, household, TODAY)
        assert session.scalar(select(SigningKey.kid)) == card.kid
        assert card.serial.startswith("C") and household.number in card.code
        checked = services.check_code(session, card.code, TODAY)
    assert checked.verification.outcome == "valid" and checked.household.id == household.id


def test_a_household_has_one_valid_card(app, session, make):
    household = make.household("KHR")
    with app.app_context():
        services.issue(session, None, household, TODAY)
        with pytest.raises(UserValueError, match="already has a valid card"):
            services.issue(session, None, household, TODAY)


def test_replace_revokes_the_old_serial(app, session, make):
    household = make.household("KHR")
    with app.app_context():
        old = services.issue(session, None, household, TODAY)
        new = services.replace(session, None, old, TODAY)
        assert old.status == "replaced" and old.replaced_by_id == new.id and new.serial != old.serial
        assert services.check_code(session, old.code, TODAY).verification.outcome == "revoked"
        assert services.check_code(session, new.code, TODAY).verification.outcome == "valid"


def test_lost_card_is_revoked_and_listed(app, session, make):
    household = make.household("KHR")
    with app.app_context():
        card = services.issue(session, None, household, TODAY)
        services.report_lost(session, None, card)
        assert services.check_code(session, card.code, TODAY).verification.outcome == "revoked"
        assert card.serial in services.revoked_serials(session)


def test_expired_card_and_renewal(app, session, make):
    household = make.household("KHR")
    with app.app_context():
        card = services.issue(session, None, household, TODAY - timedelta(days=800))
        assert services.check_code(session, card.code, TODAY).verification.outcome == "expired"
        new = services.renew(session, None, household, TODAY)
        assert new.expires_on > TODAY and card.status == "replaced"


def test_renewal_is_refused_long_before_expiry(app, session, make):
    household = make.household("KHR")
    with app.app_context():
        services.issue(session, None, household, TODAY)
        with pytest.raises(UserValueError, match="last 60 days"):
            services.renew(session, None, household, TODAY)


def test_rotated_key_signs_new_cards_and_old_cards_still_verify(app, session, make):
    first, second = make.household("KHR"), make.household("KHR")
    with app.app_context():
        old = services.issue(session, None, first, TODAY)
        services.rotate_key(session, None)
        new = services.issue(session, None, second, TODAY)
        assert new.kid != old.kid
        for card in (old, new):
            assert services.check_code(session, card.code, TODAY).verification.outcome == "valid"


def test_print_at_the_desk_returns_a_pdf_and_counts_prints(client, login_as, make, session):
    household = make.household("KHR")
    login_as("registration_clerk")
    first = client.post(f"/households/{household.number}/card")
    again = client.post(f"/households/{household.number}/card")
    assert first.status_code == again.status_code == 200
    assert first.mimetype == "application/pdf" and first.data.startswith(b"%PDF")
    card = session.scalar(select(Card))
    assert card.print_count == 2 and session.scalar(select(Card).where(Card.id != card.id)) is None


def test_verify_page_shows_the_outcome_and_household_for_staff(client, login_as, make, session, app):
    household = make.household("KHR")
    with app.app_context():
        card = services.issue(session, None, household, TODAY)
    login_as("registration_clerk")
    page = client.post("/cards/verify", data={"code": card.code}).data.decode()
    assert 'data-outcome="valid"' in page and 'data-testid="card-household-size">3<' in page
    tampered = card.code.replace(household.number, household.number[:-1] + "Z")
    assert 'data-outcome="invalid_signature"' in client.post("/cards/verify", data={"code": tampered}).data.decode()


def test_verify_api_hides_the_household_outside_the_callers_camps(api, make, session, app):
    household = make.household("SHR")
    with app.app_context():
        card = services.issue(session, None, household, TODAY)
    body = api("distribution_officer", "KHR").post("/api/v1/cards/verify", json={"code": card.code}).get_json()
    assert body["outcome"] == "valid" and body["household"] is None


def test_keys_and_signed_revocation_list_are_published(client, make, session, app):
    from registration.cards.keys import load_public

    household = make.household("KHR")
    with app.app_context():
        card = services.issue(session, None, household, TODAY)
        services.report_lost(session, None, card)
        session.flush()
    keys = client.get("/api/v1/cards/keys").get_json()["keys"]
    document = client.get("/api/v1/cards/revoked").get_json()
    assert document["serials"] == [card.serial]
    import base64

    public = {k["kid"]: load_public(base64.urlsafe_b64decode(k["public_key"] + "==")) for k in keys}
    assert verify_revocation_document(document, public)
    document["serials"] = []
    assert not verify_revocation_document(document, public)


def test_print_queue_issues_and_prints_a_batch(client, login_as, make, session):
    for _ in range(3):
        make.household("KHR")
    login_as("registration_clerk")
    assert 'data-testid="queue-count">3<' in client.get("/cards/queue").data.decode()
    response = client.post("/cards/queue", data={"limit": "2"})
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert client.get(job_url + "?format=json").get_json()["status"] == "done"
    pdf = client.get(job_url + "/sheets.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get(job_url + "/sheets.pdf").status_code == 404  # handed over once
    assert 'data-testid="queue-count">1<' in client.get("/cards/queue").data.decode()


def test_cli_prints_and_verifies(app, make, session, tmp_path):
    make.household("KHR")
    out = tmp_path / "sheets.pdf"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cards", "print", "--camp", "KHR", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    code = session.scalar(select(Card.code))
    assert runner.invoke(args=["cards", "verify", code]).exit_code == 0
    assert runner.invoke(args=["cards", "verify", code[:-3] + "AAA"]).exit_code == 1


def test_a_card_issued_on_29_february_expires_on_28_february():
    from registration.cards.services import _add_years

    assert _add_years(date(2028, 2, 29), 2) == date(2030, 2, 28)
    assert _add_years(date(2026, 11, 27), 2) == date(2028, 11, 27)


def test_a_card_is_renewable_in_its_last_sixty_days_and_after():
    def card(days: int) -> Card:
        return Card(expires_on=TODAY + timedelta(days=days))

    assert services.renewable(card(60), TODAY) and services.renewable(card(-1), TODAY)
    assert not services.renewable(card(61), TODAY)
