"""Dates of birth as staff know them: an exact date, a month, a year, or only an age.

One field takes all of them (``17.05.1990``, ``1990-05``, ``1990``, ``34``), so the desk stays fast.
Estimates are never dressed up as exact dates: the precision is kept and shown as "≈1990".
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _

from app.errors import UserValueError

MAX_AGE = 120
_DAY = (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$"))
_MONTH = (re.compile(r"^(\d{4})-(\d{1,2})$"), re.compile(r"^(\d{1,2})[./](\d{4})$"))


def parse_born(text: str, today: date, field: str = "born") -> tuple[date, str]:
    """Return (date, precision) for what was typed, or raise UserValueError naming ``field``."""
    value = (text or "").strip().lower().removesuffix("y").strip()
    if not value:
        raise UserValueError(_("Enter the date of birth, the year, or the age."), field=field)
    try:
        born, precision = _parse(value, today)
    except ValueError:
        raise UserValueError(
            _("Write a date as 17.05.1990, a month as 05.1990, a year as 1990 or an age as 34."), field=field
        ) from None
    if born > today:
        raise UserValueError(_("The date of birth is in the future."), field=field)
    if today.year - born.year > MAX_AGE:
        raise UserValueError(_("An age over %(n)d years is not possible.", n=MAX_AGE), field=field)
    return born, precision


def _parse(value: str, today: date) -> tuple[date, str]:
    if value.isdigit() and len(value) <= 3:
        age = int(value)
        # Age only: estimated 1 July of the year of birth (design.md §2), never after today.
        return min(date(today.year - age, 7, 1), today), "age"
    if value.isdigit() and len(value) == 4:
        return date(int(value), 7, 1), "year"
    for pattern in _DAY:
        if match := pattern.match(value):
            parts = [int(p) for p in match.groups()]
            year, month, day = parts if parts[0] > 31 else (parts[2], parts[1], parts[0])
            return date(year, month, day), "day"
    for pattern in _MONTH:
        if match := pattern.match(value):
            first, second = (int(p) for p in match.groups())
            year, month = (first, second) if first > 12 else (second, first)
            return date(year, month, 1), "month"
    raise ValueError(value)


def format_born(born: date, precision: str) -> str:
    """What the desk shows back in the field: the same forms ``parse_born`` reads."""
    if precision == "day":
        return born.strftime("%d.%m.%Y")
    if precision == "month":
        return born.strftime("%m.%Y")
    return str(born.year)


def display(born: date, precision: str) -> str:
    """For pages and cards: exact dates as ISO, estimates as ≈1990 or ≈1990-05."""
    if precision == "day":
        return born.isoformat()
    if precision == "month":
        return f"≈{born:%Y-%m}"
    return f"≈{born.year}"


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
