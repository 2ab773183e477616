"""The feedback dashboard: volumes, trend, time to respond and overdue cases of a set of camps.

Every figure is an aggregate over ``feedback_cases``: a handful of GROUP BY queries, no case is
loaded as an object and nothing personal (description, contact, household) is ever selected.

Sensitive cases (design.md §6, standards.md §3) never enter a breakdown: every figure below is of
the other cases. Protection officers, who read those cases anyway, also get one exact total received
in the period and the number of them overdue now; for everybody else sensitive cases are in no figure
at all. A total masked below some threshold would not do: all camps' total minus the other camps'
(or 12 weeks' minus 8 weeks') gives back the masked number.

At 100,000 cases on SQLite the queries are fast only when the database can answer them from an index
alone: volumes from one on (sensitive, type, sector, channel, received_on, camp_id) read in order (no
sort), response times from one on (sensitive, responded_at, due_at, created_at, camp_id); open and
overdue counts from ix_feedback_cases_list when it also holds due_at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Float, and_, case, cast, extract, false, func, literal, select, true, union_all
from sqlalchemy.orm import Session

from app.db import utcnow
from camps.feedback.models import CHANNELS, SECTORS, STATUSES, TYPES, FeedbackCase
from camps.feedback.workflow import OPEN

#: statuses of a case still waiting for its response
OPEN_STATUSES = OPEN
#: the types broken down on the dashboard (sensitive complaints only as one total)
GENERAL_TYPES = tuple(t for t in TYPES if t != "sensitive")
WEEK_CHOICES = (4, 8, 12, 26, 52)
TOP_THEMES = 5


@dataclass
class Count:
    key: str
    label: str
    count: int


@dataclass
class Week:
    #: the Monday the ISO week starts on
    monday: date
    count: int

    @property
    def label(self) -> str:
        year, week, _day = self.monday.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass
class Theme:
    """A sector with many complaints, and its cases of each (non-sensitive) type."""

    sector: str
    label: str
    complaints: int
    by_type: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_type.values())


@dataclass
class FeedbackFigures:
    weeks: int
    #: the period: from the Monday ``weeks - 1`` weeks before today's week up to today
    start: date
    today: date
    #: non-sensitive cases received in the period
    total: int = 0
    by_type: list[Count] = field(default_factory=list)
    by_sector: list[Count] = field(default_factory=list)
    by_channel: list[Count] = field(default_factory=list)
    by_week: list[Week] = field(default_factory=list)
    #: cases due in the period (up to now) or responded in it, and those of them answered by their due date
    due: int = 0
    in_time: int = 0
    #: cases responded in the period and the median time from logging to response, in days
    responded: int = 0
    median_days: float | None = None
    #: non-sensitive cases waiting for a response now (whenever received), and those past their due date
    open: int = 0
    overdue: int = 0
    themes: list[Theme] = field(default_factory=list)
    #: sensitive cases received in the period and overdue now: for protection officers only (else None)
    sensitive_total: int | None = None
    sensitive_overdue: int | None = None

    @property
    def share_in_time(self) -> float | None:
        return self.in_time / self.due if self.due else None

    @property
    def sensitive_hidden(self) -> bool:
        return self.sensitive_total is None

    @staticmethod
    def largest(rows: list[Count] | list[Week]) -> int:
        """The longest bar of a chart (at least 1, so that an empty chart draws)."""
        return max((row.count for row in rows), default=0) or 1


def period_start(today: date, weeks: int) -> date:
    """The Monday of the ISO week ``weeks - 1`` weeks before today's."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=max(1, weeks) - 1)


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _seconds(session: Session, start, end):
    """``end - start`` in seconds (a float), as the database computes it."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(extract("epoch", end - start), Float)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def feedback_figures(
    session: Session,
    camp_ids: list[int],
    *,
    weeks: int = 12,
    today: date,
    now: datetime | None = None,
    sensitive: bool = False,
) -> FeedbackFigures:
    """The dashboard's figures for cases of ``camp_ids`` (the caller's visible camps) over ``weeks`` weeks;
    ``sensitive`` (for holders of feedback.view_sensitive only) adds the sensitive cases' total."""
    now = now or utcnow()
    start = period_start(today, weeks)
    start_at = datetime.combine(start, time.min)
    figures = FeedbackFigures(weeks=weeks, start=start, today=today)
    in_camps = FeedbackCase.camp_id.in_(list(camp_ids))
    general = and_(in_camps, FeedbackCase.sensitive == false())
    received = and_(FeedbackCase.received_on >= start, FeedbackCase.received_on <= today)

    # 1. volumes by type, sector and channel (one GROUP BY of at most 6 x 8 x 7 rows)
    by_type = dict.fromkeys(GENERAL_TYPES, 0)
    by_sector = dict.fromkeys(SECTORS, 0)
    by_channel = dict.fromkeys(CHANNELS, 0)
    pairs: dict[tuple[str, str], int] = {}
    rows = session.execute(
        select(FeedbackCase.type, FeedbackCase.sector, FeedbackCase.channel, func.count())
        .where(general, received)
        .group_by(FeedbackCase.type, FeedbackCase.sector, FeedbackCase.channel)
    )
    for type_, sector, channel, count in rows:
        by_type[type_] = by_type.get(type_, 0) + count
        by_sector[sector] = by_sector.get(sector, 0) + count
        by_channel[channel] = by_channel.get(channel, 0) + count
        pairs[type_, sector] = pairs.get((type_, sector), 0) + count
    figures.total = sum(by_type.values())
    figures.by_type = [Count(k, str(TYPES.get(k, k)), v) for k, v in by_type.items()]
    figures.by_sector = sorted(
        (Count(k, str(SECTORS.get(k, k)), v) for k, v in by_sector.items()), key=lambda c: -c.count
    )
    figures.by_channel = sorted(
        (Count(k, str(CHANNELS.get(k, k)), v) for k, v in by_channel.items()), key=lambda c: -c.count
    )
    figures.themes = _themes(pairs)

    # 2. the weekly trend: by day in SQL (portable), weeks here. Naming every status lets the database read
    #    ix_feedback_cases_list (camp_id, sensitive, status, received_on) as one range per camp and status,
    #    and grouping in the index's order needs no sort.
    per_week = {start + timedelta(weeks=i): 0 for i in range(max(1, weeks))}
    daily = session.execute(
        select(FeedbackCase.received_on, func.count())
        .where(general, FeedbackCase.status.in_(STATUSES), received)
        .group_by(FeedbackCase.camp_id, FeedbackCase.sensitive, FeedbackCase.status, FeedbackCase.received_on)
    )
    for day, count in daily:
        monday = day - timedelta(days=day.weekday())
        if monday in per_week:
            per_week[monday] += count
    figures.by_week = [Week(monday, count) for monday, count in per_week.items()]

    # 3. answered in time: cases responded in the period, and cases due in it (up to now) that were not;
    #    three index ranges on (sensitive, responded_at, due_at) instead of an OR over the whole table
    responded_in = and_(FeedbackCase.responded_at >= start_at, FeedbackCase.responded_at <= now)
    due_in = and_(FeedbackCase.due_at >= start_at, FeedbackCase.due_at <= now)
    parts = {
        part: (cases, in_time)
        for part, cases, in_time in session.execute(
            union_all(
                select(
                    literal("responded"), func.count(), _count_if(FeedbackCase.responded_at <= FeedbackCase.due_at)
                ).where(general, responded_in),
                select(literal("unanswered"), func.count(), literal(0)).where(
                    general, FeedbackCase.responded_at.is_(None), due_in
                ),
                # responded before the period, due in it: answered early
                select(literal("early"), func.count(), func.count()).where(
                    general, FeedbackCase.responded_at < start_at, due_in
                ),
            )
        )
    }
    figures.due = sum(int(cases) for cases, _in_time in parts.values())
    figures.in_time = sum(int(in_time) for _cases, in_time in parts.values())

    # 4. median time to respond of the cases responded in the period, found by the database (ORDER BY ...
    #    OFFSET): reading tens of thousands of numbers into Python costs more in garbage collection than the query
    figures.responded = int(parts.get("responded", (0, 0))[0])
    if figures.responded:
        seconds = _seconds(session, FeedbackCase.created_at, FeedbackCase.responded_at).label("seconds")
        middle = list(
            session.scalars(
                select(seconds)
                .where(general, responded_in)
                .order_by(seconds)  # by the label: computed once
                .offset((figures.responded - 1) // 2)
                .limit(2 - figures.responded % 2)
            )
        )
        if middle:
            figures.median_days = max(0.0, float(sum(middle)) / len(middle)) / 86400

    # 5. open and overdue now, whenever received
    figures.open, figures.overdue = open_and_overdue(session, camp_ids, now)

    # 6. sensitive cases, for protection officers: one total and its overdue count, nothing else
    if sensitive:
        total, late = session.execute(
            select(
                _count_if(received), _count_if(FeedbackCase.status.in_(OPEN_STATUSES) & (FeedbackCase.due_at < now))
            ).where(in_camps, FeedbackCase.sensitive == true())
        ).one()
        figures.sensitive_total, figures.sensitive_overdue = int(total), int(late)
    return figures


def open_and_overdue(session: Session, camp_ids: Iterable[int], now: datetime) -> tuple[int, int]:
    """Non-sensitive cases of ``camp_ids`` waiting for a response now (whenever received), and those of them
    past their due date (read from the ix_feedback_cases_list prefix)."""
    open_, late = session.execute(
        select(func.count(), _count_if(FeedbackCase.due_at < now)).where(
            FeedbackCase.camp_id.in_(list(camp_ids)),
            FeedbackCase.sensitive == false(),
            FeedbackCase.status.in_(OPEN_STATUSES),
        )
    ).one()
    return int(open_), int(late)


def _themes(pairs: dict[tuple[str, str], int]) -> list[Theme]:
    """The sectors with the most complaints (then the most cases), with their cases by type."""
    themes: dict[str, Theme] = {}
    for (type_, sector), count in pairs.items():
        theme = themes.setdefault(
            sector, Theme(sector, str(SECTORS.get(sector, sector)), 0, dict.fromkeys(GENERAL_TYPES, 0))
        )
        theme.by_type[type_] = theme.by_type.get(type_, 0) + count
        if type_ == "complaint":
            theme.complaints += count
    ranked = sorted((t for t in themes.values() if t.complaints), key=lambda t: (-t.complaints, -t.total, t.sector))
    return ranked[:TOP_THEMES]
