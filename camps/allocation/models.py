"""Who lived on which plot, when: one row per stay, never deleted."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from camps.layout.models import Plot

END_REASONS = {
    "relocated": _l("Relocated"),
    "vacated": _l("Vacated"),
    "departed": _l("Household departed"),
    "transferred": _l("Transferred to another camp"),
    "inactive": _l("Household inactive"),
    "merged": _l("Household merged"),
}


class PlotAllocation(Base):
    __tablename__ = "plot_allocations"
    __table_args__ = (
        CheckConstraint(
            "end_reason IS NULL OR end_reason IN ('relocated', 'vacated', 'departed', 'transferred', "
            "'inactive', 'merged')",
            name="end_reason",
        ),
        # a household lives on one plot at a time, whatever races the application loses
        Index(
            "uq_plot_allocations_current_household",
            "household_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        Index("ix_plot_allocations_plot_current", "plot_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), index=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plots.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    end_reason: Mapped[str | None] = mapped_column(String(12))
    #: why the manager went ahead although a Sphere threshold was breached
    override_reason: Mapped[str | None] = mapped_column(String(300))
    #: the warnings shown when it was confirmed, space separated
    warnings: Mapped[str] = mapped_column(String(120), default="")

    plot: Mapped[Plot] = relationship()

    def __repr__(self) -> str:
        return f"<PlotAllocation plot={self.plot_id} household={self.household_id}>"

    @property
    def end_title(self) -> str:
        return str(END_REASONS.get(self.end_reason or "", self.end_reason or ""))
