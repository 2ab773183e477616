"""Column charts drawn on the server as inline SVG, for any page (the figures' weekly arrivals, the feedback
figures): no script, attributes only (the CSP allows no inline style).

The geometry is the pure function :func:`column_layout`; the macro ``columns`` of ``templates/_macros/charts.svg``
writes it, autoescaped (a ``.svg`` template), so every text is escaped by Jinja. Each column has a ``<title>``
and pages show the same numbers in a table beside the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import get_template_attribute
from markupsafe import Markup

from app.i18n.numbers import number as locale_number
from app.visibility import hidden_text

CHARTS = "_macros/charts.svg"


def count_text(value: int | None) -> str:
    """``1,234``, or the word for a hidden count (None): no bar or tooltip tells more."""
    return hidden_text() if value is None else locale_number(value)


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
