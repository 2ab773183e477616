"""The subject access report: everything held about a household, for the family to keep.

Every value is read here into plain rows (no lazy loading in the template). Phones, tazkira numbers
and protection codes follow the one rule of ``app.visibility`` (restricted needs codes only for
``protection.view``);
sensitive feedback cases are listed, without their content, only for ``feedback.view_sensitive``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app import permissions as P
from app import visibility
from app.audit.models import AuditEvent
from app.audit.services import log_action
from app.campday import camp_today
from app.db import utcnow
from app.users.models import User
from camps.allocation import services as allocation
from camps.allocation.models import END_REASONS
from camps.distributions.models import COLLECTORS, AlternateCollector, Collection, DistributionRound
from camps.feedback import models as feedback
from registration import needs
from registration.cards.models import CARD_STATUSES
from registration.cards.services import household_cards
from registration.gazetteer import CROSSING_NAMES, province_title
from registration.households import history
from registration.households.models import (
    BIRTH_PRECISIONS,
    HOUSEHOLD_STATUSES,
    LANGUAGES,
    MARITAL_STATUSES,
    PERSON_STATUSES,
    RELATIONSHIPS,
    SEXES,
    Household,
    Person,
)
from registration.households.services import people_with_photos
from registration.subject import labels as T
from registration.subject.labels import Label, both

#: the report's own audit action; views of the record ('household.view') are not history
ACTION = "household.subject_report"
NAME_FIELDS = (
    ("given_name", T.GIVEN_NAME),
    ("father_name", T.FATHER_NAME),
    ("grandfather_name", T.GRANDFATHER_NAME),
    ("family_name", T.FAMILY_NAME),
)

Value = str | Label


@dataclass
class NameRow:
    label: Label
    latin: str | None
    original: str | None


@dataclass
class MemberEntry:
    seq: int
    names: list[NameRow]
    facts: list[tuple[Label, Value]]
    needs: list[Label]
    has_photo: bool


@dataclass
class CaseEntry:
    reference: str
    received_on: date
    status: Value
    sensitive: bool
    type: Value | None = None
    sector: Value | None = None
    description: str | None = None
    response: str | None = None


@dataclass
class SubjectReport:
    number: str
    camp_code: str
    household: list[tuple[Label, Value]]
    members: list[MemberEntry]
    cards: list[dict]
    stays: list[dict]
    collections: list[dict]
    alternates: list[dict]
    cases: list[CaseEntry]
    history: list[dict]
    printed_at: datetime
    printed_by: str
    #: something was left out for lack of permission (the page always shows the neutral line)
    withheld: bool = False
    #: restricted protection data is on this report (the staff screen warns before handing it over)
    protection_shown: bool = False


def _title(titles: dict, code: str | None) -> Value:
    if not code:
        return T.NOT_RECORDED
    return both(titles[code]) if code in titles else code


def _household_rows(household: Household, actor: User) -> list[tuple[Label, Value]]:
    consents: dict[bool | None, Label] = {True: T.AGREED, False: T.REFUSED}
    consent: Value = consents.get(household.consent, T.NOT_RECORDED)
    if household.consent_at:
        consent = f"{consent} · {household.consent_at:%Y-%m-%d}"
    origin = province_title(household.origin_province)
    rows = [
        (T.NUMBER, household.number),
        (T.CAMP, f"{household.camp.code} · {household.camp.name}"),
        (T.STATUS, _title(HOUSEHOLD_STATUSES, household.status)),
        (T.SIZE, str(household.size)),
        (T.ARRIVAL, household.arrival_date.isoformat()),
        (T.CROSSING, CROSSING_NAMES.get(household.crossing_point or "", household.crossing_point or T.NOT_RECORDED)),
        (T.ORIGIN, f"{origin} · {household.origin_district}" if household.origin_district else origin),
        *([(T.PHONE, household.phone or T.NONE)] if visibility.can_see(actor, visibility.PHONE) else []),
        (T.LANGUAGES, ", ".join(str(_title(LANGUAGES, c)) for c in household.language_list) or T.NOT_RECORDED),
        (T.CONSENT, consent),
        (T.REGISTERED, f"{household.registered_at:%Y-%m-%d}"),
    ]
    if household.status_date:
        rows.insert(3, (T.STATUS_DATE, household.status_date.isoformat()))
    if household.source_list:
        rows.append((T.SOURCE_LIST, household.source_list))
    if household.notes:
        rows.append((T.NOTES, household.notes))
    return rows


def _need(code: str) -> Label:
    if code not in needs.NEEDS:
        return Label(code, code)
    title = both(needs.NEEDS[code])
    return Label(f"{code} · {title.tg}", f"{code} · {title.en}")


def _member(person: Person, has_photo: bool, actor: User) -> tuple[MemberEntry, bool]:
    names = [NameRow(label, getattr(person, name), getattr(person, f"{name}_orig")) for name, label in NAME_FIELDS]
    status = _title(PERSON_STATUSES, person.status)
    if person.status_date:
        status = f"{status} · {person.status_date.isoformat()}"
    facts = [
        (T.SEX, _title(SEXES, person.sex)),
        (T.BIRTH, f"{person.birth_display} ({_title(BIRTH_PRECISIONS, person.birth_precision)})"),
        (T.RELATIONSHIP, _title(RELATIONSHIPS, person.relation_to_head)),
        (T.MARITAL, _title(MARITAL_STATUSES, person.marital_status)),
        (T.NATIONALITY, person.nationality),
        *([(T.TAZKIRA, person.tazkira or T.NONE)] if visibility.can_see(actor, visibility.TAZKIRA) else []),
        (T.STATUS, status),
        (T.PHOTO, T.PHOTO_HELD if has_photo else T.NO_PHOTO),
    ]
    shown = needs.shown_to(actor, person.need_codes)
    entry = MemberEntry(person.seq, names, facts, [_need(c) for c in shown], has_photo)
    return entry, len(shown) < len(person.need_codes)


def _cards(session: Session, household: Household) -> list[dict]:
    return [
        {"serial": c.serial, "issued": c.issued_on, "expires": c.expires_on, "status": _title(CARD_STATUSES, c.status)}
        for c in reversed(household_cards(session, household))
    ]


def _stays(session: Session, household: Household) -> list[dict]:
    stays = reversed(allocation.history(session, household_id=household.id))
    return [
        {
            "plot": s.plot.code,
            "from": camp_today(s.started_at),
            "until": camp_today(s.ended_at) if s.ended_at else None,
            "reason": _title(END_REASONS, s.end_reason) if s.end_reason else None,
        }
        for s in stays
    ]


def _collections(session: Session, household: Household) -> list[dict]:
    rows = session.scalars(
        select(Collection)
        .where(Collection.household_id == household.id)
        .options(selectinload(Collection.round).selectinload(DistributionRound.items))
        .order_by(Collection.collected_at, Collection.id)
    )
    return [
        {
            "round": c.round.name,
            "date": camp_today(c.collected_at),
            "point": c.point,
            "by": _title(COLLECTORS, c.collected_by),
            "items": ", ".join(f"{i.name} ({i.unit})" for i in c.round.items),
        }
        for c in rows
    ]


def _alternates(session: Session, household: Household) -> list[dict]:
    rows = session.scalars(
        select(AlternateCollector)
        .where(AlternateCollector.household_id == household.id)
        .order_by(AlternateCollector.id)
    )
    # the alternate's document number is a third person's identifier: not printed for this family
    return [
        {"name": a.name, "name_orig": a.name_orig, "relation": a.relation, "status": T.ACTIVE if a.active else T.ENDED}
        for a in rows
    ]


def _cases(session: Session, household: Household, can_sensitive: bool) -> tuple[list[CaseEntry], bool]:
    member_ids = [p.id for p in household.members]
    rows = list(
        session.scalars(
            select(feedback.FeedbackCase)
            .where(
                or_(feedback.FeedbackCase.household_id == household.id, feedback.FeedbackCase.person_id.in_(member_ids))
            )
            .order_by(feedback.FeedbackCase.received_on, feedback.FeedbackCase.id)
        )
    )
    cases = []
    for case in rows:
        status = _title(feedback.STATUSES, case.status)
        if case.sensitive:
            if can_sensitive:  # listed so the officer can discuss it in person; its content is never printed
                cases.append(CaseEntry(case.reference, case.received_on, status, True))
            continue
        cases.append(
            CaseEntry(
                case.reference,
                case.received_on,
                status,
                False,
                _title(feedback.TYPES, case.type),
                _title(feedback.SECTORS, case.sector),
                case.description,
                case.response,
            )
        )
    return cases, any(c.sensitive for c in rows) and not can_sensitive


def _action_title(event: AuditEvent) -> Label:
    if event.action in T.ACTIONS:
        title = T.ACTIONS[event.action]
    elif history.TITLES.get(event.action) is not None:
        title = both(history.TITLES[event.action])
    else:
        title = Label(event.action, event.action)
    details = event.details or {}
    extra = f" · {details['person']:02d}" if isinstance(details.get("person"), int) else ""
    if details.get("fields"):
        extra += f" ({', '.join(details['fields'])})"
    if details.get("card"):
        extra += f" · {details['card']}"
    return Label(title.tg + extra, title.en + extra)


def _history(session: Session, household: Household) -> list[dict]:
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.object_type == "household",
            AuditEvent.object_id == str(household.id),
            AuditEvent.action != "household.view",
        )
        .order_by(AuditEvent.id)
    )
    return [{"at": e.at, "who": e.username or "—", "what": _action_title(e)} for e in events]


def gather(session: Session, actor: User, household: Household) -> SubjectReport:
    """Read everything held about the household into a report, as ``actor`` may see it."""
    photos = people_with_photos(session, (p.id for p in household.members))
    members, withheld = [], False
    for person in household.members:
        entry, hidden = _member(person, person.id in photos, actor)
        members.append(entry)
        withheld |= hidden
    cases, hidden_cases = _cases(session, household, actor.can(P.FEEDBACK_SENSITIVE))
    shown_codes = [c for p in household.members for c in needs.shown_to(actor, p.need_codes)]
    return SubjectReport(
        number=household.number,
        camp_code=household.camp.code,
        household=_household_rows(household, actor),
        members=members,
        cards=_cards(session, household),
        stays=_stays(session, household),
        collections=_collections(session, household),
        alternates=_alternates(session, household),
        cases=cases,
        history=_history(session, household),
        printed_at=utcnow(),
        printed_by=getattr(actor, "username", "") or "",
        withheld=withheld or hidden_cases,
        protection_shown=any(needs.is_restricted(c) for c in shown_codes) or any(c.sensitive for c in cases),
    )


def subject_report(
    session: Session,
    actor: User,
    household: Household,
    *,
    audit_with: Callable[[Callable[[Session], object]], None] | None = None,
) -> SubjectReport:
    """Everything held about ``household`` as ``actor`` may see it; audited once (``household.subject_report``).

    The audit event goes into ``session``, or through ``audit_with`` (a reading request passes
    ``commit_aside`` so that the record of the print never depends on the page).
    """
    report = gather(session, actor, household)
    household_id, camp_id = household.id, household.camp_id

    def record(target: Session) -> None:
        log_action(target, actor, ACTION, object_type="household", object_id=household_id, camp_id=camp_id)

    (audit_with or (lambda write: write(session)))(record)
    return report
