"""Households are seen only within the user's camps, through pages and API, and opening one is audited."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEvent


def test_clerk_of_camp_a_gets_404_for_household_of_camp_b_in_pages(client, login_as, make):
    mine, theirs = make.household("KHR"), make.household("SHR")
    login_as("registration_clerk", "KHR")
    assert client.get(f"/households/{mine.number}").status_code == 200
    assert client.get(f"/households/{theirs.number}").status_code == 404
    listing = client.get("/households").data.decode()
    assert mine.number in listing and theirs.number not in listing
    searched = client.get(f"/households?camp=SHR&number={theirs.number}").data.decode()
    assert f"/households/{theirs.number}" not in searched and "No households match." in searched


def test_clerk_of_camp_a_gets_404_for_household_of_camp_b_through_api(api, make):
    mine, theirs = make.household("KHR"), make.household("SHR")
    caller = api("registration_clerk", "KHR")
    assert caller.get(f"/api/v1/households/{mine.number}").status_code == 200
    response = caller.get(f"/api/v1/households/{theirs.number}")
    assert response.status_code == 404 and response.is_json
    numbers = [h["number"] for h in caller.get("/api/v1/households").get_json()["items"]]
    assert mine.number in numbers and theirs.number not in numbers


def test_headquarters_account_sees_every_camp(api, make):
    make.household("KHR"), make.household("SHR")
    body = api("protection_officer", None).get("/api/v1/households").get_json()
    assert {h["camp"] for h in body["items"]} == {"KHR", "SHR"}


def test_household_record_shows_names_in_both_scripts_isolated(client, login_as, make):
    household = make.household("KHR")
    login_as("registration_supervisor", "KHR")
    page = client.get(f"/households/{household.number}").data.decode()
    assert '<bdi class="name-orig" dir="auto">محمد</bdi>' in page
    assert "≈1991" in page  # estimated birth dates are shown as estimates


def test_opening_a_household_is_audited_without_personal_data(client, login_as, make, session):
    household = make.household("KHR")
    user = login_as("registration_clerk", "KHR")
    client.get(f"/households/{household.number}")
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "household.view"))
    assert event.user_id == user.id and event.object_id == str(household.id)
    assert event.camp_id == household.camp_id and event.details is None


def test_typed_number_is_normalised(client, login_as, make):
    household = make.household("KHR")
    login_as("registration_clerk", "KHR")
    typed = household.number.lower().replace("-", " ")
    assert client.get(f"/households?number={typed}").data.decode().count(household.number) >= 1


def test_household_list_is_paginated(app, client, login_as, make, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for _ in range(5):
        make.household("KHR")
    login_as("registration_clerk", "KHR")
    page = client.get("/households?page=2").data.decode()
    assert "Page 2 of 3" in page and page.count("/households/KHR-") == 2
