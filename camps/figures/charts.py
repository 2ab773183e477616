"""Charts drawn on the server as inline SVG: no script, attributes only (the CSP allows no inline style).

Every chart has a ``<title>`` per bar and the page shows the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.i18n.numbers import number as locale_number
from app.visibility import hidden_text
from camps.figures.dashboard import Dashboard
from camps.figures.population import AGE_BANDS

FEMALE, MALE = "#b5477a", "#2f6fa7"


def count_text(value: int | None) -> str:
    """``1,234``, or the word for a hidden count (None): no bar or tooltip tells more."""
    return hidden_text() if value is None else locale_number(value)


def pyramid_svg(board: Dashboard, width: int = 520, row_height: int = 34) -> Markup:
    """Women to the left, men to the right, the youngest band at the bottom (hidden counts: no bar)."""
    label_width, top, bottom = 96, 24, 8
    half = (width - label_width) / 2
    height = top + bottom + row_height * len(AGE_BANDS)
    largest = board.largest(f"pyr.{sex}.{key}" for sex in "fm" for key, *_rest in AGE_BANDS)
    title = escape(_("Population by sex and age"))
    # outside the f-strings: the message extractor does not look inside them
    women, men, female_word, male_word = (
        escape(_("Women and girls")),
        escape(_("Men and boys")),
        escape(_("female")),
        escape(_("male")),
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="w-100 h-auto" '
        f'role="img" aria-labelledby="pyramid-title" data-testid="pyramid-chart">'
        f'<title id="pyramid-title">{title}</title>',
        f'<text x="{half / 2:.0f}" y="14" text-anchor="middle" font-size="12" fill="{FEMALE}">{women}</text>',
        f'<text x="{half + label_width + half / 2:.0f}" y="14" text-anchor="middle" font-size="12" '
        f'fill="{MALE}">{men}</text>',
    ]
    for row, (key, _first, _last, band_title) in enumerate(reversed(AGE_BANDS)):
        y = top + row * row_height
        female, male = board.value(f"pyr.f.{key}"), board.value(f"pyr.m.{key}")
        wf, wm = half * (female or 0) / largest, half * (male or 0) / largest
        parts.append(
            f'<rect x="{half - wf:.1f}" y="{y + 3}" width="{wf:.1f}" height="{row_height - 6}" '
            f'fill="{FEMALE}"><title>{escape(band_title)} · {female_word}: '
            f"{escape(count_text(female))}</title></rect>"
        )
        parts.append(
            f'<rect x="{half + label_width:.1f}" y="{y + 3}" width="{wm:.1f}" height="{row_height - 6}" '
            f'fill="{MALE}"><title>{escape(band_title)} · {male_word}: '
            f"{escape(count_text(male))}</title></rect>"
        )
        parts.append(
            f'<text x="{half + label_width / 2:.1f}" y="{y + row_height / 2 + 4:.1f}" text-anchor="middle" '
            f'font-size="12" fill="currentColor">{escape(band_title)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers and escaped text only


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
    largest = max((v for v in values if v), default=0) or 1
    top, bottom, left = 10, 24, 4
    plot_height = height - top - bottom
    slot = (width - left) / max(1, len(values))
    bar = max(2.0, slot * 0.7)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="w-100 h-auto '
        f'text-primary" role="img" aria-labelledby="{testid}-title" data-testid="{testid}">'
        f'<title id="{testid}-title">{escape(title)}</title>'
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width}" y2="{top + plot_height}" '
        f'stroke="currentColor" stroke-opacity="0.4"/>'
    ]
    for i, (value, label, tip) in enumerate(zip(values, labels, tooltips or labels, strict=True)):
        h = plot_height * (value or 0) / largest
        x = left + i * slot + (slot - bar) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_height - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
            f'fill="currentColor"><title>{escape(tip)}: '
            f"{escape(count_text(value))}</title></rect>"
        )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="10" '
                f'fill="currentColor">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers and escaped text only
