"""Draining the outbox: claim due rows, submit them at the configured rate, record every answer.

Never twice: a part is written to the SMSC only when it has no message id yet, and the id the
SMSC answers with is saved before the row is marked sent. A refused row (the SMSC busy or
failing) goes back to the queue with a growing wait; when the link is down nothing is claimed.
A row whose submit was written but whose answer never came (the link dropped at that moment)
may have reached the SMSC: it is marked failed ("unconfirmed") rather than sent again.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from app.db import own_transaction, utcnow
from camps.communication.sms import encoding
from camps.communication.sms.channel import OPTED_OUT, skip_reason
from camps.communication.sms.inbound import Receipt, apply_receipts, apply_reply
from camps.communication.sms.link import LinkDown, Reply, SmppLink, SubmitAnswer
from camps.communication.sms.models import SmsOutbox, SmsPart
from registration.households.models import Household

log = logging.getLogger(__name__)

#: submit_sm_resp statuses that no retry can change: invalid destination or source, message too long
PERMANENT = {0x0A, 0x0B, 0x01, 0x62}
#: a row left "sending" this long ago by a worker that died is taken as unconfirmed
STALE_SENDING = timedelta(minutes=10)
#: receipts for ids not yet saved are kept this long (they can overtake their submit's commit)
RECEIPT_PATIENCE = 300.0


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 2775
    system_id: str = ""
    password: str = ""
    source_addr: str = "PANOH"
    #: submit_sm PDUs a second (the operator's contract: usually 10 to 100)
    rate: float = 20.0
    #: submits written before their answers are awaited
    window: int = 10
    batch: int = 200
    #: a rate-limited worker claims at most this many seconds of sending at once: rows a killed worker had
    #: claimed end "unconfirmed" (never resent), so a claim must not outlast a moment of sending
    claim_s: float = 2.0
    retry_base_s: float = 30.0
    retry_max_s: float = 3600.0
    max_attempts: int = 10
    #: seconds to wait for one answer before the link is taken as dead
    answer_timeout_s: float = 30.0

    @classmethod
    def from_config(cls, config) -> Settings:
        return cls(
            host=config["SMPP_HOST"],
            port=config["SMPP_PORT"],
            system_id=config["SMPP_SYSTEM_ID"],
            password=config["SMPP_PASSWORD"],
            source_addr=config["SMPP_SOURCE_ADDR"],
            rate=config["SMS_RATE"],
            window=config["SMS_WINDOW"],
            retry_base_s=config["SMS_RETRY_BASE_S"],
            retry_max_s=config["SMS_RETRY_MAX_S"],
            max_attempts=config["SMS_MAX_ATTEMPTS"],
        )

    def link(self) -> SmppLink:
        return SmppLink(self.host, self.port, self.system_id, self.password, self.source_addr)

    def claim_size(self) -> int:
        """Rows to claim at once: ``batch``, or fewer when the rate would take longer than ``claim_s`` to send them."""
        if self.rate <= 0:
            return self.batch
        return max(1, min(self.batch, max(self.window, math.ceil(self.rate * self.claim_s))))

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.retry_max_s, self.retry_base_s * 2 ** max(attempts - 1, 0)))


@dataclass
class _Claimed:
    id: int
    phone: str
    encoded: encoding.Encoded
    #: parts (from 0) still to write: those without a message id
    todo: list[int]
    #: parts the SMSC took in earlier attempts
    done_before: int = 0
    accepted: dict[int, str] = field(default_factory=dict)
    refusal: int | None = None
    unconfirmed: bool = False


class RateLimit:
    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


class Worker:
    def __init__(self, settings: Settings, link: SmppLink | None = None) -> None:
        self.settings = settings
        self.link = link or settings.link()
        self.rate = RateLimit(settings.rate)
        self.stats: Counter = Counter()
        self._receipts: list[tuple[Receipt, float]] = []
        self._replies: list[Reply] = []

    # --- the loop ------------------------------------------------------------------------
    def drain(self) -> Counter:
        """Send every row due now; raises LinkDown when the SMSC cannot be reached (nothing is lost)."""
        self.recover()
        if not self.link.bound:
            self.link.connect()
        while self.send_batch():
            pass
        self.settle()
        return self.stats

    def listen(self, seconds: float) -> None:
        """Read receipts and replies for ``seconds`` (the SMSC sends receipts when phones answer)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._take(self.link.read(min(left, 1.0)))
        self.settle()

    def close(self) -> None:
        self.link.close()

    # --- claiming ------------------------------------------------------------------------
    def recover(self) -> None:
        """Rows a dead worker left "sending" are unconfirmed: failed, never resent."""
        with own_transaction(write=True) as session:
            done = session.execute(  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
                update(SmsOutbox)
                .where(SmsOutbox.status == "sending", SmsOutbox.last_attempt_at < utcnow() - STALE_SENDING)
                .values(status="failed", error="unconfirmed")
                .execution_options(synchronize_session=False)
            ).rowcount
        self.stats["unconfirmed"] += done

    def _claim(self, session: Session) -> list[_Claimed]:
        """Due rows, still eligible, marked "sending" (Core statements: a batch is thousands of rows)."""
        now = utcnow()
        outbox = SmsOutbox.__table__
        query = (
            select(
                outbox.c.id,
                outbox.c.phone,
                outbox.c.text,
                Household.status,
                Household.phone.label("now_phone"),
                Household.sms_consent,
                Household.do_not_contact,
                Household.sms_opted_out_at,
            )
            .join(Household, Household.id == outbox.c.household_id)
            .where(outbox.c.status == "queued", outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.id)
            .limit(self.settings.claim_size())
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=outbox)
        rows = session.execute(query).all()
        done: dict[int, set[int]] = {}
        for start in range(0, len(rows), 500):
            for outbox_id, seq in session.execute(
                select(SmsPart.outbox_id, SmsPart.seq).where(
                    SmsPart.outbox_id.in_([r.id for r in rows[start : start + 500]])
                )
            ):
                done.setdefault(outbox_id, set()).add(seq)
        claimed, dropped = [], []
        for row in rows:
            reason = skip_reason(SimpleNamespace(**{**row._mapping, "phone": row.now_phone}))
            if reason or row.now_phone != row.phone:  # opted out, consent withdrawn, number changed since queued
                status, error = ("opted_out", None) if reason == OPTED_OUT else ("skipped", reason or "phone")
                dropped.append({"oid": row.id, "st": status, "err": error})
                self.stats[status] += 1
                continue
            encoded = encoding.encode(row.text, reference=row.id)
            seqs = done.get(row.id, set())
            todo = [i for i in range(encoded.segments) if i + 1 not in seqs]
            claimed.append(_Claimed(row.id, row.phone, encoded, todo, done_before=len(seqs)))
        if dropped:
            session.execute(
                update(outbox)  # type: ignore[arg-type]  # a model's __table__ is a Table, typed as FromClause
                .where(outbox.c.id == bindparam("oid"))
                .values(status=bindparam("st"), error=bindparam("err")),
                dropped,
            )
        for start in range(0, len(claimed), 500):
            session.execute(
                update(outbox)  # type: ignore[arg-type]  # a model's __table__ is a Table, typed as FromClause
                .where(outbox.c.id.in_([c.id for c in claimed[start : start + 500]]))
                .values(status="sending", attempts=outbox.c.attempts + 1, last_attempt_at=now)
            )
        return claimed

    # --- sending -------------------------------------------------------------------------
    def send_batch(self) -> bool:
        """Claim, submit and record one batch; False when nothing was due."""
        with own_transaction(write=True) as session:
            claimed = self._claim(session)
        if not claimed:
            return False
        try:
            self._submit_all(claimed)
        finally:
            with own_transaction(write=True) as session:
                self._record(session, claimed)
            self.settle()
        return True

    def _submit_all(self, claimed: list[_Claimed]) -> None:
        inflight: dict[int, tuple[_Claimed, int]] = {}
        try:
            for item in claimed:
                for part in list(item.todo):
                    while len(inflight) >= self.settings.window:
                        self._await(inflight)
                    self.rate.wait()
                    item.todo.remove(part)
                    inflight[self.link.submit(item.phone, item.encoded, part)] = (item, part)
            while inflight:
                self._await(inflight)
        finally:  # the link went down: parts written but not answered may have reached the SMSC
            for item, _part in inflight.values():
                item.unconfirmed = True

    def _await(self, inflight: dict) -> None:
        deadline = time.monotonic() + self.settings.answer_timeout_s
        while time.monotonic() < deadline:
            answer = self.link.read(max(0.0, deadline - time.monotonic()))
            if isinstance(answer, SubmitAnswer) and answer.sequence in inflight:
                item, part = inflight.pop(answer.sequence)
                if answer.status == 0 and answer.message_id:
                    item.accepted[part] = answer.message_id
                else:
                    item.refusal = answer.status or -1
                return
            self._take(answer)
        self.link._lost()
        raise LinkDown("no answer from the SMSC")

    def _take(self, answer) -> None:
        if isinstance(answer, Receipt):
            self._receipts.append((answer, time.monotonic()))
        elif isinstance(answer, Reply):
            self._replies.append(answer)

    def _record(self, session: Session, claimed: list[_Claimed]) -> None:
        """Save the ids the SMSC gave, then each row's outcome (Core executemany: one statement per kind)."""
        now = utcnow()
        outbox = SmsOutbox.__table__
        attempts: dict[int, int] = {}
        for start in range(0, len(claimed), 500):
            attempts.update(
                session.execute(
                    select(outbox.c.id, outbox.c.attempts).where(
                        outbox.c.id.in_([c.id for c in claimed[start : start + 500]])
                    )
                ).all()
            )
        parts = [
            {"outbox_id": item.id, "seq": part + 1, "smsc_message_id": message_id, "status": "sent"}
            for item in claimed
            for part, message_id in sorted(item.accepted.items())
        ]
        if parts:
            session.execute(insert(SmsPart.__table__), parts)  # type: ignore[arg-type]  # a model's __table__ is a Table, typed as FromClause
        outcomes = []
        for item in claimed:
            tried = attempts.get(item.id, 1)
            outcome = {
                "oid": item.id,
                "st": "queued",
                "err": None,
                "sent": None,
                "next": now,
                "tried": tried,
                "first": item.accepted.get(0),
            }
            if item.done_before + len(item.accepted) == item.encoded.segments:
                outcome.update(st="sent", sent=now)
            elif item.unconfirmed:
                outcome.update(st="failed", err="unconfirmed")
            elif item.refusal is not None:
                code = f"0x{item.refusal & 0xFFFFFFFF:08X}"
                if item.refusal in PERMANENT or tried >= self.settings.max_attempts:
                    outcome.update(st="failed", err=code)
                else:  # refused for now: again after a growing wait
                    outcome.update(err=code, next=now + self.settings.backoff(tried))
            else:  # never written: the link went down first; not an attempt
                outcome.update(tried=tried - 1)
            outcomes.append(outcome)
            self.stats[outcome["st"]] += 1
        session.execute(
            update(outbox)  # type: ignore[arg-type]  # a model's __table__ is a Table, typed as FromClause
            .where(outbox.c.id == bindparam("oid"))
            .values(
                status=bindparam("st"),
                error=bindparam("err"),
                sent_at=bindparam("sent"),
                next_attempt_at=bindparam("next"),
                attempts=bindparam("tried"),
                smsc_message_id=func.coalesce(outbox.c.smsc_message_id, bindparam("first")),
            ),
            outcomes,
        )

    # --- what came back ------------------------------------------------------------------
    def settle(self) -> None:
        """Save the receipts and replies read so far; receipts for unknown ids wait a while."""
        if not (self._receipts or self._replies):
            return
        receipts, self._receipts = self._receipts, []
        replies, self._replies = self._replies, []
        now = time.monotonic()
        seen_at = {id(r): seen for r, seen in receipts}
        with own_transaction(write=True) as session:
            unknown = apply_receipts(session, [r for r, _seen in receipts])
            self.stats["receipts"] += len(receipts) - len(unknown)
            for receipt in unknown:
                if now - seen_at[id(receipt)] < RECEIPT_PATIENCE:
                    self._receipts.append((receipt, seen_at[id(receipt)]))
                else:
                    self.stats["receipts_unknown"] += 1
            for reply in replies:
                self.stats["opted_out_households"] += apply_reply(session, reply.source, reply.text)


def run(
    settings: Settings, *, once: bool, receipt_wait: float = 10.0, idle_s: float = 5.0, should_stop=lambda: False
) -> Counter:
    """The ``panoh sms send`` loop: drain, listen for receipts, reconnect after a pause when the SMSC is down."""
    worker = Worker(settings)
    pause = 5.0
    try:
        while not should_stop():
            try:
                worker.drain()
                pause = 5.0
                if once:
                    worker.listen(receipt_wait)
                    break
                worker.listen(idle_s)
                worker.link.enquire_link()
            except LinkDown as exc:
                log.warning("SMSC unreachable (%s); queued SMS wait, next try in %.0f s", exc, pause)
                if once:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 300.0)
    finally:
        worker.close()
    log.info("SMS worker: %s", dict(worker.stats))
    return worker.stats
