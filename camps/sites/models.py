"""A camp (site): the unit every staff account is scoped to."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, one_of, utcnow

#: Tajik first-level units (ISO 3166-2:TJ); refugee camps sit in Khatlon and GBAO.
REGIONS = {
    "TJ-KT": _l("Khatlon"),
    "TJ-GB": _l("Gorno-Badakhshan (GBAO)"),
    "TJ-SU": _l("Sughd"),
    "TJ-RA": _l("Districts of Republican Subordination"),
    "TJ-DU": _l("Dushanbe"),
}

CAMP_STATUSES = {
    "planned": _l("Planned"),
    "open": _l("Open"),
    "closed": _l("Closed"),
}

#: the camp's climate sets the covered space per person (camps.layout.standards.COVERED_M2_PER_PERSON)
CLIMATES = {"temperate": _l("Temperate (3.5 m² covered per person)"), "cold": _l("Cold (4.5 m² covered per person)")}


class Camp(Base):
    __tablename__ = "camps"
    __table_args__ = (
        one_of("status", CAMP_STATUSES),
        CheckConstraint("climate IN ('temperate', 'cold')", name="climate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: three capital letters, printed in every household number (``KHR-000123-X``)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    #: ISO 3166-2:TJ code of the region
    region_code: Mapped[str] = mapped_column(String(8))
    district: Mapped[str | None] = mapped_column(String(120))
    planned_capacity: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")
    #: last household sequence number handed out in this camp (see registration.households.numbers)
    household_counter: Mapped[int] = mapped_column(Integer, default=0)
    #: sets the Sphere covered-space threshold (camps.layout.standards); GBAO's high valleys are cold
    climate: Mapped[str] = mapped_column(String(12), default="temperate", server_default="temperate")
    #: whole site area in m², roads and firebreaks included (None: the sum of its blocks)
    site_area_m2: Mapped[float | None] = mapped_column(Float)
    #: WGS84 point of the local grid's origin, set by the first GeoJSON import
    origin_lat: Mapped[float | None] = mapped_column(Float)
    origin_lon: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Camp {self.code}>"

    @property
    def region_title(self) -> str:
        return str(REGIONS.get(self.region_code, self.region_code))

    @property
    def climate_title(self) -> str:
        return str(CLIMATES.get(self.climate, self.climate))

    @property
    def status_title(self) -> str:
        return str(CAMP_STATUSES.get(self.status, self.status))
