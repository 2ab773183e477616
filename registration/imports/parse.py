"""Reading a list file (CSV or XLSX) into rows of cells keyed by normalised column names.

CSV: UTF-8 with or without BOM, separated by commas or semicolons (KoboToolbox's default) or tabs,
read by :mod:`app.csvread` (the layout importer's reader too), whose row bounds apply to a sheet as well.
XLSX: the first sheet, or a sheet named like a Kobo repeat group (``members``), whose rows then take
the columns they lack from their parent row on the first sheet (``_parent_index`` → ``_index``).
Headers are normalised (``member/Given Name`` → ``given_name``) and a few aliases mapped.
Row numbers are the spreadsheet's: the header is row 1, the first data row is row 2.

A file is bounded before it is read: its size, its rows (``PANOH_IMPORT_MAX_ROWS``, blank rows
counted too) and, for a workbook, what its zip directory says it unpacks to
(``PANOH_IMPORT_MAX_UNZIPPED_MB``) and how tightly it is packed. Zip bombs and sheets that claim a
million rows are refused with a message, never unpacked or walked cell by cell.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from app.config import upload_limit
from app.csvread import MAX_COLUMNS, CsvProblem, Rows, decode, normalise_header, read_csv
from app.errors import UserValueError
from registration.imports.columns import ALIASES, BY_NAME

MAX_BYTES = 10 * 1024 * 1024
#: a sheet's XML packs 5 to 20 times smaller; a zip bomb a thousand times
MAX_PACKING_RATIO = 200
#: parts of a workbook (a list saved by Excel, LibreOffice or KoboToolbox has a dozen or two)
MAX_WORKBOOK_PARTS = 1_000
#: sheet names KoboToolbox gives a repeat group of people (the group's name)
REPEAT_SHEETS = ("members", "member", "persons", "person", "people", "individuals", "individual")

Cell = str | date


class FileProblem(UserValueError):
    """The file as a whole cannot be read; nothing in it is processed."""


@dataclass
class Table:
    #: (row number in the spreadsheet, cells by normalised column name); blank rows left out
    rows: list[tuple[int, dict[str, Cell]]]
    #: normalised names of the columns that were recognised
    columns: list[str]
    #: header names (as written) of the columns that were not recognised
    ignored: list[str] = field(default_factory=list)
    sheet: str | None = None


def read_table(filename: str, data: bytes, *, max_rows: int | None = None) -> Table:
    """Read the file, or raise FileProblem saying why it cannot be read."""
    max_rows = max_rows or upload_limit("IMPORT_MAX_ROWS")
    if len(data) > MAX_BYTES:
        raise FileProblem(_("The file is larger than %(n)d MB.", n=MAX_BYTES // (1024 * 1024)))
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    kind = file_kind(filename, data)
    if kind is None:
        raise FileProblem(_("Upload a CSV (UTF-8) or XLSX file."))
    try:
        grid, sheet = _xlsx_grid(data, max_rows) if kind == "xlsx" else (read_csv(decode(data), max_rows), None)
    except CsvProblem as problem:
        raise _file_problem(problem) from None
    table = _table(grid)
    table.sheet = sheet
    if not table.rows:
        raise FileProblem(_("The file has no rows below the header."))
    return table


def file_kind(filename: str, data: bytes) -> str | None:
    """'xlsx', 'csv' or None, by the content (a workbook is a zip file) and the file name."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext in ("xlsx", "xlsm") or data[:4] == b"PK\x03\x04":
        return "xlsx"
    if ext == "xls":
        return None  # the old binary format: ask for XLSX
    return "csv" if ext in ("csv", "", "txt", "tsv") else None


# --- CSV (app.csvread reads it; its bounds apply to a sheet too) --------------------------------


def _file_problem(problem: CsvProblem) -> FileProblem:
    if problem.kind == CsvProblem.TOO_LONG:
        return FileProblem(
            _(
                "The file runs to more than %(n)d rows, blank rows included: delete the empty rows "
                "below the list, or split it into smaller lists.",
                n=problem.limit,
            )
        )
    if problem.kind == CsvProblem.TOO_MANY:
        return FileProblem(_("The file has more than %(n)d rows; split it into smaller lists.", n=problem.limit))
    return FileProblem(_('The file is not a readable CSV file. Save it as "CSV UTF-8" or as XLSX.'))


# --- XLSX --------------------------------------------------------------------------------------


def check_workbook(data: bytes) -> None:
    """Refuse a workbook from its zip directory alone, before anything is unpacked.

    The sizes the directory declares bound what ``zipfile`` will ever unpack (it stops there and
    fails the checksum), so a zip bomb is known before it goes off.
    """
    limit = upload_limit("IMPORT_MAX_UNZIPPED_MB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise FileProblem(_("The file is not a readable XLSX workbook.")) from None
    if len(parts) > MAX_WORKBOOK_PARTS:
        raise FileProblem(_("The file is not a readable XLSX workbook."))
    if sum(part.file_size for part in parts) > limit * 1024 * 1024:
        raise FileProblem(
            _(
                "The workbook unpacks to more than %(n)d MB: copy the list alone into a new workbook, "
                "or save it as CSV.",
                n=limit,
            )
        )
    if any(
        part.file_size > 1024 * 1024 and part.file_size > MAX_PACKING_RATIO * max(part.compress_size, 1)
        for part in parts
    ):
        raise FileProblem(
            _(
                "The workbook is compressed far more than a spreadsheet can be, so it is not read: "
                "save the list again as a new workbook or as CSV."
            )
        )


def _xlsx_grid(data: bytes, max_rows: int) -> tuple[list[tuple[int, list[Cell]]], str]:
    from openpyxl import load_workbook

    check_workbook(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on damaged workbooks
        raise FileProblem(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheets = book.worksheets
        if not sheets:
            raise FileProblem(_("The file is empty."))
        chosen = next((s for s in sheets if s.title.strip().lower() in REPEAT_SHEETS), sheets[0])
        grid = _sheet_grid(chosen, max_rows)
        if chosen is not sheets[0]:
            grid = _with_parent_columns(grid, _sheet_grid(sheets[0], max_rows))
        return grid, chosen.title
    except (FileProblem, CsvProblem):
        raise
    except Exception:  # a damaged sheet fails only when read
        raise FileProblem(_("The file is not a readable XLSX workbook.")) from None
    finally:
        book.close()


def _sheet_grid(sheet, max_rows: int) -> list[tuple[int, list[Cell]]]:
    # The size a sheet declares is not trusted: "A1:XFD1048576" would have every empty cell filled in.
    sheet.reset_dimensions()
    rows: Rows[Cell] = Rows(max_rows)
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if all(v is None for v in values):  # a missing row, filled in by the reader: count it, no more
            rows.count(number)
            continue
        rows.add(number, [_cell(v) for v in values[:MAX_COLUMNS]])
    return rows.grid


def _with_parent_columns(grid, parent_grid):
    """Kobo repeat export: give each child row the columns of its parent row that it lacks."""
    if not grid or not parent_grid:
        return grid
    header = [normalise_header(h) for h in grid[0][1]]
    parent_header = [normalise_header(h) for h in parent_grid[0][1]]
    if "_parent_index" not in header or "_index" not in parent_header:
        return grid
    extra = [i for i, name in enumerate(parent_header) if name and name not in header and not name.startswith("_")]
    parents = {}
    for _number, values in parent_grid[1:]:
        cells = dict(zip(parent_header, values, strict=False))
        parents[str(cells.get("_index") or "")] = values
    link = header.index("_parent_index")
    merged = [(grid[0][0], list(grid[0][1]) + [parent_grid[0][1][i] for i in extra])]
    for number, values in grid[1:]:
        parent = parents.get(str(values[link] if link < len(values) else ""), [])
        values = list(values) + [""] * (len(header) - len(values))
        merged.append((number, values + [parent[i] if i < len(parent) else "" for i in extra]))
    return merged


def _cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- header and rows ---------------------------------------------------------------------------


def _table(grid: Sequence[tuple[int, Sequence[Cell]]]) -> Table:
    if not grid:
        raise FileProblem(_("The file is empty."))
    _header_number, header = grid[0]
    positions, ignored = _columns([str(h) for h in header])
    rows = []
    for number, values in grid[1:]:
        cells = {name: values[i] if i < len(values) else "" for name, i in positions.items()}
        if any(v != "" for v in cells.values()):
            rows.append((number, cells))
    return Table(rows=rows, columns=list(positions), ignored=ignored)


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Column name → position. Exact names win over aliases; a name given twice is refused."""
    exact: dict[str, int] = {}
    aliased: dict[str, int] = {}
    ignored = []
    for i, raw in enumerate(header):
        name = normalise_header(raw)
        if name in BY_NAME:
            if name in exact:
                raise FileProblem(_('The column "%(name)s" appears twice.', name=name), field=name)
            exact[name] = i
        elif name in ALIASES:
            aliased.setdefault(ALIASES[name], i)
        elif raw.strip() and not _is_meta(name):
            ignored.append(raw.strip())
    return {**{k: v for k, v in aliased.items() if k not in exact}, **exact}, ignored


def _is_meta(name: str) -> bool:
    """Columns KoboToolbox/ODK add to every export (``_id``, ``start``, ``meta/instanceID``...)."""
    return name.startswith("_") or name in _META


_META = frozenset(
    {
        # KoboToolbox / ODK metadata questions and meta/ group (after the last '/')
        "start",
        "end",
        "today",
        "deviceid",
        "instanceid",
        "instancename",
        "username",
        "simserial",
        "subscriberid",
        "phonenumber",
        "audit",
        "uuid",
        "rootuuid",
        "deprecatedid",
        # ODK Central's CSV export (its group separator is '-': meta-instanceID)
        "submissiondate",
        "meta_instanceid",
        "key",
        "parent_key",
        "submitterid",
        "submittername",
        "attachmentspresent",
        "attachmentsexpected",
        "status",
        "reviewstate",
        "edits",
        "formversion",
    }
)
