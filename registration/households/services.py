"""Reading households within the user's camps (registering is in ``desk``)."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.audit.services import log_action
from app.db import commit_aside
from app.scoping import scope_to_user
from camps.sites.models import Camp
from registration.households.models import Household, Person, PersonPhoto
from registration.households.numbers import normalise, read, tidy


def household_query(
    user, *, camp_code: str | None = None, number: str | None = None, status: str | None = None
) -> Select:
    """Households the user may see, newest first, with optional filters."""
    query = scope_to_user(select(Household), user, Household.camp_id).order_by(Household.id.desc())
    if camp_code:
        query = query.join(Camp, Camp.id == Household.camp_id).where(Camp.code == camp_code.upper())
    if number:
        typed, meant = tidy(number), read(number)  # a prefix, or a whole number typed loosely
        query = query.where(
            or_(Household.number.startswith(typed), Household.number == meant)
            if meant
            else Household.number.startswith(typed)
        )
    if status:
        query = query.where(Household.status == status)
    return query


def household_for_user(session: Session, user, number: str, *, audit: bool = True) -> Household | None:
    """The household with this number if it is in the user's camps (else None: answer 404).

    Opening a household's record is an access to personal data and is audited.
    """
    household = session.scalar(
        select(Household).where(Household.number == normalise(number)).options(selectinload(Household.members))
    )
    if household is None or not user.can_access_camp(household.camp_id):
        return None
    if audit:
        household_id, camp_id = household.id, household.camp_id
        commit_aside(
            lambda aside: log_action(
                aside, user, "household.view", object_type="household", object_id=household_id, camp_id=camp_id
            ),
            fail_open=f"audit household.view household={household_id} user={user.id}",
        )
    return household


def photo_for_user(session: Session, user, number: str, seq: int) -> bytes | None:
    """A member's photo if the household is in the user's camps."""
    row = session.execute(
        select(PersonPhoto.jpeg, Household.camp_id)
        .join(Person, Person.id == PersonPhoto.person_id)
        .join(Household, Household.id == Person.household_id)
        .where(Household.number == normalise(number), Person.seq == seq)
    ).first()
    if row is None or not user.can_access_camp(row.camp_id):
        return None
    return row.jpeg


def people_with_photos(session: Session, person_ids) -> set[int]:
    """Which of these people have a photo (without loading the pictures)."""
    ids = list(person_ids)
    if not ids:
        return set()
    return set(session.scalars(select(PersonPhoto.person_id).where(PersonPhoto.person_id.in_(ids))))


def active_households(session: Session, camp_ids) -> dict[int, tuple[int, int]]:
    """Each camp's active households and the people in them (``Household.size``); camps with none are left out.

    The one home of "active households per camp": the camp pages, /figures, the HXL statistics and the
    occupancy figures count them here.
    """
    ids = list(camp_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Household.camp_id, func.count(), func.coalesce(func.sum(Household.size), 0))
        .where(Household.camp_id.in_(ids), Household.status == "active")
        .group_by(Household.camp_id)
    )
    return {camp_id: (int(households), int(people)) for camp_id, households, people in rows}
