"""Households and people through the API: same rules as the desk, responses shaped by role."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from registration.households.models import Household

BODY = {
    "camp": "KHR",
    "arrival_date": date.today().isoformat(),
    "consent": True,
    "token": "api-1",
    "phone": "+992 93 000 1111",
    "members": [
        {
            "given_name": "Mohammad",
            "given_name_orig": "محمد",
            "father_name": "Karim",
            "sex": "m",
            "born": "1985",
            "relation_to_head": "head",
            "tazkira": "1234567890123",
            "needs": ["DS-PM", "SV-VF"],
        },
        {"given_name": "Fatima", "sex": "f", "born": "1990", "relation_to_head": "spouse"},
    ],
}


def test_create_is_idempotent_and_validated(api, make, session):
    make.camp("KHR")
    caller = api("registration_clerk")
    first = caller.post("/api/v1/households", json=BODY)
    again = caller.post("/api/v1/households", json=BODY)
    assert first.status_code == 201 and again.status_code == 200
    assert first.get_json()["number"] == again.get_json()["number"]
    assert session.scalar(select(func.count()).select_from(Household)) == 1
    bad = caller.post(
        "/api/v1/households", json={**BODY, "token": "api-2", "members": [{**BODY["members"][0], "born": "2999"}]}
    )
    assert bad.status_code == 422 and "members-0-born" in bad.get_json()["error"]["fields"]


def test_likely_duplicate_answers_409_until_ruled_out(api, make, session):
    make.camp("KHR")
    caller = api("registration_clerk")
    caller.post("/api/v1/households", json=BODY)
    second = {**BODY, "token": "api-3", "members": [{**BODY["members"][0], "given_name": "Muhammad", "tazkira": ""}]}
    response = caller.post("/api/v1/households", json=second)
    assert response.status_code == 409 and response.get_json()["error"]["matches"]["0"]


def test_responses_follow_the_callers_role(api, make, session):
    make.camp("KHR")
    number = api("registration_clerk").post("/api/v1/households", json=BODY).get_json()["number"]
    clerk_view = api("registration_clerk").get(f"/api/v1/households/{number}").get_json()
    manager_view = api("site_manager").get(f"/api/v1/households/{number}").get_json()
    protection_view = api("protection_officer").get(f"/api/v1/households/{number}").get_json()
    assert clerk_view["members"][0]["tazkira"] == "1234567890123" and "phone" in clerk_view
    assert "tazkira" not in manager_view["members"][0] and "phone" not in manager_view
    assert clerk_view["members"][0]["needs"] == ["DS-PM"]  # SV codes are for protection officers only
    assert protection_view["members"][0]["needs"] == ["DS-PM", "SV-VF"]


def test_person_read_update_and_duplicates(api, make, session):
    make.camp("KHR")
    number = api("registration_clerk").post("/api/v1/households", json=BODY).get_json()["number"]
    supervisor = api("registration_supervisor")
    assert supervisor.get(f"/api/v1/households/{number}/members/2").get_json()["given_name"] == "Fatima"
    updated = supervisor.patch(f"/api/v1/households/{number}/members/2", json={"given_name": "Fatema"})
    assert updated.status_code == 200 and updated.get_json()["given_name"] == "Fatema"
    refused = supervisor.patch(f"/api/v1/households/{number}/members/2", json={"born": "soon"})
    assert refused.status_code == 422
    assert supervisor.get(f"/api/v1/households/{number}/members/1/duplicates").get_json()["matches"] == []


def test_search_through_the_api(api, make):
    make.camp("KHR")
    caller = api("registration_clerk")
    number = caller.post("/api/v1/households", json=BODY).get_json()["number"]
    found = caller.post("/api/v1/households/search", json={"q": "Muhammad Karim"}).get_json()
    assert [h["number"] for h in found["items"]] == [number]


def test_the_api_cannot_store_an_unchecked_photo(api, make, session):
    """``photo_ready`` marks a photo the desk form already checked; a request body cannot claim it
    (an unchecked file would be served as a member's photo and break every card and offline package)."""
    from registration.households.models import PersonPhoto

    make.camp("KHR")
    caller = api("registration_clerk")
    head = {**BODY["members"][0], "tazkira": "", "photo": "<svg onload=alert(1)>", "photo_ready": True}
    response = caller.post(
        "/api/v1/households", json={**BODY, "token": "api-photo", "skip_duplicate_check": True, "members": [head]}
    )
    # a field the API does not have is malformed input (400) before the desk's own check would refuse it (422)
    assert response.status_code == 400 and "members-0-photo" in response.get_json()["error"]["fields"]
    assert session.scalar(select(func.count()).select_from(Household)) == 0
    household = make.household("KHR")
    supervisor = api("registration_supervisor")
    for photo in ("AAAA", 12, [1, 2]):
        patched = supervisor.patch(
            f"/api/v1/households/{household.number}/members/1", json={"photo": photo, "photo_ready": True}
        )
        assert patched.status_code == 400 and "photo" in patched.get_json()["error"]["fields"]
    assert session.scalar(select(func.count()).select_from(PersonPhoto)) == 0
