"""Importing plots and facilities from CSV and GeoJSON: all rows or none, with a report per row."""

from __future__ import annotations

import io
import json
import math

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from camps.layout import services
from camps.layout.geo import parse_outline
from camps.layout.models import Block, Facility, Plot, Sector

HEADER = (
    "type,sector,block,plot,area_m2,covered_m2,shelter_type,capacity,status,features,x,y,width,depth,kind,code,name"
)
GOOD_CSV = (
    "\n".join(
        [
            HEADER,
            "plot,S1,B01,1,100,16,family_tent,1,vacant,flat shade,0,0,10,10,,,",
            'plot,S1,B01,2,,18,rhu,1,reserved,"accessible,near_wash",12,0,10,10,,,',
            "plot,,B01,3,90,0,,,,,24,0,9,10,,,",
            "plot,2,7,1,120,20,communal,3,out_of_use,,100,0,10,12,,,",
            "facility,,B01,,,,,4,,,18,30,,,water_point,wp-b01,Tap stand 1",
            "facility,,,,,,,2,,,60,30,,,latrine_block,LAT-1,",
        ]
    )
    + "\n"
)

LON, LAT = 68.78, 37.35
M_PER_DEG = 6_371_008.8 * math.pi / 180


def _square(x: float, y: float, w: float, d: float) -> list[list[float]]:
    """A rectangle whose north-west corner is x m east and y m south of (LON, LAT), as lon/lat."""

    def lonlat(px, py):
        return [LON + px / (M_PER_DEG * math.cos(math.radians(LAT))), LAT - py / M_PER_DEG]

    return [lonlat(x, y), lonlat(x + w, y), lonlat(x + w, y + d), lonlat(x, y + d), lonlat(x, y)]


def _geojson(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _polygon(ring, **props) -> dict:
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": props}


def _point(lon, lat, **props) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def _counts(session, camp) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model).where(model.camp_id == camp.id))
        for model in (Sector, Block, Plot, Facility)
    )


@pytest.fixture()
def manager(make):
    return make.user(roles=["site_manager"], camps=["KHR"])


def test_good_csv_imports_plots_facilities_sectors_and_blocks(session, make, manager):
    camp = make.camp("KHR")
    report = services.import_layout(session, manager, camp, "survey.csv", ("\ufeff" + GOOD_CSV).encode())
    assert report.errors == [] and report.imported
    assert (report.rows, report.plots, report.facilities) == (6, 4, 2)
    assert report.new_sectors == ["S1", "S2"] and report.new_blocks == ["B01", "B07"]
    plots = {p.code: p for p in session.scalars(select(Plot).where(Plot.camp_id == camp.id))}
    assert sorted(plots) == ["KHR-B01-001", "KHR-B01-002", "KHR-B01-003", "KHR-B07-001"]
    one, two, three, hall = (plots["KHR-B01-001"], plots["KHR-B01-002"], plots["KHR-B01-003"], plots["KHR-B07-001"])
    assert one.features == "flat shade" and one.status == "vacant" and one.shelter_type == "family_tent"
    assert two.area_m2 == 100 and two.status == "reserved" and two.features == "accessible near_wash"
    assert three.shelter_type == "none" and three.capacity == 1 and three.area_m2 == 90
    assert hall.block.sector.code == "S2" and hall.capacity == 3 and hall.status == "out_of_use"
    b01 = session.scalar(select(Block).where(Block.camp_id == camp.id, Block.code == "B01"))
    assert (b01.x, b01.y, b01.width, b01.depth) == (0, 0, 33, 10)
    tap = session.scalar(select(Facility).where(Facility.code == "WP-B01"))
    assert tap.block_id == b01.id and tap.capacity == 4 and tap.name == "Tap stand 1"
    assert one.water_m == pytest.approx(math.dist((5, 5), (18, 30)), abs=0.1)
    assert hall.latrine_m == pytest.approx(math.dist((105, 6), (60, 30)), abs=0.1)
    assert camp.site_area_m2 is not None
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "layout.import"))
    assert event.details["plots"] == 4 and event.details["format"] == "csv"


def test_semicolon_csv_with_decimal_commas(session, make, manager):
    camp = make.camp("KHR")
    content = (HEADER.replace(",", ";") + "\nplot;S1;B01;1;100,5;16,25;;;;;0;0;10;10;;;\n").encode()
    report = services.import_layout(session, manager, camp, "survey.csv", content)
    assert report.imported
    plot = session.scalar(select(Plot).where(Plot.code == "KHR-B01-001"))
    assert plot.area_m2 == 100.5 and plot.covered_m2 == 16.25


def test_good_geojson_is_converted_to_local_metres(session, make, manager):
    camp = make.camp("KHR")
    content = _geojson(
        [
            _polygon(_square(0, 0, 10, 12), sector="S1", block="B01", plot=1, covered_m2=16, features=["flat"]),
            _polygon(_square(15, 40, 8, 8), sector="S1", block="B01", plot=2, area_m2=70),
            _point(*_square(30, 20, 1, 1)[0], kind="water_point", code="WP-1", capacity=3, name="North tap"),
        ]
    )
    report = services.import_layout(session, manager, camp, "plots.geojson", content)
    assert report.errors == [] and (report.plots, report.facilities) == (2, 1)
    assert camp.origin_lon == pytest.approx(LON) and camp.origin_lat == pytest.approx(LAT)
    one = session.scalar(select(Plot).where(Plot.code == "KHR-B01-001"))
    assert one.area_m2 == pytest.approx(120, rel=0.01)  # from the polygon
    assert (one.x, one.y) == (pytest.approx(0, abs=0.1), pytest.approx(0, abs=0.1))
    assert (one.width, one.depth) == (pytest.approx(10, abs=0.1), pytest.approx(12, abs=0.1))
    corners = parse_outline(one.outline)
    assert len(corners) == 4
    assert corners[2] == (pytest.approx(10, abs=0.11), pytest.approx(12, abs=0.11))
    assert all(round(v, 1) == v for corner in corners for v in corner)
    assert one.features == "flat"
    two = session.scalar(select(Plot).where(Plot.code == "KHR-B01-002"))
    assert two.area_m2 == 70 and two.x == pytest.approx(15, abs=0.1) and two.y == pytest.approx(40, abs=0.1)
    tap = session.scalar(select(Facility).where(Facility.code == "WP-1"))
    assert (tap.x, tap.y) == (pytest.approx(30, abs=0.1), pytest.approx(20, abs=0.1))
    assert one.water_m == pytest.approx(math.dist((5, 6), (30, 20)), abs=0.2)


def test_geojson_uses_the_camps_origin_once_set(session, make, manager):
    camp = make.camp("KHR")
    camp.origin_lon, camp.origin_lat = LON - 0.001, LAT
    content = _geojson([_polygon(_square(0, 0, 10, 10), sector="S1", block="B01", plot=1)])
    services.import_layout(session, manager, camp, "more.json", content)
    plot = session.scalar(select(Plot).where(Plot.code == "KHR-B01-001"))
    assert plot.x == pytest.approx(0.001 * M_PER_DEG * math.cos(math.radians(LAT)), abs=0.2)
    assert camp.origin_lon == LON - 0.001


@pytest.mark.parametrize(
    "line, column, message",
    [
        ("plot,S1,B01,9,-20,0,,,,,0,0,10,10,,,", "area_m2", "The area must be more than 0"),
        ("plot,S1,B01,9,0,0,,,,,0,0,10,10,,,", "area_m2", "The area must be more than 0"),
        ("plot,S1,B01,9,100,120,,,,,0,0,10,10,,,", "covered_m2", "is more than the plot"),
        ("plot,S1,B01,9,100,-1,,,,,0,0,10,10,,,", "covered_m2", "cannot be negative"),
        ("plot,S1,B01,9,100,16,igloo,,,,0,0,10,10,,,", "shelter_type", "Unknown shelter type"),
        ("plot,S1,B01,9,100,16,,,occupied,,0,0,10,10,,,", "status", "Unknown status"),
        ('plot,S1,B01,9,100,16,,,,"flat, pool",0,0,10,10,,,', "features", "Unknown feature “pool”"),
        ("plot,S1,,1,100,16,,,,,0,0,10,10,,,", "block", "Give the plot’s block"),
        ("plot,,B05,9,100,16,,,,,0,0,10,10,,,", "sector", "Give the sector of the new block B05"),
        ("plot,S1,B01,9,1OO,16,,,,,0,0,10,10,,,", "area_m2", "“1OO” is not a number"),
        ("plot,S1,B01,one,100,16,,,,,0,0,10,10,,,", "plot", "is not a number"),
        ("plot,S1,B01,9,100,16,,,,,,0,10,10,,,", "x", "Give the plot’s position"),
        ("plot,S1,B01,9,100,16,,0,,,0,0,10,10,,,", "capacity", "from 1 to 50"),
        ("shed,S1,B01,9,100,16,,,,,0,0,10,10,,,", "type", "must be “plot” or “facility”"),
        ("facility,,,,,,,1,,,5,5,,,well,W-1,", "kind", "Unknown facility kind"),
        ("facility,,,,,,,1,,,5,5,,,water_point,,", "code", "Give the facility’s code"),
        ("facility,,B09,,,,,1,,,5,5,,,water_point,W-1,", "block", "No block B09"),
        ("facility,,,,,,,-2,,,5,5,,,water_point,W-1,", "capacity", "from 0 to"),
    ],
)
def test_each_broken_row_is_reported_and_nothing_is_saved(session, make, manager, line, column, message):
    camp = make.camp("KHR")
    make.layout("KHR", blocks=1, plots=2)
    before = _counts(session, camp)
    content = f"{HEADER}\nplot,S1,B02,1,100,16,,,,,200,0,10,10,,,\n{line}\n".encode()
    report = services.import_layout(session, manager, camp, "survey.csv", content)
    assert not report.imported
    assert [(e.row, e.column) for e in report.errors] == [(3, column)], report.errors
    assert message in report.errors[0].message
    assert report.rows_ok == 1 and report.rows_with_errors == 1
    assert _counts(session, camp) == before


def test_duplicate_plot_codes_in_the_file_and_in_the_camp_are_refused(session, make, manager):
    camp = make.camp("KHR")
    make.layout("KHR", blocks=1, plots=2)  # KHR-B01-001, KHR-B01-002
    before = _counts(session, camp)
    content = "\n".join(
        [
            HEADER,
            "plot,,B01,2,100,16,,,,,0,50,10,10,,,",
            "plot,S1,B02,5,100,16,,,,,0,80,10,10,,,",
            "plot,S1,b02,005,100,16,,,,,20,80,10,10,,,",
            "facility,,,,,,,1,,,5,5,,,water_point,W-1,",
            "facility,,,,,,,1,,,9,5,,,water_point,w-1,",
        ]
    ).encode()
    report = services.import_layout(session, manager, camp, "survey.csv", content)
    assert [(e.row, e.column) for e in report.errors] == [(2, "plot"), (4, "plot"), (6, "code")]
    assert "KHR-B01-002 already exists in this camp" in report.errors[0].message
    assert "KHR-B02-005 is also on row 3 of the file" in report.errors[1].message
    assert "W-1 is also on row 5" in report.errors[2].message
    assert _counts(session, camp) == before


def test_existing_block_in_another_sector_is_refused(session, make, manager):
    camp = make.camp("KHR")
    make.layout("KHR", blocks=1, plots=1)
    report = services.validate_layout_file(
        session, camp, "x.csv", f"{HEADER}\nplot,S4,B01,9,100,16,,,,,0,50,10,10,,,\n".encode()
    )
    assert [(e.column, e.message) for e in report.errors] == [("sector", "Block B01 is in sector S1.")]


@pytest.mark.parametrize(
    "feature, message",
    [
        (_polygon([[LON, LAT], [LON, LAT + 0.0001]], sector="S1", block="B01", plot=1), "at least three corners"),
        (
            _polygon(
                [[LON, LAT], [LON + 0.0001, LAT], [LON + 0.0002, LAT], [LON, LAT]], sector="S1", block="B01", plot=1
            ),
            "no area",
        ),
        (
            _polygon([[LON, LAT], ["x", LAT], [LON, LAT - 0.0001], [LON, LAT]], sector="S1", block="B01", plot=1),
            "longitude and latitude",
        ),
        (
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[LON, LAT], [LON, LAT]]},
                "properties": {},
            },
            "Polygons",
        ),
        ({"type": "Feature", "geometry": None, "properties": {"kind": "school"}}, "no geometry"),
        (
            _polygon(
                [[LAT, LON], [LAT + 0.0001, LON], [LAT + 0.0001, LON + 0.0001], [LAT, LON]],
                sector="S1",
                block="B01",
                plot=1,
            ),
            "swapped",
        ),
        (_polygon(_square(0, 0, 10, 10), sector="S1", block="B01", plot=1, area_m2=-4), "more than 0"),
        (_point(LON, LAT, kind="clinic", code="C-1"), "Unknown facility kind"),
    ],
)
def test_bad_geojson_features_are_reported(session, make, manager, feature, message):
    camp = make.camp("KHR")
    camp.origin_lon, camp.origin_lat = LON, LAT
    good = _polygon(_square(50, 0, 10, 10), sector="S1", block="B02", plot=1)
    report = services.import_layout(session, manager, camp, "plots.geojson", _geojson([good, feature]))
    assert not report.imported
    assert [e.row for e in report.errors] == [2] and message in report.errors[0].message, report.errors
    assert _counts(session, camp) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("plots.xlsx", b"PK\x03\x04rest-of-a-workbook", "Upload a CSV (UTF-8) or GeoJSON file"),
        ("plots.pdf", b"%PDF-1.4", "Upload a CSV (UTF-8) or GeoJSON file"),
        ("plots.csv", b"", "The file is empty"),
        ("plots.csv", b"block,plot\nB01,1\n", 'must have a "type" column'),
        ("plots.csv", b"type\n" + b"\xff\xfe", "not UTF-8"),
        ("plots.geojson", b'{"type": "FeatureCollection", "features": [', "not valid JSON"),
        ("plots.geojson", b'{"type": "Feature"}', "must be a GeoJSON FeatureCollection"),
        ("plots.csv", (HEADER + "\n").encode(), "no plots or facilities"),
    ],
)
def test_unusable_files_are_refused_as_a_whole(session, make, manager, filename, content, message):
    camp = make.camp("KHR")
    report = services.import_layout(session, manager, camp, filename, content)
    assert not report.imported and report.errors[0].row == 0
    assert message in report.errors[0].message, report.errors


def test_more_than_twenty_thousand_rows_are_refused(session, make, manager):
    camp = make.camp("KHR")
    rows = "\n".join("plot,S1,B01,1,100,16,,,,,0,0,10,10,,," for _ in range(20_001))
    report = services.validate_layout_file(session, camp, "big.csv", f"{HEADER}\n{rows}\n".encode())
    assert report.errors[0].row == 0 and "more than 20,000 rows" in report.errors[0].message


def test_import_page_shows_the_report_or_the_counts(client, login_as, session, make):
    camp = make.camp("KHR")
    login_as("site_manager", "KHR")
    assert client.get("/camps/KHR/layout/import").status_code == 200
    bad = f"{HEADER}\nplot,S1,B01,1,-5,0,,,,,0,0,10,10,,,\n".encode()
    response = client.post(
        "/camps/KHR/layout/import", data={"file": (io.BytesIO(bad), "survey.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert b'data-testid="import-problems"' in response.data and b"The area must be more than 0" in response.data
    assert _counts(session, camp) == (0, 0, 0, 0)
    response = client.post(
        "/camps/KHR/layout/import",
        data={"file": (io.BytesIO(GOOD_CSV.encode()), "survey.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and response.headers["Location"] == "/camps/KHR/plots"
    assert _counts(session, camp) == (2, 2, 4, 2)
    page = client.get("/camps/KHR/plots").data.decode()
    assert "Imported 4 plots and 2 facilities" in page


def test_import_page_without_a_file_says_so(client, login_as, make):
    make.camp("KHR")
    login_as("site_manager", "KHR")
    response = client.post("/camps/KHR/layout/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and b"Choose a CSV or GeoJSON file." in response.data
