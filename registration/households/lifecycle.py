"""The life of a household after registration: edits, births, departures and deaths, moves,
splits, transfers between camps and reactivation. Numbers never change; every step is audited
with the fields it touched (never their values)."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.errors import UserValueError, ValidationErrors
from app.users.actors import Actor
from camps.sites.models import Camp
from camps.sites.services import camp_today
from registration import needs
from registration.dedup import services as dedup
from registration.households import contact, desk
from registration.households.models import Household, Person, PersonPhoto
from registration.households.signals import household_left

HOUSEHOLD_FIELDS = (
    "arrival_date",
    "crossing_point",
    "origin_province",
    "origin_district",
    "phone",
    "languages",
    "notes",
)


def _audit(session: Session, actor: Actor, action: str, household: Household, **details) -> None:
    log_action(
        session,
        actor,
        action,
        object_type="household",
        object_id=household.id,
        camp_id=household.camp_id,
        details=details or None,
    )


def _recount(household: Household) -> None:
    household.size = sum(1 for p in household.members if p.status == "active")


def update_household(session: Session, actor: Actor, household: Household, raw: dict, today: date) -> list[str]:
    """Change the household's own fields; return the names of those that changed."""
    errors = ValidationErrors.collect()
    values = desk.household_fields(errors, raw, today)
    sms = contact.clean(errors, raw)
    errors.raise_if_any()
    values["languages"] = " ".join(values["languages"]) or None
    changed = sorted(k for k, v in values.items() if getattr(household, k) != v)
    for key in changed:
        setattr(household, key, values[key])
    changed = sorted(changed + contact.apply(household, sms))
    household.phone_digits = re.sub(r"\D", "", household.phone or "") or None
    _audit(session, actor, "household.update", household, fields=changed)
    return changed


def update_person(session: Session, actor: Actor, person: Person, raw: dict, today: date) -> list[str]:
    """Correct a member's details; names, birth or tazkira changes refresh the duplicate keys.

    The typed needs codes replace those ``actor`` may see; protection codes hidden from ``actor`` stay.
    """
    member = desk.clean_member(raw, today)
    values = {
        **member.names,
        "sex": member.sex,
        "birth_date": member.birth_date,
        "birth_precision": member.birth_precision,
        "relation_to_head": member.relation_to_head,
        "marital_status": member.marital_status,
        "nationality": member.nationality,
        "tazkira": member.tazkira,
    }
    if member.relation_to_head == "head" and person.relation_to_head != "head":
        raise UserValueError(_("To make someone the head, use “change head”."), field="relation_to_head")
    if person.relation_to_head == "head" and member.relation_to_head != "head":
        raise UserValueError(_("To change the head of household, use “change head”."), field="relation_to_head")
    changed = sorted(k for k, v in values.items() if getattr(person, k) != v)
    for key in changed:
        setattr(person, key, values[key])
    if person.latin_suggested and any(k in changed for k in desk.NAME_FIELDS):
        person.latin_suggested = False  # a supervisor wrote the Latin names: no longer a suggestion
    codes = needs.merge_codes(actor, person.need_codes, member.needs)
    # Typing a code one may not see counts as a change even when it was held: the history then
    # tells nobody whether it was.
    if codes != person.need_codes or set(member.needs) - set(needs.shown_to(actor, member.needs)):
        desk.set_needs(person, codes)
        changed.append("needs")
    if member.photo:
        person.photo = PersonPhoto(jpeg=member.photo)
        changed.append("photo")
    session.flush()
    dedup.store_keys(session, person)
    _audit(session, actor, "person.update", person.household, person=person.seq, fields=changed)
    return changed


def add_member(session: Session, actor: Actor, household: Household, raw: dict, today: date) -> Person:
    """Add a newborn or a late-arriving member with the next member number."""
    if household.status not in ("active", "pending"):
        raise UserValueError(_("Reactivate the household before adding members."))
    member = desk.clean_member(raw, today)
    if member.relation_to_head == "head":
        raise UserValueError(_("The household already has a head."), field="relation_to_head")
    seq = (session.scalar(select(func.max(Person.seq)).where(Person.household_id == household.id)) or 0) + 1
    person = desk.build_person(seq, member)
    household.members.append(person)
    session.flush()
    dedup.store_keys(session, person)
    _recount(household)
    _audit(session, actor, "person.add", household, person=seq)
    return person


def end_membership(session: Session, actor: Actor, person: Person, status: str, on: date, today: date) -> None:
    """Record that a member departed or died. The head can leave only after another became head."""
    if status not in ("departed", "deceased"):
        raise UserValueError(_("Choose departed or deceased."), field="status")
    if on > today:
        raise UserValueError(_("The date is in the future."), field="on")
    household = person.household
    others = [p for p in household.members if p.status == "active" and p.id != person.id]
    if person.relation_to_head == "head" and others:
        raise UserValueError(_("Choose a new head of household first."))
    person.status, person.status_date = status, on
    _recount(household)
    if not others:
        household.status = "departed" if status == "departed" else "inactive"
        household.status_date = on
        household_left.send(household, session=session, actor=actor, reason=household.status)
    _audit(session, actor, f"person.{status}", household, person=person.seq)


def change_head(session: Session, actor: Actor, household: Household, new_head: Person) -> None:
    if new_head.household_id != household.id or new_head.status != "active":
        raise UserValueError(_("Choose an active member of this household."), field="person")
    for member in household.members:
        if member.relation_to_head == "head":
            member.relation_to_head = "other_relative"
    new_head.relation_to_head = "head"
    _audit(session, actor, "household.change_head", household, person=new_head.seq)


def move_person(session: Session, actor: Actor, person: Person, target: Household) -> None:
    """Move a member to another household (the member gets the next number there)."""
    source = person.household
    if target.id == source.id:
        raise UserValueError(_("Choose another household."), field="target")
    if person.relation_to_head == "head" and any(p.status == "active" and p.id != person.id for p in source.members):
        raise UserValueError(_("Choose a new head of household first."))
    if target.status != "active":
        raise UserValueError(_("The other household is not active."), field="target")
    old_seq = person.seq
    person.seq = (session.scalar(select(func.max(Person.seq)).where(Person.household_id == target.id)) or 0) + 1
    person.household_id = target.id
    person.relation_to_head = "other_relative" if person.relation_to_head == "head" else person.relation_to_head
    session.flush()
    session.expire(source, ["members"])
    session.expire(target, ["members"])
    _recount(source)
    _recount(target)
    if source.size == 0:
        source.status, source.status_date = "inactive", camp_today()
        household_left.send(source, session=session, actor=actor, reason="inactive")
    _audit(session, actor, "person.move_out", source, person=old_seq, to=target.id)
    _audit(session, actor, "person.move_in", target, person=person.seq, source=source.id)


def split_household(
    session: Session, actor: Actor, household: Household, people: list[Person], new_head: Person | None
) -> Household:
    """Make a new household (new number, same camp) of some members, ``new_head`` at its head."""
    if new_head is None or new_head not in people:  # None: none was chosen
        raise UserValueError(_("The new head must be one of the members who leave."), field="head")
    staying = [p for p in household.active_members if p not in people]
    if not staying:
        raise UserValueError(_("At least one member must stay in this household."), field="people")
    if any(p.relation_to_head == "head" for p in people):
        raise UserValueError(_("The head stays; choose a new head first if the head leaves."), field="people")
    camp = session.get_one(Camp, household.camp_id)
    new = Household(
        number=desk.allocate_number(session, camp),
        camp_id=household.camp_id,
        status="active",
        arrival_date=household.arrival_date,
        crossing_point=household.crossing_point,
        origin_province=household.origin_province,
        origin_district=household.origin_district,
        languages=household.languages,
        consent=household.consent,
        consent_at=household.consent_at,
        consent_by_id=household.consent_by_id,
        registered_by_id=getattr(actor, "id", None),
        size=0,
    )
    session.add(new)
    session.flush()
    ordered = [new_head] + [p for p in people if p is not new_head]
    for seq, person in enumerate(ordered, start=1):
        person.household_id, person.seq = new.id, 1000 + seq  # temporary: avoids (household, seq) clashes
    session.flush()
    for seq, person in enumerate(ordered, start=1):
        person.seq = seq
        person.relation_to_head = "head" if person is new_head else person.relation_to_head
    session.flush()
    session.expire(household, ["members"])
    session.refresh(new, ["members"])
    _recount(household)
    _recount(new)
    _audit(session, actor, "household.split", household, new_household=new.id, people=len(people))
    _audit(session, actor, "household.split_from", new, source=household.id)
    return new


def transfer(session: Session, actor: Actor, household: Household, camp: Camp) -> None:
    """Move the household to another camp: its number stays (numbers never change)."""
    if camp.id == household.camp_id:
        raise UserValueError(_("Choose another camp."), field="camp_id")
    source = household.camp_id
    household_left.send(household, session=session, actor=actor, reason="transferred")
    household.camp_id = camp.id
    log_action(
        session,
        actor,
        "household.transfer",
        object_type="household",
        object_id=household.id,
        camp_id=camp.id,
        details={"from_camp": source, "to_camp": camp.id},
    )


def set_status(session: Session, actor: Actor, household: Household, status: str, today: date | None = None) -> None:
    """Record a departure or inactivity of the whole household, or reactivate it.

    Leaving dates the status (camp-local ``today``): the retention period before anonymisation starts then.
    """
    if status not in ("active", "departed", "inactive"):
        raise UserValueError(_("Choose a status."), field="status")
    if status == "active" and not household.active_members:
        raise UserValueError(_("Add or restore a member before reactivating."))
    if status == "active" and household.anonymised_at is not None:
        raise UserValueError(_("This household was anonymised: register the family again."))
    if status != household.status:
        household.status_date = None if status == "active" else (today or camp_today())
    household.status = status
    if status != "active":
        household_left.send(household, session=session, actor=actor, reason=status)
    _audit(session, actor, f"household.{'reactivate' if status == 'active' else status}", household)


__all__ = [
    "HOUSEHOLD_FIELDS",
    "add_member",
    "change_head",
    "end_membership",
    "move_person",
    "set_status",
    "split_household",
    "transfer",
    "update_household",
    "update_person",
]
