"""Charts drawn on the server as inline SVG: no script, attributes only (the CSP allows no inline style).

Every chart has a ``<title>`` per bar and the page shows the same numbers in a table beside it. The geometry
(bar lengths and places) is computed by the pure functions :func:`pyramid_layout` and :func:`column_layout`;
the macros of ``templates/figures/_charts.svg`` write it, autoescaped (a ``.svg`` template), so every text
is escaped by Jinja, not here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import get_template_attribute
from flask_babel import gettext as _
from markupsafe import Markup

from app.i18n.numbers import number as locale_number
from app.visibility import hidden_text
from camps.figures.dashboard import Dashboard
from camps.figures.population import AGE_BANDS

FEMALE, MALE = "#b5477a", "#2f6fa7"
CHARTS = "figures/_charts.svg"


def count_text(value: int | None) -> str:
    """``1,234``, or the word for a hidden count (None): no bar or tooltip tells more."""
    return hidden_text() if value is None else locale_number(value)


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


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    #: its label is written below it (every ``label_every``-th column)
    labelled: bool

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Columns:
    width: int
    height: int
    #: the axis: from ``left`` to the right edge at ``baseline``
    left: int
    baseline: int
    #: the labels' baseline
    label_y: int
    columns: tuple[Column, ...]


def column_layout(values: Sequence[int | None], width: int = 640, height: int = 180, label_every: int = 1) -> Columns:
    """One column per value in equal slots, the largest value (at least 1) as high as the plot area;
    None (hidden) and 0 have no height."""
    largest = max((v for v in values if v), default=0) or 1
    top, bottom, left = 10, 24, 4
    plot_height = height - top - bottom
    slot = (width - left) / max(1, len(values))
    bar = max(2.0, slot * 0.7)
    columns = []
    for i, value in enumerate(values):
        h = plot_height * (value or 0) / largest
        x = left + i * slot + (slot - bar) / 2
        columns.append(Column(x, top + plot_height - h, bar, h, i % label_every == 0))
    return Columns(width, height, left, top + plot_height, height - 8, tuple(columns))


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


def columns_svg(
    values: Sequence[int | None],
    labels: Sequence[str],
    *,
    title: str,
    testid: str,
    label_every: int = 1,
    tooltips: Sequence[str] | None = None,
    width: int = 640,
    height: int = 180,
) -> Markup:
    """One column per value (None: hidden, no column); every ``label_every``-th label is written below, each
    in its column's tooltip (or ``tooltips``)."""
    chart = column_layout(values, width, height, label_every)
    items = [
        (column, label, tip, count_text(value))
        for column, value, label, tip in zip(chart.columns, values, labels, tooltips or labels, strict=True)
    ]
    return get_template_attribute(CHARTS, "columns")(chart, items, title, testid)
