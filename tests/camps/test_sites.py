"""Camps: the admin's forms, validation, and camp scoping of pages and API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.scoping import chosen_camp
from camps.sites.models import Camp

NEW_CAMP = {
    "code": "jay",
    "name": "Jaihun settlement",
    "region_code": "TJ-KT",
    "district": "Jaihun",
    "planned_capacity": "12000",
    "status": "open",
}


def test_admin_creates_a_camp_with_upper_case_code(client, login_as, session):
    login_as("admin", None)
    response = client.post("/camps/new", data=NEW_CAMP)
    assert response.status_code == 302 and response.headers["Location"] == "/camps/JAY"
    camp = session.scalar(select(Camp).where(Camp.code == "JAY"))
    assert camp.name == "Jaihun settlement" and camp.planned_capacity == 12000


def test_bad_camp_input_is_refused_next_to_the_field_and_nothing_saved(client, login_as, session):
    login_as("admin", None)
    before = session.scalar(select(func.count()).select_from(Camp))
    for field, value, message in (
        ("code", "K1", b"Three letters"),
        ("region_code", "TJ-XX", b"Not a valid choice"),
        ("planned_capacity", "-5", b"Number must be between 1 and 1000000."),
        ("name", "", b"This field is required"),
    ):
        response = client.post("/camps/new", data={**NEW_CAMP, field: value})
        assert response.status_code == 422, field
        assert message in response.data, field
        assert b'value="Jaihun' in response.data or field == "name"
    assert session.scalar(select(func.count()).select_from(Camp)) == before


def test_camp_code_must_be_unique(client, login_as, make):
    login_as("admin", None)
    make.camp("JAY")
    response = client.post("/camps/new", data=NEW_CAMP)
    assert response.status_code == 422 and b"Another camp has this code." in response.data


def test_camp_code_is_frozen_once_households_exist(client, login_as, make):
    login_as("admin", None)
    make.household("JAY")
    response = client.post("/camps/JAY/edit", data={**NEW_CAMP, "code": "JAZ"})
    assert response.status_code == 422 and b"cannot change once households" in response.data


def test_clerk_sees_only_own_camps(client, login_as, make):
    make.camp("SHR")
    login_as("registration_clerk", "KHR")
    page = client.get("/camps").data
    assert b"/camps/KHR" in page and b"/camps/SHR" not in page
    assert client.get("/camps/SHR").status_code == 404
    assert client.get("/camps/KHR").status_code == 200


def test_camp_api_is_scoped(api, make):
    make.camp("SHR")
    caller = api("registration_clerk", "KHR")
    assert [c["code"] for c in caller.get("/api/v1/camps").get_json()["items"]] == ["KHR"]
    assert caller.get("/api/v1/camps/SHR").status_code == 404


def test_camp_page_counts_active_households_and_people(client, login_as, make):
    make.household("KHR", members=4)
    make.household("KHR", members=2)
    make.household("KHR", members=5, status="departed")
    login_as("site_manager", "KHR")
    page = client.get("/camps/KHR").data
    assert b'data-testid="camp-households">2<' in page and b'data-testid="camp-people">6<' in page


def test_chosen_camp_reads_a_filter_code():
    khr, shr = Camp(code="KHR", name="Khorog"), Camp(code="SHR", name="Shahritus")
    assert chosen_camp([khr, shr], None) is None
    assert chosen_camp([khr, shr], "  ") is None
    assert chosen_camp([khr, shr], " shr ") is shr
    with pytest.raises(LookupError):
        chosen_camp([khr], "SHR")
