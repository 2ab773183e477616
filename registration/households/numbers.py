"""Household numbers ``<camp>-<6 digits>-<check>`` with an ISO 7064 MOD 37-2 check character.

The check character covers the camp code and the digits, so a mistyped number is rejected.
``read`` is the one parser for a number a person typed: it forgives what people confuse (lower
case, missing dashes, leading zeros left out, I or l for 1 and O for 0 and the other way round) and
lets the check character decide which reading was meant.
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
NUMBER_RE = re.compile(r"^([A-Z]{3})-([0-9]{6})-([0-9A-Z*])$")


def check_character(body: str) -> str:
    """ISO 7064 MOD 37-2 (pure system, radix 2) over camp code and digits."""
    total = 0
    for char in body:
        total = ((total + ALPHABET.index(char)) * 2) % 37
    return ALPHABET[(38 - total) % 37]


def format_number(camp_code: str, sequence: int) -> str:
    body = f"{camp_code}{sequence:06d}"
    return f"{camp_code}-{sequence:06d}-{check_character(body)}"


#: how people type a number: camp letters (0 for O, 1 for I), 1 to 6 digits (O, I, L for 0, 1, 1), the check
_TYPED = re.compile(r"^([A-Z01]{3})([0-9OIL]{1,6})([0-9A-Z*])$")
_LETTER_FOR = str.maketrans("01", "OI")
_DIGIT_FOR = str.maketrans("OIL", "011")
#: the check character as typed, then what it may have been meant as
_CHECK_READINGS = {"O": "O0", "0": "0O", "I": "I1", "1": "1I", "L": "L1"}


def read(text: str | None) -> str | None:
    """The valid household number meant by what was typed (``khr1084r`` > ``KHR-001084-R``), or None."""
    match = _typed(text)
    if not match:
        return None
    body = match[1].translate(_LETTER_FOR) + match[2].translate(_DIGIT_FOR).zfill(6)
    for check in _CHECK_READINGS.get(match[3], match[3]):
        if check_character(body) == check:
            return f"{body[:3]}-{body[3:]}-{check}"
    return None


def looks_like_number(text: str | None) -> bool:
    """Typed as a household number (three letters, digits, one more character), valid or not."""
    return _typed(text) is not None


def _typed(text: str | None) -> re.Match[str] | None:
    """The parts of a number as typed; the camp code needs one real letter (a phone number is not a number)."""
    compact = re.sub(r"[\s\-\u2010-\u2015_.]", "", text or "").upper()
    match = _TYPED.match(compact) if compact.isascii() else None
    return match if match and any(c.isalpha() for c in match[1]) else None


def corrected(typed: str, number: str) -> bool:
    """``number`` differs from what was typed by more than case, spaces and dashes."""
    return re.sub(r"[\s\-\u2010-\u2015_.]", "", typed).upper() != number.replace("-", "")


def normalise(text: str) -> str:
    """The number meant (``read``), or else what was typed upper-cased and tidied (for a prefix filter)."""
    return read(text) or tidy(text)


def tidy(text: str) -> str:
    """Upper-case and tidy what a person typed: spaces removed, missing dashes put back."""
    compact = re.sub(r"[\s\-]", "", text or "").upper()
    if len(compact) == 10:
        return f"{compact[:3]}-{compact[3:9]}-{compact[9]}"
    return (text or "").strip().upper()


def is_valid(number: str) -> bool:
    match = NUMBER_RE.match(number or "")
    return match is not None and check_character(match[1] + match[2]) == match[3]
