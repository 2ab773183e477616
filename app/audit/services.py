"""``log_action``: the one helper every service calls to write the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import has_request_context, request
from sqlalchemy import Select, String, and_, cast, or_, select
from sqlalchemy.orm import Session

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


def log_object(
    session: Session, actor: Actor | None, action: str, object_type: str, obj, *, camp_id: int | None = None, **details
) -> AuditEvent:
    """``log_action`` for one object with an ``id``: in its camp (``obj.camp_id`` unless ``camp_id`` is given),
    with ``details`` as keywords (identifiers and field names, never personal data)."""
    return log_action(
        session,
        actor,
        action,
        object_type=object_type,
        object_id=obj.id,
        camp_id=getattr(obj, "camp_id", None) if camp_id is None else camp_id,
        details=details,
    )


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


#: object types whose events only the holders of a permission read, and a query of the ids (``object_id``) of
#: the objects concerned; filled by the package that owns them (``camps.feedback.models``: sensitive cases)
RESTRICTED_EVENTS: dict[str, tuple[str, Callable[[], Select]]] = {}


def restrict_events(object_type: str, permission: str, hidden_ids: Callable[[], Select]) -> None:
    """Events about the objects ``hidden_ids()`` selects are for holders of ``permission`` only."""
    RESTRICTED_EVENTS[object_type] = (permission, hidden_ids)


def visible_to(query: Select, user) -> Select:
    """Only the events ``user`` may read.

    An all-camps administrator reads them all; a camp administrator those of its camps, and those
    without a camp that were done by or to the accounts it manages (their sign-ins, its own acts).
    Events about a sensitive feedback case (its creation, every read and step) are for protection
    officers only: even their type, author and time would tell that the case exists (:data:`RESTRICTED_EVENTS`).
    """
    from app.users.models import User, managed_by

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
    for object_type, (permission, hidden_ids) in RESTRICTED_EVENTS.items():
        if not user.can(permission):
            query = query.where(
                or_(
                    AuditEvent.object_type.is_(None),
                    AuditEvent.object_type != object_type,
                    AuditEvent.object_id.not_in(hidden_ids()),
                )
            )
    return query
