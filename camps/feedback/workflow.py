"""A case's life after intake: acknowledge, work, refer, respond, tell the person, close.

A case closes only when the person was told the response (CHS 5, "closing the feedback loop"),
unless nobody can be told (anonymous). Every step leaves a CaseEvent and an audit entry; free
text (notes, responses) stays in the case's history, never in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import permissions as P
from app.audit.services import log_action
from app.db import utcnow
from app.errors import UserValueError, ValidationErrors
from app.users.actors import Actor, is_system
from app.users.models import User
from camps.feedback.models import CLOSING_OUTCOMES, CaseEvent, FeedbackCase
from camps.sites.services import camp_today

OPEN = ("new", "acknowledged", "in_progress", "referred")
MAX_TEXT = 5000
MAX_SHORT = 120

#: transition action -> CaseEvent.action
EVENT_NAMES = {
    "acknowledge": "acknowledged",
    "start": "in_progress",
    "refer": "referred",
    "respond": "responded",
    "communicate": "communicated",
    "close": "closed",
    "reopen": "reopened",
    "assign": "assigned",
    "note": "note",
    "translate": "translated",
}


#: camps are in Tajikistan (UTC+5, no summer time): "today" and a day's start are the camp's
def _text(data: dict, key: str, limit: int, message: str) -> str:
    value = data.get(key)
    value = value.strip() if isinstance(value, str) else ""
    if not value or len(value) > limit:
        raise UserValueError(message, field=key)
    return value


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _may_close_unanswered(case: FeedbackCase) -> bool:
    """Anonymous cases and appreciation need no response before they close."""
    return case.anonymous or case.type == "appreciation"


def _acknowledge(session, actor: Actor, case, data, now):
    if case.status != "new":
        raise UserValueError(_("Only a new case can be acknowledged."))
    return "acknowledged", None


def _start(session, actor: Actor, case, data, now):
    if case.status not in ("new", "acknowledged"):
        raise UserValueError(_("Work can start only on a new or acknowledged case."))
    return "in_progress", None


def _refer(session, actor: Actor, case, data, now):
    if case.status not in OPEN:
        raise UserValueError(_("Only an open case can be referred."))
    case.referred_to = _text(
        data, "referred_to", MAX_SHORT, _("Say who the case is referred to (at most %(n)d characters).", n=MAX_SHORT)
    )
    return "referred", case.referred_to


def _respond(session, actor: Actor, case, data, now):
    if case.status not in OPEN:
        raise UserValueError(_("Only an open case can be answered."))
    case.response = _text(data, "response", MAX_TEXT, _("Write the response (at most %(n)d characters).", n=MAX_TEXT))
    case.responded_at = now
    return "responded", case.response


def _communicate(session, actor: Actor, case, data, now):
    if case.status != "responded" and not (case.status in OPEN and _may_close_unanswered(case)):
        raise UserValueError(_("Record the response first, then how the person was told."))
    how = _text(
        data,
        "how",
        MAX_SHORT,
        _("Say how the person was told, e.g. “by phone” (at most %(n)d characters).", n=MAX_SHORT),
    )
    when = data.get("when")
    if isinstance(when, date) and not isinstance(when, datetime):
        # a day: today means now, an earlier day its start in UTC (a day to come is refused below)
        when = None if when == camp_today(now) else datetime.combine(when, time())
    if when is None:
        when = now
    elif not isinstance(when, datetime):
        raise UserValueError(_("Give the date and time the person was told."), field="when")
    when = _naive_utc(when)
    if when > now:
        raise UserValueError(_("This is in the future."), field="when")
    case.communicated_at, case.communicated_how = when, how
    return case.status, how


def _close(session, actor: Actor, case, data, now):
    if case.status == "closed":
        raise UserValueError(_("The case is already closed."))
    if case.sensitive:
        return _close_sensitive(case, data, now)
    if case.status != "responded" and not (case.status in OPEN and _may_close_unanswered(case)):
        raise UserValueError(_("Record the response before closing the case."))
    if case.communicated_at is None and not case.anonymous:
        raise UserValueError(_("The person has not been told the response yet: record how and when first."))
    case.closed_at = now
    return "closed", _optional_note(data)


def _close_sensitive(case, data, now):
    """A sensitive case closes only with its outcome said (to whom it went, what was answered, or that
    the person could not be reached) and confirmed: one stray click must not end a protection case."""
    errors = ValidationErrors.collect()
    outcome = data.get("outcome")
    if outcome not in CLOSING_OUTCOMES:
        errors.add("outcome", _("Choose how the case ended."))
    detail = data.get("detail")
    detail = detail.strip() if isinstance(detail, str) else ""
    if outcome in CLOSING_OUTCOMES and not detail:
        errors.add("detail", _OUTCOME_DETAIL_MISSING[outcome]())
    elif len(detail) > MAX_TEXT:
        errors.add("detail", _("At most %(n)d characters.", n=MAX_TEXT))
    if outcome == "referred" and len(detail) > MAX_SHORT and not case.referred_to:
        errors.add("detail", _("Say who the case is referred to (at most %(n)d characters).", n=MAX_SHORT))
    if outcome == "responded" and not case.anonymous and case.communicated_at is None:
        errors.add("outcome", _("The person has not been told the response yet: record how and when first."))
    if not data.get("confirm"):
        errors.add("confirm", _("Confirm that the case is finished."))
    errors.raise_if_any()
    if outcome == "referred" and not case.referred_to:
        case.referred_to = detail
    if outcome == "responded" and not case.response:
        case.response, case.responded_at = detail, now
    case.closing_outcome = outcome
    case.closed_at = now
    return "closed", detail


#: what the detail of each outcome must say (lazily: messages are in the reader's language)
_OUTCOME_DETAIL_MISSING = {
    "referred": lambda: _("Say who the case was referred to."),
    "responded": lambda: _("Say what the person was told."),
    "unreachable": lambda: _("Say how and when you tried to reach the person."),
}


def _translate(session, actor: Actor, case, data, now):
    text = data.get("translation")
    text = text.strip() if isinstance(text, str) else ""
    if len(text) > MAX_TEXT:
        raise UserValueError(_("At most %(n)d characters.", n=MAX_TEXT), field="translation")
    case.translation = text or None
    return case.status, None


def _reopen(session, actor: Actor, case, data, now):
    if case.status != "closed":
        raise UserValueError(_("Only a closed case can be reopened."))
    note = _text(data, "note", MAX_TEXT, _("Say why the case is reopened."))
    # the new answer must reach the person again before the case closes
    case.closed_at = case.communicated_at = case.communicated_how = case.closing_outcome = None
    return "in_progress", note


def _assign(session, actor: Actor, case, data, now):
    if case.status == "closed":
        raise UserValueError(_("Reopen the case before assigning it."))
    owner_id = data.get("owner_id")
    if owner_id in (None, ""):
        case.owner_id = None
        return case.status, None
    try:
        owner = session.get(User, int(owner_id))
    except (TypeError, ValueError):
        owner = None
    if owner is None or not owner.active or not owner.can(P.FEEDBACK_MANAGE) or not owner.can_access_camp(case.camp_id):
        raise UserValueError(_("Choose a feedback officer who works in this camp."), field="owner_id")
    if case.sensitive and not owner.can(P.FEEDBACK_SENSITIVE):
        raise UserValueError(_("A sensitive case can be assigned only to a protection officer."), field="owner_id")
    case.owner_id = owner.id
    return case.status, owner.full_name


def _note(session, actor: Actor, case, data, now):
    return case.status, _text(data, "note", MAX_TEXT, _("Write the note (at most %(n)d characters).", n=MAX_TEXT))


def _optional_note(data: dict) -> str | None:
    note = data.get("note")
    if not isinstance(note, str) or not note.strip():
        return None
    return note.strip()[:MAX_TEXT]


_STEPS: dict[str, Callable] = {
    "acknowledge": _acknowledge,
    "start": _start,
    "refer": _refer,
    "respond": _respond,
    "communicate": _communicate,
    "close": _close,
    "reopen": _reopen,
    "assign": _assign,
    "note": _note,
    "translate": _translate,
}


def transition(
    session: Session,
    actor: Actor,
    case: FeedbackCase,
    action: str,
    data: dict | None = None,
    *,
    now: datetime | None = None,
) -> CaseEvent:
    """Apply one step to a case, record it in the case's history and the audit log."""
    if action not in _STEPS:
        raise UserValueError(_("Unknown action."))
    if case.sensitive and not is_system(actor) and not actor.can(P.FEEDBACK_SENSITIVE):
        raise UserValueError(_("Only protection officers may act on sensitive cases."))
    now = now or utcnow()
    before = case.status
    after, note = _STEPS[action](session, actor, case, data or {}, now)
    case.status = after
    case.updated_at = now
    event = CaseEvent(
        case_id=case.id,
        at=now,
        actor_id=getattr(actor, "id", None),
        action=EVENT_NAMES[action],
        from_status=before,
        to_status=after,
        note=note,
    )
    session.add(event)
    session.flush()
    details = {"from": before, "to": after}
    if action == "assign":
        details["owner"] = case.owner_id
    if action == "close" and case.closing_outcome:
        details["outcome"] = case.closing_outcome
    log_action(
        session,
        actor,
        f"feedback.{action}",
        object_type="feedback_case",
        object_id=case.reference,
        camp_id=case.camp_id,
        details=details,
    )
    return event


def available_actions(case: FeedbackCase) -> list[str]:
    """The steps that make sense for the case now (for buttons); ``transition`` checks again."""
    if case.status == "closed":
        return ["reopen", "translate", "note"]
    actions = []
    if case.status == "new":
        actions.append("acknowledge")
    if case.status in ("new", "acknowledged"):
        actions.append("start")
    if case.status in OPEN:
        actions += ["refer", "respond"]
    if case.status == "responded" or _may_close_unanswered(case):
        actions.append("communicate")
    if (
        case.sensitive
        or (case.status == "responded" or _may_close_unanswered(case))
        and (case.communicated_at is not None or case.anonymous)
    ):
        actions.append("close")  # a sensitive case's close form asks for its outcome
    return actions + ["assign", "translate", "note"]


def case_history(session: Session, case: FeedbackCase) -> list[CaseEvent]:
    """The case's events, oldest first."""
    return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
