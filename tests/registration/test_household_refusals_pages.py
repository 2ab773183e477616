"""The household pages' refusals (app.views.refuse/put_on_form): 422, the message shown, what was typed kept, and
nothing saved or audited; a forged member of another household or camp changes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from registration.households.models import Household


def _events(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("household.%")))


def _households(session) -> int:
    return session.scalar(select(func.count()).select_from(Household))


@pytest.fixture()
def family(make, session, login_as):
    make.camp("KHR")
    make.camp("SHR")
    household = make.household(members=3)
    other = make.household("SHR", members=2)
    session.flush()
    login_as("registration_supervisor", "KHR")
    return household, other


def test_a_split_refused_by_the_service_shows_why_and_splits_nothing(client, session, family):
    household, _other = family
    head, second, third = household.active_members
    before = (_households(session), _events(session))
    cases = [
        ({"people": [second.id], "head": third.id}, "The new head must be one of the members who leave."),
        ({"people": [head.id, second.id, third.id], "head": second.id}, "At least one member must stay"),
        ({"people": [head.id], "head": head.id}, "The head stays"),
    ]
    for data, message in cases:
        response = client.post(f"/households/{household.number}/split", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and message in page, message
        for person_id in data["people"]:
            assert re.search(
                rf'<input[^>]*checked[^>]*value="{person_id}"|<input[^>]*value="{person_id}"[^>]*checked', page
            )
    assert (_households(session), _events(session)) == before


def test_a_split_naming_a_member_of_another_camp_is_refused(client, session, family):
    household, other = family
    stranger = other.active_members[0]
    response = client.post(f"/households/{household.number}/split", data={"people": [stranger.id], "head": stranger.id})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and other.number not in page
    session.refresh(stranger)
    assert stranger.household_id == other.id and _households(session) == 2


def test_a_household_edit_refused_keeps_what_was_typed_and_saves_nothing(client, session, family):
    household, _other = family
    before = (household.phone, household.notes, _events(session))
    data = {"arrival_date": "2026-10-01", "phone": "12", "notes": "Tent leaks <b>badly</b>", "languages": []}
    response = client.post(f"/households/{household.number}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'data-field-error="phone"' in page
    assert "Tent leaks &lt;b&gt;badly&lt;/b&gt;" in page and 'value="12"' in page
    session.refresh(household)
    assert (household.phone, household.notes, _events(session)) == before
