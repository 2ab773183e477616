"""The population pyramid drawn on the server as inline SVG: no script, attributes only (the CSP allows no
inline style). Column charts, which other pages draw too, are :mod:`app.charts`.

Every bar has a ``<title>`` and the page shows the same numbers in a table beside it. The geometry (bar lengths
and places) is the pure function :func:`pyramid_layout`; the macro of ``templates/figures/_charts.svg`` writes
it, autoescaped (a ``.svg`` template), so every text is escaped by Jinja, not here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import get_template_attribute
from flask_babel import gettext as _
from markupsafe import Markup

from app.charts import count_text
from camps.figures.dashboard import Dashboard
from camps.figures.population import AGE_BANDS

FEMALE, MALE = "#b5477a", "#2f6fa7"
CHARTS = "figures/_charts.svg"


@dataclass(frozen=True)
class Bar:
    x: float
    y: int
    width: float
    height: int


@dataclass(frozen=True)
class PyramidRow:
    female: Bar
    male: Bar
    #: the middle of the row, between the bars, where its age band is written
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Pyramid:
    width: int
    height: int
    #: the middle of the women's half and of the men's half, where their headings go
    women_x: float
    men_x: float
    rows: tuple[PyramidRow, ...]


def pyramid_layout(
    counts: Sequence[tuple[int | None, int | None]], largest: int, width: int = 520, row_height: int = 34
) -> Pyramid:
    """Bars for (women, men) ``counts`` per row, top row first: women's bars end at the middle column from the
    left, men's start after it; ``largest`` is as long as a half. A hidden count (None) has no bar."""
    label_width, top, bottom = 96, 24, 8
    half = (width - label_width) / 2
    rows = []
    for row, (female, male) in enumerate(counts):
        y = top + row * row_height
        wf, wm = half * (female or 0) / largest, half * (male or 0) / largest
        rows.append(
            PyramidRow(
                female=Bar(half - wf, y + 3, wf, row_height - 6),
                male=Bar(half + label_width, y + 3, wm, row_height - 6),
                label_x=half + label_width / 2,
                label_y=y + row_height / 2 + 4,
            )
        )
    height = top + bottom + row_height * len(counts)
    return Pyramid(width, height, half / 2, half + label_width + half / 2, tuple(rows))


def pyramid_svg(board: Dashboard, width: int = 520, row_height: int = 34) -> Markup:
    """Women to the left, men to the right, the youngest band at the bottom (hidden counts: no bar)."""
    bands = list(reversed(AGE_BANDS))
    counts = [(board.value(f"pyr.f.{key}"), board.value(f"pyr.m.{key}")) for key, *_rest in bands]
    largest = board.largest(f"pyr.{sex}.{key}" for sex in "fm" for key, *_rest in AGE_BANDS)
    words = {
        "title": _("Population by sex and age"),
        "women": _("Women and girls"),
        "men": _("Men and boys"),
        "female": _("female"),
        "male": _("male"),
    }
    chart = pyramid_layout(counts, largest, width, row_height)
    rows = [
        (row, band[3], count_text(female), count_text(male))
        for row, band, (female, male) in zip(chart.rows, bands, counts, strict=True)
    ]
    return get_template_attribute(CHARTS, "pyramid")(chart, rows, words, FEMALE, MALE)
