"""The figures dashboard of one camp or of every camp a user may see.

Each part is a handful of aggregate queries (see ``population``): people from the trigger-kept
counts, households and arrivals from covering indexes, occupancy per camp, the coverage of each
camp's current distribution round, and feedback totals. No person or case is loaded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, false, func, select
from sqlalchemy.orm import Session

from app import permissions as P
from app.db import utcnow
from camps.distributions.models import DistributionRound
from camps.distributions.reconcile import round_counts
from camps.feedback.dashboard import open_and_overdue, period_start
from camps.feedback.models import FeedbackCase
from camps.figures import population
from camps.figures.stats import MIN_CELL
from camps.occupancy.indicators import Figures, camp_totals
from camps.sites.models import Camp

ARRIVAL_DAYS = 28
ARRIVAL_WEEKS = 12


@dataclass
class Coverage:
    """How many qualifying households collected in a camp's current distribution round."""

    camp: Camp
    round: DistributionRound
    collected: int
    expected: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.collected / self.expected) if self.expected else None


@dataclass
class FeedbackTotals:
    """Non-sensitive feedback: received in the last 7 and 28 days, open now, overdue now."""

    week: int = 0
    four_weeks: int = 0
    open: int = 0
    overdue: int = 0


@dataclass
class Dashboard:
    camps: list[Camp]
    today: date
    by_status: list[population.StatusCount]
    pyramid: population.Pyramid
    needs: list[population.NeedCategory]
    arrivals: list[population.Arrivals]
    weekly_arrivals: list[population.Arrivals]
    occupancy: list[Figures]
    coverage: list[Coverage]
    feedback: FeedbackTotals
    #: counts from 1 to this minus one are shown as "<n" (0: exact), for accounts that see no household
    masked_below: int = 0
    generated_at: datetime = field(default_factory=utcnow)

    def masked(self, value: int) -> bool:
        return is_masked(value, self.masked_below)

    def shown(self, value: int) -> int | None:
        """``value``, or None where it is masked."""
        return None if self.masked(value) else value

    @property
    def people(self) -> int:
        return self.pyramid.total()

    @property
    def households(self) -> int:
        return next((s.households for s in self.by_status if s.status == 'active'), 0)

    @property
    def arrived_last_week(self) -> int:
        return sum(a.people for a in self.arrivals[-7:])


def is_masked(value: int, masked_below: int) -> bool:
    """A count from 1 to ``masked_below - 1``: it could single out a family."""
    return bool(masked_below) and 0 < value < masked_below


def masked_below_for(user) -> int:
    """Accounts that may see no household (headquarters, partners, admins) get small counts masked."""
    return 0 if user.can(P.HOUSEHOLDS_VIEW) else MIN_CELL


def build(session: Session, camps: list[Camp], today: date, *, protection: bool, masked_below: int = 0) -> Dashboard:
    """The dashboard of ``camps`` (already limited to the ones the user may see)."""
    ids = [c.id for c in camps]
    start = period_start(today, ARRIVAL_WEEKS)
    days = population.arrivals_by_day(session, ids, start, today)
    return Dashboard(
        camps=camps, today=today,
        by_status=population.households_by_status(session, ids),
        pyramid=population.pyramid(session, ids, today),
        needs=population.needs_by_category(session, ids, protection=protection),
        arrivals=days[-ARRIVAL_DAYS:], weekly_arrivals=population.by_week(days),
        occupancy=[camp_totals(session, camp) for camp in camps],
        coverage=current_coverage(session, camps, today),
        feedback=feedback_totals(session, ids, today), masked_below=masked_below)


def current_coverage(session: Session, camps: list[Camp], today: date) -> list[Coverage]:
    """Each camp's open round running today (the latest to start when several run)."""
    by_camp = {c.id: c for c in camps}
    rounds: dict[int, DistributionRound] = {}
    for round_ in session.scalars(select(DistributionRound)
                                  .where(DistributionRound.camp_id.in_(list(by_camp)),
                                         DistributionRound.status == 'open', DistributionRound.starts_on <= today,
                                         DistributionRound.ends_on >= today)
                                  .order_by(DistributionRound.starts_on, DistributionRound.id)):
        rounds[round_.camp_id] = round_
    counts = round_counts(session, list(rounds.values()))
    return [Coverage(by_camp[camp_id], r, *counts[r.id]) for camp_id, r in rounds.items()]


def feedback_totals(session: Session, camp_ids: list[int], today: date) -> FeedbackTotals:
    general = and_(FeedbackCase.camp_id.in_(camp_ids), FeedbackCase.sensitive == false())
    week, four_weeks = session.execute(
        select(func.count().filter(FeedbackCase.received_on > today - timedelta(days=7)), func.count())
        .where(general, FeedbackCase.received_on > today - timedelta(days=28),
               FeedbackCase.received_on <= today)).one()
    open_now, overdue = open_and_overdue(session, camp_ids, utcnow())
    return FeedbackTotals(week=week, four_weeks=four_weeks, open=open_now, overdue=overdue)
