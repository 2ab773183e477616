"""A registration's one-time token is checked whole and belongs to the user and camp that used it
(issue 12, finding 15; issue 14, item 6)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from registration.households.models import Household
from tests.registration.test_desk_pages import form


def _body(camp: str, token, given="Mohammad", phone="+992 93 000 1111") -> dict:
    return {
        "camp": camp,
        "arrival_date": date.today().isoformat(),
        "consent": True,
        "token": token,
        "phone": phone,
        "members": [
            {
                "given_name": given,
                "father_name": "Karim",
                "sex": "m",
                "born": "1985",
                "relation_to_head": "head",
                "tazkira": "1234567890123",
            }
        ],
    }


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Household))


def test_tokens_that_differ_after_40_characters_are_never_confused(api, make, session):
    make.camp("KHR")
    clerk = api("registration_clerk")
    first = clerk.post("/api/v1/households", json=_body("KHR", "x" * 40 + "family-1"))
    second = clerk.post("/api/v1/households", json=_body("KHR", "x" * 40 + "family-2", given="Jawad"))
    for response in (first, second):
        assert response.status_code == 422, response.get_json()
        assert "token" in response.get_json()["error"]["fields"]
    assert _count(session) == 0


@pytest.mark.parametrize("token", ["a" * 41, "two words", 12345, ["t"], "tab\there"])
def test_malformed_tokens_are_refused_by_name(api, make, session, token):
    make.camp("KHR")
    response = api("registration_clerk").post("/api/v1/households", json=_body("KHR", token))
    expected = 422 if isinstance(token, str) else 400  # not text at all: malformed for the API's body check
    assert response.status_code == expected and "token" in response.get_json()["error"]["fields"]
    assert _count(session) == 0


def test_a_40_character_token_is_kept_whole_and_replays_to_its_household(api, make, session):
    make.camp("KHR")
    clerk = api("registration_clerk")
    token = "k" * 40
    first = clerk.post("/api/v1/households", json=_body("KHR", token))
    again = clerk.post("/api/v1/households", json=_body("KHR", token))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["number"] == again.get_json()["number"]
    assert session.scalar(select(Household.registration_token)) == token


def test_another_camps_clerk_replaying_a_token_gets_nothing_of_that_household(api, make, session):
    make.camp("KHR")
    make.camp("SHR")
    khr = api("registration_clerk", "KHR").post("/api/v1/households", json=_body("KHR", "shared-token-1"))
    assert khr.status_code == 201
    replay = api("registration_clerk", "SHR").post(
        "/api/v1/households", json=_body("SHR", "shared-token-1", given="Jawad")
    )
    text = replay.get_data(as_text=True)
    assert replay.status_code in (409, 422)
    assert khr.get_json()["number"] not in text and "Mohammad" not in text and "000 1111" not in text
    assert _count(session) == 1


def test_another_user_of_the_same_camp_replaying_a_token_gets_nothing(api, make, session):
    make.camp("KHR")
    first = api("registration_clerk").post("/api/v1/households", json=_body("KHR", "shared-token-2"))
    replay = api("registration_clerk").post("/api/v1/households", json=_body("KHR", "shared-token-2"))
    assert first.status_code == 201 and replay.status_code in (409, 422)
    assert first.get_json()["number"] not in replay.get_data(as_text=True)
    assert _count(session) == 1


def test_the_desk_refuses_a_replayed_token_of_another_user_with_a_message(client, login_as, make, session):
    camp = make.camp("KHR")
    login_as("registration_clerk")
    assert client.post("/register", data=form(camp.id, token="desk-token-1")).status_code == 302
    number = session.scalar(select(Household.number))
    with client.session_transaction() as flask_session:
        flask_session.pop("_flashes", None)  # the first clerk's "registered" message
    login_as("registration_clerk")
    response = client.post("/register", data=form(camp.id, token="desk-token-1"))
    page = response.data.decode()
    assert response.status_code in (409, 422) and number not in page
    assert "already used by someone else" in page and 'value="desk-token-1"' not in page  # a fresh token
    long = client.post("/register", data=form(camp.id, token="z" * 48))
    assert long.status_code == 422 and "The one-time token must be 1 to 40" in long.data.decode()
    assert _count(session) == 1
