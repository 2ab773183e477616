"""What was sent, to how many households, through which channel, and what the channel's outbox reports.

Delivered and failed counts come from the SMS outbox when that channel is installed: each outbox
row names the send it belongs to. Printing and the notice board have no delivery to report.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.scoping import scope_to_user
from app.users.models import User
from camps.communication.models import Message, MessageSend


def sends_query(user, camp_id: int | None = None) -> Select:
    query = scope_to_user(
        select(MessageSend).join(Message, Message.id == MessageSend.message_id), user, Message.camp_id
    )
    if camp_id:
        query = query.where(Message.camp_id == camp_id)
    return query.order_by(MessageSend.sent_at.desc(), MessageSend.id.desc())


def messages_of(session: Session, sends: list[MessageSend]) -> dict[int, Message]:
    ids = {s.message_id for s in sends}
    return {m.id: m for m in session.scalars(select(Message).where(Message.id.in_(ids)))} if ids else {}


def _outbox():
    """The SMS outbox model when the SMS channel is installed (one row per message and household)."""
    try:
        from camps.communication.sms.models import SmsOutbox
    except ImportError:
        return None
    return SmsOutbox


DELIVERED = ("delivered",)
FAILED = ("failed",)


def delivery(session: Session, sends: list[MessageSend]) -> dict[int, dict[str, int]]:
    """SMS send id -> {'delivered': n, 'failed': n, 'pending': n}, read from the outbox.

    The outbox queues a household once per message; each row is counted against the first SMS
    sending of its message made when (or just after) the row was queued.
    """
    outbox = _outbox()
    sms = [s for s in sends if s.channel == "sms"]
    if outbox is None or not sms:
        return {}
    message_ids = {s.message_id for s in sms}
    every = list(
        session.scalars(
            select(MessageSend)
            .where(MessageSend.message_id.in_(message_ids), MessageSend.channel == "sms")
            .order_by(MessageSend.sent_at, MessageSend.id)
        )
    )
    wanted = {s.id for s in sms}
    result: dict[int, dict[str, int]] = {s.id: {"delivered": 0, "failed": 0, "pending": 0} for s in sms}
    rows = session.execute(
        select(outbox.message_id, outbox.queued_at, outbox.status, func.count())
        .where(outbox.message_id.in_(message_ids))
        .group_by(outbox.message_id, outbox.queued_at, outbox.status)
    )
    for message_id, queued_at, state, count in rows:
        candidates = [s for s in every if s.message_id == message_id]
        owner = next((s for s in candidates if s.sent_at >= queued_at), candidates[-1] if candidates else None)
        if owner is None or owner.id not in wanted:
            continue
        bucket = "delivered" if state in DELIVERED else "failed" if state in FAILED else "pending"
        result[owner.id][bucket] += count
    return result


def totals(session: Session, user, camp_id: int | None = None) -> list[tuple[str, int, int]]:
    """Per channel: sendings and households queued, in the user's camps."""
    query = scope_to_user(
        select(MessageSend.channel, func.count(), func.coalesce(func.sum(MessageSend.queued), 0)).join(
            Message, Message.id == MessageSend.message_id
        ),
        user,
        Message.camp_id,
    )
    if camp_id:
        query = query.where(Message.camp_id == camp_id)
    return [tuple(row) for row in session.execute(query.group_by(MessageSend.channel).order_by(MessageSend.channel))]


def user_names(session: Session, message: Message) -> dict[int, str]:
    ids = {message.created_by_id, message.updated_by_id, message.approved_by_id} - {None}
    ids |= {s.sent_by_id for s in session.scalars(select(MessageSend).where(MessageSend.message_id == message.id))}
    ids.discard(None)
    return dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
