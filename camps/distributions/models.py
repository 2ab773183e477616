"""Distribution rounds, what they hand out, who may collect for a household, and each collection.

A collection is made on the officer's device, with an id made there, so that a retry or a sync
after the link dropped never records it twice. At most one collection per household and round
counts ('ok'); a second one that two offline devices both recorded is kept as a 'double'. What the
server cannot take at the device's word (a double, a time outside the round, a wrong clock, an id
already used for something else) is kept as received and flagged for review, never dropped.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, one_of, utcnow

RULES = {
    "household": _l("The same for every household"),
    "person": _l("Per person in the household"),
    "brackets": _l("By household size brackets"),
}
ROUND_STATUSES = {"open": _l("Open"), "closed": _l("Closed")}
COLLECTORS = {
    "head": _l("Head of household"),
    "member": _l("Another member"),
    "alternate": _l("Registered alternate collector"),
}
COLLECTION_STATUSES = {"ok": _l("Counted collection"), "double": _l("Double collection (not counted)")}
#: why a stored collection is listed for review (several may apply)
FLAGS = {
    "double": _l("Double: the household was already served"),
    "outside_round": _l("Outside the round: not made, or not received, while the round was open"),
    "clock": _l("Device clock: the time sent is in the future, without a time zone or before the round"),
    "id_conflict": _l("Reused id: the device sent this id before for another collection"),
}
REVIEWS = {"confirmed": _l("Confirmed problem: follow up"), "cleared": _l("Cleared: nothing wrong")}


class DistributionRound(Base):
    __tablename__ = "distribution_rounds"
    __table_args__ = (
        one_of("rule", RULES),
        one_of("status", ROUND_STATUSES),
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    rule: Mapped[str] = mapped_column(String(12), default="household")
    #: for rule 'brackets': "1-3:1 4-6:2 7-:3", household sizes and how many rations each
    brackets: Mapped[str | None] = mapped_column(String(200))
    #: household statuses that qualify, space separated (usually just "active")
    statuses: Mapped[str] = mapped_column(String(60), default="active")
    alternates_allowed: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    #: loaded when first read: lists of rounds never read them, a round's page reads them in one query
    items: Mapped[list[RoundItem]] = relationship(cascade="all, delete-orphan", order_by="RoundItem.position")

    def __repr__(self) -> str:
        return f"<DistributionRound {self.id} {self.name!r}>"

    @property
    def qualifying(self) -> tuple[str, ...]:
        return tuple(self.statuses.split())


class RoundItem(Base):
    __tablename__ = "round_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        UniqueConstraint("round_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("distribution_rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(80))
    #: kg, litres, pieces, kits...
    unit: Mapped[str] = mapped_column(String(20))
    #: per household, per person or per bracket ration, as the round's rule says
    quantity: Mapped[float] = mapped_column(Float)


class AlternateCollector(Base):
    """Someone a household named to collect for it (a neighbour when the head is ill, say)."""

    __tablename__ = "alternate_collectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_orig: Mapped[str | None] = mapped_column(String(120))
    relation: Mapped[str | None] = mapped_column(String(60))
    #: a document the officer can check (tazkira, another household's card)
    document: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Collection(Base):
    __tablename__ = "collections"
    __table_args__ = (
        one_of("status", COLLECTION_STATUSES),
        one_of("collected_by", COLLECTORS),
        one_of("review", REVIEWS, nullable=True),
        # one counted collection per household and round, whatever two desks or devices do
        Index(
            "uq_collections_round_household_ok",
            "round_id",
            "household_id",
            unique=True,
            sqlite_where=text("status = 'ok'"),
            postgresql_where=text("status = 'ok'"),
        ),
        Index("ix_collections_round_status", "round_id", "status"),
        Index(
            "ix_collections_round_flagged",
            "round_id",
            sqlite_where=text("flags IS NOT NULL"),
            postgresql_where=text("flags IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: made on the device (a UUID): the same collection sent twice is recorded once. When a device
    #: sends an id again with other content, the server makes this one and keeps the device's in device_uid
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    device_uid: Mapped[str | None] = mapped_column(String(36))
    #: a digest of what the device sent: the same id with the same content is a retry, else a conflict
    fingerprint: Mapped[str | None] = mapped_column(String(32))
    round_id: Mapped[int] = mapped_column(ForeignKey("distribution_rounds.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    card_serial: Mapped[str | None] = mapped_column(String(12))
    collected_by: Mapped[str] = mapped_column(String(10), default="head")
    alternate_id: Mapped[int | None] = mapped_column(ForeignKey("alternate_collectors.id"))
    #: the distribution point, as the device names it (e.g. "DP-1")
    point: Mapped[str] = mapped_column(String(40))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: when it happened (UTC): the device's time when it is plausible, else when the server received it
    collected_at: Mapped[datetime]
    #: the time exactly as the device sent it
    device_time: Mapped[str | None] = mapped_column(String(40))
    #: when the server received it (one time for a whole sync): what decides which of two collections counts
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: what the device said; it changes no outcome
    offline: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(8), default="ok")
    #: reasons for review, space separated (keys of FLAGS); none for a clean collection
    flags: Mapped[str | None] = mapped_column(String(60))
    review: Mapped[str | None] = mapped_column(String(10))
    review_note: Mapped[str | None] = mapped_column(String(300))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]

    round: Mapped[DistributionRound] = relationship()

    def __repr__(self) -> str:
        return f"<Collection {self.uid} {self.status}>"

    @property
    def flag_list(self) -> list[str]:
        return (self.flags or "").split()


class SkippedCheck(Base):
    """A household checked valid at a point but not recorded: the officer chose "skip it" when the
    next card came (issue 15 #7). Made on the device with its own id, sent with the collections."""

    __tablename__ = "skipped_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: made on the device (a UUID): sent twice, noted once
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("distribution_rounds.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    point: Mapped[str] = mapped_column(String(40))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the device's time, as it sent it
    skipped_at: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
