"""Occupancy indicators of a camp, its sectors and blocks against the Sphere and UNHCR numbers.

Everything comes from a handful of GROUP BY queries: no plot or household is loaded as an object,
so a camp of 5,000 plots costs the same few queries as one of fifty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from sqlalchemy import Subquery, case, func, select
from sqlalchemy.orm import Session

from app.pagination import Page
from camps.allocation.models import PlotAllocation
from camps.layout import standards
from camps.layout.models import Block, Facility, Plot, Sector
from camps.layout.services import block_areas
from camps.sites.models import Camp
from registration.households.models import Household

BELOW_PER_PAGE = 50


@dataclass
class Figures:
    """The figures of one camp, sector or block."""

    level: str
    code: str
    sector: str | None = None
    households: int = 0
    people: int = 0
    plots: int = 0
    vacant: int = 0
    reserved: int = 0
    occupied: int = 0
    out_of_use: int = 0
    #: households the plots in use can hold
    capacity: int = 0
    #: covered space of the plots people live on, m²
    covered_m2: float = 0.0
    #: ground of the block, sector or camp, m² (None: nothing to measure)
    site_m2: float | None = None
    #: latrines and taps in service
    latrines: int = 0
    taps: int = 0
    #: plots in use farther than LATRINE_MAX_M from a latrine block / WATER_MAX_M from a water point
    far_from_latrine: int = 0
    far_from_water: int = 0

    @property
    def covered_per_person(self) -> float | None:
        return self.covered_m2 / self.people if self.people else None

    @property
    def site_per_person(self) -> float | None:
        return self.site_m2 / self.people if self.people and self.site_m2 else None

    @property
    def band(self) -> str | None:
        return standards.congestion_band(self.site_per_person)

    @property
    def band_title(self) -> str:
        return standards.band_title(self.band)

    @property
    def people_per_latrine(self) -> float | None:
        return self.people / self.latrines if self.people and self.latrines else None

    @property
    def people_per_tap(self) -> float | None:
        return self.people / self.taps if self.people and self.taps else None

    def add(self, other: Figures) -> None:
        """Add a lower level's counts (not site area or facilities: each level counts its own)."""
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("covered_per_person", "site_per_person", "people_per_latrine", "people_per_tap"):
            value = getattr(self, name)
            data[name] = round(value, 2) if value is not None else None
        data["covered_m2"] = round(self.covered_m2, 1)
        data["band"] = self.band
        return data


_SUMMED = (
    "households",
    "people",
    "plots",
    "vacant",
    "reserved",
    "occupied",
    "out_of_use",
    "capacity",
    "covered_m2",
    "far_from_latrine",
    "far_from_water",
)


@dataclass
class BelowThreshold:
    """An occupied plot with less covered space per person than the camp's threshold."""

    code: str
    block: str
    people: int
    covered_m2: float

    @property
    def covered_per_person(self) -> float:
        return self.covered_m2 / self.people


@dataclass
class CampIndicators:
    camp: Figures
    sectors: list[Figures]
    blocks: list[Figures]
    #: covered m² per person the camp's climate asks for
    covered_threshold: float
    below_threshold: Page = field(default_factory=lambda: Page([], 1, BELOW_PER_PAGE, 0))


def occupancy_subquery(camp_id: int) -> Subquery:
    """Households and people on each plot of the camp now: ``plot_id, households, people``."""
    return (
        select(
            PlotAllocation.plot_id,
            func.count().label("households"),
            func.coalesce(func.sum(Household.size), 0).label("people"),
        )
        .join(Household, Household.id == PlotAllocation.household_id)
        .where(PlotAllocation.camp_id == camp_id, PlotAllocation.ended_at.is_(None))
        .group_by(PlotAllocation.plot_id)
        .subquery("occupancy")
    )


def natural_key(code: str | None) -> tuple:
    """Codes in the order people count them: S1, S2, S10 (not S1, S10, S2); B-2 before B-10."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", code or "")
        if part
    )


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def camp_indicators(session: Session, camp: Camp, *, page: int = 1, per_page: int = BELOW_PER_PAGE) -> CampIndicators:
    """The camp's figures, one row per sector and block, and a page of plots below the covered threshold."""
    blocks: dict[int, Figures] = {}
    block_sector: dict[int, int] = {}
    sectors: dict[int, Figures] = {}
    rows = session.execute(
        select(Block.id, Block.code, Sector.id, Sector.code)
        .join(Sector, Sector.id == Block.sector_id)
        .where(Block.camp_id == camp.id)
        .order_by(Sector.code, Block.code)
    )
    for block_id, code, sector_id, sector_code in rows:
        blocks[block_id] = Figures("block", code, sector=sector_code)
        block_sector[block_id] = sector_id
        sectors.setdefault(sector_id, Figures("sector", sector_code))

    in_use = Plot.status != "out_of_use"
    plot_rows = session.execute(
        select(
            Plot.block_id,
            func.count(),
            *(_count_if(Plot.status == status) for status in ("vacant", "reserved", "occupied", "out_of_use")),
            func.coalesce(func.sum(case((in_use, Plot.capacity), else_=0)), 0),
            _count_if(in_use & (Plot.latrine_m > standards.LATRINE_MAX_M)),
            _count_if(in_use & (Plot.water_m > standards.WATER_MAX_M)),
        )
        .where(Plot.camp_id == camp.id)
        .group_by(Plot.block_id)
    )
    for block_id, total, vacant, reserved, occupied, out_of_use, capacity, far_lat, far_water in plot_rows:
        row = blocks.get(block_id)
        if row is None:
            continue
        row.plots, row.vacant, row.reserved, row.occupied = total, vacant, reserved, occupied
        row.out_of_use = out_of_use
        row.capacity, row.far_from_latrine, row.far_from_water = capacity, far_lat, far_water

    occupancy = occupancy_subquery(camp.id)
    lived_in = session.execute(
        select(Plot.block_id, func.sum(occupancy.c.households), func.sum(occupancy.c.people), func.sum(Plot.covered_m2))
        .join(occupancy, occupancy.c.plot_id == Plot.id)
        .group_by(Plot.block_id)
    )
    for block_id, households, people, covered in lived_in:
        if block_id in blocks:
            row = blocks[block_id]
            row.households, row.people, row.covered_m2 = int(households), int(people), float(covered or 0)

    camp_row = Figures("camp", camp.code)
    facility_rows = session.execute(
        select(Facility.block_id, Facility.kind, func.coalesce(func.sum(Facility.capacity), 0))
        .where(
            Facility.camp_id == camp.id,
            Facility.in_service.is_(True),
            Facility.kind.in_(("latrine_block", "water_point")),
        )
        .group_by(Facility.block_id, Facility.kind)
    )
    for facility_block, kind, capacity in facility_rows:
        attr = "latrines" if kind == "latrine_block" else "taps"
        setattr(camp_row, attr, getattr(camp_row, attr) + capacity)
        if facility_block is not None and facility_block in blocks:
            row = blocks[facility_block]
            setattr(row, attr, getattr(row, attr) + capacity)
            sector = sectors[block_sector[facility_block]]
            setattr(sector, attr, getattr(sector, attr) + capacity)

    block_area = block_areas(session, camp.id)
    for block_id, row in blocks.items():
        row.site_m2 = block_area.get(block_id) or None
        sector = sectors[block_sector[block_id]]
        sector.add(row)
        sector.site_m2 = (sector.site_m2 or 0.0) + (row.site_m2 or 0.0) or None
        camp_row.add(row)
    camp_row.site_m2 = _camp_site_m2(camp, block_area)

    threshold = standards.covered_threshold(camp.climate)
    return CampIndicators(
        camp=camp_row,
        sectors=sorted(sectors.values(), key=lambda r: natural_key(r.code)),
        blocks=sorted(blocks.values(), key=lambda r: (natural_key(r.sector), natural_key(r.code))),
        covered_threshold=threshold,
        below_threshold=_below_threshold(session, camp, threshold, page, per_page),
    )


def _below_threshold(session: Session, camp: Camp, threshold: float, page: int, per_page: int) -> Page:
    occupancy = occupancy_subquery(camp.id)
    condition = (occupancy.c.people > 0) & (Plot.covered_m2 < threshold * occupancy.c.people)
    base = select(Plot.id).join(occupancy, occupancy.c.plot_id == Plot.id).where(condition)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    page = max(1, min(page, -(-total // per_page) or 1))
    rows = session.execute(
        select(Plot.code, Block.code, occupancy.c.people, Plot.covered_m2)
        .join(occupancy, occupancy.c.plot_id == Plot.id)
        .join(Block, Block.id == Plot.block_id)
        .where(condition)
        .order_by(Plot.covered_m2 / occupancy.c.people, Plot.code)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = [BelowThreshold(code, block, int(people), float(covered)) for code, block, people, covered in rows]
    return Page(items=items, page=page, per_page=per_page, total=total)


def _camp_site_m2(camp: Camp, block_area: dict[int, float | None]) -> float | None:
    """The camp's site area if set, else the sum of its blocks' ground."""
    return camp.site_area_m2 or sum(a or 0.0 for a in block_area.values()) or None


def camp_totals(session: Session, camp: Camp) -> Figures:
    """The camp's own line of :func:`camp_indicators` in four queries (for dashboards of many camps).

    The distances to latrines and water are left out.
    """
    row = Figures("camp", camp.code)
    in_use = Plot.status != "out_of_use"
    plots = session.execute(
        select(
            func.count(),
            *(_count_if(Plot.status == s) for s in ("vacant", "reserved", "occupied", "out_of_use")),
            func.coalesce(func.sum(case((in_use, Plot.capacity), else_=0)), 0),
        ).where(Plot.camp_id == camp.id)
    ).one()
    row.plots, row.vacant, row.reserved, row.occupied, row.out_of_use, row.capacity = plots
    occupancy = occupancy_subquery(camp.id)
    households, people, covered = session.execute(
        select(
            func.coalesce(func.sum(occupancy.c.households), 0),
            func.coalesce(func.sum(occupancy.c.people), 0),
            func.coalesce(func.sum(Plot.covered_m2), 0.0),
        ).join(occupancy, occupancy.c.plot_id == Plot.id)
    ).one()
    row.households, row.people, row.covered_m2 = int(households), int(people), float(covered)
    for kind, capacity in session.execute(
        select(Facility.kind, func.coalesce(func.sum(Facility.capacity), 0))
        .where(
            Facility.camp_id == camp.id,
            Facility.in_service.is_(True),
            Facility.kind.in_(("latrine_block", "water_point")),
        )
        .group_by(Facility.kind)
    ):
        setattr(row, "latrines" if kind == "latrine_block" else "taps", int(capacity))
    row.site_m2 = _camp_site_m2(camp, block_areas(session, camp.id))
    return row
