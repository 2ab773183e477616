"""Feedback and complaints (accountability to affected people): cases, their history, and the
help-desk tablets (kiosks) that let refugees give feedback without an account.

Sensitive cases (sexual exploitation and abuse, fraud, staff misconduct, safety, child
protection) are read only by holders of ``feedback.view_sensitive``; every such read is audited.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import languages
from app import permissions as P
from app.audit.services import restrict_events
from app.db import Base, one_of, utcnow
from app.mixins import SecretLinkDevice

CHANNELS = {
    "help_desk": _l("Help desk"),
    "hotline": _l("Hotline"),
    "suggestion_box": _l("Suggestion box"),
    "community_meeting": _l("Community meeting"),
    "distribution_point": _l("Distribution point"),
    "kiosk": _l("Help-desk tablet (kiosk)"),
    "other": _l("Other"),
}
TYPES = {
    "information_request": _l("Request for information"),
    "assistance_request": _l("Request for assistance"),
    "suggestion": _l("Suggestion"),
    "appreciation": _l("Appreciation"),
    "complaint": _l("Complaint"),
    "sensitive": _l("Sensitive complaint"),
    "rumour": _l("Rumour or misinformation"),
}
SENSITIVE_CATEGORIES = {
    "sea": _l("Sexual exploitation or abuse"),
    "fraud": _l("Fraud or corruption"),
    "misconduct": _l("Staff misconduct"),
    "safety": _l("Safety or security threat"),
    "child_protection": _l("Child protection"),
}
SECTORS = {
    "shelter": _l("Shelter"),
    "food": _l("Food"),
    "wash": _l("Water, sanitation and hygiene"),
    "health": _l("Health"),
    "protection": _l("Protection"),
    "registration": _l("Registration"),
    "distribution": _l("Distribution"),
    "other": _l("Other"),
}
STATUSES = {
    "new": _l("New"),
    "acknowledged": _l("Acknowledged"),
    "in_progress": _l("In progress"),
    "referred": _l("Referred"),
    "responded": _l("Responded"),
    "closed": _l("Closed"),
}
#: the language a person spoke, as written in it (the kiosk's buttons, a select's second half)
LANGUAGES = {"fa": "دری", "ps": "پښتو", "tg": "Тоҷикӣ", "ru": "Русский", "en": "English", "uz": "Oʻzbek"}
#: the same languages named in the reader's language
LANGUAGE_TITLES = {code: languages.TITLES[code] for code in LANGUAGES}
CLOSING_OUTCOMES = {
    "referred": _l("Referred to a service"),
    "responded": _l("Response given to the person"),
    "unreachable": _l("The person could not be reached"),
}


def language_label(code: str) -> str:
    """“Dari (دری)” in an English page, “Дари (دری)” in a Russian one; the code if unknown."""
    title, own = LANGUAGE_TITLES.get(code), LANGUAGES.get(code)
    if title is None:
        return code
    return str(title) if str(title) == own else f"{title} ({own})"


class FeedbackCase(Base):
    __tablename__ = "feedback_cases"
    __table_args__ = (
        one_of("status", STATUSES),
        one_of("type", TYPES),
        CheckConstraint("(type = 'sensitive') = (sensitive_category IS NOT NULL)", name="sensitive_has_category"),
        Index("ix_feedback_cases_list", "camp_id", "sensitive", "status", "received_on", "due_at"),
        Index("ix_feedback_cases_due", "status", "due_at"),
        # the dashboard's aggregates read only these two indexes, never the table (descriptions are long)
        Index("ix_feedback_cases_figures", "sensitive", "type", "sector", "channel", "received_on", "camp_id"),
        Index("ix_feedback_cases_response", "sensitive", "responded_at", "due_at", "created_at", "camp_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: told to the person (no personal data): ``FB-KHR-000123``, numbered 1, 2, 3 … in each camp among the
    #: general cases; a sensitive case's is random (``FB-KHR-K7QX4M``), so no gap shows where one was logged
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)
    type: Mapped[str] = mapped_column(String(20))
    #: denormalised from type so every list can filter sensitive cases out by index
    sensitive: Mapped[bool] = mapped_column(default=False)
    sensitive_category: Mapped[str | None] = mapped_column(String(20))
    sector: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    #: staff's translation of the person's words into a working language (the words themselves stay as said)
    translation: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(4))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    anonymous: Mapped[bool] = mapped_column(default=False)
    consent_to_contact: Mapped[bool] = mapped_column(default=False)
    #: how to reach the person back (a phone, "through the block leader"); only with consent
    contact: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="new")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_at: Mapped[datetime]
    referred_to: Mapped[str | None] = mapped_column(String(120))
    response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None]
    #: when and how the person was told the response: a case closes only after this (or anonymous)
    communicated_at: Mapped[datetime | None]
    communicated_how: Mapped[str | None] = mapped_column(String(120))
    closed_at: Mapped[datetime | None]
    #: how the case ended (``CLOSING_OUTCOMES``): required to close a sensitive case
    closing_outcome: Mapped[str | None] = mapped_column(String(16))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosks.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    events: Mapped[list[CaseEvent]] = relationship(order_by="CaseEvent.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<FeedbackCase {self.reference}>"


class FeedbackCounter(Base):
    """The last general (non-sensitive) case number handed out in a camp."""

    __tablename__ = "feedback_counters"

    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<FeedbackCounter camp {self.camp_id}: {self.last}>"


class CaseEvent(Base):
    """One step in a case's life: never changed, never deleted."""

    __tablename__ = "feedback_case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("feedback_cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: created, acknowledged, in_progress, referred, responded, communicated, closed, reopened,
    #: assigned, note
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class Kiosk(SecretLinkDevice, Base):
    """A help-desk tablet allowed to create cases without a personal account, until revoked."""

    __tablename__ = "kiosks"

    #: when the tablet last sent a case anyone but a protection officer may know of (never a sensitive one)
    last_used_at: Mapped[datetime | None] = mapped_column(sort_order=1)  # after the device's columns


#: the audit log shows events about a sensitive case (even that it exists) to protection officers only
restrict_events(
    "feedback_case",
    P.FEEDBACK_SENSITIVE,
    lambda: select(FeedbackCase.reference).where(FeedbackCase.sensitive.is_(True)),
)
