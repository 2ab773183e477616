"""Numbers in the reader's locale: ``6,246`` in English, ``6 246`` (no-break space) in Russian and Tajik."""

from __future__ import annotations

from babel.numbers import format_decimal as english_decimal
from flask import has_app_context
from flask_babel import format_decimal


def number(value, digits: int = 0, fixed: bool = True) -> str:
    """``value`` with the locale's group and decimal separators and ``digits`` decimals (at most ``digits`` when
    not ``fixed``: ``2.5`` rather than ``2.50``). Outside a request, English."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + ("0" if fixed else "#") * digits if digits else "")
    if not has_app_context():
        return english_decimal(value, format=pattern, locale="en")
    return format_decimal(value, format=pattern)
