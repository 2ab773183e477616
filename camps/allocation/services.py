"""Allocating, relocating and vacating plots.

Concurrency: the household row is locked first, then the plot rows in id order, so two desks
allocating at once serialise on PostgreSQL (``SELECT … FOR UPDATE``) without deadlocking; on
SQLite the request's ``BEGIN IMMEDIATE`` serialises writers. ``Plot.household_count`` is
checked under that lock and bounded by a CHECK constraint; a partial unique index keeps a
household on one plot whatever happens.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app.audit.services import log_action
from app.db import utcnow
from app.errors import UserValueError
from app.users.actors import Actor
from camps.allocation.models import END_REASONS, PlotAllocation, current_plots
from camps.allocation.suggestions import people_on_plots
from camps.layout import standards
from camps.layout.models import Plot, plot_has_room
from camps.layout.services import block_areas
from camps.sites.models import Camp
from registration.households.models import Household
from registration.households.signals import household_left

#: thresholds an allocation may breach only with a recorded reason
WARNINGS = {
    "covered": _l("Covered space per person would be below the Sphere threshold."),
    "block_site": _l("The block would have less than 30 m² of site area per person."),
    "reserved": _l("The plot is reserved."),
}
MAX_REASON = 300


def current_allocation(session: Session, household_id: int) -> PlotAllocation | None:
    """The household's current stay (:func:`camps.allocation.models.current_plots`)."""
    return current_plots(session, [household_id], PlotAllocation).get(household_id)


def history(session: Session, *, household_id: int | None = None) -> list[PlotAllocation]:
    """Stays, newest first, each with its plot loaded."""
    query = (
        select(PlotAllocation)
        .options(joinedload(PlotAllocation.plot))
        .order_by(PlotAllocation.started_at.desc(), PlotAllocation.id.desc())
    )
    if household_id is not None:
        query = query.where(PlotAllocation.household_id == household_id)
    return list(session.scalars(query))


def _waiting():
    """SQL condition: the household is active and has no plot."""
    housed = (
        select(PlotAllocation.id)
        .where(PlotAllocation.household_id == Household.id, PlotAllocation.ended_at.is_(None))
        .exists()
    )
    return (Household.status == "active") & ~housed


def waiting_query(camp_id: int):
    """Active households of the camp without a plot, those who arrived first first."""
    return (
        select(Household).where(Household.camp_id == camp_id, _waiting()).order_by(Household.arrival_date, Household.id)
    )


def camp_shelter_counts(session: Session, camp_ids) -> dict[int, dict[str, int]]:
    """Per camp: plots, plots with room, households waiting for a plot."""
    counts = {camp_id: {"plots": 0, "free": 0, "waiting": 0} for camp_id in camp_ids}
    if not counts:
        return counts
    rows = session.execute(
        select(Plot.camp_id, func.count(), func.count().filter(plot_has_room()))
        .where(Plot.camp_id.in_(counts))
        .group_by(Plot.camp_id)
    )
    for camp_id, plots, free in rows:
        counts[camp_id].update(plots=plots, free=free)
    waiting = session.execute(
        select(Household.camp_id, func.count())
        .where(Household.camp_id.in_(counts), _waiting())
        .group_by(Household.camp_id)
    )
    for camp_id, n in waiting:
        counts[camp_id]["waiting"] = n
    return counts


@dataclass
class PlotStays:
    """Who lives on a plot now and who lived there before, with the covered space per person."""

    current: list
    history: list
    people: int
    per_person: float | None


def plot_stays(session: Session, plot: Plot) -> PlotStays:
    stays = session.execute(
        select(PlotAllocation, Household.number, Household.size)
        .join(Household, PlotAllocation.household_id == Household.id)
        .where(PlotAllocation.plot_id == plot.id)
        .order_by(PlotAllocation.ended_at.is_not(None), PlotAllocation.started_at.desc())
    ).all()
    current = [s for s in stays if s[0].ended_at is None]
    people = sum(size for _stay, _number, size in current)
    return PlotStays(
        current=current,
        history=[s for s in stays if s[0].ended_at is not None],
        people=people,
        per_person=round(plot.covered_m2 / people, 1) if people else None,
    )


def plot_in_camp(session: Session, camp_id: int, code: str) -> Plot | None:
    return session.scalar(select(Plot).where(Plot.camp_id == camp_id, Plot.code == (code or "").strip().upper()))


def breach_warnings(session: Session, household: Household, plot: Plot) -> list[str]:
    """The Sphere thresholds this allocation would breach (codes of WARNINGS)."""
    camp = session.get_one(Camp, plot.camp_id)
    size = max(household.size, 1)
    warnings = []
    people_there = people_on_plots(session, [plot.id]).get(plot.id, 0) if plot.household_count else 0
    if plot.covered_m2 / (people_there + size) < standards.covered_threshold(camp.climate):
        warnings.append("covered")
    block_area = block_areas(session, plot.camp_id, block_ids=[plot.block_id]).get(plot.block_id)
    block_people = session.scalar(
        select(func.coalesce(func.sum(Household.size), 0))
        .select_from(PlotAllocation)
        .join(Plot, Plot.id == PlotAllocation.plot_id)
        .join(Household, Household.id == PlotAllocation.household_id)
        .where(Plot.block_id == plot.block_id, PlotAllocation.ended_at.is_(None))
    )
    if block_area and block_area / ((block_people or 0) + size) < standards.SITE_M2_MIN:
        warnings.append("block_site")
    if plot.status == "reserved":
        warnings.append("reserved")
    return warnings


def _lock_household(session: Session, household: Household) -> Household:
    """Take the household's row lock and re-read it (another desk may have just changed it)."""
    session.flush()  # re-reading must not discard this transaction's own changes
    return session.scalars(
        select(Household)
        .where(Household.id == household.id)
        .with_for_update(of=Household)
        .execution_options(populate_existing=True)
    ).one()


def _lock_plots(session: Session, ids) -> dict[int, Plot]:
    plots = session.scalars(
        select(Plot)
        .where(Plot.id.in_(sorted(set(ids))))
        .order_by(Plot.id)
        .with_for_update(of=Plot)
        .execution_options(populate_existing=True)
    )
    return {plot.id: plot for plot in plots}


def _leave(plot: Plot) -> None:
    plot.household_count -= 1
    if plot.household_count == 0 and plot.status == "occupied":
        plot.status = "vacant"


def allocate(
    session: Session,
    actor: Actor,
    household: Household,
    plot: Plot,
    *,
    override_reason: str | None = None,
    relocate: bool = False,
) -> PlotAllocation:
    """Give the household this plot (moving it from its current one when ``relocate``).

    Asking again for the plot the household already has returns its current allocation unchanged.
    """
    household = _lock_household(session, household)
    if household.status != "active":
        raise UserValueError(
            _(
                "Household %(number)s is not active (%(status)s): it cannot be given a plot.",
                number=household.number,
                status=household.status,
            ),
            field="plot",
        )
    if plot.camp_id != household.camp_id:
        raise UserValueError(_("Plot %(plot)s is in another camp.", plot=plot.code), field="plot")
    current = current_allocation(session, household.id)
    if current is not None and current.plot_id == plot.id:
        return current  # a repeated click or a retry: nothing more to do
    if current is not None and not relocate:
        raise UserValueError(
            _(
                "Household %(number)s already lives on plot %(plot)s: relocate it instead.",
                number=household.number,
                plot=current.plot.code,
            ),
            field="plot",
        )
    locked = _lock_plots(session, [plot.id] + ([current.plot_id] if current else []))
    plot = locked[plot.id]
    if plot.status == "out_of_use":
        raise UserValueError(_("Plot %(plot)s is out of use.", plot=plot.code), field="plot")
    if plot.household_count >= plot.capacity:
        raise UserValueError(
            _(
                "Plot %(plot)s was just taken (it holds %(n)d household(s)). Choose another.",
                plot=plot.code,
                n=plot.capacity,
            ),
            field="plot",
        )
    warnings = breach_warnings(session, household, plot)
    reason = (override_reason or "").strip()[:MAX_REASON] or None
    if warnings and reason is None:
        raise UserValueError(
            " ".join(str(WARNINGS[w]) for w in warnings) + " " + _("Give a reason to go ahead."),
            field="override_reason",
        )
    now = utcnow()
    if current is not None:
        current.ended_at, current.ended_by_id, current.end_reason = now, _actor_id(actor), "relocated"
        _leave(locked[current.plot_id])
    plot.household_count += 1
    plot.status = "occupied"
    allocation = PlotAllocation(
        camp_id=plot.camp_id,
        plot_id=plot.id,
        household_id=household.id,
        started_at=now,
        started_by_id=_actor_id(actor),
        override_reason=reason if warnings else None,
        warnings=" ".join(warnings),
    )
    try:
        with session.begin_nested():
            session.add(allocation)
    except IntegrityError:  # pragma: no cover - the row locks above make this unreachable in practice
        raise UserValueError(_("Another desk has just given this household a plot."), field="plot") from None
    log_action(
        session,
        actor,
        "plot.relocate" if current else "plot.allocate",
        object_type="household",
        object_id=household.id,
        camp_id=plot.camp_id,
        details={"plot": plot.code, "from_plot": current.plot.code if current else None, "warnings": warnings},
    )
    return allocation


def vacate(session: Session, actor: Actor, household: Household, reason: str = "vacated") -> PlotAllocation | None:
    """End the household's stay on its plot; None if it had none."""
    if reason not in END_REASONS or reason == "relocated":
        raise ValueError(reason)
    household = _lock_household(session, household)
    current = current_allocation(session, household.id)
    if current is None:
        return None
    plot = _lock_plots(session, [current.plot_id])[current.plot_id]
    current.ended_at, current.ended_by_id, current.end_reason = utcnow(), _actor_id(actor), reason
    _leave(plot)
    session.flush()
    log_action(
        session,
        actor,
        "plot.vacate",
        object_type="household",
        object_id=household.id,
        camp_id=plot.camp_id,
        details={"plot": plot.code, "reason": reason},
    )
    return current


def release(session: Session, actor: Actor, household: Household, reason: str) -> None:
    """Free the plot of a household that departed, became inactive or left for another camp."""
    vacate(session, actor, household, reason)


def _household_left(household: Household, *, session: Session, actor: Actor, reason: str) -> None:
    release(session, actor, household, reason)


def connect() -> None:
    """Free the plot of every household that leaves (:data:`registration.households.signals.household_left`).

    Called by ``app.factory.create_app``; connecting again changes nothing.
    """
    household_left.connect(_household_left)


def _actor_id(actor: Actor) -> int | None:
    return getattr(actor, "id", None)


__all__ = [
    "WARNINGS",
    "allocate",
    "breach_warnings",
    "current_allocation",
    "history",
    "plot_in_camp",
    "plot_stays",
    "release",
    "vacate",
    "waiting_query",
    "camp_shelter_counts",
    "connect",
]
