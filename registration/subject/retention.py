"""Anonymisation of households that left, once the retention period has passed (standards.md §4).

Names, photos, phone, tazkira, duplicate keys, protection needs codes and free text (including the
words of the family's feedback cases) go; what the figures count stays: sex, year of birth,
relationship, status, other needs, household size, arrival date, camp, province of origin, cards,
plot stays and collections. The household number stays (cards and paper carry it). Uploaded
pre-registration files (whole border lists) are emptied after the same period.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.errors import UserValueError
from app.users.actors import Actor
from camps.allocation.models import PlotAllocation
from camps.communication.sms.models import SmsOutbox
from camps.distributions.models import AlternateCollector, Collection
from camps.feedback.models import CaseEvent, FeedbackCase
from registration import needs
from registration.dedup.models import DuplicatePair
from registration.households.models import (
    NAME_COLUMNS,
    Household,
    Person,
    PersonKey,
    PersonNeed,
    PersonPhoto,
    PersonSearchKey,
)
from registration.imports.models import ImportBatch

#: household statuses whose retention period runs: everyone left, died, moved out or was merged
STATUSES = ("departed", "inactive")
#: what stands for a name that is required (``persons.given_name``, ``alternate_collectors.name``)
PLACEHOLDER = "Anonymised"
#: what replaces the words of a feedback case about the family
REMOVED = "[removed when the household was anonymised]"
#: person columns emptied (the names in both scripts but the given name, which becomes the PLACEHOLDER;
#: identifiers, marital status)
PERSON_CLEARED = (*(name for name in NAME_COLUMNS if name != "given_name"), "tazkira", "source_ref", "marital_status")
#: household columns emptied (district: with the other facts left, a small area could single a family out)
HOUSEHOLD_CLEARED = ("phone", "phone_digits", "notes", "origin_district", "registration_token")


def _undated_starts(session: Session, ids: list[int]) -> dict[int, date]:
    """For households without a status date: the latest of their members' status or registration dates."""
    starts: dict[int, date] = {}
    rows = session.execute(
        select(Person.household_id, Person.status_date, Person.registered_at).where(Person.household_id.in_(ids))
    )
    for household_id, status_date, registered_at in rows:
        for day in (status_date, registered_at.date() if registered_at else None):
            if day is not None and day > starts.get(household_id, date.min):
                starts[household_id] = day
    return starts


def due_for_anonymisation(
    session: Session, today: date, retention_days: int, among: list[int] | None = None
) -> list[int]:
    """Ids of households that left at least ``retention_days`` ago and still hold names, oldest id first
    (only those of ``among`` when given: a batch checks again just before it anonymises)."""
    cutoff = today - timedelta(days=retention_days)
    waiting = select(Household.id).where(Household.status.in_(STATUSES), Household.anonymised_at.is_(None))
    if among is not None:
        waiting = waiting.where(Household.id.in_(among))
    due = set(session.scalars(waiting.where(Household.status_date <= cutoff)))
    undated: dict[int, datetime] = dict(
        session.execute(waiting.add_columns(Household.registered_at).where(Household.status_date.is_(None))).all()
    )
    for chunk in chunks(list(undated), 500):
        starts = _undated_starts(session, chunk)
        due.update(i for i in chunk if starts.get(i, undated[i].date()) <= cutoff)
    return sorted(due)


def chunks(items: list, size: int):
    """``items`` in slices of ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _anonymise_person(person: Person) -> None:
    person.given_name = PLACEHOLDER
    for column in PERSON_CLEARED:
        setattr(person, column, None)
    person.birth_date, person.birth_precision = date(person.birth_date.year, 7, 1), "year"


def _linked_rows(session: Session, household_id: int, person_ids: list[int]) -> None:
    """Free text and names about the household in other tables; the rows themselves stay for the figures."""
    session.execute(
        update(AlternateCollector)
        .where(AlternateCollector.household_id == household_id)
        .values(name=PLACEHOLDER, name_orig=None, relation=None, document=None, active=False)
    )
    session.execute(update(Collection).where(Collection.household_id == household_id).values(review_note=None))
    # SMS sent to the family: the number and the words go, the counts (sent, delivered) stay
    session.execute(update(SmsOutbox).where(SmsOutbox.household_id == household_id).values(phone="", text=""))
    session.execute(
        update(PlotAllocation).where(PlotAllocation.household_id == household_id).values(override_reason=None)
    )
    # Feedback cases keep their camp, type, sector, dates and status for the figures; their words (which
    # often name people) and the link to the family go.
    linked = or_(FeedbackCase.household_id == household_id, FeedbackCase.person_id.in_(person_ids))
    case_ids = list(session.scalars(select(FeedbackCase.id).where(linked)))
    if case_ids:
        session.execute(
            update(FeedbackCase)
            .where(FeedbackCase.id.in_(case_ids))
            .values(
                household_id=None,
                person_id=None,
                contact=None,
                description=REMOVED,
                translation=None,
                communicated_how=None,
                response=case(((FeedbackCase.response.is_(None), None)), else_=REMOVED),
            )
        )
        session.execute(update(CaseEvent).where(CaseEvent.case_id.in_(case_ids)).values(note=None))
    if person_ids:
        # protection codes (survivors of violence, torture, alleged perpetrators) never outlive the retention
        session.execute(
            delete(PersonNeed).where(PersonNeed.person_id.in_(person_ids), needs.restricted_clause(PersonNeed.code))
        )
        session.execute(delete(PersonPhoto).where(PersonPhoto.person_id.in_(person_ids)))
        session.execute(delete(PersonKey).where(PersonKey.person_id.in_(person_ids)))
        session.execute(delete(PersonSearchKey).where(PersonSearchKey.person_id.in_(person_ids)))
        # an open pair can no longer be reviewed (no names); decided pairs hold ids and a score only
        session.execute(
            delete(DuplicatePair).where(
                DuplicatePair.status == "open",
                or_(DuplicatePair.person_a_id.in_(person_ids), DuplicatePair.person_b_id.in_(person_ids)),
            )
        )


def anonymise_household(session: Session, actor: Actor, household: Household, now: datetime) -> bool:
    """Remove the household's personal data, keep what is counted; False when it was done already."""
    if household.anonymised_at is not None:
        return False
    if household.status not in STATUSES:
        raise UserValueError(_("Only a household that departed or is inactive can be anonymised."))
    person_ids = [p.id for p in household.members]
    for person in household.members:
        _anonymise_person(person)
    for column in HOUSEHOLD_CLEARED:
        setattr(household, column, None)
    household.anonymised_at = now
    session.flush()
    _linked_rows(session, household.id, person_ids)
    for person in household.members:  # the bulk deletes above bypassed the session's relationships
        session.expire(person, ["photo", "keys", "needs"])
    log_action(
        session,
        actor,
        "household.anonymise",
        object_type="household",
        object_id=household.id,
        camp_id=household.camp_id,
        details={"members": len(person_ids)},
    )
    return True


def purge_import_files(
    session: Session, actor: Actor, today: date, retention_days: int, *, dry_run: bool = False
) -> int:
    """Empty the stored pre-registration files (whole border lists: names, tazkira, phones) uploaded more
    than ``retention_days`` ago; the batch's counts stay. Returns how many files were (or would be) emptied."""
    cutoff = datetime.combine(today - timedelta(days=retention_days), datetime.min.time())
    old = and_(ImportBatch.uploaded_at < cutoff, func.length(ImportBatch.content) > 0)
    ids = list(session.scalars(select(ImportBatch.id).where(old)))
    if ids and not dry_run:
        session.execute(update(ImportBatch).where(ImportBatch.id.in_(ids)).values(content=b""))
        log_action(session, actor, "imports.purge", object_type="import_batch", details={"batches": ids})
    return len(ids)


__all__ = ["PLACEHOLDER", "STATUSES", "anonymise_household", "chunks", "due_for_anonymisation", "purge_import_files"]
