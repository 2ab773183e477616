"""Aggregate statistics that are safe to publish: people by camp and block, sex and age band, people
with specific needs by category, and origin province, with every count below :data:`MIN_CELL` blank.

Each camp has a camp line, a line per block and a "no plot" line (its people not living on a plot),
so that the camp line is the sum of the others and nothing is left to work out by subtraction.

Suppression is primary (a count below 5 is left blank) and complementary. A group is a published
total and the cells that add up to it (a line's bands and its sex total, the sexes and the total,
a camp's blocks and no-plot line against the camp line, a camp's origin provinces against its
people). While, in any group whose total is shown, the blank cells hold exactly one non-zero count,
or hold between 1 and 4 people together (either can be worked out as the total minus the cells
shown), the smallest non-zero cell shown in that group is blanked too; so it is where a blank total would
be the sum of its cells shown (a total blanked as a cell of another group). Protection-only needs
(survivors of violence or torture, and the restricted legal codes) are never counted here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, literal_column, select
from sqlalchemy.orm import Session

from camps.allocation.models import PlotAllocation
from camps.figures.population import AGE_SEX_KEYS, BAND_KEYS, SEX_KEYS, band_of, pyramids_by_camp
from camps.layout.models import Block, Plot
from camps.sites.models import Camp
from registration.households.models import Household, Person, PersonNeed
from registration.households.services import active_households
from registration.needs import CATEGORIES, RESTRICTED_CATEGORIES, RESTRICTED_CODES

#: the smallest count that may be published (standards.md §4: k < 5 suppressed)
MIN_CELL = 5
#: need categories published (protection categories never are)
NEED_CATEGORIES = tuple(c for c in CATEGORIES if c not in RESTRICTED_CATEGORIES)
CELLS = AGE_SEX_KEYS
TOTALS = ("f_total", "m_total", "total")
NEED_COLUMNS = tuple(f"need_{c.lower()}" for c in NEED_CATEGORIES)
COLUMNS = (*CELLS, *TOTALS, "hh", *NEED_COLUMNS)
CAMP, BLOCK, NO_PLOT = "camp", "block", "no_plot"


@dataclass
class Row:
    """One published line: a camp, one of its blocks, its people on no plot, or a camp and origin province."""

    #: None for a line of ``masking.Cells``, named there, of no one camp
    camp: Camp | None
    level: str = CAMP
    block: str | None = None
    province: str | None = None
    #: column -> count, or None once suppressed
    values: dict[str, int | None] = field(default_factory=dict)
    #: the counts before suppression (never written out)
    true: dict[str, int] = field(default_factory=dict)


def _on_plots(camp_ids: list[int], *columns):
    """A select of ``columns`` over the active households living on a plot now, with the plot's block."""
    return (
        select(*columns)
        .select_from(PlotAllocation)
        .join(Household, Household.id == PlotAllocation.household_id)
        .join(Plot, Plot.id == PlotAllocation.plot_id)
        .join(Block, Block.id == Plot.block_id)
        .where(PlotAllocation.camp_id.in_(camp_ids), PlotAllocation.ended_at.is_(None), Household.status == "active")
    )


def _category():
    """A need's category; literal positions, so that PostgreSQL sees the same expression in GROUP BY."""
    return func.substr(PersonNeed.code, literal_column("1"), literal_column("2"))


def _with_needs(query):
    """Join a query over counted people's households to their published needs."""
    return query.join(PersonNeed, PersonNeed.person_id == Person.id).where(
        Person.status == "active", _category().in_(NEED_CATEGORIES), PersonNeed.code.not_in(RESTRICTED_CODES)
    )


#: (camp id, level, block code) -> columns to leave blank whatever their count
Decided = dict[tuple[int, str, str | None], set[str]]


def population_rows(session: Session, camps: list[Camp], today: date, decided: Decided | None = None) -> list[Row]:
    """Per camp: the camp line, a line per block, and the no-plot line, suppressed and ready to publish.

    Camp lines read people from the trigger-kept counts; block lines only the households living on a
    plot now (starting from the current allocations), so their cost follows the people on plots.
    ``decided`` blanks what other pages hide (``camps.figures.dashboard.published_blanks``): the camp
    lines are then as those pages show them, and only block and no-plot lines take further blanks.
    """
    ids = [c.id for c in camps]
    raw: dict[tuple[int, str | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for camp_id, board in pyramids_by_camp(session, ids, today).items():
        for sex in SEX_KEYS:
            for key in BAND_KEYS:
                raw[(camp_id, None)][f"{sex}_{key}"] = board.cells[sex][key]
    for camp_id, (households, _people) in active_households(session, ids).items():
        raw[(camp_id, None)]["hh"] = households
    people_with_needs = _with_needs(
        select(Household.camp_id, _category(), func.count(func.distinct(Person.id)))
        .select_from(Household)
        .join(Person, Person.household_id == Household.id)
        .where(Household.camp_id.in_(ids), Household.status == "active")
    )
    for camp_id, cat, n in session.execute(people_with_needs.group_by(Household.camp_id, _category())):
        raw[(camp_id, None)][f"need_{cat.lower()}"] = n

    band = band_of(Person.birth_date, today)
    people = (
        _on_plots(ids, Household.camp_id, Block.code, Person.sex, band, func.count())
        .join(Person, Person.household_id == Household.id)
        .where(Person.status == "active")
        .group_by(Household.camp_id, Block.code, Person.sex, band)
    )
    for camp_id, block, sex, key, n in session.execute(people):
        raw[(camp_id, block)][f"{sex}_{key}"] += n
    needs = _with_needs(
        _on_plots(ids, Household.camp_id, Block.code, _category(), func.count(func.distinct(Person.id))).join(
            Person, Person.household_id == Household.id
        )
    )
    for camp_id, block, cat, n in session.execute(needs.group_by(Household.camp_id, Block.code, _category())):
        raw[(camp_id, block)][f"need_{cat.lower()}"] += n
    households = _on_plots(ids, Household.camp_id, Block.code, func.count()).group_by(Household.camp_id, Block.code)
    for camp_id, block, n in session.execute(households):
        raw[(camp_id, block)]["hh"] += n

    rows: list[Row] = []
    groups: list[Group] = []
    for camp in camps:
        camp_row = _row(camp, CAMP, None, raw.get((camp.id, None), {}))
        blocks = [
            _row(camp, BLOCK, code, raw[(camp.id, code)]) for code in sorted(b for c, b in raw if c == camp.id and b)
        ]
        no_plot = Row(camp, NO_PLOT, true={c: camp_row.true[c] - sum(b.true[c] for b in blocks) for c in COLUMNS})
        mine = [camp_row, *blocks, no_plot]
        rows += mine
        groups += [([(part, column) for part in mine[1:]], (camp_row, column)) for column in COLUMNS]
        for row in mine:
            groups += [([(row, f"{sex}_{b}") for b in BAND_KEYS], (row, f"{sex}_total")) for sex in SEX_KEYS]
            groups.append(([(row, "f_total"), (row, "m_total")], (row, "total")))
    if decided is None:
        suppress(rows, groups)
        return rows
    for row in rows:
        assert row.camp is not None  # every line here is of a camp
        blank = decided.get((row.camp.id, row.level, row.block), set())
        row.values = {column: (n if n >= MIN_CELL and column not in blank else None) for column, n in row.true.items()}
    complement(groups, fixed=lambda row, column: row.level == CAMP)
    return rows


def _row(camp: Camp, level: str, block: str | None, counts: dict[str, int]) -> Row:
    true = {name: counts.get(name, 0) for name in (*CELLS, *NEED_COLUMNS, "hh")}
    for sex in SEX_KEYS:
        true[f"{sex}_total"] = sum(true[f"{sex}_{b}"] for b in BAND_KEYS)
    true["total"] = true["f_total"] + true["m_total"]
    return Row(camp, level, block, true=true)


def origin_rows(session: Session, camps: list[Camp]) -> list[Row]:
    """A line per camp and origin province: people and households (unknown provinces under ``None``)."""
    by_id = {c.id: c for c in camps}
    rows = []
    found = session.execute(
        select(Household.camp_id, Household.origin_province, func.count(), func.coalesce(func.sum(Household.size), 0))
        .where(and_(Household.status == "active", Household.camp_id.in_(list(by_id))))
        .group_by(Household.camp_id, Household.origin_province)
        .order_by(Household.camp_id, Household.origin_province)
    )
    for camp_id, province, households, people in found:
        rows.append(Row(by_id[camp_id], province=province, true={"total": int(people), "hh": int(households)}))
    groups: list[Group] = []
    for camp in camps:  # a camp's provinces add up to its people and households, published in the other table
        mine = [r for r in rows if r.camp is camp]
        groups += [([(r, column) for r in mine], None) for column in ("total", "hh")]
    suppress(rows, groups)
    return rows


Cell = tuple[Row, str]
#: cells that add up to a total: the total's cell, or None when the total is published elsewhere
Group = tuple[list[Cell], Cell | None]


def suppress(rows: list[Row], groups: list[Group]) -> None:
    """Fill each row's ``values`` from ``true``: counts below MIN_CELL blank, then complementary blanks."""
    for row in rows:
        row.values = {column: (n if n >= MIN_CELL else None) for column, n in row.true.items()}
    complement(groups)


def complement(groups: list[Group], smallest: int = MIN_CELL, fixed=None) -> None:
    """Blank more cells until no group gives a blank away: its shown total minus its shown cells must leave
    at least two non-zero counts, together at least ``smallest``; a blank total (blanked as a cell of another
    group) must not be the sum of cells all shown. Rows' ``values`` hold the first blanks; a cell for which
    ``fixed(row, column)`` is true was decided elsewhere and is left as it is."""
    fixed = fixed or (lambda row, column: False)
    changed = True
    while changed:
        changed = False
        for parts, total in groups:
            if total is not None and total[0].values[total[1]] is None:
                if total[0].true[total[1]] and all(row.values[column] is not None for row, column in parts):
                    shown = [(row, column) for row, column in parts if row.true[column] and not fixed(row, column)]
                    if shown:
                        row, column = min(shown, key=lambda cell: cell[0].true[cell[1]])
                        row.values[column] = None
                        changed = True
                continue  # else nothing to subtract from
            hidden = [row.true[column] for row, column in parts if row.values[column] is None]
            disclosed = sum(hidden)
            if not (len([n for n in hidden if n]) == 1 or 0 < disclosed < smallest):
                continue
            shown = [
                (row, column)
                for row, column in parts
                if row.values[column] is not None and row.true[column] and not fixed(row, column)
            ]
            if shown:
                row, column = min(shown, key=lambda cell: cell[0].true[cell[1]])
            elif total is not None and not fixed(*total):
                row, column = total
            else:
                continue
            row.values[column] = None
            changed = True
