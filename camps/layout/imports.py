"""Importing a camp's plots and facilities from a surveyor's CSV or GeoJSON file: all rows or none.

CSV (UTF-8, BOM allowed; comma, semicolon or tab separated; read by :mod:`app.csvread`), one row per
plot or facility::

    type,sector,block,plot,area_m2,covered_m2,shelter_type,capacity,status,features,x,y,width,depth,kind,code,name
    plot,S1,B01,1,100,16,family_tent,1,vacant,flat shade,0,0,10,10,,,
    facility,,B01,,,,,4,,,30,45,,,water_point,WP-B01,Tap stand 1

GeoJSON: a FeatureCollection in WGS84 (lon, lat). Polygon features are plots with the properties
above; Point features are facilities (``kind``, ``code``, ``capacity``, ``name``, optional ``block``).
Coordinates become local metres around the camp's origin (set from the file if the camp has none).

Row numbers in the report are the file's: in a CSV the header is row 1; in GeoJSON, the feature's
position in the collection (from 1). Row 0 is the file as a whole.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.config import upload_limit
from app.csvread import CsvProblem, decode, normalise_header, read_csv
from app.db import begin_write, utcnow
from app.i18n.numbers import number as locale_number
from app.users.actors import Actor
from camps.layout import geo
from camps.layout.distances import refresh_distances, refresh_site_area
from camps.layout.models import (
    FACILITY_CODE,
    FACILITY_KINDS,
    MAX_DISTANCE_M,
    MAX_FACILITY_CAPACITY,
    MAX_PLOT_CAPACITY,
    MAX_PLOT_M2,
    MAX_PLOT_NUMBER,
    PLOT_FEATURES,
    SETTABLE_STATUSES,
    SHELTER_TYPES,
    Block,
    Facility,
    Plot,
    Sector,
)
from camps.sites.models import Camp

MAX_BYTES = 10 * 1024 * 1024
COLUMNS = (
    "type",
    "sector",
    "block",
    "plot",
    "area_m2",
    "covered_m2",
    "shelter_type",
    "capacity",
    "status",
    "features",
    "x",
    "y",
    "width",
    "depth",
    "kind",
    "code",
    "name",
)
_CODE = re.compile(r"^[A-Z0-9-]{1,8}$")


@dataclass
class LayoutRowError:
    #: row of the file (CSV header = row 1; GeoJSON feature number from 1); 0 for the whole file
    row: int
    column: str
    message: str


@dataclass
class LayoutImportReport:
    filename: str
    format: str | None = None
    #: data rows (CSV) or features (GeoJSON) read
    rows: int = 0
    plots: int = 0
    facilities: int = 0
    new_sectors: list[str] = field(default_factory=list)
    new_blocks: list[str] = field(default_factory=list)
    errors: list[LayoutRowError] = field(default_factory=list)
    imported: bool = False
    _items: list[dict] = field(default_factory=list, repr=False)
    _origin: tuple[float, float] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0

    @property
    def rows_with_errors(self) -> int:
        return len({e.row for e in self.errors if e.row})

    @property
    def rows_ok(self) -> int:
        return self.rows - self.rows_with_errors

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(LayoutRowError(row, column, message))


class _FileError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- reading ---------------------------------------------------------------------------------


def _file_kind(filename: str, content: bytes) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if ext in ("geojson", "json") or (ext in ("", "txt") and head == b"{"):
        return "geojson"
    if ext in ("csv", "txt", "tsv", "") and content[:4] != b"PK\x03\x04":
        return "csv"
    raise _FileError(_("Upload a CSV (UTF-8) or GeoJSON file."))


def _decode(content: bytes) -> str:
    try:
        return decode(content)
    except CsvProblem:
        raise _FileError(_('The file is not UTF-8 text. Save it as "CSV UTF-8" or GeoJSON.')) from None


def _read_csv(text: str) -> list[tuple[int, dict, None]]:
    """The plots and facilities of a CSV (read by app.csvread, as the registration lists are)."""
    max_rows = upload_limit("IMPORT_MAX_ROWS")
    try:
        grid = read_csv(text, max_rows)
    except CsvProblem as problem:
        raise _FileError(_csv_problem(problem)) from None
    if not grid:
        raise _FileError(_("The file is empty."))
    header = [normalise_header(name) for name in grid[0][1]]
    if "type" not in header:
        raise _FileError(
            _(
                'The header row must have a "type" column (plot or facility); columns: %(cols)s.',
                cols=", ".join(COLUMNS),
            )
        )
    return [
        (number, {name: value for name, value in zip(header, record, strict=False) if name in COLUMNS}, None)
        for number, record in grid[1:]
    ]


def _csv_problem(problem: CsvProblem) -> str:
    if problem.kind == CsvProblem.TOO_LONG:
        return _(
            "The file runs to more than %(n)s rows, blank rows included: delete the empty "
            "rows at its end, or split it.",
            n=locale_number(problem.limit),
        )
    if problem.kind == CsvProblem.TOO_MANY:
        return _("The file has more than %(n)s rows: split it.", n=locale_number(problem.limit))
    return _("The file is not a readable CSV file.")


def _read_geojson(text: str) -> list[tuple[int, dict, dict | None]]:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        raise _FileError(_("The file is not valid JSON.")) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise _FileError(_("The file must be a GeoJSON FeatureCollection."))
    max_rows = upload_limit("IMPORT_MAX_ROWS")
    if len(doc["features"]) > max_rows:
        raise _FileError(_("The file has more than %(n)s features: split it.", n=locale_number(max_rows)))
    rows = []
    for number, feature in enumerate(doc["features"], start=1):
        if not isinstance(feature, dict):
            feature = {}
        properties = feature.get("properties")
        props = properties if isinstance(properties, dict) else {}
        cells = {k: v for k, v in props.items() if k in COLUMNS}
        geometry = feature.get("geometry") if isinstance(feature.get("geometry"), dict) else None
        rows.append((number, cells, geometry or {}))
    return rows


# --- cells -----------------------------------------------------------------------------------


def _text(cells: dict, column: str) -> str:
    value = cells.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(cells: dict, column: str, report: LayoutImportReport, row: int, *, integer: bool = False):
    """The cell as a number; None when empty; False (after reporting) when not a number."""
    value = cells.get(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        report.add(row, column, _("“%(value)s” is not a number.", value=str(value)[:40]))
        return False
    if integer:
        if not number.is_integer():
            report.add(row, column, _("Enter a whole number."))
            return False
        return int(number)
    return number


def _code(value: str, prefix: str) -> str:
    value = value.strip().upper()
    if value.isdigit():
        return f"{prefix}{int(value):02d}" if prefix == "B" else f"{prefix}{int(value)}"
    return value


def _features(value, report: LayoutImportReport, row: int) -> str | None:
    codes = value if isinstance(value, list) else re.split(r"[\s,;]+", str(value or "").strip())
    codes = [str(c).strip().lower() for c in codes if str(c).strip()]
    unknown = [c for c in codes if c not in PLOT_FEATURES]
    if unknown:
        report.add(
            row,
            "features",
            _("Unknown feature “%(code)s”: use %(known)s.", code=unknown[0][:30], known=", ".join(PLOT_FEATURES)),
        )
        return None
    return " ".join(sorted(set(codes), key=list(PLOT_FEATURES).index))


# --- geometry --------------------------------------------------------------------------------


def _position(value) -> tuple[float, float] | None:
    if not isinstance(value, list | tuple) or len(value) < 2:
        return None
    lon, lat = value[0], value[1]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)):
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return float(lon), float(lat)


def _lonlats(geometry: dict, report: LayoutImportReport, row: int) -> tuple[str, list] | None:
    """('plot', ring of (lon, lat)) or ('facility', [(lon, lat)]), or None after reporting."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not kind:
        report.add(row, "geometry", _("The feature has no geometry."))
        return None
    if kind == "Point":
        point = _position(coords)
        if point is None:
            report.add(row, "geometry", _("The point needs longitude and latitude in degrees."))
            return None
        return "facility", [point]
    if kind == "Polygon":
        ring = coords[0] if isinstance(coords, list) and coords and isinstance(coords[0], list) else []
        positions = [_position(p) for p in ring]
        if any(p is None for p in positions):
            report.add(row, "geometry", _("Every corner needs longitude and latitude in degrees."))
            return None
        points = geo.open_ring([p for p in positions if p is not None])
        if len(points) < 3:
            report.add(row, "geometry", _("A plot polygon needs at least three corners."))
            return None
        return "plot", points
    report.add(row, "geometry", _("Plots must be Polygons and facilities Points, not %(kind)s.", kind=str(kind)[:30]))
    return None


# --- checking --------------------------------------------------------------------------------


class _Checker:
    def __init__(self, session: Session, camp: Camp, report: LayoutImportReport) -> None:
        self.camp, self.report = camp, report
        self.sectors = {s.code: s for s in session.scalars(select(Sector).where(Sector.camp_id == camp.id))}
        self.blocks = {b.code: b for b in session.scalars(select(Block).where(Block.camp_id == camp.id))}
        self.sector_of = {b.code: b.sector.code for b in self.blocks.values()}
        self.plot_codes = set(session.scalars(select(Plot.code).where(Plot.camp_id == camp.id)))
        self.facility_codes = set(session.scalars(select(Facility.code).where(Facility.camp_id == camp.id)))
        self.seen_plots: dict[str, int] = {}
        self.seen_facilities: dict[str, int] = {}
        self.new_block_sector: dict[str, tuple[str, int]] = {}

    def error(self, row: int, column: str, message: str) -> None:
        self.report.add(row, column, message)

    def block_and_sector(self, row: int, cells: dict) -> tuple[str, str] | None:
        block = _code(_text(cells, "block"), "B")
        sector = _code(_text(cells, "sector"), "S")
        if not block:
            self.error(row, "block", _("Give the plot’s block (e.g. B01)."))
            return None
        if not _CODE.match(block):
            self.error(row, "block", _("A block code is up to 8 letters, digits or dashes."))
            return None
        if sector and not _CODE.match(sector):
            self.error(row, "sector", _("A sector code is up to 8 letters, digits or dashes."))
            return None
        known = self.sector_of.get(block)
        if known is not None:
            if sector and sector != known:
                self.error(row, "sector", _("Block %(block)s is in sector %(sector)s.", block=block, sector=known))
                return None
            return block, known
        if sector:
            first = self.new_block_sector.setdefault(block, (sector, row))
            if first[0] != sector:
                self.error(
                    row,
                    "sector",
                    _(
                        "Row %(row)d puts block %(block)s in sector %(sector)s.",
                        row=first[1],
                        block=block,
                        sector=first[0],
                    ),
                )
                return None
        return block, sector

    def plot(self, row: int, cells: dict, points: list[tuple[float, float]] | None) -> dict | None:
        errors_before = len(self.report.errors)
        where = self.block_and_sector(row, cells)
        number = _number(cells, "plot", self.report, row, integer=True)
        if number is None:
            self.error(row, "plot", _("Give the plot’s number in its block."))
        elif number is not False and not 1 <= number <= MAX_PLOT_NUMBER:
            self.error(row, "plot", _("The plot number must be from 1 to 999."))
        area = _number(cells, "area_m2", self.report, row)
        covered = _number(cells, "covered_m2", self.report, row)
        capacity = _number(cells, "capacity", self.report, row, integer=True)
        box = {k: _number(cells, k, self.report, row) for k in ("x", "y", "width", "depth")}
        outline = None
        if points is not None:
            x, y, width, depth = geo.bounding_box(points)
            box = {"x": x, "y": y, "width": width, "depth": depth}
            outline = geo.format_outline(points)
            drawn = geo.shoelace_area(points)
            if drawn < 1:
                self.error(row, "geometry", _("The polygon has no area: check its corners."))
            elif drawn > MAX_PLOT_M2:
                self.error(
                    row,
                    "geometry",
                    _("The polygon covers %(area)s m², more than a plot can.", area=locale_number(drawn)),
                )
            elif any(abs(v) > MAX_DISTANCE_M for p in points for v in p):
                self.error(
                    row, "geometry", _("The plot is more than 50 km from the camp: are longitude and latitude swapped?")
                )
            if area is None:
                # a bad polygon is reported once, under geometry
                area = round(drawn, 1) if len(self.report.errors) == errors_before else False
        else:
            for key in ("x", "y"):
                if box[key] is None:
                    self.error(row, key, _("Give the plot’s position in metres."))
            for key in ("width", "depth"):
                if box[key] is not None and box[key] is not False and box[key] <= 0:
                    self.error(row, key, _("Must be more than 0."))
            if area is None and box["width"] and box["depth"]:
                area = box["width"] * box["depth"]
        if area is None:
            self.error(row, "area_m2", _("Give the plot’s area in m²."))
        elif area is not False and area <= 0:
            self.error(row, "area_m2", _("The area must be more than 0 m²."))
        elif area is not False and area > MAX_PLOT_M2:
            self.error(row, "area_m2", _("At most %(n)s m² per plot.", n=locale_number(MAX_PLOT_M2)))
        if covered is not None and covered is not False:
            if covered < 0:
                self.error(row, "covered_m2", _("The covered area cannot be negative."))
            elif area and area > 0 and covered > area:
                self.error(
                    row,
                    "covered_m2",
                    _(
                        "The covered area (%(covered)s m²) is more than the plot (%(area)s m²).",
                        covered=f"{covered:g}",
                        area=f"{area:g}",
                    ),
                )
        if capacity is not None and capacity is not False and not 1 <= capacity <= MAX_PLOT_CAPACITY:
            self.error(row, "capacity", _("The capacity must be from 1 to 50 households."))
        shelter = _text(cells, "shelter_type").lower()
        if shelter and shelter not in SHELTER_TYPES:
            self.error(
                row,
                "shelter_type",
                _(
                    "Unknown shelter type “%(value)s”: use %(known)s.",
                    value=shelter[:30],
                    known=", ".join(SHELTER_TYPES),
                ),
            )
        status = _text(cells, "status").lower() or "vacant"
        if status not in SETTABLE_STATUSES:
            self.error(
                row,
                "status",
                _("Unknown status “%(value)s”: use %(known)s.", value=status[:30], known=", ".join(SETTABLE_STATUSES)),
            )
        features = _features(cells.get("features"), self.report, row)
        code = f"{self.camp.code}-{where[0]}-{number:03d}" if where and isinstance(number, int) and number else None
        if code:
            if code in self.plot_codes:
                self.error(row, "plot", _("Plot %(code)s already exists in this camp.", code=code))
            elif code in self.seen_plots:
                self.error(
                    row,
                    "plot",
                    _("Plot %(code)s is also on row %(row)d of the file.", code=code, row=self.seen_plots[code]),
                )
            else:
                self.seen_plots[code] = row
        if len(self.report.errors) > errors_before:
            return None
        assert where is not None  # else block_and_sector recorded an error
        covered = covered or 0.0
        return {
            "row": row,
            "type": "plot",
            "code": code,
            "number": number,
            "block": where[0],
            "sector": where[1],
            "area_m2": round(area, 2),
            "covered_m2": covered,
            "shelter_type": shelter or ("family_tent" if covered > 0 else "none"),
            "capacity": capacity or 1,
            "status": status,
            "features": features or "",
            "outline": outline,
            "x": box["x"],
            "y": box["y"],
            "width": box["width"] or math.sqrt(area),
            "depth": box["depth"] or math.sqrt(area),
        }

    def facility(self, row: int, cells: dict, point: tuple[float, float] | None) -> dict | None:
        errors_before = len(self.report.errors)
        kind = _text(cells, "kind").lower()
        if not kind:
            self.error(row, "kind", _("Give the facility’s kind: %(known)s.", known=", ".join(FACILITY_KINDS)))
        elif kind not in FACILITY_KINDS:
            self.error(
                row,
                "kind",
                _(
                    "Unknown facility kind “%(value)s”: use %(known)s.",
                    value=kind[:30],
                    known=", ".join(FACILITY_KINDS),
                ),
            )
        code = _text(cells, "code").upper()
        if not code:
            self.error(row, "code", _("Give the facility’s code (e.g. WP-B01)."))
        elif not FACILITY_CODE.match(code):
            self.error(row, "code", _("A facility code is up to 24 letters, digits or dashes."))
        elif code in self.facility_codes:
            self.error(row, "code", _("Facility %(code)s already exists in this camp.", code=code))
        elif code in self.seen_facilities:
            self.error(
                row,
                "code",
                _("Facility %(code)s is also on row %(row)d of the file.", code=code, row=self.seen_facilities[code]),
            )
        else:
            self.seen_facilities[code] = row
        capacity = _number(cells, "capacity", self.report, row, integer=True)
        if capacity is not None and capacity is not False and not 0 <= capacity <= MAX_FACILITY_CAPACITY:
            self.error(
                row, "capacity", _("The capacity must be from 0 to %(n)s.", n=locale_number(MAX_FACILITY_CAPACITY))
            )
        if point is not None:
            x, y = point
            if abs(x) > MAX_DISTANCE_M or abs(y) > MAX_DISTANCE_M:
                self.error(
                    row,
                    "geometry",
                    _("The facility is more than 50 km from the camp: are longitude and latitude swapped?"),
                )
        else:
            x, y = _number(cells, "x", self.report, row), _number(cells, "y", self.report, row)
            for key, value in (("x", x), ("y", y)):
                if value is None:
                    self.error(row, key, _("Give the facility’s position in metres."))
        block = _code(_text(cells, "block"), "B") or None
        name = _text(cells, "name")
        if len(name) > 80:
            self.error(row, "name", _("At most 80 characters."))
        if len(self.report.errors) > errors_before:
            return None
        return {
            "row": row,
            "type": "facility",
            "kind": kind,
            "code": code,
            "name": name or None,
            "capacity": 1 if capacity is None else capacity,
            "x": x,
            "y": y,
            "block": block,
        }

    def finish(self, items: list[dict]) -> None:
        """Checks that need the whole file: new blocks' sectors, facilities' blocks."""
        file_blocks = {i["block"] for i in items if i["type"] == "plot"}
        for item in items:
            if item["type"] == "plot" and not item["sector"]:
                sector = self.new_block_sector.get(item["block"], (None,))[0]
                if sector is None:
                    self.error(
                        item["row"], "sector", _("Give the sector of the new block %(block)s.", block=item["block"])
                    )
                item["sector"] = sector
            elif (
                item["type"] == "facility"
                and item["block"]
                and item["block"] not in self.blocks
                and item["block"] not in file_blocks
            ):
                self.error(
                    item["row"], "block", _("No block %(block)s in this camp or in this file.", block=item["block"])
                )


def validate_layout_file(session: Session, camp: Camp, filename: str, content: bytes) -> LayoutImportReport:
    """Read and check every row; change nothing. ``report.ok`` says whether it can be imported."""
    report = LayoutImportReport(filename=filename)
    try:
        if len(content) > MAX_BYTES:
            raise _FileError(_("The file is larger than %(n)d MB.", n=MAX_BYTES // (1024 * 1024)))
        if not content.strip():
            raise _FileError(_("The file is empty."))
        report.format = _file_kind(filename, content)
        text = _decode(content)
        rows = _read_csv(text) if report.format == "csv" else _read_geojson(text)
    except _FileError as exc:
        report.add(0, "", exc.message)
        return report
    report.rows = len(rows)
    if not rows:
        report.add(0, "", _("The file has no plots or facilities."))
        return report
    checker = _Checker(session, camp, report)
    if report.format == "geojson":
        shapes = {row: _lonlats(geometry or {}, report, row) for row, _cells, geometry in rows}
        corners = [p for shape in shapes.values() if shape for p in shape[1]]
        if camp.origin_lon is not None and camp.origin_lat is not None:
            report._origin = (camp.origin_lon, camp.origin_lat)
        elif corners:
            report._origin = (min(p[0] for p in corners), max(p[1] for p in corners))
    items = []
    for row, cells, _geometry in rows:
        if report.format == "geojson":
            shape = shapes[row]
            if shape is None:
                continue
            kind, lonlats = shape
            assert report._origin is not None  # set above from the corners read
            local = [geo.to_local(lon, lat, *report._origin) for lon, lat in lonlats]
            item = checker.plot(row, cells, local) if kind == "plot" else checker.facility(row, cells, local[0])
        else:
            kind = _text(cells, "type").lower()
            if kind == "plot":
                item = checker.plot(row, cells, None)
            elif kind == "facility":
                item = checker.facility(row, cells, None)
            else:
                report.add(row, "type", _("The type must be “plot” or “facility”."))
                item = None
        if item is not None:
            items.append(item)
    checker.finish(items)
    report.errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99))
    report.plots = sum(1 for i in items if i["type"] == "plot")
    report.facilities = len(items) - report.plots
    report.new_sectors = sorted(
        {i["sector"] for i in items if i["type"] == "plot" and i["sector"]} - checker.sectors.keys()
    )
    report.new_blocks = sorted({i["block"] for i in items if i["type"] == "plot"} - checker.blocks.keys())
    report._items = items
    return report


def import_layout(session: Session, actor: Actor, camp: Camp, filename: str, content: bytes) -> LayoutImportReport:
    """Import every plot and facility of the file, or nothing when any row has a problem (see the report)."""
    report = validate_layout_file(session, camp, filename, content)
    if not report.ok:
        return report
    begin_write(session)  # the file is read and checked: only the writing waits for the write lock
    try:
        with session.begin_nested():
            _save(session, actor, camp, report)
    except IntegrityError:  # a plot or facility of the file was added meanwhile, by someone else
        report.add(0, "", _("The camp’s layout changed while the file was being checked: import it again."))
    return report


def _save(session: Session, actor: Actor, camp: Camp, report: LayoutImportReport) -> None:
    if report.format == "geojson" and camp.origin_lon is None and report._origin:
        camp.origin_lon, camp.origin_lat = report._origin
    sectors = {s.code: s for s in session.scalars(select(Sector).where(Sector.camp_id == camp.id))}
    for code in report.new_sectors:
        sectors[code] = Sector(camp_id=camp.id, code=code)
        session.add(sectors[code])
    session.flush()
    blocks = {b.code: b for b in session.scalars(select(Block).where(Block.camp_id == camp.id))}
    plots = [i for i in report._items if i["type"] == "plot"]
    by_block: dict[str, list[dict]] = defaultdict(list)
    for item in plots:
        by_block[item["block"]].append(item)
    for code in report.new_blocks:
        blocks[code] = Block(camp_id=camp.id, sector_id=sectors[by_block[code][0]["sector"]].id, code=code)
        session.add(blocks[code])
    for code, items in by_block.items():
        _extend_block(blocks[code], items)
    session.flush()
    now = utcnow()
    rows = [
        {
            "camp_id": camp.id,
            "block_id": blocks[i["block"]].id,
            "code": i["code"],
            "number": i["number"],
            "area_m2": i["area_m2"],
            "covered_m2": i["covered_m2"],
            "shelter_type": i["shelter_type"],
            "capacity": i["capacity"],
            "status": i["status"],
            "household_count": 0,
            "features": i["features"],
            "x": round(i["x"], 2),
            "y": round(i["y"], 2),
            "width": round(i["width"], 2),
            "depth": round(i["depth"], 2),
            "outline": i["outline"],
            "created_at": now,
        }
        for i in plots
    ]
    if rows:
        session.execute(insert(Plot), rows)
    facilities = [
        {
            "camp_id": camp.id,
            "block_id": blocks[i["block"]].id if i["block"] else None,
            "kind": i["kind"],
            "code": i["code"],
            "name": i["name"],
            "capacity": i["capacity"],
            "x": round(i["x"], 1),
            "y": round(i["y"], 1),
            "in_service": True,
        }
        for i in report._items
        if i["type"] == "facility"
    ]
    if facilities:
        session.execute(insert(Facility), facilities)
    refresh_distances(session, camp)
    refresh_site_area(session, camp)
    log_action(
        session,
        actor,
        "layout.import",
        object_type="camp",
        object_id=camp.id,
        camp_id=camp.id,
        details={
            "format": report.format,
            "plots": report.plots,
            "facilities": report.facilities,
            "sectors": report.new_sectors,
            "blocks": report.new_blocks,
        },
    )
    report.imported = True


def _extend_block(block: Block, plots: list[dict]) -> None:
    """Grow the block's rectangle (and area) to hold its imported plots."""
    x0 = min(p["x"] for p in plots)
    y0 = min(p["y"] for p in plots)
    x1 = max(p["x"] + p["width"] for p in plots)
    y1 = max(p["y"] + p["depth"] for p in plots)
    if block.x is not None and block.y is not None and block.width is not None and block.depth is not None:
        x0, y0 = min(x0, block.x), min(y0, block.y)
        x1, y1 = max(x1, block.x + block.width), max(y1, block.y + block.depth)
    block.x, block.y = round(x0, 1), round(y0, 1)
    block.width, block.depth = round(x1 - x0, 1), round(y1 - y0, 1)
    block.area_m2 = round(block.width * block.depth, 1)
