"""Messages to the camp's people: what they say in each language, to whom, who checked them, where they went.

A message is written by communication staff and approved by a second person before it goes out;
editing an approved message voids its approval. The notice board and printed notices show only
approved messages; each send through a channel is kept (``MessageSend``) with what it queued.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import languages
from app.db import Base, one_of, utcnow
from app.mixins import SecretLinkDevice

PURPOSES = {
    "distribution": _l("Distribution notice"),
    "camp_rule": _l("Camp rule"),
    "service_hours": _l("Service hours"),
    "health_safety": _l("Health and safety"),
    "you_said": _l("You said, we did"),
    "rumour": _l("Rumour response"),
    "answer": _l("Answer to a common question"),
}
AUDIENCES = {
    "camp": _l("The whole camp"),
    "sectors": _l("Households in some sectors"),
    "blocks": _l("Households in some blocks"),
    "needs": _l("Households with a specific need"),
    "round_not_served": _l("Households of a distribution round not yet served"),
    "household": _l("One household"),
}
#: message languages (BCP 47), in the order the notices show them
MESSAGE_LANGUAGES = {languages.tag(code): own for code, own in languages.OWN_NAMES.items()}
LANGUAGE_TITLES = {languages.tag(code): title for code, title in languages.TITLES.items()}
RTL_LANGUAGES = frozenset({"fa-AF", "ps"})
#: other names channels may use for a message language (the SMS outbox stores ISO 639-1 ``fa``)
LANGUAGE_ALIASES = languages.TAGS | {iso3: languages.tag(code) for iso3, code in languages.FROM_ISO3.items()}
#: why a channel left a household out (the keys of ChannelPreview.skipped and SendResult.skipped)
SKIP_REASONS = {
    "inactive": _l("No longer in the camp"),
    "no_consent": _l("Not to be contacted"),
    "no_phone": _l("No phone number"),
    "opted_out": _l("Asked to get no messages (STOP)"),
    "no_language": _l("Language not recorded"),
    "no_text": _l("No text in their language"),
    "no_text_in_language": _l("No text in their language"),
    "already_queued": _l("Already sent this message"),
}
STATUSES = {
    "draft": _l("Draft, waiting for a second person to check it"),
    "approved": _l("Approved"),
    "withdrawn": _l("Withdrawn"),
}


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        one_of("purpose", PURPOSES),
        one_of("audience", AUDIENCES),
        one_of("status", STATUSES),
        CheckConstraint("status != 'approved' OR approved_by_id IS NOT NULL", name="approved_has_approver"),
        Index("ix_messages_board", "camp_id", "status", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), index=True)
    #: in the QR code and the notice's public link: random, says nothing about anyone
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    #: for staff lists only (never printed or sent)
    title: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(20))
    audience: Mapped[str] = mapped_column(String(20))
    #: the audience's parts, space separated: sector or block ids, need codes; for 'household' and
    #: 'round_not_served' the id is in household_id / round_id
    audience_ids: Mapped[str | None] = mapped_column(String(400))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("distribution_rounds.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"))
    #: the feedback sector it answers (shelter, food ...), for the feedback dashboard's themes
    theme: Mapped[str | None] = mapped_column(String(20))
    #: the last day it is shown on the notice board (none: until withdrawn)
    expires_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    #: raised by every edit: an approval is for one version
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]

    texts: Mapped[list[MessageText]] = relationship(
        cascade="all, delete-orphan", order_by="MessageText.id", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<Message {self.id} {self.purpose} {self.status}>"

    def text_for(self, language: str) -> str | None:
        """The text in ``language`` (``fa-AF`` or ``fa``, ``ps``, ``tg``, ``ru``, ``uz``, ``en``), or None."""
        language = LANGUAGE_ALIASES.get(language, language)
        return next((t.text for t in self.texts if t.language == language), None)

    @property
    def languages(self) -> list[str]:
        present = {t.language for t in self.texts}
        return [code for code in MESSAGE_LANGUAGES if code in present]

    @property
    def audience_parts(self) -> list[str]:
        return (self.audience_ids or "").split()


class MessageText(Base):
    __tablename__ = "message_texts"
    __table_args__ = (UniqueConstraint("message_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)


class MessageSend(Base):
    """One sending (or printing) of an approved message through a channel."""

    __tablename__ = "message_sends"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    channel: Mapped[str] = mapped_column(String(12))
    #: the form's one-time token: a double click or a retried request finds this row instead of sending again
    token: Mapped[str] = mapped_column(String(40), unique=True)
    version: Mapped[int] = mapped_column(Integer)
    #: households in the audience when it was sent
    audience_size: Mapped[int] = mapped_column(Integer, default=0)
    queued: Mapped[int] = mapped_column(Integer, default=0)
    #: reason -> households left out
    skipped: Mapped[dict | None] = mapped_column(JSON)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<MessageSend {self.id} {self.channel} {self.queued}>"


class MessageCase(Base):
    """A feedback case a message answers: the "you said, we did", a rumour, a frequent question."""

    __tablename__ = "message_cases"
    __table_args__ = (UniqueConstraint("message_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("feedback_cases.id"), index=True)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)


class NoticeBoard(SecretLinkDevice, Base):
    """A screen or phone allowed to open a camp's public notice board, until its secret link is revoked."""

    __tablename__ = "notice_boards"
