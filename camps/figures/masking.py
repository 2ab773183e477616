"""Small counts hidden for accounts that see no household, so that no sum or difference gives them back.

A count from 1 to ``k - 1`` could single out a family, so it is hidden; and since pages also show
totals, a second count is hidden wherever a total minus the counts shown would give a hidden one back
(the complementary suppression of the HXL statistics: :func:`camps.figures.stats.complement`). Zeros
stay shown. The counts live in named rows (a camp, all camps, a block); ``tie`` says which cells add up
to which total. Every page that shows one of these counts reads it through the same rows and ties:
/figures, the situation report and the API (:mod:`camps.figures.dashboard`), and the occupancy pages
(:func:`occupancy_mask`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camps.figures.indicators import CampIndicators, camp_indicators
from camps.figures.models import PopulationCount
from camps.figures.stats import MIN_CELL, Row, complement
from camps.sites.models import Camp
from registration.households.services import active_households


class Cells:
    """Counts in named rows, the sums that tie them, and which of them may be shown."""

    def __init__(self, smallest: int = MIN_CELL) -> None:
        self.smallest = smallest
        self.rows: dict[str, Row] = {}
        self.groups: list = []

    def add(self, name: str, counts: dict[str, int]) -> Row:
        row = self.rows.setdefault(name, Row(camp=None))
        row.true.update(counts)
        return row

    def tie(self, parts: list[tuple[str, str]], total: tuple[str, str] | None) -> None:
        """``parts`` (row name, key) add up to ``total`` (None: the total is shown nowhere)."""
        for name, key in (*parts, *([total] if total else [])):
            row = self.rows[name]
            row.true.setdefault(key, 0)  # a count a row does not have is none
            if row.values:  # decided already: a zero is shown
                row.values.setdefault(key, 0)
        cells = [(self.rows[name], key) for name, key in parts]
        self.groups.append((cells, (self.rows[total[0]], total[1]) if total else None))

    def suppress(self, frozen: frozenset[str] = frozenset()) -> None:
        """Hide small counts and whatever would give one back. Rows named in ``frozen`` were decided before and
        keep what they show and hide; so does a cell that is the sum of such cells all shown (hiding it would
        protect nothing)."""
        rows = {id(self.rows[name]) for name in frozen}
        known = set()
        for parts, total in self.groups:
            if total and id(total[0]) not in rows and all(id(r) in rows and r.values[c] is not None for r, c in parts):
                known.add((id(total[0]), total[1]))
        for name, row in self.rows.items():
            if name not in frozen:
                row.values = {
                    key: n if (id(row), key) in known or not 0 < n < self.smallest else None
                    for key, n in row.true.items()
                }
        complement(self.groups, self.smallest, lambda row, key: id(row) in rows or (id(row), key) in known)

    def hidden(self, name: str) -> frozenset[str]:
        row = self.rows.get(name)
        return frozenset(key for key, value in row.values.items() if value is None) if row else frozenset()


# --- occupancy: people and households living on plots, by camp, sector and block --------------------


@dataclass
class OccupancyMask:
    """A camp's occupancy figures and, for accounts that see no household, what of them is hidden."""

    figures: CampIndicators
    #: ('camp' | 'all' | 'sector:S1' | 'block:B01') -> hidden keys (see ``hides``)
    hidden: dict[str, frozenset[str]] = field(default_factory=dict)

    def hides(self, level: str, code: str, key: str = "people") -> bool:
        """Whether ``key`` of the camp ('camp'), its people and households on or off plots ('all', with keys
        ``no_plot_people`` and ``no_plot_households``), a sector or a block (with its code) is hidden."""
        return key in self.hidden.get(level if level in ("camp", "all") else f"{level}:{code}", frozenset())


def occupancy_mask(session: Session, camp: Camp, *, masked: bool, page: int = 1) -> OccupancyMask:
    """The camp's indicators with, when ``masked``, the households and people on plots that must be hidden.

    Blocks add up to their sector, sectors to the camp, and the camp's people on plots plus those on no
    plot make its people (households alike): each is a tie. The camp's totals count as shown (the
    dashboard shows them on some day), so what is hidden here does not depend on a report's date.
    """
    figures = camp_indicators(session, camp, page=page)
    if not masked:
        return OccupancyMask(figures)
    people = int(
        session.scalar(select(func.coalesce(func.sum(PopulationCount.n), 0)).where(PopulationCount.camp_id == camp.id))
        or 0
    )
    households = active_households(session, [camp.id]).get(camp.id, (0, 0))[0]
    cells = Cells()
    keys = ("households", "people")
    c = figures.camp
    cells.add("camp", {"households": c.households, "people": c.people})
    cells.add(
        "all",
        {
            "households": households,
            "people": people,
            "no_plot_households": max(0, households - c.households),
            "no_plot_people": max(0, people - c.people),
        },
    )
    for key in keys:
        cells.tie([("camp", key), ("all", f"no_plot_{key}")], ("all", key))
    for sector in figures.sectors:
        cells.add(f"sector:{sector.code}", {key: getattr(sector, key) for key in keys})
    for block in figures.blocks:
        cells.add(f"block:{block.code}", {key: getattr(block, key) for key in keys})
    for key in keys:
        cells.tie([(f"sector:{s.code}", key) for s in figures.sectors], ("camp", key))
        for sector in figures.sectors:
            cells.tie(
                [(f"block:{b.code}", key) for b in figures.blocks if b.sector == sector.code],
                (f"sector:{sector.code}", key),
            )
    cells.suppress()
    return OccupancyMask(figures, {name: cells.hidden(name) for name in cells.rows})
