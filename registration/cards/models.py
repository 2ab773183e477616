"""ID cards and the keys that sign their QR codes."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, one_of, utcnow
from registration.households.models import Household

CARD_STATUSES = {
    "valid": _l("Valid"),
    "replaced": _l("Replaced"),
    "lost": _l("Reported lost or stolen"),
    "revoked": _l("Revoked"),
}


class SigningKey(Base):
    """An Ed25519 key pair: the public half here, the private half in a 0600 file outside the repo."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(8), unique=True)
    #: raw 32-byte Ed25519 public key
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: set when a newer key took over signing; cards it signed stay valid until they expire
    retired_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<SigningKey {self.kid}>"


class Card(Base):
    __tablename__ = "cards"
    __table_args__ = (
        one_of("status", CARD_STATUSES),
        Index("ix_cards_household_status", "household_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: printed on the card and in its QR code (``C00000123``)
    serial: Mapped[str] = mapped_column(String(12), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    kid: Mapped[str] = mapped_column(String(8))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="valid")
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_printed_at: Mapped[datetime | None]
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    #: the exact code printed, so that a reprint is the same card
    code: Mapped[str] = mapped_column(String(200))

    household: Mapped[Household] = relationship()

    def __repr__(self) -> str:
        return f"<Card {self.serial} {self.status}>"

    def is_current(self, today: date) -> bool:
        return self.status == "valid" and self.expires_on >= today


PRINT_JOB_STATUSES = ("queued", "running", "done", "failed")


class PrintJob(Base):
    """A batch of cards printed in the background.

    It lives in the database, not in one server process's memory, so that whichever process a
    poll reaches answers it. The sheets PDF (personal data) is kept here until it is handed over
    once, then removed; one never collected is removed after a while. ``heartbeat_at`` shows that
    the worker is alive: a job that stops beating was lost with its process (see ``jobs.state``).
    """

    __tablename__ = "print_jobs"
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    camp_id: Mapped[int | None] = mapped_column(ForeignKey("camps.id"))
    #: the households to print, in printing order
    household_ids: Mapped[list[int]] = mapped_column(JSON)
    #: the cards printed, in order, once issued: a reprint of the batch prints these same cards
    card_ids: Mapped[list[int] | None] = mapped_column(JSON)
    #: the batch this one prints again (a jammed or lost PDF); its cards are not issued anew
    reprint_of_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id", ondelete="SET NULL"))
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    #: host and process id of the worker that claimed it
    worker: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    collected_at: Mapped[datetime | None]
    #: why it failed, in words for staff: never personal data
    error: Mapped[str | None] = mapped_column(String(200))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    def __repr__(self) -> str:
        return f"<PrintJob {self.id} {self.status}>"
