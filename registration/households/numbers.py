"""Household numbers ``<camp>-<6 digits>-<check>`` with an ISO 7064 MOD 37-2 check character.

The check character covers the camp code and the digits, so a mistyped number is rejected.
"""
from __future__ import annotations

import re

ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*'
NUMBER_RE = re.compile(r'^([A-Z]{3})-([0-9]{6})-([0-9A-Z*])$')


def check_character(body: str) -> str:
    """ISO 7064 MOD 37-2 (pure system, radix 2) over camp code and digits."""
    total = 0
    for char in body:
        total = ((total + ALPHABET.index(char)) * 2) % 37
    return ALPHABET[(38 - total) % 37]


def format_number(camp_code: str, sequence: int) -> str:
    body = f'{camp_code}{sequence:06d}'
    return f'{camp_code}-{sequence:06d}-{check_character(body)}'


def normalise(text: str) -> str:
    """Upper-case and tidy what a person typed: spaces removed, missing dashes put back."""
    compact = re.sub(r'[\s\-]', '', text or '').upper()
    if len(compact) == 10:
        return f'{compact[:3]}-{compact[3:9]}-{compact[9]}'
    return (text or '').strip().upper()


def is_valid(number: str) -> bool:
    match = NUMBER_RE.match(number or '')
    return bool(match) and check_character(match[1] + match[2]) == match[3]
