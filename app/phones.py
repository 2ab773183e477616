"""Phone numbers in any local format, stored as E.164 (``+992931234567``).

A number typed without a country code is read as Tajik (the camps are in Tajikistan); Afghan
numbers (+93) and any other country's are accepted when written with their code. Digits in
Persian or Arabic-Indic script, spaces, dots, dashes and brackets are all understood.
"""

from __future__ import annotations

import phonenumbers
from flask_babel import gettext as _

from app.errors import UserValueError

DEFAULT_REGION = "TJ"
#: a number without its country code that is not Tajik is tried as Afghan (``070 123 4567``)
FALLBACK_REGIONS = ("AF",)
#: digits of other scripts a clerk or a list may contain, read as 0-9
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


class InvalidPhone(UserValueError):
    """A number ``phonenumbers`` cannot read, or one that no operator could have issued."""


def normalise(text: str | None, region: str = DEFAULT_REGION) -> str | None:
    """The number in E.164, ``None`` for an empty value; raises InvalidPhone (field ``phone``) otherwise."""
    raw = " ".join(str(text or "").translate(_DIGITS).split())
    if not raw:
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    number = next(filter(None, (_parse(raw, r) for r in (region, *FALLBACK_REGIONS))), None)
    if number is None:
        raise InvalidPhone(
            _(
                "This is not a phone number we can read: type it as the family gives it, e.g. "
                "93 123 4567 or +992 93 123 4567 (Afghan numbers with +93)."
            ),
            field="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def display(e164: str | None) -> str:
    """The stored number as people read it (``+992 93 123 4567``); anything unreadable as it was."""
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def digits(e164: str | None) -> str | None:
    """The number's digits (the search column), ``None`` when there is none."""
    return "".join(ch for ch in e164 or "" if ch.isdigit()) or None
