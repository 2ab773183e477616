"""Cells that a spreadsheet will never run: every CSV and XLSX Panoh writes passes its cells through here.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or line break before
one) as a formula, so a name or a purpose typed as ``=HYPERLINK(...)`` would run on the reader's
computer (OWASP "CSV injection"). LibreOffice also reads the full-width forms (``＝＋－＠``). Such a
text gets a leading apostrophe, which every spreadsheet shows as text. A phone number (``+992 …``:
only digits and spaces after the plus) stays as it is: it can compute nothing.

Excel where the list separator is ``;`` (Russian and Tajik Windows) splits a CSV line at every ``;`` and
line break, quoted or not when the quote is not at what it takes for a cell's start: a point typed as
``x;=cmd|' /C calc'!A0;`` gave a cell of its own starting with ``=``. So a formula start after a ``;``, a
tab or a line break inside a text gets the apostrophe too.

XML, so XLSX, cannot hold most control characters (a scanner or a paste can bring a BEL or an ESC):
they are dropped, in CSV too, so both files say the same.

XLSX files are written with text cells only (never formulas); the apostrophe is kept there too, so a
cell stays inert when it is edited or the sheet is saved again as CSV.

The lists (people, households, a round's collections) are written by :func:`csv_chunks` and
:func:`xlsx_file`, in constant memory, each saying who exported it, when and why.

CSV: UTF-8 with a byte order mark (Excel then reads Dari and Pashto script correctly), starting with
``ABOUT_LINES`` lines of one cell each that begin with ``#`` (the About lines; quoted when the text holds a
comma), then the header row and the rows. Every cell goes through :func:`defuse`.
XLSX: a constant-memory workbook (rows go to disk, not memory) with the list and an "About" sheet.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

import xlsxwriter
from flask_babel import gettext as _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PHONE = re.compile(r"\+[0-9 ]+")
#: control characters XML 1.0 cannot hold (tab and line breaks can stay)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: where a spreadsheet may start a new cell inside a text, and what follows up to the next such place
_INNER = re.compile(r"([;\t\r\n][ \u00a0\u3000]*)([^;\t\r\n]*)")


def defuse(value):
    """``value``, or a text that starts like a formula with an apostrophe before it."""
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("", value)
    if _INNER.search(value):
        value = _INNER.sub(_inner, value)
    start = value.lstrip(" \u00a0\u3000")
    if start.startswith(FORMULA_START) and not PHONE.fullmatch(value):
        return "'" + value
    return value


def _inner(match: re.Match) -> str:
    separator, rest = match.groups()
    if rest.startswith(FORMULA_START) and not PHONE.fullmatch(rest.rstrip(" ")):
        return f"{separator}'{rest}"
    return match.group(0)


def defuse_row(values) -> list:
    """Every cell of a row defused."""
    return [defuse(value) for value in values]


CHUNK_ROWS = 500
#: the number of ``#`` lines before a CSV file's header row (constant, so tools can skip them)
ABOUT_LINES = 8


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def csv_chunks(headers: list[str], rows: Iterable, about: Sequence[tuple[str, str]] = ()) -> Iterator[str]:
    """The CSV file in pieces of ``CHUNK_ROWS`` rows, after the About lines when there are any."""
    assert not about or len(about) == ABOUT_LINES, "the CSV About lines are a fixed number"
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for label, value in about:  # one cell each (quoted when it holds a comma): a purpose cannot add cells
        writer.writerow([defuse(f"# {_one_line(label)}: {_one_line(value)}")])  # no formula after a ';' either
    writer.writerow(defuse_row(headers))
    for n, row in enumerate(rows, start=1):
        writer.writerow(defuse_row(row))
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(headers: list[str], rows: Iterable[list], title: str, about) -> tuple[IO[bytes], int]:
    """A temporary file (deleted when closed) holding the workbook, and the number of rows written.

    XlsxWriter in constant-memory mode writes each row to disk as it comes: 567,000 people took 72 s
    where openpyxl's write-only mode took 99-123 s (``make bench``). Strings are never read as
    formulas, links or numbers. ``about(rows)`` gives the About sheet's lines once the rows are counted.
    """
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (send_file closes it, which deletes it)
    try:
        book = xlsxwriter.Workbook(
            file,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_date_format": "yyyy-mm-dd",
            },
        )
        sheet = book.add_worksheet(title[:31])
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, defuse_row(headers))
        count = 0
        for count, row in enumerate(rows, start=1):
            sheet.write_row(count, 0, defuse_row(row))
        info = book.add_worksheet(_("About")[:31])
        info.set_column(0, 0, 36)
        info.set_column(1, 1, 90)
        for line, (label, value) in enumerate(about(count)):
            info.write_row(line, 0, (defuse(label), defuse(value)))
        book.close()
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file, count
