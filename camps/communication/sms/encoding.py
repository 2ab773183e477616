"""How a text travels as SMS: GSM 03.38 when every character has a GSM-7 code, else UCS-2.

A GSM-7 message holds 160 characters (the ten extension characters such as ``€`` and ``[`` count
two), a UCS-2 one 70 UTF-16 units; longer texts go in parts of 153 or 67 behind a concatenation
header. Dari, Pashto and Tajik are never GSM-7: a 71-character Dari text is two SMS, and the
operator bills each. A part never splits an escape pair or a surrogate pair.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = {
    "\f": 0x0A,
    "^": 0x14,
    "{": 0x28,
    "}": 0x29,
    "\\": 0x2F,
    "[": 0x3C,
    "~": 0x3D,
    "]": 0x3E,
    "|": 0x40,
    "€": 0x65,
}
_BASIC = {ch: i for i, ch in enumerate(GSM_BASIC) if ch != "\x1b"}
#: SMPP data_coding: the SMSC's default alphabet (GSM 03.38), and UCS-2
DATA_CODING = {"gsm": 0x00, "ucs2": 0x08}
SINGLE = {"gsm": 160, "ucs2": 70}
PART = {"gsm": 153, "ucs2": 67}
#: esm_class bit: the short message starts with a user data header (the concatenation header)
UDHI = 0x40
MAX_PARTS = 255


@dataclass(frozen=True)
class Encoded:
    encoding: str
    #: each SMS's short_message (with its concatenation header when there are several)
    payloads: list[bytes]

    @property
    def segments(self) -> int:
        return len(self.payloads)

    @property
    def data_coding(self) -> int:
        return DATA_CODING[self.encoding]

    @property
    def esm_class(self) -> int:
        return UDHI if len(self.payloads) > 1 else 0


def is_gsm(text: str) -> bool:
    return all(ch in _BASIC or ch in GSM_EXTENSION for ch in text)


def _units(text: str) -> tuple[str, list[bytes]]:
    """The text as indivisible code units: one or two septets, or one or two UTF-16 units."""
    if is_gsm(text):
        return "gsm", [bytes([_BASIC[ch]]) if ch in _BASIC else bytes([0x1B, GSM_EXTENSION[ch]]) for ch in text]
    return "ucs2", [ch.encode("utf-16-be") for ch in text]


def _width(encoding: str, unit: bytes) -> int:
    return len(unit) if encoding == "gsm" else len(unit) // 2


def _split(encoding: str, units: list[bytes]) -> list[bytes]:
    if sum(_width(encoding, u) for u in units) <= SINGLE[encoding]:
        return [b"".join(units)]
    parts: list[bytes] = []
    current: list[bytes] = []
    used = 0
    for unit in units:
        if used + _width(encoding, unit) > PART[encoding]:
            parts.append(b"".join(current))
            current, used = [], 0
        current.append(unit)
        used += _width(encoding, unit)
    parts.append(b"".join(current))
    return parts


def encode(text: str, reference: int = 0) -> Encoded:
    """The SMS that carry ``text``; ``reference`` (0-255) ties the parts of one message together."""
    encoding, units = _units(text)
    chunks = _split(encoding, units)
    if len(chunks) > MAX_PARTS:
        raise ValueError("text too long for one SMS message")
    if len(chunks) > 1:
        header = bytes([0x05, 0x00, 0x03, reference % 256, len(chunks)])
        chunks = [header + bytes([seq]) + chunk for seq, chunk in enumerate(chunks, start=1)]
    return Encoded(encoding, chunks)


def count(text: str) -> tuple[str, int]:
    """The encoding and the number of SMS ``text`` takes (what the operator bills)."""
    encoding, units = _units(text)
    return encoding, len(_split(encoding, units))


def decode(data: bytes, data_coding: int) -> str:
    """An inbound short message as text (a reply such as STOP), whatever coding the phone chose."""
    if data_coding == DATA_CODING["ucs2"]:
        return data.decode("utf-16-be", errors="replace")
    if data_coding == DATA_CODING["gsm"]:
        reverse_ext = {v: k for k, v in GSM_EXTENSION.items()}
        out, escape = [], False
        for byte in data:
            if escape:
                out.append(reverse_ext.get(byte, " "))
                escape = False
            elif byte == 0x1B:
                escape = True
            else:
                out.append(GSM_BASIC[byte] if byte < len(GSM_BASIC) else "?")
        return "".join(out)
    return data.decode("latin-1")
