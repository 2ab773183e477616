"""Who is in the camps: people by sex and UNHCR age band, specific needs, households, arrivals.

People and needs come from the trigger-kept counts (``camps.figures.models``); households and
arrivals from covering indexes on ``households``. Nothing here loads a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, func, insert, literal, select, union_all
from sqlalchemy.orm import Session

from camps.figures.models import NeedCount, PopulationCount
from registration.households.models import Household, Person, PersonNeed
from registration.needs import CATEGORIES, is_restricted

#: UNHCR age bands (standards.md §2.3): key, first age, last age (None: and older), title
AGE_BANDS = (
    ("0_4", 0, 4, _l("0–4")),
    ("5_11", 5, 11, _l("5–11")),
    ("12_17", 12, 17, _l("12–17")),
    ("18_59", 18, 59, _l("18–59")),
    ("60", 60, None, _l("60 and over")),
)
BAND_KEYS = tuple(key for key, *_rest in AGE_BANDS)
SEX_KEYS = ("f", "m")
#: ``f_0_4`` … ``m_60``: the age and sex fields of standards.md §2.3
AGE_SEX_KEYS = tuple(f"{sex}_{band}" for sex in SEX_KEYS for band in BAND_KEYS)


def band_key(age: int) -> str:
    """``'0_4'`` … ``'60'`` (a date of birth recorded after today counts as age 0)."""
    age = max(age, 0)
    return next(key for key, first, last, _title in AGE_BANDS if age >= first and (last is None or age <= last))


def years_before(day: date, years: int) -> date:
    """The same day ``years`` years earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def band_of(birth_column, today: date):
    """A SQL expression giving the age band key of a date of birth on ``today``."""
    whens = [(birth_column > years_before(today, last + 1), key) for key, _first, last, _t in AGE_BANDS if last]
    return case(*whens, else_=BAND_KEYS[-1])


@dataclass
class Pyramid:
    """Counted people by sex and age band: ``cells[sex][band]``."""

    cells: dict[str, dict[str, int]] = field(default_factory=lambda: {s: dict.fromkeys(BAND_KEYS, 0) for s in SEX_KEYS})

    def total(self, sex: str | None = None) -> int:
        sexes = (sex,) if sex else SEX_KEYS
        return sum(sum(self.cells[s].values()) for s in sexes)

    def band_total(self, band: str) -> int:
        return sum(self.cells[s][band] for s in SEX_KEYS)

    def largest(self) -> int:
        return max((n for row in self.cells.values() for n in row.values()), default=0) or 1


def pyramid(session: Session, camp_ids: list[int], today: date) -> Pyramid:
    """Counted people of ``camp_ids`` together, by sex and age band on ``today``."""
    result = Pyramid()
    for one in pyramids_by_camp(session, camp_ids, today).values():
        for sex in SEX_KEYS:
            for key in BAND_KEYS:
                result.cells[sex][key] += one.cells[sex][key]
    return result


def pyramids_by_camp(session: Session, camp_ids: list[int], today: date) -> dict[int, Pyramid]:
    """Each camp's pyramid, in one query.

    One range sum per camp, sex and band, each a seek on the counts' primary key (camp, sex, date of
    birth): about 7 ms for 570,000 people where grouping by a computed band took over 100 ms.
    """
    result = {camp_id: Pyramid() for camp_id in camp_ids}
    if not camp_ids:
        return result
    parts = []
    for key, first, last, _title in AGE_BANDS:
        born_after = years_before(today, last + 1) if last is not None else None
        born_by = years_before(today, first) if first else None  # a date after today counts as 0-4, as in band_of
        for camp_id in camp_ids:
            for sex in SEX_KEYS:
                in_band = [PopulationCount.camp_id == camp_id, PopulationCount.sex == sex]
                if born_by is not None:
                    in_band.append(PopulationCount.birth_date <= born_by)
                if born_after is not None:
                    in_band.append(PopulationCount.birth_date > born_after)
                parts.append(
                    select(literal(camp_id), literal(sex), literal(key), func.sum(PopulationCount.n)).where(*in_band)
                )
    for camp_id, sex, key, n in session.execute(union_all(*parts)):
        result[camp_id].cells[sex][key] += int(n or 0)
    return result


@dataclass
class NeedCategory:
    """Specific-needs codes recorded in a category (a person may hold several of one category)."""

    code: str
    title: str
    recorded: int


def needs_by_category(session: Session, camp_ids: list[int], *, protection: bool) -> list[NeedCategory]:
    """Needs codes of counted people by category, largest first; protection codes only for protection staff.

    Codes, not people: the trigger-kept counts are per code. The published statistics count people
    (``camps.figures.stats``), reading the needs themselves."""
    totals: dict[str, int] = {}
    for by_category in needs_by_camp(session, camp_ids, protection=protection).values():
        for category, n in by_category.items():
            totals[category] = totals.get(category, 0) + n
    return need_list(totals)


def needs_by_camp(session: Session, camp_ids: list[int], *, protection: bool) -> dict[int, dict[str, int]]:
    """Each camp's needs codes by category (protection codes only for protection staff)."""
    result: dict[int, dict[str, int]] = {camp_id: {} for camp_id in camp_ids}
    rows = session.execute(
        select(NeedCount.camp_id, NeedCount.code, func.sum(NeedCount.n))
        .where(NeedCount.camp_id.in_(camp_ids))
        .group_by(NeedCount.camp_id, NeedCount.code)
    )
    for camp_id, code, n in rows:
        if n and (protection or not is_restricted(code)):
            result[camp_id][code[:2]] = result[camp_id].get(code[:2], 0) + int(n)
    return result


def need_list(totals: dict[str, int]) -> list[NeedCategory]:
    """Categories with their counts, largest first (none of zero)."""
    return sorted(
        (NeedCategory(cat, str(CATEGORIES.get(cat, cat)), n) for cat, n in totals.items() if n),
        key=lambda c: (-c.recorded, c.code),
    )


@dataclass
class StatusCount:
    status: str
    households: int
    people: int


STATUS_ORDER = ("active", "pending", "moved", "departed", "inactive")


def households_by_status(session: Session, camp_ids: list[int]) -> list[StatusCount]:
    """Households of each status and the active members they hold (read from ix_households_camp_status)."""
    found: dict[str, StatusCount] = {}
    for rows in statuses_by_camp(session, camp_ids).values():
        for row in rows:
            total = found.setdefault(row.status, StatusCount(row.status, 0, 0))
            total.households += row.households
            total.people += row.people
    return [found[s] for s in STATUS_ORDER if s in found]


def statuses_by_camp(session: Session, camp_ids: list[int]) -> dict[int, list[StatusCount]]:
    """Each camp's households of each status and the active members they hold."""
    found: dict[int, dict[str, StatusCount]] = {camp_id: {} for camp_id in camp_ids}
    rows = session.execute(
        select(Household.camp_id, Household.status, func.count(), func.coalesce(func.sum(Household.size), 0))
        .where(Household.camp_id.in_(camp_ids))
        .group_by(Household.camp_id, Household.status)
    )
    for camp_id, status, n, people in rows:
        found[camp_id][status] = StatusCount(status, int(n), int(people))
    return {camp_id: [by[s] for s in STATUS_ORDER if s in by] for camp_id, by in found.items()}


@dataclass
class Arrivals:
    day: date
    households: int
    people: int


def arrivals_by_day(session: Session, camp_ids: list[int], start: date, end: date) -> list[Arrivals]:
    """Households that arrived on each day from ``start`` to ``end`` (every day, zeros included), and the
    people who came with them, as they were when registered (split-off households did not arrive)."""
    totals: dict[date, Arrivals] = {}
    for days in arrivals_by_camp(session, camp_ids, start, end).values():
        for row in days:
            total = totals.setdefault(row.day, Arrivals(row.day, 0, 0))
            total.households += row.households
            total.people += row.people
    return [totals.get(day) or Arrivals(day, 0, 0) for day in _days(start, end)]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def arrivals_by_camp(session: Session, camp_ids: list[int], start: date, end: date) -> dict[int, list[Arrivals]]:
    """:func:`arrivals_by_day` of each camp."""
    rows = session.execute(
        select(
            Household.camp_id, Household.arrival_date, func.count(), func.coalesce(func.sum(Household.arrival_size), 0)
        )
        .where(
            Household.camp_id.in_(camp_ids),
            Household.arrival_date >= start,
            Household.arrival_date <= end,
            Household.status != "pending",
            Household.arrival_size > 0,
        )
        .group_by(Household.camp_id, Household.arrival_date)
    )
    found: dict[int, dict[date, tuple[int, int]]] = {camp_id: {} for camp_id in camp_ids}
    for camp_id, day, n, people in rows:
        found[camp_id][day] = (int(n), int(people))
    days = _days(start, end)
    return {camp_id: [Arrivals(day, *by.get(day, (0, 0))) for day in days] for camp_id, by in found.items()}


def by_week(days: list[Arrivals]) -> list[Arrivals]:
    """Daily arrivals summed into ISO weeks (each labelled by its Monday)."""
    weeks: dict[date, Arrivals] = {}
    for row in days:
        monday = row.day - timedelta(days=row.day.weekday())
        week = weeks.setdefault(monday, Arrivals(monday, 0, 0))
        week.households += row.households
        week.people += row.people
    return list(weeks.values())


def recount(session: Session) -> None:
    """Rebuild the trigger-kept counts from the people themselves (a repair; the tests compare the two)."""
    counted = (Person.status == "active") & (Household.status == "active")
    session.execute(delete(PopulationCount))
    session.execute(delete(NeedCount))
    session.execute(
        insert(PopulationCount).from_select(
            ["camp_id", "sex", "birth_date", "n"],
            select(Household.camp_id, Person.sex, Person.birth_date, func.count())
            .join(Household, Household.id == Person.household_id)
            .where(counted)
            .group_by(Household.camp_id, Person.sex, Person.birth_date),
        )
    )
    session.execute(
        insert(NeedCount).from_select(
            ["camp_id", "code", "n"],
            select(Household.camp_id, PersonNeed.code, func.count())
            .join(Person, Person.id == PersonNeed.person_id)
            .join(Household, Household.id == Person.household_id)
            .where(counted)
            .group_by(Household.camp_id, PersonNeed.code),
        )
    )


def live_counts(session: Session) -> tuple[dict, dict]:
    """The counts as the trigger-kept tables hold them, without zero rows: (people, needs)."""
    people = {
        (c, s, b): n
        for c, s, b, n in session.execute(
            select(PopulationCount.camp_id, PopulationCount.sex, PopulationCount.birth_date, PopulationCount.n)
        )
        if n
    }
    needs = {
        (c, code): n for c, code, n in session.execute(select(NeedCount.camp_id, NeedCount.code, NeedCount.n)) if n
    }
    return people, needs


__all__ = [
    "AGE_BANDS",
    "AGE_SEX_KEYS",
    "BAND_KEYS",
    "SEX_KEYS",
    "STATUS_ORDER",
    "Arrivals",
    "NeedCategory",
    "Pyramid",
    "StatusCount",
    "arrivals_by_camp",
    "arrivals_by_day",
    "band_key",
    "band_of",
    "by_week",
    "households_by_status",
    "live_counts",
    "need_list",
    "needs_by_camp",
    "needs_by_category",
    "pyramid",
    "pyramids_by_camp",
    "recount",
    "statuses_by_camp",
    "years_before",
]
