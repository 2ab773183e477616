"""Laying out new sectors of a camp on the UNHCR modular pattern (standards.md §1.2).

Geometry on the camp grid (x east, y south, metres). Each generation is placed to the east of
everything already laid out, behind a 30 m firebreak. From west to east:

* on a camp's first generation, with facilities: a 40 m entrance strip (health post, distribution
  point, help desk), then a 15 m road;
* each sector: a 40 m strip at its north edge for the school and a 15 m road (with facilities), then
  its blocks in a near-square grid with 15 m roads between them; a 30 m firebreak, left empty,
  separates it from the next sector;
* each block: rows × columns plots, 2 m apart within a row, with a path between rows; with
  facilities, a 10 m WASH strip along its south edge (one water point, one latrine block).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.db import utcnow
from app.errors import UserValueError
from app.i18n.numbers import number as locale_number
from app.users.actors import Actor
from camps.layout import standards
from camps.layout.distances import refresh_distances, refresh_site_area, rounded, wash_points
from camps.layout.models import (
    MAX_PLOT_CAPACITY,
    MAX_PLOT_M2,
    MAX_PLOT_NUMBER,
    SHELTER_TYPES,
    Block,
    Facility,
    Plot,
    Sector,
)
from camps.sites.models import Camp

PLOT_GAP_M = 2.0
ROAD_M = 15.0
FIREBREAK_M = 30.0
WASH_STRIP_M = 10.0
SCHOOL_STRIP_M = 40.0
ENTRANCE_STRIP_M = 40.0
MAX_PLOTS = 20_000
MAX_PLOTS_PER_BLOCK = MAX_PLOT_NUMBER
#: people per plot assumed when sizing taps and latrines
PEOPLE_PER_PLOT = 5
#: taps are sized for 80 people (UNHCR's lower figure), not standards.PEOPLE_PER_TAP_GOAL (100)
PEOPLE_PER_TAP = 80
PEOPLE_PER_LATRINE = standards.PEOPLE_PER_LATRINE_GOAL


@dataclass
class LayoutParams:
    sectors: int = 1
    blocks_per_sector: int = 4
    plot_rows: int = 4
    plot_columns: int = 4
    #: metres along x (east) and y (south)
    plot_width: float = 10.0
    plot_depth: float = 10.0
    covered_m2: float = 16.0
    shelter_type: str = "family_tent"
    capacity: int = 1
    path_m: float = 6.0
    with_facilities: bool = True

    @property
    def plots_per_block(self) -> int:
        return self.plot_rows * self.plot_columns

    @property
    def total_plots(self) -> int:
        return self.sectors * self.blocks_per_sector * self.plots_per_block


_DEFAULTS = LayoutParams()
#: field -> (kind, minimum, maximum, default)
LIMITS: dict[str, tuple[type, float, float, object]] = {
    "sectors": (int, 1, 20, _DEFAULTS.sectors),
    "blocks_per_sector": (int, 1, 100, _DEFAULTS.blocks_per_sector),
    "plot_rows": (int, 1, 50, _DEFAULTS.plot_rows),
    "plot_columns": (int, 1, 50, _DEFAULTS.plot_columns),
    "plot_width": (float, 2, 100, _DEFAULTS.plot_width),
    "plot_depth": (float, 2, 100, _DEFAULTS.plot_depth),
    "covered_m2": (float, 0, MAX_PLOT_M2, _DEFAULTS.covered_m2),
    "capacity": (int, 1, MAX_PLOT_CAPACITY, _DEFAULTS.capacity),
    "path_m": (float, 1, 50, _DEFAULTS.path_m),
}


@dataclass
class LayoutSummary:
    sectors: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    plots: int = 0
    facilities: int = 0


def clean_params(data) -> LayoutParams:
    """LayoutParams from a dict (form data) or LayoutParams; UserValueError names the bad field."""
    if isinstance(data, LayoutParams):
        data = data.__dict__
    values: dict[str, Any] = {}
    for name, (kind, low, high, default) in LIMITS.items():
        raw = data.get(name)
        if raw is None or raw == "":
            raw = default
        try:
            number = kind(raw)
        except (TypeError, ValueError):
            raise UserValueError(_("Enter a number."), field=name) from None
        if not low <= number <= high:  # also refuses NaN
            raise UserValueError(
                _("Enter a number from %(low)s to %(high)s.", low=f"{low:g}", high=f"{high:g}"), field=name
            )
        values[name] = number
    params = LayoutParams(
        **values,
        shelter_type=data.get("shelter_type") or "family_tent",
        with_facilities=bool(data.get("with_facilities", True)),
    )
    if params.shelter_type not in SHELTER_TYPES:
        raise UserValueError(_("Choose a shelter type."), field="shelter_type")
    if params.covered_m2 > params.plot_width * params.plot_depth:
        raise UserValueError(
            _(
                "The covered area cannot exceed the plot (%(area)s m²).",
                area=f"{params.plot_width * params.plot_depth:g}",
            ),
            field="covered_m2",
        )
    if params.plots_per_block > MAX_PLOTS_PER_BLOCK:
        raise UserValueError(
            _("At most %(n)d plots per block: fewer rows or columns.", n=MAX_PLOTS_PER_BLOCK), field="plot_columns"
        )
    if params.total_plots > MAX_PLOTS:
        raise UserValueError(
            _(
                "This would make %(n)s plots; at most %(max)s at a time.",
                n=locale_number(params.total_plots),
                max=locale_number(MAX_PLOTS),
            ),
            field="sectors",
        )
    return params


def _next_number(codes, prefix: str) -> int:
    numbers = [int(m.group(1)) for c in codes if (m := re.fullmatch(prefix + r"(\d+)", c or ""))]
    return max(numbers, default=0) + 1


def _extent_x(session: Session, camp: Camp) -> float | None:
    """Eastmost x of anything laid out in the camp (None: nothing yet)."""
    ends = [
        session.scalar(select(func.max(Block.x + Block.width)).where(Block.camp_id == camp.id)),
        session.scalar(select(func.max(Plot.x + Plot.width)).where(Plot.camp_id == camp.id)),
        session.scalar(select(func.max(Facility.x)).where(Facility.camp_id == camp.id)),
    ]
    found = [e for e in ends if e is not None]
    return max(found) if found else None


class _FacilityMaker:
    def __init__(self, session: Session, camp: Camp) -> None:
        self.session, self.camp = session, camp
        self.codes = set(session.scalars(select(Facility.code).where(Facility.camp_id == camp.id)))
        self.made = 0

    def add(
        self,
        kind: str,
        code: str,
        x: float,
        y: float,
        capacity: int,
        block: Block | None = None,
        name: str | None = None,
    ) -> None:
        unique, n = code, 2
        while unique in self.codes:
            unique, n = f"{code}-{n}", n + 1
        self.codes.add(unique)
        self.session.add(
            Facility(
                camp_id=self.camp.id,
                block_id=block.id if block else None,
                kind=kind,
                code=unique,
                name=name,
                capacity=capacity,
                x=round(x, 1),
                y=round(y, 1),
                in_service=True,
            )
        )
        self.made += 1


def generate_layout(session: Session, actor: Actor, camp: Camp, params) -> LayoutSummary:
    """Add sectors of blocks of plots (and their facilities) east of the camp's current layout."""
    p = clean_params(params)
    session.flush()
    sector_codes = list(session.scalars(select(Sector.code).where(Sector.camp_id == camp.id)))
    first_generation = not sector_codes
    next_sector = _next_number(sector_codes, "S")
    next_block = _next_number(session.scalars(select(Block.code).where(Block.camp_id == camp.id)), "B")
    extent = _extent_x(session, camp)
    x = 0.0 if extent is None else extent + FIREBREAK_M
    y0 = 0.0

    block_w = p.plot_columns * p.plot_width + (p.plot_columns - 1) * PLOT_GAP_M
    plots_d = p.plot_rows * p.plot_depth + (p.plot_rows - 1) * p.path_m
    block_d = plots_d + (p.path_m + WASH_STRIP_M if p.with_facilities else 0)
    grid_cols = math.ceil(math.sqrt(p.blocks_per_sector))
    grid_rows = math.ceil(p.blocks_per_sector / grid_cols)
    sector_w = grid_cols * block_w + (grid_cols - 1) * ROAD_M
    top_strip = SCHOOL_STRIP_M + ROAD_M if p.with_facilities else 0
    sector_d = top_strip + grid_rows * block_d + (grid_rows - 1) * ROAD_M
    # new sectors go in a near-square grid, so a big camp is not drawn as a long strip
    sectors_per_row = math.ceil(math.sqrt(p.sectors))
    people = p.plots_per_block * p.capacity * PEOPLE_PER_PLOT
    facilities = _FacilityMaker(session, camp)
    summary = LayoutSummary()

    if first_generation and p.with_facilities:
        entrance_x = x + ENTRANCE_STRIP_M / 2
        facilities.add("health_post", "HP-1", entrance_x, y0 + 20, 50)
        facilities.add("distribution_point", "DP-1", entrance_x, y0 + 60, 60)
        facilities.add("help_desk", "HD-1", entrance_x, y0 + 100, 2)
        x += ENTRANCE_STRIP_M + ROAD_M

    new_blocks: list[Block] = []
    x_start = x
    for s in range(p.sectors):
        x = x_start + (s % sectors_per_row) * (sector_w + FIREBREAK_M)
        sy = y0 + (s // sectors_per_row) * (sector_d + FIREBREAK_M)
        blocks_y = sy + top_strip
        sector = Sector(camp_id=camp.id, code=f"S{next_sector + s}")
        session.add(sector)
        session.flush()
        summary.sectors.append(sector.code)
        if p.with_facilities:
            facilities.add(
                "school",
                f"SCH-{sector.code}",
                x + sector_w / 2,
                sy + SCHOOL_STRIP_M / 2,
                max(1, p.blocks_per_sector * people // 4),
            )
        for i in range(p.blocks_per_sector):
            bx = x + (i % grid_cols) * (block_w + ROAD_M)
            by = blocks_y + (i // grid_cols) * (block_d + ROAD_M)
            block = Block(
                camp_id=camp.id,
                sector_id=sector.id,
                code=f"B{next_block:02d}",
                x=round(bx, 1),
                y=round(by, 1),
                width=round(block_w, 1),
                depth=round(block_d, 1),
                area_m2=round(block_w * block_d, 1),
            )
            next_block += 1
            session.add(block)
            new_blocks.append(block)
        session.flush()
        if p.with_facilities:
            for block in new_blocks[-p.blocks_per_sector :]:
                assert block.x is not None and block.y is not None  # laid out above
                strip_y = block.y + plots_d + p.path_m + WASH_STRIP_M / 2
                facilities.add(
                    "water_point",
                    f"WP-{block.code}",
                    block.x + block_w / 3,
                    strip_y,
                    max(1, math.ceil(people / PEOPLE_PER_TAP)),
                    block,
                )
                facilities.add(
                    "latrine_block",
                    f"LAT-{block.code}",
                    block.x + 2 * block_w / 3,
                    strip_y,
                    max(1, math.ceil(people / PEOPLE_PER_LATRINE)),
                    block,
                )
    session.flush()
    summary.blocks = [b.code for b in new_blocks]
    summary.facilities = facilities.made

    water, latrine = wash_points(session, camp)
    now, area = utcnow(), round(p.plot_width * p.plot_depth, 2)
    rows = []
    for block in new_blocks:
        assert block.x is not None and block.y is not None  # laid out above
        for n in range(1, p.plots_per_block + 1):
            px = block.x + ((n - 1) % p.plot_columns) * (p.plot_width + PLOT_GAP_M)
            py = block.y + ((n - 1) // p.plot_columns) * (p.plot_depth + p.path_m)
            cx, cy = px + p.plot_width / 2, py + p.plot_depth / 2
            rows.append(
                {
                    "camp_id": camp.id,
                    "block_id": block.id,
                    "code": f"{camp.code}-{block.code}-{n:03d}",
                    "number": n,
                    "area_m2": area,
                    "covered_m2": p.covered_m2,
                    "shelter_type": p.shelter_type,
                    "capacity": p.capacity,
                    "status": "vacant",
                    "household_count": 0,
                    "features": "",
                    "x": round(px, 2),
                    "y": round(py, 2),
                    "width": p.plot_width,
                    "depth": p.plot_depth,
                    "water_m": rounded(water.distance(cx, cy)),
                    "latrine_m": rounded(latrine.distance(cx, cy)),
                    "created_at": now,
                }
            )
    if rows:
        session.execute(insert(Plot), rows)
    summary.plots = len(rows)
    refresh_distances(session, camp)
    refresh_site_area(session, camp)
    log_action(
        session,
        actor,
        "layout.generate",
        object_type="camp",
        object_id=camp.id,
        camp_id=camp.id,
        details={
            "sectors": summary.sectors,
            "blocks": len(summary.blocks),
            "plots": summary.plots,
            "facilities": summary.facilities,
        },
    )
    return summary
