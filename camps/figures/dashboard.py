"""The figures dashboard of one camp or of every camp a user may see.

Each part is a handful of aggregate queries (see ``population``): people from the trigger-kept
counts, households and arrivals from covering indexes, occupancy per camp, the coverage of each
camp's current distribution round, and feedback totals. No person or case is loaded.

Every count a page shows has a key in ``Dashboard.cells``: ``people``; ``pyr.f`` and ``pyr.m`` (by
sex), ``pyr.<band>``, ``pyr.f.<band>``, ``pyr.m.<band>``; ``status.<status>.households`` and
``.people``; ``need.<category>``; ``day.<date>.households`` / ``.people`` (the last 28 days),
``week.<Monday>.households`` / ``.people``, ``arrived.7`` and ``arrived.28`` (people);
``coverage.<camp>.collected`` / ``.expected``. For accounts that see no household each camp's small
counts are hidden with :mod:`camps.figures.masking`, tied by the sums a page shows beside them, and
whatever other camps hold, so that every page, account and export shows a camp alike (the HXL
statistics' camp lines too: :func:`published_blanks`). All camps together are then hidden where a
camp's hidden count would come back as all camps minus the others. On the page, in the situation
report and through the API no hidden count comes back as a total minus the counts shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import format_decimal
from sqlalchemy import and_, false, func, select
from sqlalchemy.orm import Session

from app import permissions as P
from app.db import utcnow
from app.visibility import hidden_text
from camps.distributions.models import DistributionRound
from camps.distributions.reconcile import round_counts
from camps.feedback.dashboard import open_and_overdue, period_start
from camps.feedback.models import FeedbackCase
from camps.figures import population
from camps.figures.indicators import Figures, camp_totals
from camps.figures.masking import Cells, occupancy_mask
from camps.figures.population import BAND_KEYS, SEX_KEYS
from camps.figures.stats import MIN_CELL
from camps.sites.models import Camp
from registration.households.services import active_households

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
    #: counts from 1 to this minus one are hidden, and any count that would give one back (0: all shown)
    masked_below: int = 0
    generated_at: datetime = field(default_factory=utcnow)
    #: every count shown, by key (see the module's description), and the keys hidden from this account
    cells: dict[str, int] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()
    #: codes of camps whose people on plots are hidden, and with them every figure per person
    occupancy_hidden: frozenset[str] = frozenset()

    def value(self, key: str) -> int | None:
        """The count under ``key``, or None where it is hidden."""
        return None if key in self.hidden else self.cells.get(key, 0)

    def text(self, key: str) -> str:
        """``1,234``, or the word for a hidden count."""
        value = self.value(key)
        return hidden_text() if value is None else format_decimal(value, format="#,##0")

    def share(self, key: str, of: str) -> str:
        """``key`` as a percentage of ``of`` (hidden if either is)."""
        part, whole = self.value(key), self.value(of)
        if part is None or whole is None:
            return hidden_text()
        return f"{100 * part / whole:.0f}" if whole else "—"

    def largest(self, keys) -> int:
        """The largest count shown among ``keys`` (at least 1: a chart's scale)."""
        return max((v for v in map(self.value, keys) if v), default=0) or 1

    @property
    def people(self) -> int:
        return self.pyramid.total()

    @property
    def households(self) -> int:
        return next((s.households for s in self.by_status if s.status == "active"), 0)

    @property
    def arrived_last_week(self) -> int:
        return sum(a.people for a in self.arrivals[-7:])


HOUSEHOLDS = "status.active.households"


def masked_below_for(user) -> int:
    """Accounts that may see no household (headquarters, partners, admins) get small counts hidden."""
    return 0 if user.can(P.HOUSEHOLDS_VIEW) else MIN_CELL


def build(session: Session, camps: list[Camp], today: date, *, protection: bool, masked_below: int = 0) -> Dashboard:
    """The dashboard of ``camps`` (already limited to the ones the user may see); with ``masked_below``, small
    counts hidden: each camp's as every page shows them, and all camps' together so that no camp's comes back."""
    if not masked_below:
        board = _build(session, camps, today, protection)
        board.cells = cells_of(board)
        return board
    boards, together, cells = _masked(session, camps, today, protection, masked_below)
    if len(camps) == 1:
        chosen = boards[camps[0].code]
        chosen.hidden = cells.hidden(camps[0].code)
    else:
        assert together is not None  # built for more than one camp
        chosen = together
        chosen.hidden = cells.hidden("*").union(
            *({k for k in cells.hidden(c.code) if k.startswith("coverage.")} for c in camps)
        )
    chosen.masked_below = masked_below
    masks = [occupancy_mask(session, camp, masked=True) for camp in camps]
    chosen.occupancy = [mask.figures.camp for mask in masks]
    chosen.occupancy_hidden = frozenset(m.figures.camp.code for m in masks if m.hides("camp", ""))
    chosen.feedback = feedback_totals(session, [c.id for c in camps], today)
    return chosen


def camp_households(session: Session, user, camps: list[Camp], today: date) -> dict[int, tuple[int | None, ...]]:
    """Each camp's active households and the people in them as /figures shows them to ``user`` (None: hidden)."""
    keys = (HOUSEHOLDS, "status.active.people")
    masked_below = masked_below_for(user)
    if not masked_below:
        found = active_households(session, [c.id for c in camps])
        return {c.id: found.get(c.id, (0, 0)) for c in camps}
    boards, _together, cells = _masked(session, camps, today, False, masked_below, together=False)
    return {
        c.id: tuple(None if key in cells.hidden(c.code) else boards[c.code].cells[key] for key in keys) for c in camps
    }


#: the counts of a camp's line in the HXL statistics, by the dashboard's key
HXL_COLUMNS = {
    "people": "total",
    "pyr.f": "f_total",
    "pyr.m": "m_total",
    HOUSEHOLDS: "hh",
    **{f"pyr.{sex}.{band}": f"{sex}_{band}" for sex in SEX_KEYS for band in BAND_KEYS},
}


def published_blanks(session: Session, camps: list[Camp], today: date) -> dict:
    """What the HXL statistics must leave blank to agree with the pages (``stats.population_rows``): a camp
    line's counts hidden on /figures, and block and no-plot lines' people and households hidden on the
    occupancy pages (a no-plot line is the camp's people minus those on plots)."""
    _boards, _together, cells = _masked(session, camps, today, False, MIN_CELL, together=False)
    blanks: dict = {}
    for camp in camps:
        hidden = cells.hidden(camp.code)
        blanks[(camp.id, "camp", None)] = {column for key, column in HXL_COLUMNS.items() if key in hidden}
        mask = occupancy_mask(session, camp, masked=True)
        blanks[(camp.id, "no_plot", None)] = {
            column for key, column in (("people", "total"), ("households", "hh")) if mask.hides("camp", camp.code, key)
        }
        for block in mask.figures.blocks:
            blanks[(camp.id, "block", block.code)] = {
                column
                for key, column in (("people", "total"), ("households", "hh"))
                if mask.hides("block", block.code, key)
            }
    return blanks


def _masked(
    session: Session, camps: list[Camp], today: date, protection: bool, masked_below: int, *, together: bool = True
) -> tuple[dict[str, Dashboard], Dashboard | None, Cells]:
    """Each camp's board with its small counts hidden (whatever other camps hold, so that every page and
    account sees a camp alike), then, with ``together``, all of them added up and hidden where a camp's
    hidden count would come back."""
    ids = [c.id for c in camps]
    start = period_start(today, ARRIVAL_WEEKS)
    pyramids = population.pyramids_by_camp(session, ids, today)
    statuses = population.statuses_by_camp(session, ids)
    needs = population.needs_by_camp(session, ids, protection=protection)
    days = population.arrivals_by_camp(session, ids, start, today)
    coverage = current_coverage(session, camps, today)
    boards = {
        c.code: Dashboard(
            camps=[c],
            today=today,
            by_status=statuses[c.id],
            pyramid=pyramids[c.id],
            needs=population.need_list(needs[c.id]),
            arrivals=days[c.id][-ARRIVAL_DAYS:],
            weekly_arrivals=population.by_week(days[c.id]),
            occupancy=[],
            feedback=FeedbackTotals(),
            coverage=[x for x in coverage if x.camp.id == c.id],
        )
        for c in camps
    }
    cells = Cells(masked_below)
    for code, board in boards.items():
        board.cells = cells_of(board)
        cells.add(code, board.cells)
        _tie(cells, code, board)
    cells.suppress()
    if not together:
        return boards, None, cells
    added = _together(camps, boards, today)
    added.cells = cells_of(added)
    cells.add("*", {k: v for k, v in added.cells.items() if not k.startswith("coverage.")})  # a round is one camp's
    _tie(cells, "*", added, coverage=False)
    for key in list(cells.rows["*"].true):
        cells.tie([(code, key) for code in boards], ("*", key))
    cells.suppress(frozen=frozenset(boards))
    return boards, added, cells


def _build(session: Session, camps: list[Camp], today: date, protection: bool) -> Dashboard:
    ids = [c.id for c in camps]
    start = period_start(today, ARRIVAL_WEEKS)
    days = population.arrivals_by_day(session, ids, start, today)
    return Dashboard(
        camps=camps,
        today=today,
        by_status=population.households_by_status(session, ids),
        pyramid=population.pyramid(session, ids, today),
        needs=population.needs_by_category(session, ids, protection=protection),
        arrivals=days[-ARRIVAL_DAYS:],
        weekly_arrivals=population.by_week(days),
        occupancy=[camp_totals(session, camp) for camp in camps],
        coverage=current_coverage(session, camps, today),
        feedback=feedback_totals(session, ids, today),
    )


def _together(camps: list[Camp], boards: dict[str, Dashboard], today: date) -> Dashboard:
    """The camps' boards added up (occupancy and coverage stay per camp)."""
    pyramid = population.Pyramid()
    statuses: dict[str, population.StatusCount] = {}
    needs: dict[str, int] = {}
    arrivals = {a.day: population.Arrivals(a.day, 0, 0) for a in next(iter(boards.values())).arrivals} if boards else {}
    weeks: dict[date, population.Arrivals] = {}
    for board in boards.values():
        for sex in SEX_KEYS:
            for band in BAND_KEYS:
                pyramid.cells[sex][band] += board.pyramid.cells[sex][band]
        for row in board.by_status:
            total = statuses.setdefault(row.status, population.StatusCount(row.status, 0, 0))
            total.households += row.households
            total.people += row.people
        for need in board.needs:
            needs[need.code] = needs.get(need.code, 0) + need.recorded
        for many, rows in ((arrivals, board.arrivals), (weeks, board.weekly_arrivals)):
            for day_row in rows:
                arrived = many.setdefault(day_row.day, population.Arrivals(day_row.day, 0, 0))
                arrived.households += day_row.households
                arrived.people += day_row.people
    return Dashboard(
        camps=camps,
        today=today,
        pyramid=pyramid,
        needs=population.need_list(needs),
        by_status=[statuses[s] for s in population.STATUS_ORDER if s in statuses],
        arrivals=list(arrivals.values()),
        weekly_arrivals=list(weeks.values()),
        occupancy=[],
        coverage=[c for board in boards.values() for c in board.coverage],
        feedback=FeedbackTotals(),
    )


def cells_of(board: Dashboard) -> dict[str, int]:
    """Every count of the board by key, and the parts of a week before the 28 days (``early.``: never shown)."""
    cells = {
        "people": board.people,
        "arrived.7": board.arrived_last_week,
        "arrived.28": sum(a.people for a in board.arrivals),
    }
    for sex in SEX_KEYS:
        cells[f"pyr.{sex}"] = board.pyramid.total(sex)
        for band in BAND_KEYS:
            cells[f"pyr.{sex}.{band}"] = board.pyramid.cells[sex][band]
    for band in BAND_KEYS:
        cells[f"pyr.{band}"] = board.pyramid.band_total(band)
    for status in population.STATUS_ORDER:
        row = next((s for s in board.by_status if s.status == status), None)
        cells[f"status.{status}.households"] = row.households if row else 0
        cells[f"status.{status}.people"] = row.people if row else 0
    for need in board.needs:
        cells[f"need.{need.code}"] = need.recorded
    for key, rows in (("day", board.arrivals), ("week", board.weekly_arrivals)):
        for day_row in rows:
            cells[f"{key}.{day_row.day.isoformat()}.households"] = day_row.households
            cells[f"{key}.{day_row.day.isoformat()}.people"] = day_row.people
    for week in board.weekly_arrivals:
        mine = [d for d in board.arrivals if d.day - timedelta(days=d.day.weekday()) == week.day]
        for what in ("households", "people"):
            cells[f"early.{week.day.isoformat()}.{what}"] = getattr(week, what) - sum(getattr(d, what) for d in mine)
    for c in board.coverage:
        cells[f"coverage.{c.camp.code}.collected"] = c.collected
        cells[f"coverage.{c.camp.code}.expected"] = c.expected
        cells[f"coverage.{c.camp.code}.missing"] = max(0, c.expected - c.collected)
    return cells


def _tie(cells: Cells, name: str, board: Dashboard, coverage: bool = True) -> None:
    """The sums a page shows beside the counts of one board (row ``name``)."""
    for sex in SEX_KEYS:
        cells.tie([(name, f"pyr.{sex}.{band}") for band in BAND_KEYS], (name, f"pyr.{sex}"))
    for band in BAND_KEYS:
        cells.tie([(name, f"pyr.{sex}.{band}") for sex in SEX_KEYS], (name, f"pyr.{band}"))
    cells.tie([(name, f"pyr.{sex}") for sex in SEX_KEYS], (name, "people"))
    cells.tie([(name, f"pyr.{band}") for band in BAND_KEYS], (name, "people"))
    cells.tie([(name, "status.active.people")], (name, "people"))  # the same people, counted another way
    for week in board.weekly_arrivals:
        monday = week.day.isoformat()
        days = [d.day.isoformat() for d in board.arrivals if d.day - timedelta(days=d.day.weekday()) == week.day]
        for what in ("households", "people"):
            cells.tie(
                [(name, f"day.{d}.{what}") for d in days] + [(name, f"early.{monday}.{what}")],
                (name, f"week.{monday}.{what}"),
            )
    cells.tie([(name, f"day.{d.day.isoformat()}.people") for d in board.arrivals[-7:]], (name, "arrived.7"))
    cells.tie([(name, f"day.{d.day.isoformat()}.people") for d in board.arrivals], (name, "arrived.28"))
    for c in board.coverage if coverage else ():
        code = c.camp.code
        cells.tie(
            [(name, f"coverage.{code}.collected"), (name, f"coverage.{code}.missing")],
            (name, f"coverage.{code}.expected"),
        )


def current_coverage(session: Session, camps: list[Camp], today: date) -> list[Coverage]:
    """Each camp's open round running today (the latest to start when several run)."""
    by_camp = {c.id: c for c in camps}
    rounds: dict[int, DistributionRound] = {}
    for round_ in session.scalars(
        select(DistributionRound)
        .where(
            DistributionRound.camp_id.in_(list(by_camp)),
            DistributionRound.status == "open",
            DistributionRound.starts_on <= today,
            DistributionRound.ends_on >= today,
        )
        .order_by(DistributionRound.starts_on, DistributionRound.id)
    ):
        rounds[round_.camp_id] = round_
    counts = round_counts(session, list(rounds.values()))
    return [Coverage(by_camp[camp_id], r, *counts[r.id]) for camp_id, r in rounds.items()]


def feedback_totals(session: Session, camp_ids: list[int], today: date) -> FeedbackTotals:
    general = and_(FeedbackCase.camp_id.in_(camp_ids), FeedbackCase.sensitive == false())
    week, four_weeks = session.execute(
        select(func.count().filter(FeedbackCase.received_on > today - timedelta(days=7)), func.count()).where(
            general, FeedbackCase.received_on > today - timedelta(days=28), FeedbackCase.received_on <= today
        )
    ).one()
    open_now, overdue = open_and_overdue(session, camp_ids, utcnow())
    return FeedbackTotals(week=week, four_weeks=four_weeks, open=open_now, overdue=overdue)
