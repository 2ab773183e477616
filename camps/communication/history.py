"""What was sent, to how many households, through which channel, and what the channel's outbox reports.

Delivered and failed counts come from the SMS outbox when that channel is installed: each outbox
row names the send it belongs to. Printing and the notice board have no delivery to report.
"""
from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.users.models import User
from camps.communication.models import Message, MessageSend
from camps.sites.services import scope_to_user


def sends_query(user, camp_id: int | None = None) -> Select:
    query = scope_to_user(select(MessageSend).join(Message, Message.id == MessageSend.message_id), user,
                          Message.camp_id)
    if camp_id:
        query = query.where(Message.camp_id == camp_id)
    return query.order_by(MessageSend.sent_at.desc(), MessageSend.id.desc())


def messages_of(session: Session, sends: list[MessageSend]) -> dict[int, Message]:
    ids = {s.message_id for s in sends}
    return {m.id: m for m in session.scalars(select(Message).where(Message.id.in_(ids)))} if ids else {}


def _outbox():
    """The SMS outbox model and its columns (send id, status), when the SMS channel is installed."""
    try:
        from camps.communication.sms import models as sms_models
    except ImportError:
        return None
    for name in ('OutboxMessage', 'SmsOutbox', 'Outbox', 'OutboundSms', 'SmsMessage'):
        model = getattr(sms_models, name, None)
        if model is None:
            continue
        columns = model.__table__.c
        send_column = next((columns[c] for c in ('send_id', 'message_send_id') if c in columns), None)
        if send_column is not None and 'status' in columns:
            return send_column, columns['status']
    return None


DELIVERED = ('delivered',)
FAILED = ('failed', 'rejected', 'undeliverable', 'expired')


def delivery(session: Session, sends: list[MessageSend]) -> dict[int, dict[str, int]]:
    """send id -> {'delivered': n, 'failed': n, 'pending': n} from the outbox (empty without one)."""
    outbox = _outbox()
    ids = [s.id for s in sends if s.channel != 'print']
    if outbox is None or not ids:
        return {}
    send_column, status = outbox
    result: dict[int, dict[str, int]] = {}
    for send_id, state, count in session.execute(select(send_column, status, func.count())
                                                 .where(send_column.in_(ids)).group_by(send_column, status)):
        bucket = 'delivered' if state in DELIVERED else 'failed' if state in FAILED else 'pending'
        counts = result.setdefault(send_id, {'delivered': 0, 'failed': 0, 'pending': 0})
        counts[bucket] += count
    return result


def totals(session: Session, user, camp_id: int | None = None) -> list[tuple[str, int, int]]:
    """Per channel: sendings and households queued, in the user's camps."""
    query = scope_to_user(select(MessageSend.channel, func.count(), func.coalesce(func.sum(MessageSend.queued), 0))
                          .join(Message, Message.id == MessageSend.message_id), user, Message.camp_id)
    if camp_id:
        query = query.where(Message.camp_id == camp_id)
    return [tuple(row) for row in session.execute(query.group_by(MessageSend.channel).order_by(MessageSend.channel))]


def user_names(session: Session, message: Message) -> dict[int, str]:
    ids = {message.created_by_id, message.updated_by_id, message.approved_by_id} - {None}
    ids |= {s.sent_by_id for s in session.scalars(select(MessageSend).where(MessageSend.message_id == message.id))}
    ids.discard(None)
    return dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}
