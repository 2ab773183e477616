"""An XLSForm (for KoboToolbox or ODK Collect) whose export the importer reads as it is.

One submission per person; the question names are the list's column names (registration.imports.columns),
so a CSV or XLSX export with "XML values and headers" is a valid list. Household questions are asked
on the head's submission only.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Font

from registration.imports.columns import COLUMNS, HOUSEHOLD, choices

FORM_TITLE = "Panoh pre-registration"
FORM_ID = "panoh_prereg"
#: raise when the columns change, so that KoboToolbox/ODK tell form versions apart
FORM_VERSION = "2026051701"
HEAD_ONLY = "${relationship} = 'head'"

SURVEY_HEADER = ("type", "name", "label", "hint", "required", "relevant", "constraint", "constraint_message")


def survey_rows() -> list[tuple]:
    rows = []
    for column in COLUMNS:
        hint = str(column.description)
        if column.example and not column.choice_list and column.xls_type != "date":
            hint += f" ({column.example})"
        rows.append(
            (
                column.xls_type,
                column.name,
                column.label,
                hint,
                "yes" if column.required else "",
                HEAD_ONLY if column.level == HOUSEHOLD else "",
                column.constraint or "",
                str(column.constraint_message or ""),
            )
        )
    return rows


def choice_rows() -> list[tuple[str, str, str]]:
    lists = choices()
    used = [c.choice_list for c in COLUMNS if c.choice_list]
    return [(name, code, label) for name in used for code, label in lists[name]]


def build_xlsform() -> Workbook:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    _fill(survey, SURVEY_HEADER, survey_rows())
    _fill(book.create_sheet("choices"), ("list_name", "name", "label"), choice_rows())
    _fill(
        book.create_sheet("settings"),
        ("form_title", "form_id", "version", "instance_name"),
        [(FORM_TITLE, FORM_ID, FORM_VERSION, "concat(${household_ref}, ' ', ${relationship})")],
    )
    return book


def write_xlsform(path: str | Path | BinaryIO) -> None:
    """Write the XLSForm to ``path`` (a file name or a binary file object)."""
    build_xlsform().save(path)


def xlsform_bytes() -> bytes:
    """The XLSForm as bytes, for a download."""
    buffer = io.BytesIO()
    build_xlsform().save(buffer)
    return buffer.getvalue()


def _fill(sheet, header: tuple[str, ...], rows) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for letter, width in zip("ABCDEFGH", (28, 24, 40, 60, 10, 28, 40, 40), strict=False):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
