"""ID cards and the keys that sign their QR codes."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from registration.households.models import Household

CARD_STATUSES = {'valid': _l('Valid'), 'replaced': _l('Replaced'), 'lost': _l('Reported lost or stolen'),
                 'revoked': _l('Revoked')}


class SigningKey(Base):
    """An Ed25519 key pair: the public half here, the private half in a 0600 file outside the repo."""

    __tablename__ = 'signing_keys'

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(8), unique=True)
    #: raw 32-byte Ed25519 public key
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: set when a newer key took over signing; cards it signed stay valid until they expire
    retired_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f'<SigningKey {self.kid}>'


class Card(Base):
    __tablename__ = 'cards'
    __table_args__ = (
        CheckConstraint("status IN ('valid', 'replaced', 'lost', 'revoked')", name='status'),
        Index('ix_cards_household_status', 'household_id', 'status'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: printed on the card and in its QR code (``C00000123``)
    serial: Mapped[str] = mapped_column(String(12), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey('households.id'), index=True)
    kid: Mapped[str] = mapped_column(String(8))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default='valid')
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
    last_printed_at: Mapped[datetime | None]
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey('cards.id', ondelete='SET NULL'))
    revoked_at: Mapped[datetime | None]
    #: the exact code printed, so that a reprint is the same card
    code: Mapped[str] = mapped_column(String(200))

    household: Mapped[Household] = relationship()

    def __repr__(self) -> str:
        return f'<Card {self.serial} {self.status}>'

    def is_current(self, today: date) -> bool:
        return self.status == 'valid' and self.expires_on >= today
