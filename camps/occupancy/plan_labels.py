"""Where a block's code goes on the site plan: beside the block, never on a facility's symbol.

Pure geometry in plan metres (y grows downwards, as in the SVG), so it is tested without drawing.
"""

from __future__ import annotations

#: a code's width per character, as a share of its font size (sans-serif capitals and digits)
CHAR_WIDTH = 0.62

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def text_box(x: float, baseline: float, size: float, text: str) -> Box:
    """The box a left-aligned label covers, from its baseline."""
    return x, baseline - size, x + CHAR_WIDTH * size * len(text), baseline + 0.2 * size


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_label(block: Box, size: float, text: str, obstacles: list[Box]) -> tuple[float, float]:
    """The label's (x, baseline): above the block's top-left corner unless a symbol is there, then above
    its top-right, below its bottom-left, below its bottom-right, inside its top-left; where all collide,
    the place with the fewest symbols under it (the first of those)."""
    x0, y0, x1, y1 = block
    pad = size / 3
    width = CHAR_WIDTH * size * len(text)
    candidates = [
        (x0 + pad, y0 - size / 4),  # above, left
        (x1 - pad - width, y0 - size / 4),  # above, right
        (x0 + pad, y1 + size),  # below, left
        (x1 - pad - width, y1 + size),  # below, right
        (x0 + pad, y0 + size * 1.1),  # inside, top left
    ]
    best, fewest = candidates[0], None
    for x, baseline in candidates:
        hits = sum(_overlaps(text_box(x, baseline, size, text), o) for o in obstacles)
        if hits == 0:
            return x, baseline
        if fewest is None or hits < fewest:
            best, fewest = (x, baseline), hits
    return best


def symbol_box(x: float, y: float, radius: float) -> Box:
    """The square a facility's symbol (circle, square or triangle of this radius) fits in."""
    r = 1.25 * radius
    return x - r, y - r, x + r, y + r
