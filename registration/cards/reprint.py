"""Whether the household's valid card still shows its plot: a card printed before the household got
(or changed) its plot shows "—" or the old plot, and the household page suggests a reprint.

The card prints the plot held when it was printed (``registration.cards.services``), so the plot on
a printed card is the allocation that was current at ``Card.last_printed_at``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from camps.allocation.models import PlotAllocation
from camps.layout.models import Plot
from registration.cards.models import Card


@dataclass(frozen=True)
class OutdatedCard:
    serial: str
    printed_plot: str | None
    plot: str | None


def outdated_card(session: Session, card: Card | None, plot: Plot | None) -> OutdatedCard | None:
    """The valid ``card`` if it was printed with another plot than ``plot`` (the current one), else None."""
    if card is None or card.status != "valid" or card.last_printed_at is None:
        return None
    printed_at = card.last_printed_at
    printed = session.scalar(
        select(Plot.code)
        .join(PlotAllocation, PlotAllocation.plot_id == Plot.id)
        .where(
            PlotAllocation.household_id == card.household_id,
            PlotAllocation.started_at <= printed_at,
            or_(PlotAllocation.ended_at.is_(None), PlotAllocation.ended_at > printed_at),
        )
        .order_by(PlotAllocation.started_at.desc())
        .limit(1)
    )
    current = plot.code if plot is not None else None
    if printed == current:
        return None
    return OutdatedCard(serial=card.serial, printed_plot=printed, plot=current)
