"""A clerk decides only the duplicate pairs it was shown; pairs across camps always go to a supervisor
(issue 12, finding 6)."""

from __future__ import annotations

from sqlalchemy import func, select

from registration.dedup.models import DuplicatePair
from registration.households import desk
from registration.households.models import Person
from tests.registration.test_desk import TODAY, member, raw, register


def _pairs(session) -> list[DuplicatePair]:
    return list(session.scalars(select(DuplicatePair).order_by(DuplicatePair.id)))


def _shr_person(session, make) -> Person:
    shr = make.camp("SHR")
    other_clerk = make.user(roles=["registration_clerk"], camps=["SHR"])
    household, _ = register(session, other_clerk, raw(shr, [member(born="05.06.1985")]))
    return household.head


def test_a_clerk_cannot_rule_out_a_match_in_a_camp_it_cannot_see(session, make):
    elsewhere = _shr_person(session, make)
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    every_id = [str(i) for i in range(1, session.scalar(select(func.max(Person.id))) + 5)]
    household, created = register(
        session, clerk, raw(make.camp("KHR"), [member(given_name="Muhammad", born="1985", not_duplicates=every_id)])
    )
    assert created
    [pair] = _pairs(session)
    assert {pair.person_a_id, pair.person_b_id} == {elsewhere.id, household.head.id}
    assert pair.status == "open" and pair.decided_by_id is None


def test_a_clerk_cannot_rule_out_a_match_elsewhere_through_the_api(api, make, session):
    elsewhere = _shr_person(session, make)
    body = {
        "camp": "KHR",
        "arrival_date": TODAY.isoformat(),
        "consent": True,
        "token": "api-dd-1",
        "members": [
            {
                "given_name": "Muhammad",
                "given_name_orig": "محمد",
                "father_name": "Karim",
                "family_name": "Ahmadzai",
                "sex": "m",
                "born": "1985",
                "relation_to_head": "head",
                "not_duplicates": list(range(1, 200)),
            }
        ],
    }
    response = api("registration_clerk").post("/api/v1/households", json=body)
    assert response.status_code == 201
    [pair] = _pairs(session)
    assert elsewhere.id in (pair.person_a_id, pair.person_b_id) and pair.status == "open"


def test_a_clerk_of_both_camps_still_sends_cross_camp_pairs_to_a_supervisor(session, make):
    elsewhere = _shr_person(session, make)
    clerk = make.user(roles=["registration_clerk"], camps=["KHR", "SHR"])
    data = desk.clean_household(
        session, clerk, raw(make.camp("KHR"), [member(given_name="Muhammad", born="1985")]), TODAY
    )
    shown = desk.find_duplicates(session, clerk, data)
    assert [c.person.id for c in shown[0].visible] == [elsewhere.id]  # the clerk sees it and must answer
    data.members[0].not_duplicates = {elsewhere.id}
    household, created = desk.register_household(session, clerk, data)
    assert created
    [pair] = _pairs(session)
    assert pair.status == "open" and pair.decided_by_id is None


def test_only_matches_the_clerk_was_shown_are_decided(session, make):
    khr = make.camp("KHR")
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    earlier, _ = register(
        session, clerk, raw(khr, [member(given_name="Muhammad", given_name_orig="Муҳаммад", born="05.06.1985")])
    )
    unrelated, _ = register(
        session,
        clerk,
        raw(
            khr,
            [
                member(
                    given_name="Zarghuna", given_name_orig="", sex="f", father_name="Wali", family_name="", born="1960"
                )
            ],
        ),
    )
    household, created = register(
        session,
        clerk,
        raw(
            khr,
            [member(given_name="Mohammed", born="1985", not_duplicates=[str(earlier.head.id), str(unrelated.head.id)])],
        ),
    )
    assert created
    [pair] = _pairs(session)
    assert {pair.person_a_id, pair.person_b_id} == {earlier.head.id, household.head.id}
    assert pair.status == "different" and pair.decided_by_id == clerk.id


def _pending(session, make):
    """A KHR household pre-registered from a list (no duplicate check then), waiting for the desk."""
    khr = make.camp("KHR")
    household, _ = desk.register_household(
        session,
        None,
        desk.clean_household(
            session,
            None,
            raw(
                khr,
                [member(given_name="Nasir", given_name_orig="ناصر", father_name="Jalil", family_name="", born="1977")],
            ),
            TODAY,
        ),
        check_duplicates=False,
        status="pending",
    )
    return household


def test_finishing_a_pending_household_sends_cross_camp_matches_to_a_supervisor(session, make):
    """A member added (or corrected) when the desk finishes a pre-registered household is checked like
    a new registration: its match in another camp is queued, even with every id answered."""
    elsewhere = _shr_person(session, make)
    pending = _pending(session, make)
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    every_id = [str(i) for i in range(1, session.scalar(select(func.max(Person.id))) + 5)]
    rows = [
        member(
            given_name="Nasir",
            given_name_orig="ناصر",
            father_name="Jalil",
            family_name="",
            born="1977",
            person_id=str(pending.head.id),
        ),
        member(given_name="Muhammad", born="1985", relation_to_head="brother", not_duplicates=every_id),
    ]
    data = desk.clean_household(session, clerk, raw(pending.camp, rows), TODAY)
    desk.finish_pending(session, clerk, pending, data)
    added = next(p for p in pending.members if p.given_name == "Muhammad")
    [pair] = [p for p in _pairs(session) if elsewhere.id in (p.person_a_id, p.person_b_id)]
    assert {pair.person_a_id, pair.person_b_id} == {elsewhere.id, added.id}
    assert pair.status == "open" and pair.decided_by_id is None
