"""QR symbols for cards: the module matrix and a vector drawing that still scans at 150 dpi.

A bitmap QR scaled up by the PDF viewer blurs at low resolution; filled rectangles do not. Each row's
dark runs become one rectangle, all in one path, so the fill has no seams and the PDF stays small.
"""

from __future__ import annotations

import re

import qrcode
from qrcode.constants import ERROR_CORRECT_M, ERROR_CORRECT_Q
from reportlab.lib.units import mm

QUIET_ZONE = 4
MIN_MODULE = 0.5 * mm
MAX_SIZE = 30 * mm
DARK, LIGHT = 0, 255
_DARK_RUN = re.compile(b"\x00+")
LEVELS = {"M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q}
_MODULE_BYTES = bytes([LIGHT, DARK]) + bytes(254)  # qrcode's modules: False (0) light, True (1) dark
#: The card symbol (see docs/card-qr-format.md, "The QR symbol"): every code of the format (at most
#: 143 alphanumeric characters) fits it, so every card's QR is the same size.
LEVEL, VERSION = "Q", 8
#: A fixed mask: choosing the best of eight (qrcode's default) costs eight encodings, about 8 ms a card.
#: Decoders read any mask; the choice only avoids patterns that resemble finders in rare data.
MASK = 2


def rows(text: str, level: str = LEVEL, version: int = VERSION) -> list[bytes]:
    """The symbol, quiet zone included, one byte per module (0 dark, 255 light).

    Encoded by the ``qrcode`` package at a fixed version and mask: a few milliseconds a code.
    """
    code = qrcode.QRCode(version=version, error_correction=LEVELS[level], border=0, mask_pattern=MASK)
    code.add_data(text)
    code.make(fit=False)
    quiet = bytes([LIGHT]) * QUIET_ZONE
    symbol = [quiet + bytes(row).translate(_MODULE_BYTES) + quiet for row in code.modules]  # True is 1: dark
    blank = [bytes([LIGHT]) * len(symbol[0])] * QUIET_ZONE
    return [*blank, *symbol, *blank]


def matrix(text: str, level: str = LEVEL, version: int = VERSION) -> list[list[bool]]:
    """Dark modules (True), with the 4-module quiet zone on every side."""
    return [[value == DARK for value in row] for row in rows(text, level, version)]


def check_size(count: int, size: float) -> None:
    """Raise ValueError unless ``count`` modules in ``size`` points are at least 0.5 mm and at most 30 mm in all."""
    if size > MAX_SIZE + 1e-6:
        raise ValueError(f"QR of {size / mm:.1f} mm is wider than {MAX_SIZE / mm:.0f} mm")
    if size / count < MIN_MODULE - 1e-6:
        raise ValueError(f"QR modules of {size / count / mm:.2f} mm are smaller than {MIN_MODULE / mm} mm")


def draw_rows(canvas, symbol: list[bytes], x: float, y: float, size: float) -> None:
    """Draw a symbol from ``rows`` as a square of ``size`` points with its lower left corner at (x, y).

    The path is written as PDF operators in module units (short integers): ReportLab's path objects
    format every coordinate as a float, which took a third of the time of a 1,000-card print run.
    """
    count = len(symbol)
    check_size(count, size)
    module = size / count
    ops = [
        f"q 1 g {x:.3f} {y:.3f} {size:.3f} {size:.3f} re f",  # the quiet zone is light whatever lies below
        f"0 g {module:.5f} 0 0 {module:.5f} {x:.3f} {y:.3f} cm",
    ]
    for index, row in enumerate(symbol):
        line = count - 1 - index
        ops.extend(f"{run.start()} {line} {run.end() - run.start()} 1 re" for run in _DARK_RUN.finditer(row))
    ops.append("f Q")
    canvas.addLiteral("\n".join(ops))


def draw_matrix(canvas, modules: list[list[bool]], x: float, y: float, size: float) -> None:
    draw_rows(canvas, [bytes(DARK if dark else LIGHT for dark in row) for row in modules], x, y, size)


def draw(canvas, text: str, x: float, y: float, size: float) -> None:
    """Encode ``text`` and draw it; ``size`` (points) includes the quiet zone. ValueError outside the limits."""
    draw_rows(canvas, rows(text), x, y, size)
