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
"""

from __future__ import annotations

import re

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
