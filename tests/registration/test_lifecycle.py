"""The life of a household: corrections, births, departures, deaths, moves, splits, transfers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import UserValueError
from registration.households import lifecycle
from registration.households.models import Household

TODAY = date.today()


def newborn(**overrides):
    return {
        "given_name": "Maryam",
        "given_name_orig": "مریم",
        "father_name": "Mohammad",
        "sex": "f",
        "born": "0",
        "relation_to_head": "daughter",
        **overrides,
    }


def test_add_a_newborn_takes_the_next_number(session, make):
    household = make.household("KHR", members=3)
    person = lifecycle.add_member(session, None, household, newborn(), TODAY)
    assert person.seq == 4 and household.size == 4 and person.birth_precision == "age"


def test_a_second_head_cannot_be_added(session, make):
    household = make.household("KHR")
    with pytest.raises(UserValueError, match="already has a head"):
        lifecycle.add_member(session, None, household, newborn(relation_to_head="head"), TODAY)


def test_death_and_departure_update_the_household(session, make):
    household = make.household("KHR", members=2)
    child = household.members[1]
    lifecycle.end_membership(session, None, child, "deceased", TODAY, TODAY)
    assert child.status == "deceased" and household.size == 1 and household.status == "active"
    with pytest.raises(UserValueError, match="future"):
        lifecycle.end_membership(session, None, household.head, "departed", date(2999, 1, 1), TODAY)
    lifecycle.end_membership(session, None, household.head, "departed", TODAY, TODAY)
    assert household.status == "departed" and household.size == 0


def test_head_leaves_only_after_a_new_head_is_chosen(session, make):
    household = make.household("KHR", members=2)
    head, son = household.members
    with pytest.raises(UserValueError, match="new head"):
        lifecycle.end_membership(session, None, head, "departed", TODAY, TODAY)
    lifecycle.change_head(session, None, household, son)
    lifecycle.end_membership(session, None, head, "departed", TODAY, TODAY)
    assert household.head.id == son.id


def test_move_a_person_between_households(session, make):
    source, target = make.household("KHR", members=3), make.household("KHR", members=2)
    moving = source.members[2]
    lifecycle.move_person(session, None, moving, target)
    assert moving.household_id == target.id and moving.seq == 3
    assert source.size == 2 and target.size == 3


def test_split_makes_a_new_household_and_keeps_the_old_number(session, make):
    household = make.household("KHR", members=4)
    number = household.number
    leaving = household.members[2:]
    new = lifecycle.split_household(session, None, household, leaving, leaving[1])
    assert household.number == number and household.size == 2
    assert new.size == 2 and new.number != number and new.head.id == leaving[1].id
    assert sorted(p.seq for p in new.members) == [1, 2]


def test_transfer_keeps_the_number(session, make):
    household = make.household("KHR")
    other = make.camp("SHR")
    number = household.number
    lifecycle.transfer(session, None, household, other)
    assert household.camp_id == other.id and household.number == number


def test_reactivation_needs_a_member(session, make):
    household = make.household("KHR", members=1)
    lifecycle.set_status(session, None, household, "departed")
    lifecycle.set_status(session, None, household, "active")
    assert household.status == "active"


def test_correcting_a_name_refreshes_duplicate_keys_and_is_audited(session, make):
    from registration.households.models import PersonKey

    household = make.household("KHR", members=1)
    head = household.head
    before = set(session.scalars(select(PersonKey.key).where(PersonKey.person_id == head.id)))
    lifecycle.update_person(
        session,
        None,
        head,
        {
            "given_name": "Nasir",
            "given_name_orig": "ناصر",
            "father_name": "Karim",
            "sex": "m",
            "born": "1991",
            "relation_to_head": "head",
            "needs": "DS-PM",
        },
        TODAY,
    )
    session.flush()
    after = set(session.scalars(select(PersonKey.key).where(PersonKey.person_id == head.id)))
    assert after and after != before
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "person.update"))
    assert "given_name" in event.details["fields"] and "Nasir" not in str(event.details)


def test_supervisor_pages_record_a_death_and_show_history(client, login_as, make, session):
    household = make.household("KHR", members=2)
    login_as("registration_supervisor")
    response = client.post(
        f"/households/{household.number}/members/2/end", data={"status": "deceased", "on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    page = client.get(f"/households/{household.number}").data.decode()
    assert "Member died" in page
    assert session.scalar(select(Household.size).where(Household.id == household.id)) == 1


def test_supervisor_splits_through_the_page(client, login_as, make, session):
    household = make.household("KHR", members=3)
    login_as("registration_supervisor")
    ids = [p.id for p in household.members[1:]]
    response = client.post(
        f"/households/{household.number}/split", data={"people": [str(i) for i in ids], "head": str(ids[0])}
    )
    assert response.status_code == 302
    assert session.scalar(select(Household).where(Household.id != household.id)).size == 2


def test_clerk_may_add_a_newborn_but_not_edit(client, login_as, make):
    household = make.household("KHR")
    login_as("registration_clerk")
    assert client.get(f"/households/{household.number}/edit").status_code == 403
    response = client.post(f"/households/{household.number}/members/new", data=newborn())
    assert response.status_code == 302
