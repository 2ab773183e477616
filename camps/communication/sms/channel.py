"""The SMS channel: who can be reached, how many SMS each language's text takes, and the queueing.

A household gets SMS only when it agreed to be contacted, gave a number, is not marked not to be
contacted (protection) and has not answered STOP. Households that cannot be reached are counted
by reason; the protection mark is counted with "no consent", so that a preview for one household
does not tell communication staff that it is marked.

For the core: ``CHANNELS['sms'].preview(session, message, households)`` before sending (counts,
parts per language), ``.send(session, actor, message, households)`` to queue (again: nothing
more is queued for households already queued for that message), ``status_counts`` for the
history; ``households`` are Household objects, ids, or a select of ids. ``panoh sms send`` sends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from flask_babel import gettext as _
from sqlalchemy import Select, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.db import begin_write, utcnow
from app.errors import UserValueError
from app.users.actors import Actor
from camps.communication.channels import ChannelPreview, SendResult
from camps.communication.sms import encoding
from camps.communication.sms.models import SmsOutbox
from registration.households.models import Household
from registration.sms_languages import language_for

CHUNK = 1000
#: the most SMS one household's message may take: a longer text belongs on a notice, not a phone
MAX_SEGMENTS = 10
#: why a household gets no SMS (the keys of ``skipped``)
INACTIVE, NO_CONSENT, NO_PHONE, OPTED_OUT, NO_LANGUAGE, NO_TEXT, ALREADY_QUEUED = (
    "inactive",
    "no_consent",
    "no_phone",
    "opted_out",
    "no_language",
    "no_text",
    "already_queued",
)

_COLUMNS = (
    Household.id,
    Household.camp_id,
    Household.status,
    Household.phone,
    Household.sms_consent,
    Household.do_not_contact,
    Household.sms_opted_out_at,
    Household.sms_language,
    Household.languages,
)


def skip_reason(row) -> str | None:
    """Why this household (a row of ``_COLUMNS`` or a Household) gets no SMS, or None."""
    if row.status != "active":
        return INACTIVE
    if not row.sms_consent or row.do_not_contact:
        return NO_CONSENT
    if not row.phone or not row.phone.startswith("+"):
        return NO_PHONE
    if row.sms_opted_out_at is not None:
        return OPTED_OUT
    return None


def _ids(households) -> list[int] | Select:
    if isinstance(households, Select):
        return households
    return [h if isinstance(h, int) else h.id for h in households]


def _rows(session: Session, households) -> Iterator:
    ids = _ids(households)
    if isinstance(ids, Select):
        yield from session.execute(
            select(*_COLUMNS).where(Household.id.in_(ids.scalar_subquery())).order_by(Household.id)
        )
        return
    for start in range(0, len(ids), CHUNK):
        yield from session.execute(
            select(*_COLUMNS).where(Household.id.in_(ids[start : start + CHUNK])).order_by(Household.id)
        )


def plan(session: Session, message, households) -> tuple[list[tuple], Counter, dict[str, str]]:
    """(reachable rows with their language, skipped by reason, text by language)."""
    skipped: Counter = Counter()
    texts: dict[str, str | None] = {}
    reachable = []
    for row in _rows(session, households):
        reason = skip_reason(row)
        language = language_for(row.sms_language, row.languages) if reason is None else None
        if reason is None and language is None:
            reason = NO_LANGUAGE
        if reason is None:
            assert language is not None  # else NO_LANGUAGE above
            if language not in texts:
                texts[language] = (message.text_for(language) or "").strip() or None
            if texts[language] is None:
                reason = NO_TEXT
        if reason:
            skipped[reason] += 1
        else:
            reachable.append((row, language))
    return reachable, skipped, {k: v for k, v in texts.items() if v}


class SmsChannel:
    name = "sms"

    def preview(self, session: Session, message, households) -> ChannelPreview:
        reachable, skipped, texts = plan(session, message, households)
        return ChannelPreview(
            reachable=len(reachable),
            skipped=dict(skipped),
            segments={lang: encoding.count(text)[1] for lang, text in texts.items()},
        )

    def send(self, session: Session, actor: Actor, message, households) -> SendResult:
        """Queue one SMS per reachable household; a household already queued for the message is not queued again."""
        reachable, skipped, texts = plan(session, message, households)
        encoded = {lang: encoding.count(text) for lang, text in texts.items()}
        too_long = sorted(lang for lang, (_coding, segments) in encoded.items() if segments > MAX_SEGMENTS)
        if too_long:
            raise UserValueError(
                _(
                    "Too long for SMS (%(languages)s): at most %(n)d SMS per family, about %(chars)d "
                    "letters in Dari, Pashto, Tajik or Russian.",
                    languages=", ".join(too_long),
                    n=MAX_SEGMENTS,
                    chars=MAX_SEGMENTS * encoding.PART["ucs2"],
                ),
                field="text",
            )
        now, by = utcnow(), getattr(actor, "id", None)
        values = [
            {
                "message_id": message.id,
                "household_id": row.id,
                "camp_id": row.camp_id,
                "phone": row.phone,
                "language": lang,
                "text": texts[lang],
                "encoding": encoded[lang][0],
                "segments": encoded[lang][1],
                "status": "queued",
                "attempts": 0,
                "next_attempt_at": now,
                "queued_at": now,
                "queued_by_id": by,
            }
            for row, lang in reachable
        ]
        begin_write(session)
        queued = sum(_insert_new(session, chunk) for chunk in _chunks(values))
        if len(values) > queued:
            skipped[ALREADY_QUEUED] += len(values) - queued
        log_action(
            session,
            actor,
            "communication.sms_queued",
            object_type="message",
            object_id=message.id,
            camp_id=getattr(message, "camp_id", None),
            details={"queued": queued, "skipped": dict(skipped)},
        )
        return SendResult(queued=queued, skipped=dict(skipped))

    def unqueue(self, session: Session, message_id: int) -> int:
        """Drop the message's SMS not yet claimed by the worker (its approval was voided or it was withdrawn);
        a new approval and send queues the current text for those households again."""
        return session.execute(  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
            delete(SmsOutbox)
            .where(SmsOutbox.message_id == message_id, SmsOutbox.status == "queued")
            .execution_options(synchronize_session=False)
        ).rowcount


def status_counts(session: Session, message_id: int) -> dict[str, int]:
    """How many of a message's SMS are queued, sent, delivered, failed... (for its history page and figures)."""
    return dict(
        session.execute(
            select(SmsOutbox.status, func.count()).where(SmsOutbox.message_id == message_id).group_by(SmsOutbox.status)
        ).all()
    )


def _chunks(values: list[dict]) -> Iterable[list[dict]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _insert_new(session: Session, values: list[dict]) -> int:
    """Insert the rows not already there (UNIQUE message, household); return how many were new.

    One statement for many rows (executemany: compiled once, sent in batches), not one VALUES
    list per chunk, which SQLAlchemy compiles anew each time.
    """
    if not values:
        return 0
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = SmsOutbox.__table__
    statement = insert(table).on_conflict_do_nothing(index_elements=["message_id", "household_id"])  # type: ignore[arg-type]  # a model's __table__ is a Table, typed as FromClause
    return len(session.execute(statement.returning(table.c.id), values).all())
