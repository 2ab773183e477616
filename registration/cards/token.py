"""The signed QR token on a card: ``P1/<kid>/<serial>/<household>/<YYYYMMDD>/<base45 Ed25519 signature>``.

No personal data: anyone holding the published public key can check a card offline. Every character is in
the QR alphanumeric set, so a token is always a version 6 symbol at level M. The format is described in
``docs/card-qr-format.md``; ``static/js/card-verify.js`` verifies the same tokens in the browser.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VERSION = "P1"
SIGNATURE_CHARS = 96  # base45 of 64 bytes: 32 groups of 3 characters
KID_RE = re.compile(r"[A-Z0-9]{1,8}")
SERIAL_RE = re.compile(r"[A-Z0-9]{4,12}")
HOUSEHOLD_RE = re.compile(r"[A-Z]{3}-[0-9]{6}-[0-9A-Z*]")
BODY_RE = re.compile(r"P1/([A-Z0-9]{1,8})/([A-Z0-9]{4,12})/([A-Z]{3}-[0-9]{6}-[0-9A-Z*])/([0-9]{8})")
ISO_TIME_RE = re.compile(r"[0-9T:.+Z-]{10,40}")

OUTCOMES = ("valid", "malformed", "unknown_key", "invalid_signature", "revoked", "expired")

B45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_B45_TABLE = bytes(B45_ALPHABET.find(chr(byte)) % 256 for byte in range(256))  # 0xFF: not base45


@dataclass(frozen=True)
class CardToken:
    version: str
    kid: str
    serial: str
    household: str
    expires: date


@dataclass(frozen=True)
class Verification:
    """``token`` is set only when the signature checked out: for 'valid', 'revoked' and 'expired'."""

    outcome: str
    token: CardToken | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "valid"


def b45encode(data: bytes) -> str:
    """RFC 9285 base45: two bytes become three characters, least significant first."""
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += (B45_ALPHABET[c], B45_ALPHABET[d], B45_ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (B45_ALPHABET[c], B45_ALPHABET[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Strict RFC 9285 decoding: raises ValueError for a bad length, character or group value.

    Table lookups and ``struct`` rather than a loop per character: decoding is a tenth of a verification.
    """
    if len(text) % 3 == 1:
        raise ValueError("base45 length")
    values = text.encode("ascii").translate(_B45_TABLE)  # UnicodeEncodeError is a ValueError
    if 0xFF in values:
        raise ValueError("base45 character")
    full = len(values) - len(values) % 3
    groups = [
        c + d * 45 + e * 2025 for c, d, e in zip(values[0:full:3], values[1:full:3], values[2:full:3], strict=True)
    ]
    tail = [values[full] + values[full + 1] * 45] if full < len(values) else []
    if (groups and max(groups) > 0xFFFF) or (tail and tail[0] > 0xFF):
        raise ValueError("base45 group")
    return struct.pack(f">{len(groups)}H{len(tail)}B", *groups, *tail)


def encode_body(token: CardToken) -> str:
    """The signed part of the code; raises ValueError for a field outside the format."""
    checks = (
        (token.version == VERSION, "version"),
        (KID_RE.fullmatch(token.kid), "kid"),
        (SERIAL_RE.fullmatch(token.serial), "serial"),
        (HOUSEHOLD_RE.fullmatch(token.household), "household"),
        (1000 <= token.expires.year <= 9999, "expires"),
    )
    for passed, field in checks:
        if not passed:
            raise ValueError(f"card token field {field!r} is outside the format")
    return f"{token.version}/{token.kid}/{token.serial}/{token.household}/{token.expires:%Y%m%d}"


def sign(token: CardToken, private_key: Ed25519PrivateKey) -> str:
    body = encode_body(token)
    return f"{body}/{b45encode(private_key.sign(body.encode('ascii')))}"


#: what a scanner or a paste may add around a code: C0 controls (CR, LF, TAB, the GS a USB scanner sends
#: after a GS1 code), spaces of every kind, DEL, NEL and the byte-order mark. Only removed at the ends.
EDGE_CHARACTERS = (
    "".join(map(chr, range(0x21))) + "\x7f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
)
#: a USB scanner "types" key presses: with the Russian (ЙЦУКЕН) layout active, the keys of the code's
#: characters give these. Only the keys of the card alphabet are mapped back; see docs/card-qr-format.md.
RUSSIAN_LAYOUT = dict(zip("ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬЖЮ.;", "QWERTYUIOPASDFGHJKLZXCVBNM:./$", strict=True))
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_LATIN_RE = re.compile("[A-Za-z]")


def normalise(text: str) -> str | None:
    """The one normalisation of a scanned or typed code, the same in ``static/js/card-verify.js``.

    1. remove ``EDGE_CHARACTERS`` at both ends; 2. when the text has Cyrillic letters and no Latin ones
    (typed through the Russian layout), map each key back with ``RUSSIAN_LAYOUT`` (after upper-casing);
    3. refuse (None) anything left outside ASCII: Persian digits, look-alikes, ``ſ``; 4. upper-case.
    """
    text = text.strip(EDGE_CHARACTERS)
    if _CYRILLIC_RE.search(text) and not _LATIN_RE.search(text):
        text = "".join(RUSSIAN_LAYOUT.get(char, char) for char in text.upper())
    if not text.isascii():
        return None
    return text.upper()


def parse(text: str) -> tuple[CardToken, bytes, bytes] | None:
    """Split a scanned code into (token, signed bytes, signature), or None when it is not a card code.

    The text is first normalised (``normalise``). A space inside is a base45 digit, but never the
    last one of a 64-byte signature (the top group value 65535 ends in 'W'), so stripping the ends
    cannot eat a digit.
    """
    normalised = normalise(text)
    if normalised is None:
        return None
    text = normalised
    if len(text) < SIGNATURE_CHARS + 20 or text[-SIGNATURE_CHARS - 1] != "/":
        return None
    body = text[: -SIGNATURE_CHARS - 1]
    match = BODY_RE.fullmatch(body)
    if match is None:
        return None
    kid, serial, household, expiry = match.groups()
    try:
        expires = date(int(expiry[:4]), int(expiry[4:6]), int(expiry[6:]))
        signature = b45decode(text[-SIGNATURE_CHARS:])
    except ValueError:
        return None
    return CardToken(VERSION, kid, serial, household, expires), body.encode("ascii"), signature


def verify(
    text: str, public_keys: Mapping[str, Ed25519PublicKey], *, today: date, revoked: frozenset[str] = frozenset()
) -> Verification:
    """Check a scanned code; outcomes are tested in the order of ``OUTCOMES`` after 'valid'.

    A forged code is 'invalid_signature' even when its serial is revoked or its date past: only an
    authentic token says anything about a card.
    """
    parsed = parse(text) if isinstance(text, str) else None
    if parsed is None:
        return Verification("malformed")
    token, body, signature = parsed
    key = public_keys.get(token.kid)
    if key is None:
        return Verification("unknown_key")
    try:
        key.verify(signature, body)
    except InvalidSignature:
        return Verification("invalid_signature")
    if token.serial in revoked:
        return Verification("revoked", token)
    if token.expires < today:
        return Verification("expired", token)
    return Verification("valid", token)


def _canonical(kid: str, generated_at: str, serials: list[str]) -> bytes:
    """Sorted keys, no spaces, ASCII only: JavaScript's JSON.stringify gives the same bytes."""
    fields = {"generated_at": generated_at, "kid": kid, "serials": serials}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("ascii")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def revocation_document(
    serials: Iterable[str], private_key: Ed25519PrivateKey, kid: str, generated_at: datetime | str
) -> dict[str, str | list[str]]:
    """The signed list of revoked card serials that scanners download and cache."""
    stamp = generated_at.isoformat(timespec="seconds") if isinstance(generated_at, datetime) else generated_at
    serial_list = sorted(set(serials))
    if not KID_RE.fullmatch(kid) or not ISO_TIME_RE.fullmatch(stamp):
        raise ValueError("kid or generated_at is outside the format")
    if not all(SERIAL_RE.fullmatch(serial) for serial in serial_list):
        raise ValueError("a revoked serial is outside the format")
    signature = private_key.sign(_canonical(kid, stamp, serial_list))
    return {"kid": kid, "generated_at": stamp, "serials": serial_list, "signature": _b64url(signature)}


def verify_revocation_document(doc: Mapping[str, Any], public_keys: Mapping[str, Ed25519PublicKey]) -> bool:
    """True only for a well-formed document signed by one of ``public_keys``."""
    try:
        kid, stamp, serials, signature = doc["kid"], doc["generated_at"], doc["serials"], doc["signature"]
        well_formed = (
            isinstance(kid, str)
            and isinstance(stamp, str)
            and isinstance(serials, list)
            and isinstance(signature, str)
            and ISO_TIME_RE.fullmatch(stamp) is not None
            and all(isinstance(s, str) and SERIAL_RE.fullmatch(s) for s in serials)
        )
        key = public_keys.get(kid) if well_formed else None
        if key is None:
            return False
        key.verify(_b64url_decode(signature), _canonical(kid, stamp, serials))
    except (KeyError, TypeError, ValueError, binascii.Error, InvalidSignature):
        return False
    return True
