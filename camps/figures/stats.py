"""Aggregate statistics that are safe to publish: counts by camp and block, sex and age band, specific
needs, and origin province, with every count below :data:`MIN_CELL` suppressed.

Suppression is primary (a count below 5 is left blank) and complementary: wherever a blank cell could
be worked out from a published total minus the other cells of its group (a row's bands against its
total, a camp's blocks against the camp), the smallest other cell of that group is blanked too, until
no group has exactly one blank. Protection-only needs (survivors of violence or torture, and the
restricted legal codes) are never counted here.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camps.allocation.models import PlotAllocation
from camps.figures.models import NeedCount
from camps.figures.population import BAND_KEYS, SEX_KEYS, band_of, pyramid
from camps.layout.models import Block, Plot
from camps.sites.models import Camp
from registration.households.models import Household, Person, PersonNeed
from registration.needs import CATEGORIES, RESTRICTED_CATEGORIES, RESTRICTED_CODES

#: the smallest count that may be published (standards.md §4: k < 5 suppressed)
MIN_CELL = 5
#: need categories published (protection categories never are)
NEED_CATEGORIES = tuple(c for c in CATEGORIES if c not in RESTRICTED_CATEGORIES)
CELLS = tuple(f'{sex}_{band}' for sex in SEX_KEYS for band in BAND_KEYS)
TOTALS = ('f_total', 'm_total', 'total')
NEED_COLUMNS = tuple(f'need_{c.lower()}' for c in NEED_CATEGORIES)


@dataclass
class Row:
    """One published line: a camp (``block`` None) or one of its blocks, or a camp and origin province."""

    camp: Camp
    block: str | None = None
    province: str | None = None
    #: column -> count, or None once suppressed
    values: dict[str, int | None] = field(default_factory=dict)

    @property
    def level(self) -> str:
        return 'block' if self.block else 'camp'


def _on_plots(camp_ids: list[int], *columns):
    """A select of ``columns`` over the active households living on a plot now, with the plot's block."""
    return (select(*columns).select_from(PlotAllocation)
            .join(Household, Household.id == PlotAllocation.household_id)
            .join(Plot, Plot.id == PlotAllocation.plot_id).join(Block, Block.id == Plot.block_id)
            .where(PlotAllocation.camp_id.in_(camp_ids), PlotAllocation.ended_at.is_(None),
                   Household.status == 'active'))


def population_rows(session: Session, camps: list[Camp], today: date) -> list[Row]:
    """A row per camp and per block of each camp, with people by sex and age band, needs and households.

    Camp lines come from the trigger-kept counts; block lines read only the households living on a
    plot now (starting from the current allocations), so the cost follows the people on plots.
    """
    ids = [c.id for c in camps]
    raw: dict[tuple[int, str | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for camp in camps:
        cells = raw[(camp.id, None)]
        board = pyramid(session, [camp.id], today)
        for sex in SEX_KEYS:
            for key in BAND_KEYS:
                cells[f'{sex}_{key}'] = board.cells[sex][key]
    for camp_id, code, n in session.execute(select(NeedCount.camp_id, NeedCount.code, NeedCount.n)
                                            .where(NeedCount.camp_id.in_(ids))):
        if n and code[:2] in NEED_CATEGORIES and code not in RESTRICTED_CODES:
            raw[(camp_id, None)][f'need_{code[:2].lower()}'] += n
    for camp_id, n in session.execute(select(Household.camp_id, func.count())
                                      .where(Household.camp_id.in_(ids), Household.status == 'active')
                                      .group_by(Household.camp_id)):
        raw[(camp_id, None)]['hh'] = n

    band = band_of(Person.birth_date, today)
    people = (_on_plots(ids, Household.camp_id, Block.code, Person.sex, band, func.count())
              .join(Person, Person.household_id == Household.id).where(Person.status == 'active')
              .group_by(Household.camp_id, Block.code, Person.sex, band))
    for camp_id, block, sex, key, n in session.execute(people):
        raw[(camp_id, block)][f'{sex}_{key}'] += n
    category = func.substr(PersonNeed.code, 1, 2)
    needs = (_on_plots(ids, Household.camp_id, Block.code, category, func.count())
             .join(Person, Person.household_id == Household.id).join(PersonNeed, PersonNeed.person_id == Person.id)
             .where(Person.status == 'active', category.in_(NEED_CATEGORIES), PersonNeed.code.not_in(RESTRICTED_CODES))
             .group_by(Household.camp_id, Block.code, category))
    for camp_id, block, cat, n in session.execute(needs):
        raw[(camp_id, block)][f'need_{cat.lower()}'] += n
    households = _on_plots(ids, Household.camp_id, Block.code, func.count()).group_by(Household.camp_id, Block.code)
    for camp_id, block, n in session.execute(households):
        raw[(camp_id, block)]['hh'] += n

    rows = []
    for camp in camps:
        blocks = sorted(b for c, b in raw if c == camp.id and b)
        for block in (None, *blocks):
            counts = raw.get((camp.id, block), {})
            values = {name: counts.get(name, 0) for name in (*CELLS, *NEED_COLUMNS, 'hh')}
            for sex in SEX_KEYS:
                values[f'{sex}_total'] = sum(values[f'{sex}_{b}'] for b in BAND_KEYS)
            values['total'] = values['f_total'] + values['m_total']
            rows.append(Row(camp, block, values=values))
    suppress(rows, _population_groups(rows))
    return rows


def origin_rows(session: Session, camps: list[Camp]) -> list[Row]:
    """A row per camp and origin province: people and households (unknown provinces under ``None``)."""
    by_id = {c.id: c for c in camps}
    rows = []
    found = session.execute(
        select(Household.camp_id, Household.origin_province, func.count(), func.coalesce(func.sum(Household.size), 0))
        .where(Household.status == 'active', Household.camp_id.in_(list(by_id)))
        .group_by(Household.camp_id, Household.origin_province)
        .order_by(Household.camp_id, Household.origin_province))
    for camp_id, province, households, people in found:
        rows.append(Row(by_id[camp_id], province=province, values={'total': int(people), 'hh': int(households)}))
    groups = []
    for camp in camps:
        mine = [r for r in rows if r.camp is camp]
        groups += [[(r, 'total') for r in mine], [(r, 'hh') for r in mine]]  # a camp's provinces add up
    suppress(rows, groups)
    return rows


Cell = tuple[Row, str]


def _population_groups(rows: list[Row]) -> list[list[Cell]]:
    """Sets of cells whose sum is published (as a total or by another row), so one blank among them is not enough."""
    groups: list[list[Cell]] = []
    for row in rows:
        for sex in SEX_KEYS:
            groups.append([(row, f'{sex}_{b}') for b in BAND_KEYS] + [(row, f'{sex}_total')])
        groups.append([(row, 'f_total'), (row, 'm_total'), (row, 'total')])
    camps: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        camps[row.camp.id].append(row)
    for members in camps.values():
        camp_row, blocks = members[0], members[1:]
        if blocks:
            for column in (*CELLS, *TOTALS, *NEED_COLUMNS, 'hh'):
                groups.append([(camp_row, column)] + [(b, column) for b in blocks])
    return groups


def suppress(rows: list[Row], groups: list[list[Cell]]) -> None:
    """Blank every count below MIN_CELL, then the smallest other cell of any group with exactly one blank."""
    for row in rows:
        for column, value in row.values.items():
            if value is not None and value < MIN_CELL:
                row.values[column] = None
    changed = True
    while changed:
        changed = False
        for group in groups:
            blanks = [cell for cell in group if cell[0].values[cell[1]] is None]
            if len(blanks) != 1:
                continue
            shown = [cell for cell in group if cell[0].values[cell[1]] is not None]
            if not shown:
                continue
            row, column = min(shown, key=lambda cell: cell[0].values[cell[1]])
            row.values[column] = None
            changed = True
