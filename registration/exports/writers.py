"""CSV and XLSX files of a list, in constant memory, each saying who exported it, when and why.

CSV: UTF-8 with a byte order mark (Excel then reads Dari and Pashto script correctly), starting with
``ABOUT_LINES`` lines of one cell each that begin with ``#`` (the About lines; quoted when the text holds a
comma), then the header row and the rows. Every cell goes through ``app.tabular.defuse``.
XLSX: a constant-memory workbook (rows go to disk, not memory) with the list and an "About" sheet.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

import xlsxwriter
from flask_babel import gettext as _

from app.tabular import defuse, defuse_row

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
