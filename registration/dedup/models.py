"""Pairs of people who may be the same person, and what staff decided about them."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, one_of, utcnow
from registration.households.models import Person

PAIR_STATUSES = {"open": _l("To review"), "different": _l("Different people"), "merged": _l("Merged")}


class DuplicatePair(Base):
    """Two records that may be one person; ``person_a_id < person_b_id``. Decisions are remembered."""

    __tablename__ = "duplicate_pairs"
    __table_args__ = (
        UniqueConstraint("person_a_id", "person_b_id"),
        CheckConstraint("person_a_id < person_b_id", name="ordered"),
        one_of("status", PAIR_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_a_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    person_b_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    found_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    person_a: Mapped[Person] = relationship(foreign_keys=[person_a_id])
    person_b: Mapped[Person] = relationship(foreign_keys=[person_b_id])

    def __repr__(self) -> str:
        return f"<DuplicatePair {self.person_a_id}~{self.person_b_id} {self.status}>"


class DedupScanState(Base):
    """Where the whole-registry duplicate scan stands, so that a stopped scan continues where it was.

    One row per scope (``'all'`` or ``'camp:<id>'``) and one, ``'keys'``, for the blocking keys:
    ``keys_version`` is the ``matching.KEYS_VERSION`` the stored ``person_keys`` were made with,
    ``last_person_id`` how far re-keying has come. A scan row's ``last_key`` is the last blocking key
    whose pairs were all scored and committed; ``finished_at`` is set when the scan came to the end.
    """

    __tablename__ = "dedup_scan_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), unique=True)
    keys_version: Mapped[int | None]
    last_person_id: Mapped[int | None]
    last_key: Mapped[str | None] = mapped_column(String(48))
    queued: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
