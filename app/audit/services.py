"""``log_action``: the one helper every service calls to write the audit log."""

from __future__ import annotations

from datetime import datetime

from flask import has_request_context, request
from sqlalchemy import Select, String, and_, cast, or_, select
from sqlalchemy.orm import Session

from app import permissions as P
from app.audit.models import AuditEvent
from app.users.actors import Actor, is_system


def _origin() -> str:
    if has_request_context():
        return request.remote_addr or "unknown"
    return "cli"


def log_action(
    session: Session,
    actor: Actor | None,
    action: str,
    *,
    object_type: str | None = None,
    object_id: object = None,
    camp_id: int | None = None,
    details: dict | None = None,
    username: str | None = None,
) -> AuditEvent:
    """Append one audit event. ``details`` holds identifiers and field names, never personal data.

    ``actor`` is ``None`` when nobody is signed in (a failed sign-in); ``SYSTEM`` is recorded the same
    way: no user, and ``cli`` as the username outside a request."""
    user = None if is_system(actor) else actor
    event = AuditEvent(
        user_id=None if user is None else user.id,
        username=username or (None if user is None else user.username) or (None if has_request_context() else "cli"),
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        camp_id=camp_id,
        ip=_origin(),
        details=details or None,
    )
    session.add(event)
    return event


def search_events(
    *,
    username: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    camp_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select:
    """A newest-first query over the audit log with the given filters."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if username:
        query = query.where(AuditEvent.username == username)
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if camp_id:
        query = query.where(AuditEvent.camp_id == camp_id)
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    return query


def visible_to(query: Select, user) -> Select:
    """Only the events ``user`` may read.

    An all-camps administrator reads them all; a camp administrator those of its camps, and those
    without a camp that were done by or to the accounts it manages (their sign-ins, its own acts).
    Events about a sensitive feedback case (its creation, every read and step) are for protection
    officers only: even their type, author and time would tell that the case exists.
    """
    from app.users.models import User, managed_by
    from camps.feedback.models import FeedbackCase

    if not user.all_camps:
        staff = managed_by(user)
        about_staff = and_(
            AuditEvent.object_type == "user", AuditEvent.object_id.in_(select(cast(User.id, String)).where(staff))
        )
        by_staff = AuditEvent.user_id.in_(select(User.id).where(staff))
        query = query.where(
            or_(
                AuditEvent.camp_id.in_(sorted(user.camp_ids)),
                and_(AuditEvent.camp_id.is_(None), or_(by_staff, about_staff)),
            )
        )
    if not user.can(P.FEEDBACK_SENSITIVE):
        sensitive = select(FeedbackCase.reference).where(FeedbackCase.sensitive.is_(True))
        query = query.where(
            or_(
                AuditEvent.object_type.is_(None),
                AuditEvent.object_type != "feedback_case",
                AuditEvent.object_id.not_in(sensitive),
            )
        )
    return query
