"""A camp's layout: sectors, blocks and plots (UNHCR modular planning), and its facilities.

Positions are in metres on the camp's own grid (x east, y south, origin at the north-west
corner). Plots imported from GeoJSON keep their outline in the same local metres.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, one_of, utcnow

#: input limits shared by the forms, the services and the file import (whole numbers: the forms'
#: messages show them as typed)
MAX_PLOT_M2 = 10_000
MAX_PLOT_CAPACITY = 50
#: a plot's number in its block, the last part of its code (``-001`` to ``-999``)
MAX_PLOT_NUMBER = 999
MAX_FACILITY_CAPACITY = 100_000
#: farther than this from the camp's origin, a position is wrong (often longitude and latitude swapped)
MAX_DISTANCE_M = 50_000
FACILITY_CODE = re.compile(r"^[A-Z0-9-]{1,24}$")

SHELTER_TYPES = {
    "family_tent": _l("Family tent"),
    "rhu": _l("Refugee housing unit"),
    "transitional": _l("Transitional shelter"),
    "communal": _l("Communal hall"),
    "none": _l("No shelter yet"),
}

PLOT_STATUSES = {
    "vacant": _l("Vacant"),
    "reserved": _l("Reserved"),
    "occupied": _l("Occupied"),
    "out_of_use": _l("Out of use"),
}
#: statuses a manager sets by hand; "occupied" follows from allocations
SETTABLE_STATUSES = ("vacant", "reserved", "out_of_use")

PLOT_FEATURES = {
    "accessible": _l("Accessible (level, no steps, near a path)"),
    "near_wash": _l("Near water and latrines"),
    "flat": _l("Flat ground"),
    "shade": _l("Shade"),
    "flood_risk": _l("Flood risk"),
}

FACILITY_KINDS = {
    "water_point": _l("Water point"),
    "latrine_block": _l("Latrine block"),
    "health_post": _l("Health post"),
    "distribution_point": _l("Distribution point"),
    "help_desk": _l("Help desk"),
    "school": _l("School"),
}
#: what a facility's capacity counts
CAPACITY_UNITS = {
    "water_point": _l("taps"),
    "latrine_block": _l("latrines"),
    "health_post": _l("consultations a day"),
    "distribution_point": _l("households an hour"),
    "help_desk": _l("desks"),
    "school": _l("pupils"),
}


class Sector(Base):
    __tablename__ = "sectors"
    __table_args__ = (UniqueConstraint("camp_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), index=True)
    #: ``S1``, ``S2``... (unique in the camp)
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str | None] = mapped_column(String(80))

    def __repr__(self) -> str:
        return f"<Sector {self.code}>"


class Block(Base):
    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("camp_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sectors.id"), index=True)
    #: ``B01``... unique in the camp: it is part of every plot code (``KHR-B03-017``)
    code: Mapped[str] = mapped_column(String(8))
    #: ground the block covers, paths included, m² (None: the sum of its plots)
    area_m2: Mapped[float | None] = mapped_column(Float)
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    width: Mapped[float | None] = mapped_column(Float)
    depth: Mapped[float | None] = mapped_column(Float)

    sector: Mapped[Sector] = relationship()

    def __repr__(self) -> str:
        return f"<Block {self.code}>"


class Plot(Base):
    __tablename__ = "plots"
    __table_args__ = (
        UniqueConstraint("camp_id", "code"),
        one_of("status", PLOT_STATUSES),
        CheckConstraint("area_m2 > 0", name="area_positive"),
        CheckConstraint("covered_m2 >= 0 AND covered_m2 <= area_m2", name="covered_within_area"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("household_count >= 0 AND household_count <= capacity", name="within_capacity"),
        Index("ix_plots_camp_status", "camp_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"))
    block_id: Mapped[int] = mapped_column(ForeignKey("blocks.id"), index=True)
    #: ``KHR-B03-017``: camp, block, number in the block
    code: Mapped[str] = mapped_column(String(24))
    number: Mapped[int] = mapped_column(Integer)
    area_m2: Mapped[float] = mapped_column(Float)
    covered_m2: Mapped[float] = mapped_column(Float)
    shelter_type: Mapped[str] = mapped_column(String(16), default="family_tent")
    #: households it can hold: 1, or more for a communal hall
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(12), default="vacant")
    #: households living here now, kept by the allocation service under a row lock
    household_count: Mapped[int] = mapped_column(Integer, default=0)
    #: space-separated codes from PLOT_FEATURES
    features: Mapped[str] = mapped_column(String(120), default="")
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    width: Mapped[float] = mapped_column(Float)
    depth: Mapped[float] = mapped_column(Float)
    #: polygon in local metres, "x,y x,y ..." (GeoJSON imports); None: the rectangle above
    outline: Mapped[str | None] = mapped_column(Text)
    #: metres to the nearest water point and latrine block, refreshed when the layout changes
    water_m: Mapped[float | None] = mapped_column(Float)
    latrine_m: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    block: Mapped[Block] = relationship()

    def __repr__(self) -> str:
        return f"<Plot {self.code}>"

    @property
    def feature_set(self) -> frozenset[str]:
        return frozenset(self.features.split())

    @property
    def status_title(self) -> str:
        return str(PLOT_STATUSES.get(self.status, self.status))

    @property
    def shelter_title(self) -> str:
        return str(SHELTER_TYPES.get(self.shelter_type, self.shelter_type))


def plot_has_room():
    """SQL condition: the plot is in use and can take one more household."""
    return Plot.status.in_(("vacant", "occupied")) & (Plot.household_count < Plot.capacity)


class Facility(Base):
    __tablename__ = "facilities"
    __table_args__ = (
        UniqueConstraint("camp_id", "code"),
        one_of("kind", FACILITY_KINDS),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: ``WP-B03``, ``LAT-B03``... unique in the camp
    code: Mapped[str] = mapped_column(String(24))
    name: Mapped[str | None] = mapped_column(String(80))
    #: taps, latrines, pupils... (CAPACITY_UNITS)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    in_service: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Facility {self.code}>"

    @property
    def kind_title(self) -> str:
        return str(FACILITY_KINDS.get(self.kind, self.kind))
