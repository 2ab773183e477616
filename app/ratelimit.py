"""Limits that hold across the server's worker processes: attempts are counted in the database.

Each counted attempt is a row: its scope (``login.address``, ``kiosk``...), a keyed digest of the
scope and key (an address, an account and address, a tablet: never stored in clear) and when. A
limit counts the rows in a sliding window. Counting and adding a row happen in one short
transaction of their own (``aside``), apart from the request's: PostgreSQL first takes a
transaction advisory lock on the key, SQLite lets one writer in at a time, so two worker processes
never both take the last place. Rows older than ``KEEP`` are deleted as new ones come.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from flask import current_app, g, has_request_context, request
from sqlalchemy import Index, String, delete, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import SAFE_METHODS, Base, get_session, own_transaction, utcnow

T = TypeVar("T")
#: nothing is counted further back than this
KEEP = timedelta(days=1)
#: (window, most attempts allowed in it)
Limits = Sequence[tuple[timedelta, int]]


class RateLimitHit(Base):
    """One counted attempt."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(32))
    #: HMAC-SHA-256 of scope and key under the secret key
    key: Mapped[str] = mapped_column(String(64))
    #: the same digest of what the key is about (an account), so that all its keys can be forgotten
    subject: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(index=True)

    def __repr__(self) -> str:
        return f"<RateLimitHit {self.scope} {self.at:%Y-%m-%d %H:%M:%S}>"


@dataclass(frozen=True)
class BackOff:
    """After ``free`` failures, wait ``first``, then twice as long after each further failure, at most ``longest``."""

    free: int
    first: timedelta
    longest: timedelta


def digest(scope: str, key: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"{scope}\x00{key}".encode(), hashlib.sha256).hexdigest()


def aside(work: Callable[[Session], T]) -> T:
    """Run ``work`` in a short transaction of its own and return what it returns.

    Inside a request that already holds SQLite's write lock (one that changes data and does not
    write late, or has begun to write) another connection would wait for that lock: there the work
    joins the request's transaction, as ``app.db.commit_aside`` does.
    """
    if _request_holds_write_lock():
        session = get_session()
        result = work(session)
        session.flush()
        return result
    with own_transaction() as session:
        return work(session)


def _request_holds_write_lock() -> bool:
    if not has_request_context() or request.method in SAFE_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(g.get("panoh_write_now")) or not getattr(view, "writes_late", False)


def _run(session: Session | None, work: Callable[[Session], T]) -> T:
    return work(session) if session is not None else aside(work)


def hit(scope: str, key: str, limits: Limits, *, now: datetime | None = None, session: Session | None = None) -> bool:
    """Count one attempt unless it would go over one of ``limits``; a refused attempt is not counted."""
    now = now or utcnow()
    key_digest = digest(scope, key)

    def over(db: Session, _row: RateLimitHit) -> bool:
        return any(_count(db, key_digest, now - window) > most for window, most in limits)

    return _run(session, lambda db: _count_unless(db, RateLimitHit(scope=scope, key=key_digest, at=now), over))


def record(
    scope: str, key: str, *, subject: str | None = None, now: datetime | None = None, session: Session | None = None
) -> None:
    """Count one attempt (a failure) whatever the count."""
    now = now or utcnow()

    def work(db: Session) -> None:
        db.add(
            RateLimitHit(
                scope=scope,
                key=digest(scope, key),
                at=now,
                subject=digest(scope, subject) if subject is not None else None,
            )
        )
        db.flush()
        _forget_old(db, now)

    _run(session, work)


def record_unless_waiting(
    scope: str,
    key: str,
    rule: BackOff,
    *,
    subject: str | None = None,
    now: datetime | None = None,
    session: Session | None = None,
) -> bool:
    """Count one attempt as a failure in advance, unless the key waits under ``rule``; whether it was counted.

    Checking and counting in one step, one transaction at a time per key, lets no concurrent
    attempt through on the strength of a count that the others are about to raise. Forget the
    key's failures (``clear``) when the attempt turns out right."""
    now = now or utcnow()
    key_digest = digest(scope, key)

    def waiting(db: Session, row: RateLimitHit) -> bool:
        failures, last = db.execute(
            select(func.count(), func.max(RateLimitHit.at)).where(
                RateLimitHit.key == key_digest, RateLimitHit.at > now - KEEP, RateLimitHit.id != row.id
            )
        ).one()
        return _until(rule, failures, last, now) is not None

    row = RateLimitHit(
        scope=scope, key=key_digest, at=now, subject=digest(scope, subject) if subject is not None else None
    )
    return _run(session, lambda db: _count_unless(db, row, waiting))


def _count_unless(db: Session, row: RateLimitHit, refused: Callable[[Session, RateLimitHit], bool]) -> bool:
    """Add the attempt ``row`` under its key's lock, and take it back when ``refused`` says so; whether it stays."""
    _lock(db, row.key)
    db.add(row)
    db.flush()  # on SQLite the first statement writes, so the transaction holds the write lock
    if refused(db, row):
        db.delete(row)
        db.flush()
        return False
    _forget_old(db, row.at)
    return True


def waiting_until(
    scope: str, key: str, rule: BackOff, *, now: datetime | None = None, session: Session | None = None
) -> datetime | None:
    """When the key may try again after its failures under ``rule``, or None when it may now."""
    now = now or utcnow()
    key_digest = digest(scope, key)

    def work(db: Session) -> datetime | None:
        failures, last = db.execute(
            select(func.count(), func.max(RateLimitHit.at)).where(
                RateLimitHit.key == key_digest, RateLimitHit.at > now - KEEP
            )
        ).one()
        return _until(rule, failures, last, now)

    return _run(session, work)


def waiting_subject(
    scope: str, subject: str, rule: BackOff, *, now: datetime | None = None, session: Session | None = None
) -> int:
    """How many keys about ``subject`` (e.g. addresses trying one account) wait now."""
    now = now or utcnow()
    subject_digest = digest(scope, subject)

    def work(db: Session) -> int:
        rows = db.execute(
            select(func.count(), func.max(RateLimitHit.at))
            .where(RateLimitHit.subject == subject_digest, RateLimitHit.at > now - KEEP)
            .group_by(RateLimitHit.key)
        ).all()
        return sum(1 for failures, last in rows if _until(rule, failures, last, now) is not None)

    return _run(session, work)


def clear(scope: str, key: str | None = None, *, subject: str | None = None, session: Session | None = None) -> None:
    """Forget a key's attempts, every key about ``subject``, or (neither given) the whole scope."""
    statement = delete(RateLimitHit).where(RateLimitHit.scope == scope)
    if key is not None:
        statement = statement.where(RateLimitHit.key == digest(scope, key))
    if subject is not None:
        statement = statement.where(RateLimitHit.subject == digest(scope, subject))
    _run(session, lambda db: db.execute(statement))


def _until(rule: BackOff, failures: int, last: datetime | None, now: datetime) -> datetime | None:
    if last is None or failures < rule.free:
        return None
    wait = min(rule.first * 2 ** min(failures - rule.free, 32), rule.longest)
    return last + wait if last + wait > now else None


def _count(db: Session, key_digest: str, after: datetime) -> int:
    # no upper bound: another worker that waited less may have counted a later moment already
    return db.scalar(select(func.count()).where(RateLimitHit.key == key_digest, RateLimitHit.at > after)) or 0


def _lock(db: Session, key_digest: str) -> None:
    """PostgreSQL: one transaction at a time counts a key (SQLite has one writer at a time anyway)."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(
            text("SELECT pg_advisory_xact_lock(:id)"),
            {"id": int.from_bytes(bytes.fromhex(key_digest[:16]), "big", signed=True)},
        )


def _forget_old(db: Session, now: datetime) -> None:
    db.execute(delete(RateLimitHit).where(RateLimitHit.at < now - KEEP))
