"""An uploaded pre-registration list: kept from validation to import, with what became of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class ImportBatch(Base):
    __tablename__ = "import_batches"
    __table_args__ = (CheckConstraint("status IN ('validated', 'importing', 'done', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    list_name: Mapped[str] = mapped_column(String(80))
    #: the file as uploaded, so that what is imported is exactly what was checked
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="validated")
    households_ok: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<ImportBatch {self.id} {self.status}>"
