"""The trigger-kept population and needs counts agree with a recount after every kind of change."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from camps.figures import population
from registration.dedup import review
from registration.households import lifecycle
from registration.households.models import Household, Person, PersonNeed

TODAY = date.today()


def assert_counts_match_a_recount(session):
    session.flush()
    live = population.live_counts(session)
    population.recount(session)
    assert population.live_counts(session) == live


def test_counts_follow_every_change_of_people_needs_and_households(session, make):
    khr, shr = make.camp("KHR"), make.camp("SHR")
    first = make.household("KHR", members=4)
    second = make.household("KHR", members=2)
    people, needs = population.live_counts(session)
    assert people[(khr.id, "m", date(1991, 7, 1))] == 2 and needs[(khr.id, "DS-PM")] == 2
    assert_counts_match_a_recount(session)

    child = first.members[3]
    child.needs = [PersonNeed(code="SV-VF"), PersonNeed(code="CR-NE")]
    child.birth_date, child.sex = date(2020, 3, 1), "f"
    assert_counts_match_a_recount(session)

    lifecycle.end_membership(session, None, first.members[2], "deceased", TODAY, TODAY)
    lifecycle.move_person(session, None, child, second)
    lifecycle.transfer(session, None, second, shr)
    assert_counts_match_a_recount(session)
    people, needs = population.live_counts(session)
    assert people[(shr.id, "f", date(2020, 3, 1))] == 1 and needs[(shr.id, "SV-VF")] == 1
    assert (khr.id, "SV-VF") not in needs

    lifecycle.set_status(session, None, second, "departed")
    assert_counts_match_a_recount(session)
    assert not any(camp == shr.id for camp, *_rest in population.live_counts(session)[0])
    lifecycle.set_status(session, None, second, "active")
    lifecycle.add_member(
        session, None, second, {"given_name": "Maryam", "sex": "f", "born": "0", "relation_to_head": "daughter"}, TODAY
    )
    assert_counts_match_a_recount(session)

    third = make.household("KHR", members=1)
    pair = make.duplicate_pair(first.members[0], third.members[0])
    review.merge(session, make.user(roles=("registration_supervisor",)), pair, first.members[0])
    assert_counts_match_a_recount(session)

    session.execute(update(Household).where(Household.id == first.id).values(status="inactive"))
    session.execute(update(Person).where(Person.household_id == second.id).values(status="departed"))
    assert_counts_match_a_recount(session)


def test_a_pending_household_is_not_counted_until_it_is_active(session, make):
    camp = make.camp("KHR")
    pending = make.household("KHR", members=3, status="pending")
    assert population.pyramid(session, [camp.id], TODAY).total() == 0
    pending.status = "active"
    session.flush()
    assert population.pyramid(session, [camp.id], TODAY).total() == 3
    assert session.scalar(select(Household.size).where(Household.id == pending.id)) == 3
