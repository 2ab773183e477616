"""Reading the CSV files people save from spreadsheets and survey tools: the one reader of the importers.

The layout importer (camps.layout.imports) and the registration importer (registration.imports.parse)
both read through here; they say in their own words what went wrong (:class:`CsvProblem` says which
kind of problem it was) and keep the columns they know.

- Text: UTF-8, with or without the byte-order mark Excel's "CSV UTF-8" writes. A NUL byte is no text
  (a UTF-16 file, a workbook renamed .csv).
- Separator: a comma, a semicolon (KoboToolbox's default, and Excel's where the list separator is ``;``)
  or a tab, whichever the first line has most of.
- Rows are numbered as a spreadsheet shows them: the first line is row 1 (a quoted line break keeps a
  row one row). Blank rows are left out; the first row with content is the header. Each cell is stripped
  and only the first :data:`MAX_COLUMNS` cells of a row are read.
- Bounds, before anything is kept: at most ``max_rows`` rows below the header, and no row numbered past
  them and :data:`MAX_BLANK_ROWS` blank ones (spreadsheets often end in thousands of blank rows; a file
  may not claim a million). :class:`Rows` applies the same bounds to a workbook's sheet.
- Headers: :func:`normalise_header` (``Member/Given Name`` → ``given_name``).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Generic, TypeVar

#: blank rows a list may have besides its rows (spreadsheets often end in many)
MAX_BLANK_ROWS = 10_000
#: cells read from each row (the importers' formats have 17 and 24 columns; KoboToolbox exports add their own)
MAX_COLUMNS = 500
DELIMITERS = (",", ";", "\t")

Cell = TypeVar("Cell")


class CsvProblem(ValueError):
    """Why a file cannot be read as a list: ``kind`` is one of the constants below; ``limit`` the
    bound a too long file went past."""

    #: not UTF-8 text
    ENCODING = "encoding"
    #: text, but no CSV the reader can follow
    UNREADABLE = "unreadable"
    #: rows numbered past ``max_rows`` and the blank rows a list may have
    TOO_LONG = "too_long"
    #: more than ``max_rows`` rows below the header
    TOO_MANY = "too_many"

    def __init__(self, kind: str, limit: int | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.limit = limit


def decode(data: bytes) -> str:
    """The file's text: UTF-8, the byte-order mark left out."""
    if b"\x00" in data:
        raise CsvProblem(CsvProblem.ENCODING)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvProblem(CsvProblem.ENCODING) from None


def delimiter_of(text: str) -> str:
    """The separator the first line uses most: comma, semicolon or tab."""
    first = text.split("\n", 1)[0]
    return max(DELIMITERS, key=first.count)


def normalise_header(name: object) -> str:
    """``Member/Given Name `` → ``given_name``; Kobo/ODK group paths keep their last part."""
    text = str(name or "").replace("\ufeff", "").strip().lower()
    text = text.rsplit("/", 1)[-1].strip()
    return re.sub(r"[\s-]+", "_", text)


class Rows(Generic[Cell]):
    """The rows with content of a list, each with its number, the header first; bounded as they come."""

    def __init__(self, max_rows: int, max_blank_rows: int = MAX_BLANK_ROWS) -> None:
        self.max_rows, self.max_blank_rows = max_rows, max_blank_rows
        self.grid: list[tuple[int, list[Cell]]] = []

    def count(self, number: int) -> None:
        """Row ``number`` of the file, blank or not, is still within reach of the list's rows."""
        if number > 1 + self.max_rows + self.max_blank_rows:
            raise CsvProblem(CsvProblem.TOO_LONG, self.max_rows + self.max_blank_rows)

    def add(self, number: int, values: list[Cell]) -> None:
        """Keep a row that is not blank (a blank cell is ``""``); refuse too many."""
        self.count(number)
        if all(v == "" for v in values):
            return
        if len(self.grid) > self.max_rows:  # the header and max_rows rows are already there
            raise CsvProblem(CsvProblem.TOO_MANY, self.max_rows)
        self.grid.append((number, values))


def read_csv(text: str, max_rows: int) -> list[tuple[int, list[str]]]:
    """The rows with content of a CSV text, numbered, each cell stripped; the header first."""
    rows: Rows[str] = Rows(max_rows)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    try:
        for number, record in enumerate(records, start=1):
            rows.add(number, [value.strip() for value in record[:MAX_COLUMNS]])
    except csv.Error:
        raise CsvProblem(CsvProblem.UNREADABLE) from None
    return rows.grid
