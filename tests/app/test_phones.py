"""Phone numbers in any local format become E.164; unreadable ones are refused next to the field."""

from __future__ import annotations

import pytest

from app import phones


@pytest.mark.parametrize(
    "typed, e164",
    [
        ("+992 93 123 4567", "+992931234567"),
        ("93 123 4567", "+992931234567"),
        ("(93) 123-45-67", "+992931234567"),
        ("992931234567", "+992931234567"),
        ("00992 93 123 4567", "+992931234567"),
        ("۹۳۱۲۳۴۵۶۷", "+992931234567"),
        ("+93 70 123 4567", "+93701234567"),
        ("0701234567", "+93701234567"),
        ("٠٧٠١٢٣٤٥٦٧", "+93701234567"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_local_formats_become_e164(typed, e164):
    assert phones.normalise(typed) == e164


@pytest.mark.parametrize("typed", ["12345", "call me", "+992 11", "+93 12", "0000000000", "+1 23"])
def test_unreadable_numbers_are_refused_on_the_phone_field(typed):
    with pytest.raises(phones.InvalidPhone) as refused:
        phones.normalise(typed)
    assert refused.value.field == "phone" and "+992 93 123 4567" in refused.value.message


def test_display_and_digits():
    assert phones.display("+992931234567") == "+992 93 123 4567"
    assert phones.digits("+93701234567") == "93701234567" and phones.digits(None) is None
