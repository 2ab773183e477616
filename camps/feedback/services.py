"""Feedback cases: intake, who sees which case, due dates; the workflow and kiosks live beside it.

Sensitive cases (type ``sensitive``) are read only by holders of ``feedback.view_sensitive``:
every query here filters them out for everybody else, and every read of one is audited.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, select
from sqlalchemy import case as when_then
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app import permissions as P
from app.audit.services import log_action
from app.campday import camp_midnight_utc
from app.db import commit_aside, utcnow
from app.errors import ValidationErrors
from app.scoping import scope_to_user
from app.users.actors import Actor, is_system
from app.users.models import User
from camps.feedback.kiosks import (
    create_kiosk,
    kiosk_allows,
    kiosk_for_secret,
    reset_kiosk_limits,
    revoke_kiosk,
    visible_kiosks,
)
from camps.feedback.models import (
    CHANNELS,
    LANGUAGES,
    SECTORS,
    SENSITIVE_CATEGORIES,
    TYPES,
    CaseEvent,
    FeedbackCase,
    FeedbackCounter,
    Kiosk,
)
from camps.feedback.workflow import available_actions, case_history, transition
from camps.sites.models import Camp
from camps.sites.services import camp_today
from registration.households.models import Household
from registration.households.numbers import is_valid, normalise
from registration.households.services import household_for_user

__all__ = [  # the feedback services in one place: intake and reading here, workflow and kiosks beside
    "alert_hours",
    "assignable_users",
    "available_actions",
    "camp_today",
    "case_for_user",
    "case_history",
    "create_kiosk",
    "due_hours",
    "intake",
    "is_due_soon",
    "is_overdue",
    "kiosk_allows",
    "kiosk_for_secret",
    "my_cases",
    "reset_kiosk_limits",
    "revoke_kiosk",
    "sensitive_alert_count",
    "transition",
    "type_label",
    "user_names",
    "visible_cases",
    "visible_kiosks",
]

#: hours from receipt to the target response, by type (standards.md §3); FEEDBACK_DUE_HOURS overrides
DUE_HOURS = {
    "sensitive": 72,
    "complaint": 30 * 24,
    "assistance_request": 30 * 24,
    "suggestion": 30 * 24,
    "rumour": 30 * 24,
    "information_request": 7 * 24,
    "appreciation": 7 * 24,
}
DONE = ("responded", "closed")
#: hours before a sensitive case's due time (72 h from receipt) that protection officers are alerted
ALERT_HOURS = 24
#: a kiosk's person names no category: "something serious or about staff behaviour" (protection re-reads it)
KIOSK_SENSITIVE_CATEGORY = "misconduct"
DESCRIPTION_MIN, DESCRIPTION_MAX, CONTACT_MAX = 2, 5000, 120
#: a sensitive case's reference: a letter, then letters and digits that cannot be misread (no 0/O, 1/I/L, 2/Z, 5/S)
_LETTERS = "ABCDEFGHJKMNPQRTUVWXY"
_SYMBOLS = _LETTERS + "346789"


def due_hours(type: str) -> int:
    """Hours allowed to respond to a case of this type (app config ``FEEDBACK_DUE_HOURS`` wins)."""
    hours = dict(DUE_HOURS)
    if has_app_context():
        hours.update(current_app.config.get("FEEDBACK_DUE_HOURS") or {})
    return int(hours.get(type, DUE_HOURS["complaint"]))


def _received_at(received_on: date, now: datetime) -> datetime:
    """When the case was received: now if today, else the start of that day in the camp (UTC)."""
    if received_on >= camp_today(now):
        return now
    return camp_midnight_utc(received_on)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def is_overdue(case: FeedbackCase, now: datetime | None = None) -> bool:
    return case.status not in DONE and case.due_at < (now or utcnow())


def _overdue_clause(now: datetime):
    return and_(FeedbackCase.status.not_in(DONE), FeedbackCase.due_at < now)


def alert_hours() -> int:
    """How long before its due time an open sensitive case is flagged to protection officers."""
    hours = current_app.config.get("FEEDBACK_ALERT_HOURS") if has_app_context() else None
    return int(hours or ALERT_HOURS)


def _due_soon_clause(now: datetime):
    """Open sensitive cases that are overdue or due within ``alert_hours``."""
    return and_(
        FeedbackCase.sensitive.is_(True),
        FeedbackCase.status.not_in(DONE),
        FeedbackCase.due_at < now + timedelta(hours=alert_hours()),
    )


def is_due_soon(case: FeedbackCase, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return case.sensitive and case.status not in DONE and case.due_at < now + timedelta(hours=alert_hours())


def sensitive_alert_count(session: Session, user, now: datetime | None = None) -> int:
    """For a protection officer's menu badge: their camps' sensitive cases due soon or overdue (else 0)."""
    if not user.can(P.FEEDBACK_SENSITIVE):
        return 0
    query = scope_to_user(select(func.count()).select_from(FeedbackCase), user, FeedbackCase.camp_id)
    return session.scalar(query.where(_due_soon_clause(now or utcnow()))) or 0


# --- intake ----------------------------------------------------------------------------------


def _choice(errors, data: dict, key: str, choices: dict, message: str) -> str | None:
    value = data.get(key)
    if value not in choices:
        errors.add(key, message)
        return None
    return value


def _household(session: Session, actor: Actor, errors, number: str) -> Household | None:
    number = normalise(number)
    if not is_valid(number):
        errors.add("household", _("This is not a household number, e.g. KHR-000123-X."))
        return None
    if is_system(actor):  # command line: every camp
        household = session.scalar(select(Household).where(Household.number == number))
    else:
        household = household_for_user(session, actor, number, audit=False)
    if household is None:
        errors.add("household", _("No household with this number in your camps."))
    return household


def _person_id(errors, household: Household | None, seq) -> int | None:
    if household is None:
        errors.add("person_seq", _("Give the household number as well."))
        return None
    try:
        seq = int(seq)
    except (TypeError, ValueError):
        seq = None
    person = next((p for p in household.members if p.seq == seq), None)
    if person is None:
        errors.add("person_seq", _("No member with this number in the household."))
        return None
    return person.id


def _received_on(errors, value, now: datetime) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        errors.add("received_on", _("Enter the day the feedback was received."))
        return None
    today = camp_today(now)
    if value > today:
        errors.add("received_on", _("This is in the future."))
    elif value < _year_before(today):
        errors.add("received_on", _("This is more than a year ago."))
    return value


def _clean(session: Session, actor: Actor, data: dict, kiosk: Kiosk | None, now: datetime) -> dict:
    """Check the intake fields; every problem is reported next to its field."""
    errors = ValidationErrors.collect()
    description = data.get("description")
    description = description.strip() if isinstance(description, str) else ""
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        errors.add(
            "description",
            _("Describe the feedback (%(low)d to %(high)d characters).", low=DESCRIPTION_MIN, high=DESCRIPTION_MAX),
        )
    translation = data.get("translation") if kiosk is None else None
    translation = translation.strip() if isinstance(translation, str) else ""
    if len(translation) > DESCRIPTION_MAX:
        errors.add("translation", _("At most %(n)d characters.", n=DESCRIPTION_MAX))
    if kiosk is not None:
        channel = "kiosk"
    elif data.get("channel") == "kiosk":
        channel = None
        errors.add("channel", _("Only a help-desk tablet records feedback by kiosk."))
    else:
        channel = _choice(errors, data, "channel", CHANNELS, _("Choose how the feedback came in."))
    received = data.get("received_on") or (camp_today(now) if kiosk is not None else None)
    received_on = _received_on(errors, received, now)
    type_ = _choice(errors, data, "type", TYPES, _("Choose a type."))
    if kiosk is not None:
        category = KIOSK_SENSITIVE_CATEGORY if type_ == "sensitive" else None
    else:
        category = data.get("sensitive_category") or None
    if type_ == "sensitive" and category not in SENSITIVE_CATEGORIES:
        errors.add("sensitive_category", _("Choose what the sensitive complaint is about."))
    elif type_ != "sensitive" and category is not None:
        # never let an allegation slip into the general lists by a wrong type
        errors.add(
            "sensitive_category",
            _(
                "A category is only for a sensitive complaint: choose the type "
                "“Sensitive complaint” or clear the category."
            ),
        )
    sector = _choice(errors, data, "sector", SECTORS, _("Choose a sector."))
    language = _choice(errors, data, "language", LANGUAGES, _("Choose the language the person used."))

    asked = bool(data.get("consent_to_contact"))
    # at a kiosk nobody can be told the answer unless they asked to be contacted
    anonymous = not asked if kiosk is not None else bool(data.get("anonymous"))
    consent = asked and not anonymous
    contact = data.get("contact")
    contact = contact.strip() if isinstance(contact, str) and not anonymous else ""
    if consent and not contact:
        errors.add("contact", _("Give a phone number or another way to reach the person."))
    elif contact and not consent:
        errors.add("contact", _("Keep contact details only when the person agrees to be contacted."))
    elif len(contact) > CONTACT_MAX:
        errors.add("contact", _("At most %(n)d characters.", n=CONTACT_MAX))

    household = person_id = None
    if kiosk is None and not anonymous:  # kiosk and anonymous cases never name a household
        number = data.get("household")
        if isinstance(number, str) and number.strip():
            household = _household(session, actor, errors, number)
        if data.get("person_seq") not in (None, ""):
            person_id = _person_id(errors, household, data.get("person_seq"))
    errors.raise_if_any()
    return {
        "channel": channel,
        "received_on": received_on,
        "type": type_,
        "sensitive": type_ == "sensitive",
        "sensitive_category": category,
        "sector": sector,
        "description": description,
        "translation": translation or None,
        "language": language,
        "household_id": household.id if household else None,
        "person_id": person_id,
        "anonymous": anonymous,
        "consent_to_contact": consent,
        "contact": contact or None,
    }


def intake(
    session: Session, actor: Actor, camp: Camp, data: dict, *, kiosk: Kiosk | None = None, now: datetime | None = None
) -> FeedbackCase:
    """Record a new case (at a desk, by phone, or from a kiosk) with its reference and due date."""
    if kiosk is not None and kiosk.camp_id != camp.id:
        raise ValueError("the kiosk belongs to another camp")
    now = now or utcnow()
    clean = _clean(session, actor, data, kiosk, now)
    case = FeedbackCase(
        reference=new_reference(session, camp, sensitive=clean["sensitive"]),
        camp_id=camp.id,
        status="new",
        due_at=_received_at(clean["received_on"], now) + timedelta(hours=due_hours(clean["type"])),
        created_by_id=getattr(actor, "id", None),
        kiosk_id=kiosk.id if kiosk else None,
        created_at=now,
        updated_at=now,
        **clean,
    )
    session.add(case)
    session.flush()
    session.add(
        CaseEvent(case_id=case.id, at=now, actor_id=getattr(actor, "id", None), action="created", to_status="new")
    )
    if kiosk is not None and not case.sensitive:
        # the administrators who see "last used" must not learn that (and when) a sensitive case was sent:
        # the audit log they read shows the tablet's other cases, so its last use follows only those
        kiosk.last_used_at = now
    session.flush()
    log_action(
        session,
        actor,
        "feedback.create",
        object_type="feedback_case",
        object_id=case.reference,
        camp_id=camp.id,
        details={"type": case.type, "channel": case.channel},
    )
    return case


def new_reference(session: Session, camp: Camp, *, sensitive: bool) -> str:
    """The next general case's reference in the camp (no gap: the counter row is updated in place, and
    rolled back with the case), or a random one for a sensitive case, outside that series."""
    if sensitive:
        while True:
            reference = f"FB-{camp.code}-{secrets.choice(_LETTERS)}" + "".join(
                secrets.choice(_SYMBOLS) for _ in range(5)
            )
            if session.scalar(select(FeedbackCase.id).where(FeedbackCase.reference == reference)) is None:
                return reference
    counters = FeedbackCounter.__table__
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    number = session.execute(
        dialect.insert(counters)
        .values(camp_id=camp.id, last=1)
        .on_conflict_do_update(index_elements=[counters.c.camp_id], set_={"last": counters.c.last + 1})
        .returning(counters.c.last)
    ).scalar_one()
    return f"FB-{camp.code}-{number:06d}"


# --- who sees what ---------------------------------------------------------------------------


def visible_cases(
    user,
    *,
    camp_id: int | None = None,
    status: str | None = None,
    type: str | None = None,
    sector: str | None = None,
    overdue: bool | None = None,
    due_soon: bool = False,
    now: datetime | None = None,
) -> Select:
    """Cases in the user's camps (sensitive ones only for protection), overdue first, then newest."""
    late = _overdue_clause(now or utcnow())
    query = scope_to_user(select(FeedbackCase), user, FeedbackCase.camp_id)
    if not user.can(P.FEEDBACK_SENSITIVE):
        query = query.where(FeedbackCase.sensitive.is_(False))
    if camp_id:
        query = query.where(FeedbackCase.camp_id == camp_id)
    if status:
        query = query.where(FeedbackCase.status == status)
    if type:
        query = query.where(FeedbackCase.type == type)
    if sector:
        query = query.where(FeedbackCase.sector == sector)
    if overdue is not None:
        query = query.where(late if overdue else ~late)
    if due_soon:
        query = query.where(_due_soon_clause(now or utcnow()))
    return query.order_by(when_then((late, 0), else_=1), FeedbackCase.received_on.desc(), FeedbackCase.id.desc())


def case_for_user(session: Session, user, reference: str, *, audit: bool = True) -> FeedbackCase | None:
    """The case if the user may read it (else None: answer 404); reading it is audited.

    Every read of a sensitive case is recorded, and so is a manager's read of any other case.
    """
    found = session.scalar(select(FeedbackCase).where(FeedbackCase.reference == (reference or "").strip().upper()))
    if found is None or not user.can_access_camp(found.camp_id):
        return None
    if found.sensitive and not user.can(P.FEEDBACK_SENSITIVE):
        return None
    if audit and (found.sensitive or user.can(P.FEEDBACK_MANAGE)):
        action = "feedback.view_sensitive" if found.sensitive else "feedback.view"
        reference_, camp_id = found.reference, found.camp_id
        commit_aside(
            lambda aside: log_action(
                aside, user, action, object_type="feedback_case", object_id=reference_, camp_id=camp_id
            )
        )
    return found


def my_cases(user) -> Select:
    """Cases the user logged, newest first (show sensitive ones only by ``type_label``)."""
    return select(FeedbackCase).where(FeedbackCase.created_by_id == user.id).order_by(FeedbackCase.id.desc())


def type_label(case: FeedbackCase, user) -> str:
    """The type as the user may see it: a sensitive case is only "handed over" to anyone else."""
    if case.sensitive and not user.can(P.FEEDBACK_SENSITIVE):
        return _("Sensitive case – handed over")
    return str(TYPES[case.type])


def user_names(session: Session, user_ids) -> dict[int, str]:
    """``{user id: full name}`` for these users (ids that are None are skipped)."""
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def assignable_users(session: Session, case: FeedbackCase) -> list[User]:
    """Active users who may own the case: feedback managers of its camp (protection if sensitive)."""
    needed = P.FEEDBACK_SENSITIVE if case.sensitive else P.FEEDBACK_MANAGE
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name, User.id))
    return [u for u in users if u.can(P.FEEDBACK_MANAGE) and u.can(needed) and u.can_access_camp(case.camp_id)]
