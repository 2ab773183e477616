"""One rule decides who sees phones, tazkira numbers and protection codes: pages, API, search and
exports alike (issue 12, finding 8)."""

from __future__ import annotations

import pytest

from app import permissions as P
from registration.dedup import services as dedup
from registration.exports import fields as export_fields

PHONE, TAZKIRA = "+992 93 555 0101", "1400123456789"


@pytest.fixture()
def household(make, session):
    household = make.household("KHR", members=2, phone=PHONE, phone_digits="992935550101")
    household.members[1].tazkira = TAZKIRA
    for person in household.members:
        dedup.store_keys(session, person, new=True)
    session.flush()
    return household


def test_a_site_manager_sees_no_phone_or_tazkira_on_the_household_page(client, login_as, household):
    login_as("site_manager")
    page = client.get(f"/households/{household.number}").data.decode()
    assert "Mohammad" in page
    assert PHONE not in page and "93 555" not in page and TAZKIRA not in page


def test_a_clerk_sees_the_phone_on_the_household_page(client, login_as, household):
    login_as("registration_clerk")
    assert PHONE in client.get(f"/households/{household.number}").data.decode()


@pytest.mark.parametrize("typed", ["93 555 0101", "+992935550101", "1400123456789", "140012"])
def test_a_site_manager_cannot_search_by_phone_or_tazkira(client, login_as, household, typed):
    login_as("site_manager")
    page = client.post("/households", data={"q": typed}, follow_redirects=True).data.decode()
    assert f"/households/{household.number}" not in page
    assert 'data-testid="search-message"' in page


@pytest.mark.parametrize("typed", ["93 555 0101", "1400123456789"])
def test_a_site_manager_cannot_search_by_phone_or_tazkira_through_the_api(api, household, typed):
    found = api("site_manager").post("/api/v1/households/search", json={"q": typed}).get_json()
    assert found["items"] == [] and found["message"]
    assert [
        h["number"]
        for h in api("registration_clerk").post("/api/v1/households/search", json={"q": typed}).get_json()["items"]
    ] == [household.number]


def test_a_site_manager_still_finds_households_by_number_and_name(client, login_as, household):
    login_as("site_manager")
    for typed in (household.number, "Mohammad Karim"):
        page = client.post("/households", data={"q": typed}, follow_redirects=True).data.decode()
        assert f"/households/{household.number}" in page, typed


def test_the_api_follows_the_same_rule(api, household):
    for role, sees in (
        ("registration_clerk", True),
        ("registration_supervisor", True),
        ("protection_officer", True),
        ("site_manager", False),
    ):
        body = api(role).get(f"/api/v1/households/{household.number}").get_json()
        assert ("phone" in body) is sees and ("tazkira" in body["members"][1]) is sees, role


@pytest.mark.parametrize("role", P.ROLES)
def test_pages_api_and_exports_read_one_table(make, role):
    """Exports never give more than a record shows; whoever registers or corrects a record sees
    every field of it, so a form never hides (and drops) a value its editor could not see."""
    from app import visibility as V

    user = make.user(roles=[role])
    for field in (V.PHONE, V.TAZKIRA, V.RESTRICTED_NEEDS):
        if V.can_see(user, field, bulk=True):
            assert V.can_see(user, field)
    for kind in export_fields.COLUMNS:
        keys = {c.key for c in export_fields.columns_for(user, kind)}
        assert ("phone" in keys) is (user.can(P.EXPORT_PERSONAL) and V.can_see(user, V.PHONE, bulk=True))
    if user.can(P.HOUSEHOLDS_REGISTER) or user.can(P.HOUSEHOLDS_EDIT):
        assert V.can_see(user, V.PHONE) and V.can_see(user, V.TAZKIRA)
    if role == "site_manager":
        assert not V.can_see(user, V.PHONE) and not V.can_see(user, V.TAZKIRA)
    assert V.can_see(user, V.RESTRICTED_NEEDS) is user.can(P.PROTECTION_VIEW)
