"""Who lived on which plot, when: one row per stay, never deleted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.db import Base, one_of, utcnow
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
        one_of("end_reason", END_REASONS, nullable=True),
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


def current_plots(session: Session, household_ids: Iterable[int], what: Any = Plot) -> dict[int, Any]:
    """``{household id: its current plot}`` for those of these households that live on one.

    The one home of "a household's current plot" (its stay that has not ended): pages, cards, exports,
    suggestions and moves all read it here. ``what`` picks what is given of it: ``Plot.code`` (exports read
    columns only), or ``PlotAllocation`` for the stay itself.
    """
    ids = list(household_ids)
    if not ids:
        return {}
    query = (
        select(PlotAllocation.household_id, what)
        .join(Plot, Plot.id == PlotAllocation.plot_id)
        .where(PlotAllocation.household_id.in_(ids), PlotAllocation.ended_at.is_(None))
    )
    return dict(session.execute(query).all())


def current_plot_of(session: Session, household_id: int) -> Plot | None:
    """The household's current plot (:func:`current_plots`)."""
    return current_plots(session, [household_id]).get(household_id)
