"""The SMS outbox: one row per message and household, so that nothing is ever sent twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow

#: queued (waiting, or waiting again after a refusal), sending (handed to the SMSC, no answer yet),
#: sent (the SMSC took every part), delivered/failed (its delivery reports), opted_out (the household
#: said STOP before it went), skipped (no longer eligible when the worker came to it)
STATUSES = ("queued", "sending", "sent", "delivered", "failed", "opted_out", "skipped")
PART_STATUSES = ("sent", "delivered", "failed")


def _in(values) -> str:
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class SmsOutbox(Base):
    __tablename__ = "sms_outbox"
    __table_args__ = (
        UniqueConstraint("message_id", "household_id"),
        CheckConstraint(_in(STATUSES), name="status"),
        # the worker's question: what is due now
        Index("ix_sms_outbox_status_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the communication message (its table belongs to the core; no foreign key here)
    message_id: Mapped[int] = mapped_column(Integer, index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), index=True)
    #: E.164, as the household gave it at registration
    phone: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    #: 'gsm' (GSM 03.38, 160/153 characters a part) or 'ucs2' (70/67)
    encoding: Mapped[str] = mapped_column(String(4))
    segments: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    queued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    #: the SMSC's id for the first part (from submit_sm_resp); each part's is in ``parts``
    smsc_message_id: Mapped[str | None] = mapped_column(String(65), index=True)
    #: when the delivery report that settled the row arrived
    report_at: Mapped[datetime | None]
    #: the SMPP status or receipt state of the last refusal or failure (``0x00000058``, ``UNDELIV``)
    error: Mapped[str | None] = mapped_column(String(40))

    parts: Mapped[list[SmsPart]] = relationship(
        back_populates="outbox", order_by="SmsPart.seq", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<SmsOutbox {self.id} {self.status}>"


class SmsPart(Base):
    """One submit_sm the SMSC accepted, with the id its delivery report will quote."""

    __tablename__ = "sms_parts"
    __table_args__ = (UniqueConstraint("outbox_id", "seq"), CheckConstraint(_in(PART_STATUSES), name="status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("sms_outbox.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    smsc_message_id: Mapped[str] = mapped_column(String(65), index=True)
    status: Mapped[str] = mapped_column(String(10), default="sent")
    report_at: Mapped[datetime | None]

    outbox: Mapped[SmsOutbox] = relationship(back_populates="parts")
