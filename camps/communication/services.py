"""Writing, checking and sending messages. Plain functions: a session, the acting user, flush only.

The audit log records what happened to a message (ids, purpose, channel, counts), never its text:
message texts are kept in the database only, not in any log.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.audit.services import log_action, log_object
from app.db import utcnow
from app.errors import UserValueError, ValidationErrors
from app.scoping import scope_to_user
from app.users.actors import Actor
from camps.communication import audience
from camps.communication.channels import ChannelPreview, load_channels
from camps.communication.models import (
    AUDIENCES,
    MESSAGE_LANGUAGES,
    PURPOSES,
    Message,
    MessageCase,
    MessageSend,
    MessageText,
)
from camps.distributions.models import DistributionRound
from camps.layout.models import Block, Sector
from camps.sites.models import Camp
from registration.households.models import Household
from registration.needs import NEEDS

TITLE_MAX = 120
#: long enough for a notice's paragraph; a poster in two languages side by side still reads in big type
TEXT_MAX = 600
FIELDS = ("title", "purpose", "audience", "audience_ids", "round_id", "household_id", "theme", "expires_on")


def _text_field(language: str) -> str:
    return "text_" + language.replace("-", "_")


def _clean(session: Session, camp: Camp, data: dict) -> tuple[dict, dict[str, str]]:
    """Check what the form sent; return the message's fields and its texts by language."""
    errors = ValidationErrors.collect()
    title = (data.get("title") or "").strip()
    if not title:
        errors.add("title", _("Give the message a short title for the staff lists."))
    elif len(title) > TITLE_MAX:
        errors.add("title", _("At most %(n)d characters.", n=TITLE_MAX))
    purpose = data.get("purpose")
    if purpose not in PURPOSES:
        errors.add("purpose", _("Choose what the message is for."))
    kind = data.get("audience")
    if kind not in AUDIENCES:
        errors.add("audience", _("Choose who the message is for."))
    fields: dict[str, Any] = {
        "title": title,
        "purpose": purpose,
        "audience": kind,
        "audience_ids": None,
        "round_id": None,
        "household_id": None,
        "theme": data.get("theme") or None,
        "expires_on": data.get("expires_on"),
    }
    parts = [p.strip().upper() for p in (data.get("audience_ids") or "").replace(",", " ").split() if p.strip()]
    if kind in ("sectors", "blocks"):
        model = Sector if kind == "sectors" else Block
        known = set(session.scalars(select(model.code).where(model.camp_id == camp.id, model.code.in_(parts))))
        unknown = [p for p in parts if p not in known]
        if not parts:
            errors.add("audience_ids", _("Name at least one sector or block, e.g. B01 B03."))
        elif unknown:
            errors.add("audience_ids", _("Not in this camp: %(codes)s.", codes=", ".join(unknown)))
        fields["audience_ids"] = " ".join(dict.fromkeys(parts))
    elif kind == "needs":
        unknown = [p for p in parts if p not in NEEDS]
        if not parts or unknown:
            errors.add("audience_ids", _("Give specific-needs codes, e.g. DS-PM."))
        fields["audience_ids"] = " ".join(dict.fromkeys(parts))
    elif kind == "round_not_served":
        round_ = session.get(DistributionRound, data.get("round_id") or 0)
        if round_ is None or round_.camp_id != camp.id:
            errors.add("round_id", _("Choose a distribution round of this camp."))
        else:
            fields["round_id"] = round_.id
    elif kind == "household":
        number = (data.get("household_number") or "").strip().upper()
        household = (
            session.scalar(select(Household).where(Household.number == number, Household.camp_id == camp.id))
            if number
            else None
        )
        if household is None:
            errors.add("household_number", _("No household of this camp has this number."))
        else:
            fields["household_id"] = household.id
    texts = {}
    for language in MESSAGE_LANGUAGES:
        text = (data.get(_text_field(language)) or "").strip()
        if len(text) > TEXT_MAX:
            errors.add(
                _text_field(language), _("At most %(n)d characters (this text has %(has)d).", n=TEXT_MAX, has=len(text))
            )
        elif text:
            texts[language] = text
    if not texts and not errors.errors.keys() & {_text_field(code) for code in MESSAGE_LANGUAGES}:
        errors.add(_text_field("fa-AF"), _("Write the text in at least one language."))
    expires_on = fields["expires_on"]
    if expires_on is not None and expires_on < date.today():
        errors.add("expires_on", _("This day has passed: choose a later one, or none."))
    errors.raise_if_any()
    return fields, texts


def _require_audience(session: Session, message: Message) -> int:
    size = audience.count(session, message)
    if size == 0:
        raise UserValueError(
            _("No household is in this audience today: check the sectors, blocks, needs or round."), field="audience"
        )
    return size


def _set_texts(message: Message, texts: dict[str, str]) -> None:
    current = {t.language: t for t in message.texts}
    for language, row in current.items():
        if language not in texts:
            message.texts.remove(row)
    for language, text in texts.items():
        if language in current:
            current[language].text = text
        else:
            message.texts.append(MessageText(language=language, text=text))


def _lock(session: Session, message: Message) -> None:
    """Read the message again under a row lock (PostgreSQL): an approval, an edit and a send of the same
    message at once each see what the other committed (SQLite's write transactions are serial already)."""
    session.flush()  # (changes of this transaction are kept)
    session.refresh(message, with_for_update=True)


def create_message(session: Session, actor: Actor, camp: Camp, data: dict) -> Message:
    """Write a message (a draft until a second person approves it)."""
    fields, texts = _clean(session, camp, data)
    message = Message(
        camp_id=camp.id,
        public_id=secrets.token_urlsafe(12),
        status="draft",
        version=1,
        created_by_id=actor.id,
        updated_by_id=actor.id,
        **fields,
    )
    _set_texts(message, texts)
    session.add(message)
    session.flush()
    _require_audience(session, message)
    log_object(
        session,
        actor,
        "message.create",
        "message",
        message,
        purpose=message.purpose,
        audience=message.audience,
        languages=message.languages,
    )
    return message


def update_message(session: Session, actor: Actor, message: Message, data: dict) -> Message:
    """Change a message; an approved one goes back to draft and needs approving again."""
    _lock(session, message)
    if message.status == "withdrawn":
        raise UserValueError(_("A withdrawn message cannot be changed; write a new one."))
    camp = session.get_one(Camp, message.camp_id)
    fields, texts = _clean(session, camp, data)
    for name, value in fields.items():
        setattr(message, name, value)
    _set_texts(message, texts)
    session.flush()
    _require_audience(session, message)
    voided = message.status == "approved"
    unqueued = _unqueue(session, message) if voided else 0
    message.version += 1
    message.status, message.approved_by_id, message.approved_at = "draft", None, None
    message.updated_by_id, message.updated_at = actor.id, utcnow()
    log_action(
        session,
        actor,
        "message.edit",
        object_type="message",
        object_id=message.id,
        camp_id=message.camp_id,
        details={
            "version": message.version,
            "approval_voided": voided,
            "languages": message.languages,
            "unqueued": unqueued,
        },
    )
    return message


def approve_message(session: Session, actor: Actor, message: Message, version: int) -> Message:
    """Approve the version the approver read; its author (or last editor) cannot approve it."""
    _lock(session, message)
    if message.status != "draft":
        raise UserValueError(_("Only a draft can be approved."))
    if version != message.version:
        raise UserValueError(_("The message was changed while you read it: read it again before approving."))
    if actor.id in (message.created_by_id, message.updated_by_id):
        raise UserValueError(_("A second person must check the message: you wrote or changed it."))
    _require_audience(session, message)
    if message.audience != "household":
        coverage = audience.coverage(session, message)
        readers = sum(n for code, n in coverage.items() if code in message.languages)
        if coverage and readers == 0 and sum(n for c, n in coverage.items() if c != audience.UNKNOWN):
            raise UserValueError(
                _(
                    "No household of the audience reads any of the languages this message is "
                    "written in: add a text in their language."
                )
            )
    message.status, message.approved_by_id, message.approved_at = "approved", actor.id, utcnow()
    log_object(session, actor, "message.approve", "message", message, version=message.version)
    return message


def withdraw_message(session: Session, actor: Actor, message: Message) -> None:
    """Take a message off the notice board; withdrawing twice does nothing."""
    _lock(session, message)
    if message.status != "withdrawn":
        message.status = "withdrawn"
        log_object(session, actor, "message.withdraw", "message", message, unqueued=_unqueue(session, message))


def _unqueue(session: Session, message: Message) -> int:
    """Take back what channels queued for the message and have not sent yet: it is no longer approved."""
    return sum(ch.unqueue(session, message.id) for ch in load_channels().values() if hasattr(ch, "unqueue"))


def channel(name: str):
    channels = load_channels()
    if name not in channels:
        raise UserValueError(_("This channel is not set up on this server."))
    return channels[name]


def available_channels() -> list[str]:
    return sorted(load_channels())


def preview(session: Session, message: Message, channel_name: str) -> ChannelPreview:
    return channel(channel_name).preview(session, message, audience.household_ids(session, message))


def send_message(session: Session, actor: Actor, message: Message, channel_name: str, token: str) -> MessageSend:
    """Send an approved message through a channel, once per form token (a double click sends once)."""
    done = session.scalar(select(MessageSend).where(MessageSend.token == token))
    if done is not None:
        return done
    _lock(session, message)
    if message.status != "approved":
        raise UserValueError(_("A second person must approve the message before it goes out."))
    if not token or len(token) > 40:
        raise UserValueError(_("The form has expired: open the page again."))
    size = _require_audience(session, message)
    result = channel(channel_name).send(session, actor, message, audience.household_ids(session, message))
    sent = MessageSend(
        message_id=message.id,
        channel=channel_name,
        token=token,
        version=message.version,
        audience_size=size,
        queued=result.queued,
        skipped=dict(result.skipped) or None,
        sent_by_id=actor.id,
    )
    session.add(sent)
    session.flush()
    log_action(
        session,
        actor,
        "message.send",
        object_type="message",
        object_id=message.id,
        camp_id=message.camp_id,
        details={
            "channel": channel_name,
            "version": message.version,
            "audience": size,
            "queued": result.queued,
            "skipped": dict(result.skipped),
        },
    )
    return sent


def record_print(session: Session, actor: Actor, message: Message, size: str) -> None:
    """Note in the history and the audit that notices were printed (a poster reaches the whole audience)."""
    if message.status != "approved":
        raise UserValueError(_("A second person must approve the message before it is printed."))
    session.add(
        MessageSend(
            message_id=message.id,
            channel="print",
            token=secrets.token_urlsafe(24),
            version=message.version,
            audience_size=audience.count(session, message),
            queued=0,
            skipped={"format": size},
            sent_by_id=actor.id,
        )
    )
    log_object(session, actor, "message.print", "message", message, format=size, version=message.version)


def link_case(session: Session, actor: Actor, message: Message, case_id: int) -> None:
    """Record that ``message`` answers a feedback case (linking twice does nothing)."""
    exists = session.scalar(
        select(MessageCase.id).where(MessageCase.message_id == message.id, MessageCase.case_id == case_id)
    )
    if exists is None:
        session.add(MessageCase(message_id=message.id, case_id=case_id, linked_by_id=actor.id))
        log_object(session, actor, "message.link_case", "message", message, case=case_id)


def visible_messages(user, camp_id: int | None = None, status: str | None = None) -> Select:
    """Messages of the user's camps, newest first."""
    query = scope_to_user(select(Message), user, Message.camp_id)
    if camp_id:
        query = query.where(Message.camp_id == camp_id)
    if status:
        query = query.where(Message.status == status)
    return query.order_by(Message.updated_at.desc(), Message.id.desc())


def message_for_user(session: Session, user, message_id: int) -> Message | None:
    message = session.get(Message, message_id)
    if message is None or not user.can_access_camp(message.camp_id):
        return None
    return message


def sends_of(session: Session, message: Message) -> list[MessageSend]:
    return list(
        session.scalars(
            select(MessageSend)
            .where(MessageSend.message_id == message.id)
            .order_by(MessageSend.sent_at.desc(), MessageSend.id.desc())
        )
    )
