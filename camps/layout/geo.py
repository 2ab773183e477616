"""Local metres on the camp's grid: WGS84 → (x east, y south) around the camp's origin, and polygons.

An equirectangular projection is exact enough over a camp's few kilometres (well under 0.1 %).
"""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8
_M_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180


def to_local(lon: float, lat: float, origin_lon: float, origin_lat: float) -> tuple[float, float]:
    """Metres east (x) and south (y) of the origin, the camp's north-west corner."""
    x = (lon - origin_lon) * math.cos(math.radians(origin_lat)) * _M_PER_DEGREE
    y = (origin_lat - lat) * _M_PER_DEGREE
    return x, y


def shoelace_area(points: list[tuple[float, float]]) -> float:
    """Area of a simple polygon (open or closed ring), m²."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def open_ring(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring without its closing point (GeoJSON repeats the first point at the end)."""
    return points[:-1] if len(points) > 1 and points[0] == points[-1] else list(points)


def bounding_box(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(x, y, width, depth) of the points."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def format_outline(points: list[tuple[float, float]]) -> str:
    """``"x,y x,y ..."`` rounded to 0.1 m, as Plot.outline stores it."""
    return " ".join(f"{round(x, 1):g},{round(y, 1):g}" for x, y in points)


def parse_outline(text: str | None) -> list[tuple[float, float]] | None:
    """The corners of a Plot.outline; None when there is none, or it is unreadable or has under three corners."""
    if not text:
        return None
    try:
        points = [(float(x), float(y)) for x, y in (pair.split(",") for pair in text.split())]
    except ValueError:
        return None
    if len(points) < 3 or not all(math.isfinite(c) for p in points for c in p):
        return None
    return points
