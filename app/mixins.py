"""Column blocks that several models share, declared once (the tables keep their own names and indexes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import utcnow


class SecretLinkDevice:
    """A device that opens a camp's page with a secret link instead of an account (``app.secret_links``):
    a help-desk tablet (kiosk) or a notice-board screen."""

    id: Mapped[int] = mapped_column(primary_key=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    #: sha256 of the secret in the device's link; the secret itself is shown once
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.name!r}>"
