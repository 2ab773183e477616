"""The site plan's geometry: extents, the view box, sizes, the scale bar, the north arrow and facility symbols.

Pure functions of plan metres (y grows downwards, as in the SVG) returning plain data, so each is tested
without a database or a drawing; ``templates/occupancy/_siteplan.svg`` only writes what they return.
Where block codes go is :mod:`camps.occupancy.plan_labels`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from camps.occupancy.plan_labels import Box

#: a facility's symbol never looks bigger than this radius in metres, whatever the zoom
FACILITY_MAX_M = 7.0
#: a plan is never drawn narrower than this many metres (one plot alone is not a whole screen)
MIN_SPAN_M = 20.0
#: what an empty plan shows
EMPTY_BOX: Box = (0, 0, 100, 100)

Point = tuple[float, float]


def number(value: float) -> str:
    """A coordinate rounded to 0.1 m, without a trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def points(corners: Iterable[Point]) -> str:
    """An SVG ``points`` attribute: ``x,y x,y …`` rounded as :func:`number`."""
    return " ".join(f"{number(x)},{number(y)}" for x, y in corners)


class Extent:
    """The smallest box around everything added so far (empty until something is)."""

    def __init__(self) -> None:
        self.x0 = self.y0 = math.inf
        self.x1 = self.y1 = -math.inf

    def add(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.x0, self.y0 = min(self.x0, x0), min(self.y0, y0)
        self.x1, self.y1 = max(self.x1, x1), max(self.y1, y1)

    @property
    def empty(self) -> bool:
        return self.x0 == math.inf

    @property
    def box(self) -> Box:
        return self.x0, self.y0, self.x1, self.y1

    def holds(self, x: float, y: float) -> bool:
        return not self.empty and self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


def plot_box(outline: Sequence[Point] | None, x: float, y: float, width: float, depth: float) -> Box:
    """The box a plot covers: around its outline when it has one, else its rectangle."""
    if outline:
        xs, ys = [p[0] for p in outline], [p[1] for p in outline]
        return min(xs), min(ys), max(xs), max(ys)
    return x, y, x + width, y + depth


def centre(box: Box) -> Point:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def block_box(
    x: float | None, y: float | None, width: float | None, depth: float | None, plots: Extent | None
) -> Box | None:
    """A block's rectangle as laid out, else 1 m around its plots, else None (nothing to draw)."""
    if x is not None and y is not None and width is not None and depth is not None:
        return x, y, x + width, y + depth
    if plots is not None and not plots.empty:
        return plots.x0 - 1, plots.y0 - 1, plots.x1 + 1, plots.y1 + 1
    return None


@dataclass(frozen=True)
class Frame:
    """The drawn area, its span and the plan's unit (a hundredth of the span), and the view box around it."""

    box: Box
    span: float
    unit: float
    margin: float
    #: min x, min y, width, height in metres: a margin around the box, with room for the footer below
    view_box: tuple[float, float, float, float]


def frame(box: Box | None) -> Frame:
    """The plan's frame around ``box`` (None: nothing drawn, :data:`EMPTY_BOX`)."""
    x0, y0, x1, y1 = box or EMPTY_BOX
    span = max(x1 - x0, y1 - y0, MIN_SPAN_M)
    unit = span / 100
    margin, footer = 4 * unit, 7 * unit
    view_box = (x0 - margin, y0 - margin, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin + footer)
    return Frame((x0, y0, x1, y1), span, unit, margin, view_box)


def symbol_radius(unit: float) -> float:
    """A facility symbol's radius: readable on the whole plan, never above :data:`FACILITY_MAX_M`."""
    return min(max(1.1 * unit, 1.5), FACILITY_MAX_M)


def block_label_size(unit: float, block: Box) -> float:
    """A block code's font size: 3 units, at most a quarter of the block's width or depth."""
    x0, y0, x1, y1 = block
    return min(3 * unit, (x1 - x0) / 4, (y1 - y0) / 4)


def plot_label_size(sizes: Iterable[tuple[float, float]]) -> float:
    """The plot numbers' font size: a third of the narrowest side of any plot (``sizes``: width, depth)."""
    return min(min(width, depth) for width, depth in sizes) / 3


@dataclass(frozen=True)
class Symbol:
    """A facility's symbol of radius ``r`` centred on (``cx``, ``cy``): a circle, a square (``left``, ``top``,
    ``side``) or a triangle (``corners``); its letter is written at (``cx``, ``text_y``)."""

    shape: str
    cx: float
    cy: float
    r: float
    corners: tuple[Point, ...] = ()
    text_y: float = 0.0

    @property
    def left(self) -> float:
        return self.cx - self.r

    @property
    def top(self) -> float:
        return self.cy - self.r

    @property
    def side(self) -> float:
        return 2 * self.r


def symbol(shape: str, x: float, y: float, r: float) -> Symbol:
    """The symbol of ``shape`` ('circle', 'square', anything else: a triangle) of radius ``r`` at (x, y)."""
    if shape in ("circle", "square"):
        return Symbol(shape, x, y, r, text_y=y)
    corners = ((x, y - 1.25 * r), (x + 1.2 * r, y + 0.85 * r), (x - 1.2 * r, y + 0.85 * r))
    return Symbol("triangle", x, y, r, corners=corners, text_y=y + 0.2 * r)


def nice_length(span: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10ⁿ m) near a fifth of the plan."""
    target = max(span / 5, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return max(m * power for m in (1, 2, 5) if m * power <= target)


@dataclass(frozen=True)
class ScaleBar:
    """Two halves (dark, light) from ``x`` at ``y``, ``height`` high; "0" and the length written above."""

    x: float
    y: float
    height: float
    length: float
    text_y: float
    font_size: float

    @property
    def half(self) -> float:
        return self.length / 2


def scale_bar(plan: Frame) -> ScaleBar:
    """Below the plan's bottom-left corner."""
    x, y, unit = plan.box[0], plan.box[3] + 4 * plan.unit, plan.unit
    return ScaleBar(x, y, unit, nice_length(plan.span), y - 0.6 * unit, 2 * unit)


@dataclass(frozen=True)
class NorthArrow:
    corners: tuple[Point, Point, Point]
    text_x: float
    text_y: float
    font_size: float


def north_arrow(plan: Frame) -> NorthArrow:
    """Below the plan's bottom-right corner, pointing up (y grows southwards, so north is up)."""
    unit = plan.unit
    x, y = plan.box[2] + plan.margin / 2, plan.box[3] + 6 * unit
    corners = ((x, y - 4 * unit), (x + 1.2 * unit, y - 1.2 * unit), (x - 1.2 * unit, y - 1.2 * unit))
    return NorthArrow(corners, x, y + unit, 2.2 * unit)
