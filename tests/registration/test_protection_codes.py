"""Protection codes (SV, TR, restricted LP) never reach anyone who may not see them, on any path, and
saving a form never drops the codes its editor could not see (issue 12, finding 1)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from registration.households import desk
from registration.households.models import PersonNeed
from tests.conftest import sign_in
from tests.registration.test_desk_pages import form

HIDDEN = ("SV-VA", "TR-WV", "LP-ST")


def _codes(person) -> list[str]:
    return sorted(n.code for n in person.needs)


@pytest.fixture()
def household(make, session):
    """A KHR household whose head holds one open code (DS-PM) and three protection codes."""
    household = make.household("KHR", members=2)
    household.members[0].needs.extend(PersonNeed(code=c) for c in HIDDEN)
    session.flush()
    return household


@pytest.fixture()
def pending(make, session):
    camp = make.camp("KHR")
    raw = {
        "camp_id": camp.id,
        "arrival_date": date.today(),
        "consent": True,
        "members": [
            {
                "given_name": "Nasir",
                "given_name_orig": "ناصر",
                "father_name": "Jalil",
                "sex": "m",
                "born": "1977",
                "relation_to_head": "head",
                "needs": ["DS-PM", *HIDDEN],
            },
            {"given_name": "Setara", "sex": "f", "born": "1983", "relation_to_head": "spouse"},
        ],
    }
    household, _ = desk.register_household(
        session, None, desk.clean_household(session, None, raw, date.today()), check_duplicates=False, status="pending"
    )
    return household


def _no_hidden_code(text: str) -> bool:
    return not any(code in text for code in (*HIDDEN, "SV-", "TR-"))


def test_supervisor_member_edit_form_never_shows_protection_codes(client, login_as, household):
    login_as("registration_supervisor")
    page = client.get(f"/households/{household.number}/members/1/edit").data.decode()
    assert 'value="DS-PM"' in page
    assert _no_hidden_code(page.split("<datalist")[0])  # the datalist lists the code book, nobody's codes


def test_saving_the_member_form_keeps_the_codes_the_editor_could_not_see(client, login_as, household, session):
    login_as("registration_supervisor")
    data = {
        "given_name": "Mohammad",
        "given_name_orig": "محمد",
        "father_name": "Karim",
        "sex": "m",
        "born": "1991",
        "relation_to_head": "head",
        "needs": "SM-CI",
    }
    response = client.post(f"/households/{household.number}/members/1/edit", data=data)
    assert response.status_code == 302
    session.refresh(household.members[0])
    assert _codes(household.members[0]) == sorted(["SM-CI", *HIDDEN])
    page = client.get(f"/households/{household.number}").data.decode()
    assert "SM-CI" in page and _no_hidden_code(page)


def test_a_refused_member_form_does_not_echo_protection_codes(client, login_as, household):
    login_as("registration_supervisor")
    data = {"given_name": "Mohammad", "sex": "m", "born": "2999", "relation_to_head": "head", "needs": "DS-PM"}
    response = client.post(f"/households/{household.number}/members/1/edit", data=data)
    assert response.status_code == 422 and _no_hidden_code(response.data.decode().split("<datalist")[0])


def test_who_may_see_protection_codes_also_removes_them(client, login_as, make, household, session):
    user = make.user(roles=["registration_supervisor", "protection_officer"], camps=["KHR"])
    sign_in(client, user)  # signed in with a server-side session, as the sign-in page does
    page = client.get(f"/households/{household.number}/members/1/edit").data.decode()
    assert "SV-VA" in page
    data = {
        "given_name": "Mohammad",
        "given_name_orig": "محمد",
        "father_name": "Karim",
        "sex": "m",
        "born": "1991",
        "relation_to_head": "head",
        "needs": "DS-PM, TR-WV",
    }
    assert client.post(f"/households/{household.number}/members/1/edit", data=data).status_code == 302
    session.refresh(household.members[0])
    assert _codes(household.members[0]) == ["DS-PM", "TR-WV"]


def test_an_editor_cannot_learn_a_hidden_code_from_the_history(client, login_as, household, session):
    """Typing a protection code one cannot see is recorded as a change whether or not it was held."""
    login_as("registration_supervisor")
    base = {"given_name_orig": "محمد", "father_name": "Karim", "sex": "m", "relation_to_head": "son"}
    held = {**base, "given_name": "Mohammad", "born": "1991", "relation_to_head": "head", "needs": "DS-PM, SV-VA"}
    not_held = {**base, "given_name": "Jawad", "born": "1992", "needs": "SV-VA"}
    assert client.post(f"/households/{household.number}/members/1/edit", data=held).status_code == 302
    assert client.post(f"/households/{household.number}/members/2/edit", data=not_held).status_code == 302
    page = client.get(f"/households/{household.number}").data.decode()
    assert "Member details corrected · 01 (needs)" in page
    assert re.search(r"Member details corrected · 02 \([^)]*needs\)", page)


def test_clerk_finishing_a_pending_household_never_sees_its_protection_codes(client, login_as, pending):
    login_as("registration_clerk")
    page = client.get(f"/register?pending={pending.number}").data.decode()
    assert 'value="Nasir"' in page and "DS-PM" in page
    assert _no_hidden_code(page.split("<datalist")[0])


def test_finishing_a_pending_household_keeps_codes_the_clerk_could_not_see(client, login_as, pending, session):
    login_as("registration_clerk")
    ids = [str(p.id) for p in pending.members]
    rows = [
        {
            "given_name": "Nasir",
            "given_name_orig": "ناصر",
            "father_name": "Jalil",
            "born": "1977",
            "person_id": ids[0],
            "needs": "SM-CI",
        },
        {
            "given_name": "Setara",
            "father_name": "Saboor",
            "sex": "f",
            "born": "1983",
            "relation_to_head": "spouse",
            "person_id": ids[1],
        },
    ]
    refused = client.post(
        "/register",
        data=form(
            pending.camp_id, token="t-p1", pending=pending.number, members=[{**rows[0], "born": "2999"}, rows[1]]
        ),
    )
    assert refused.status_code == 422 and _no_hidden_code(refused.data.decode().split("<datalist")[0])
    response = client.post("/register", data=form(pending.camp_id, token="t-p1", pending=pending.number, members=rows))
    assert response.status_code == 302
    session.refresh(pending)
    assert pending.status == "active" and _codes(pending.members[0]) == sorted(["SM-CI", *HIDDEN])


def test_api_correction_keeps_hidden_codes_and_never_returns_them(api, household, session):
    supervisor = api("registration_supervisor")
    url = f"/api/v1/households/{household.number}/members/1"
    updated = supervisor.patch(url, json={"needs": ["SM-CI"]})
    assert updated.status_code == 200 and updated.get_json()["needs"] == ["SM-CI"]
    assert _no_hidden_code(updated.get_data(as_text=True))
    session.refresh(household.members[0])
    assert _codes(household.members[0]) == sorted(["SM-CI", *HIDDEN])
    unchanged = supervisor.patch(url, json={"given_name": "Mohammad"})
    assert unchanged.status_code == 200 and _no_hidden_code(unchanged.get_data(as_text=True))
    refused = supervisor.patch(url, json={"born": "soon", "needs": ["XX-YY"]})
    assert refused.status_code == 422 and _no_hidden_code(refused.get_data(as_text=True))
    session.refresh(household.members[0])
    assert _codes(household.members[0]) == sorted(["SM-CI", *HIDDEN])
    assert _no_hidden_code(supervisor.get(f"/api/v1/households/{household.number}").get_data(as_text=True))
    protection = api("protection_officer").get(url).get_json()
    assert set(HIDDEN) <= set(protection["needs"])


def test_exports_and_the_family_report_leave_protection_codes_out(client, login_as, household, session):
    from tests.registration.test_exports import _rows

    supervisor = login_as("registration_supervisor")
    report = client.get(f"/households/{household.number}/subject-report")
    assert report.status_code == 200 and "DS-PM" in report.data.decode()
    assert _no_hidden_code(report.data.decode())
    _plan, rows = _rows(session, supervisor)
    assert [r["needs"] for r in rows if r["person_number"].endswith("/01")] == ["DS-PM"]
