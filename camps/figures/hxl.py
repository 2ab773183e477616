"""The aggregate statistics as HXL tables (a header row, then the hashtag row): CSV and XLSX.

Tags follow HXL 1.1 and standards.md §6: places as ``#adm1`` (the Tajik region, ISO 3166-2:TJ) and
``#loc`` (the camp or block), people as ``#affected+refugees`` with ``+f``/``+m`` and the UNHCR age
bands, households with ``+hh``. ``schema/stats.csv`` is the HXL schema the tests validate against.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask_babel import force_locale
from openpyxl import Workbook

from app.tabular import defuse_row
from camps.figures.population import AGE_BANDS, SEX_KEYS
from camps.figures.stats import MIN_CELL, NEED_CATEGORIES, Row
from camps.sites.models import REGIONS
from registration.gazetteer import PROVINCE_NAMES
from registration.needs import CATEGORIES

SCHEMAS = Path(__file__).resolve().parent / "schema"
AGE_ATTRIBUTES = {
    "0_4": "infants+age_0_4",
    "5_11": "children+age_5_11",
    "12_17": "adolescents+age_12_17",
    "18_59": "adults+age_18_59",
    "60": "elderly+age_60_plus",
}
SEX_NAMES = {"f": "Female", "m": "Male"}
NOTE = (
    f"Counts below {MIN_CELL} are left blank, and so is the smallest other count wherever a blank could be "
    "worked out from a total. Each camp has a camp line, a line per block and a no_plot line (people "
    "not living on a plot): the camp line is their sum. Specific needs count people with at least one "
    "need of the category. Protection-related needs are never included."
)


@dataclass
class Column:
    header: str
    tag: str
    #: a row's value: a ``Row`` value name, or a callable of (row, reported date)
    value: object


def _english(text) -> str:
    with force_locale("en"):
        return str(text)


PLACE_COLUMNS = (
    Column("Date reported", "#date+reported", lambda row, day: day.isoformat()),
    Column("Country code", "#country+code", lambda row, day: "TJK"),
    Column("Region code", "#adm1+code", lambda row, day: row.camp.region_code),
    Column("Region", "#adm1+name", lambda row, day: _english(REGIONS.get(row.camp.region_code, ""))),
    Column("Camp code", "#loc+code", lambda row, day: row.camp.code),
    Column("Camp", "#loc+name", lambda row, day: row.camp.name),
)
POPULATION_COLUMNS = (
    *PLACE_COLUMNS,
    Column("Block", "#loc+block+code", lambda row, day: row.block or ""),
    Column("Level", "#loc+type", lambda row, day: row.level),
    *(
        Column(
            f"{SEX_NAMES[sex]} {band_key.replace('_', '-')}{'+' if band_key == '60' else ''}",
            f"#affected+refugees+{sex}+{AGE_ATTRIBUTES[band_key]}",
            f"{sex}_{band_key}",
        )
        for sex in SEX_KEYS
        for band_key, *_rest in AGE_BANDS
    ),
    Column("Female total", "#affected+refugees+f+total", "f_total"),
    Column("Male total", "#affected+refugees+m+total", "m_total"),
    Column("Total people", "#affected+refugees+total", "total"),
    Column("Households", "#affected+refugees+hh", "hh"),
    *(
        Column(f"Specific needs: {code}", f"#affected+refugees+need+{code.lower()}", f"need_{code.lower()}")
        for code in NEED_CATEGORIES
    ),
)
ORIGIN_COLUMNS = (
    *PLACE_COLUMNS,
    Column("Origin country code", "#country+code+origin", lambda row, day: "AFG"),
    Column("Origin province code", "#adm1+code+origin", lambda row, day: row.province or ""),
    Column(
        "Origin province",
        "#adm1+name+origin",
        lambda row, day: _english(PROVINCE_NAMES.get(row.province, row.province or "Unknown")),
    ),
    Column("People", "#affected+refugees+total", "total"),
    Column("Households", "#affected+refugees+hh", "hh"),
)
TABLES = {"population": POPULATION_COLUMNS, "origin": ORIGIN_COLUMNS}


def need_headers() -> dict[str, str]:
    """English header of each need column (category titles need an app context to translate)."""
    return {f"need_{c.lower()}": f"Specific needs: {_english(CATEGORIES[c])}" for c in NEED_CATEGORIES}


def table(columns: tuple[Column, ...], rows: list[Row], reported: date) -> Iterator[list]:
    """The header row, the hashtag row, then one line per row (suppressed counts as empty cells, names of
    camps and places defused: a spreadsheet never runs them)."""
    needs = need_headers()
    yield [needs.get(c.value, c.header) if isinstance(c.value, str) else c.header for c in columns]
    yield [c.tag for c in columns]
    for row in rows:
        yield defuse_row(c.value(row, reported) if callable(c.value) else row.values.get(str(c.value)) for c in columns)


def to_csv(columns: tuple[Column, ...], rows: list[Row], reported: date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in table(columns, rows, reported):
        writer.writerow(["" if v is None else v for v in line])
    return out.getvalue().encode("utf-8")


def to_xlsx(tables: dict[str, list[Row]], reported: date, about: list[tuple[str, str]]) -> bytes:
    """One sheet per table and an "About" sheet (source, date, suppression rule)."""
    book = Workbook(write_only=True)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        for line in table(TABLES[name], rows, reported):
            sheet.append(line)
    sheet = book.create_sheet("About")
    for about_line in (*about, ("Suppression", NOTE)):
        sheet.append(defuse_row(about_line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def about_lines(camps, reported: date, made_by: str, made_at: datetime) -> list[tuple[str, str]]:
    return [
        ("Dataset", "Refugees in COES camps, Tajikistan: aggregate figures (Panoh)"),
        ("Camps", ", ".join(c.code for c in camps)),
        ("Date reported", reported.isoformat()),
        ("Exported by", made_by),
        ("Exported at (UTC)", made_at.strftime("%Y-%m-%d %H:%M")),
        ("Age", "Age on the date reported; estimated dates of birth count as recorded"),
    ]
