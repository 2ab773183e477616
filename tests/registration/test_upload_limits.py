"""Uploads are bounded by what their headers say, before any slow work (issue 12, finding 5).

A workbook that unpacks to hundreds of megabytes, a sheet that claims a million rows and columns, a
list padded with blank rows, a photo of too many pixels, a GeoJSON nested beyond reason: each is
refused with a message the clerk understands, without being decompressed or decoded in full.
"""

from __future__ import annotations

import io
import os
import re
import zipfile

import pytest
from PIL import Image, ImageFile

from app.errors import ValidationErrors
from camps.layout import services as layout
from registration import photos
from registration.households import desk
from registration.imports import parse
from registration.imports.services import validate_file
from tests.registration.test_desk import jpeg, member, raw
from tests.registration.test_imports import GOOD, TODAY, csv_bytes, xlsx_bytes

SHEET = "xl/worksheets/sheet1.xml"


def rewrite_sheet(xlsx: bytes, change) -> bytes:
    """The workbook with its first sheet's XML written by ``change(xml, out)`` (streamed, so it may be huge)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == SHEET:
                with dst.open(SHEET, "w", force_zip64=True) as sheet:
                    change(data, sheet)
            else:
                dst.writestr(info.filename, data)
    return out.getvalue()


def padded(megabytes: int, filler: bytes | None = None) -> bytes:
    """A good list whose sheet carries ``megabytes`` of blanks (or ``filler``) in an XML comment."""

    def pad(xml, sheet):
        head, sep, tail = xml.partition(b"<sheetData>")
        sheet.write(head + b"<!--")
        for _ in range(megabytes):
            sheet.write(filler or b" " * 2**20)
        sheet.write(b"-->" + sep + tail)

    return rewrite_sheet(xlsx_bytes(GOOD), pad)


@pytest.fixture()
def no_openpyxl(monkeypatch):
    """Fail the test if the workbook is opened at all: the refusal must come from the zip directory."""
    import openpyxl

    def refuse(*_args, **_kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def only_problem(report) -> str:
    assert not report.usable and len(report.problems) == 1, report.problems
    return report.problems[0].message


# --- lists ---------------------------------------------------------------------------------------


def test_zip_bomb_workbook_is_refused_from_its_directory_without_being_opened(session, make, no_openpyxl):
    bomb = padded(60)
    assert len(bomb) < 200_000  # a small file that unpacks to 60 MB
    message = only_problem(validate_file(session, None, make.camp("KHR"), "list.xlsx", bomb, TODAY))
    assert "unpacks to more than 50 MB" in message


def test_workbook_that_unpacks_far_beyond_its_size_is_refused(session, make, no_openpyxl):
    bomb = padded(12)  # under the 50 MB cap, but a thousand times its packed size: no spreadsheet is
    message = only_problem(validate_file(session, None, make.camp("KHR"), "list.xlsx", bomb, TODAY))
    assert "compressed far more than a spreadsheet can be" in message


def test_unpacked_size_cap_is_configurable(app, session, make, monkeypatch):
    ordinary = padded(2, filler=os.urandom(2**19).hex().encode())  # 4 MB that packs about 2:1, like real data
    camp = make.camp("KHR")
    assert validate_file(session, None, camp, "list.xlsx", ordinary, TODAY).usable
    monkeypatch.setitem(app.config, "IMPORT_MAX_UNZIPPED_MB", 1)  # PANOH_IMPORT_MAX_UNZIPPED_MB
    with app.app_context():
        report = validate_file(session, None, camp, "list.xlsx", ordinary, TODAY)
    assert "unpacks to more than 1 MB" in only_problem(report)


def test_sheet_claiming_a_million_rows_and_columns_is_not_read_cell_by_cell(session, make, monkeypatch):
    """A few bytes of XML (a dimension of A1:XFD1048576 and one far cell) once made the reader fill in
    17 billion empty cells."""

    def far_cell(xml, sheet):
        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        sheet.write(
            xml.replace(
                b"</sheetData>",
                b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
            )
        )

    cells = 0
    real_cell = parse._cell

    def counting_cell(value):
        nonlocal cells
        cells += 1
        if cells > 1_000_000:
            raise AssertionError("a million cells read from a list of five rows")
        return real_cell(value)

    monkeypatch.setattr(parse, "_cell", counting_cell)
    data = rewrite_sheet(xlsx_bytes(GOOD), far_cell)
    message = only_problem(validate_file(session, None, make.camp("KHR"), "list.xlsx", data, TODAY))
    assert "blank rows included" in message and cells < 10_000


def test_workbook_with_xml_entities_is_refused_before_they_expand(session, make):
    """Each "&a;" below stands for 250 letters: 670 KB of workbook once became a cell of 300 MB (and
    10 MB a few GB), under the unpacked-size and packing caps."""

    def entities(xml, sheet):
        sheet.write(b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "' + b"x" * 250 + b'">]>')
        sheet.write(
            xml.replace(
                b"<t>H1</t>",
                b"<t>H1" + b"".join(b"&a;" * 20 + os.urandom(8).hex().encode() for _ in range(60_000)) + b"</t>",
                1,
            )
        )

    data = rewrite_sheet(xlsx_bytes(GOOD), entities)
    message = only_problem(validate_file(session, None, make.camp("KHR"), "list.xlsx", data, TODAY))
    assert "not a readable XLSX workbook" in message


def test_row_cap_is_configurable(app, session, make, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)  # PANOH_IMPORT_MAX_ROWS
    camp = make.camp("KHR")
    for name, data in (("list.csv", csv_bytes(GOOD)), ("list.xlsx", xlsx_bytes(GOOD))):
        with app.app_context():
            report = validate_file(session, None, camp, name, data, TODAY)
        assert "more than 3 rows" in only_problem(report)


def test_list_padded_with_blank_rows_is_refused(app, session, make, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 10)
    data = csv_bytes(GOOD) + b",,,\n" * 20_000
    with app.app_context():
        report = validate_file(session, None, make.camp("KHR"), "list.csv", data, TODAY)
    assert "blank rows included" in only_problem(report)


# --- photos --------------------------------------------------------------------------------------


@pytest.fixture()
def decoding(monkeypatch):
    """The sizes at which pictures were decoded; a test may forbid decoding altogether."""
    sizes: list[tuple[int, int]] = []
    real_load = ImageFile.ImageFile.load

    def load(image):
        sizes.append(image.size)
        if getattr(load, "forbidden", False):
            raise AssertionError("the picture was decoded")
        return real_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return load, sizes


def progressive_jpeg(size=(640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (120, 80, 40)).save(out, "JPEG", progressive=True)
    return out.getvalue()


def with_size(picture: bytes, width: int, height: int) -> bytes:
    """A small JPEG whose header (SOF0, or SOF2 if progressive) claims another size: what a decoder
    would allocate for."""
    at = picture.find(b"\xff\xc0") if b"\xff\xc0" in picture else picture.index(b"\xff\xc2")
    return picture[: at + 5] + height.to_bytes(2, "big") + width.to_bytes(2, "big") + picture[at + 9 :]


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and carries almost nothing else."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "picture, megapixels",
    [
        (with_size(jpeg(), 9000, 6000), 54),
        (png_header(6300, 6300), 40),  # a PNG is decoded in full: fewer pixels are accepted than for a JPEG
        (with_size(progressive_jpeg(), 6000, 4000), 24),  # a progressive JPEG keeps every scan at full size
    ],
    ids=["jpeg", "png", "progressive-jpeg"],
)
def test_photo_with_too_many_pixels_is_refused_from_its_header(decoding, picture, megapixels):
    load, _sizes = decoding
    load.forbidden = True
    with pytest.raises(ValidationErrors) as refused:
        desk.clean_member(member(photo=picture), TODAY)
    message = refused.value.errors["photo"][0]
    assert f"{megapixels} megapixels" in message and "lower resolution" in message


def test_desk_refuses_a_photo_of_too_many_pixels_next_to_its_row(session, make, decoding):
    load, _sizes = decoding
    load.forbidden = True
    camp = make.camp("KHR")
    with pytest.raises(ValidationErrors) as refused:
        desk.clean_household(session, None, raw(camp, [member(photo=with_size(jpeg(), 9000, 6000))]), TODAY)
    assert "megapixels" in refused.value.errors["members-0-photo"][0]


def test_large_jpeg_is_decoded_at_a_reduced_scale(decoding):
    _load, sizes = decoding
    stored = photos.process_photo(jpeg((4000, 3000)))
    assert sizes and max(w * h for w, h in sizes) <= 1000 * 750  # an eighth of the pixels, or fewer
    with Image.open(io.BytesIO(stored)) as image:
        assert image.width <= photos.STORED_SIZE[0] and image.height <= photos.STORED_SIZE[1]


# --- camp layouts --------------------------------------------------------------------------------

HEADER = (
    "type,sector,block,plot,area_m2,covered_m2,shelter_type,capacity,status,features,x,y,width,depth,kind,code,name"
)


def test_layout_geojson_nested_beyond_reason_is_refused(session, make):
    deep = b'{"type": "FeatureCollection", "features": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    report = layout.validate_layout_file(session, make.camp("KHR"), "plots.geojson", deep)
    assert report.errors[0].row == 0 and "not valid JSON" in report.errors[0].message


def test_layout_row_cap_is_configurable_and_counts_blank_rows(app, session, make, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)
    camp = make.camp("KHR")
    rows = "\n".join(f"plot,S1,B01,{n},100,16,,,,,{n * 11},0,10,10,,," for n in range(1, 5))
    with app.app_context():
        report = layout.validate_layout_file(session, camp, "plots.csv", f"{HEADER}\n{rows}\n".encode())
    assert report.errors[0].row == 0 and "more than 3 rows" in report.errors[0].message
    blank = f"{HEADER}\nplot,S1,B01,1,100,16,,,,,0,0,10,10,,,\n" + ",,\n" * 20_000
    with app.app_context():
        report = layout.validate_layout_file(session, camp, "plots.csv", blank.encode())
    assert report.errors[0].row == 0 and "blank rows included" in report.errors[0].message


@pytest.mark.parametrize("photo", ["abc", 12, ["x"], {"data": "x"}])
def test_a_photo_that_is_not_a_file_is_refused_not_a_500(api, make, photo):
    make.camp("KHR")
    response = api("registration_clerk").post(
        "/api/v1/households",
        json={
            "camp": "KHR",
            "arrival_date": "2026-11-01",
            "consent": True,
            "members": [{"given_name": "Ali", "sex": "m", "born": "1980", "relation_to_head": "head", "photo": photo}],
        },
    )
    # the API takes no photo (the desk's form does): a field it does not have is malformed input, 400
    assert response.status_code == 400, response.data
    assert "members-0-photo" in response.get_json()["error"]["fields"]
