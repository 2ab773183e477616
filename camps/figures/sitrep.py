"""The one-page situation report of a camp (A4 PDF, ReportLab): key figures and the population pyramid.

The population is the one registered when the report is made; the report date sets the age
reference and the arrival periods (the 7 and 28 days up to it), so yesterday's report can be made
this morning. Labels follow the user's language (English from the command line).
"""

from __future__ import annotations

import io
from datetime import date

from flask_babel import format_decimal
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy.orm import Session

from app.db import utcnow
from app.visibility import hidden_text
from camps.figures import charts, dashboard
from camps.figures.dashboard import Dashboard
from camps.figures.population import AGE_BANDS
from camps.sites.models import Camp
from registration.cards.fonts import SANS, SANS_BOLD, register

MARGIN = 16 * mm
#: no camp of this system is older: earlier dates are typing mistakes
EARLIEST_REPORT = date(2020, 1, 1)
FEMALE, MALE = colors.HexColor(charts.FEMALE), colors.HexColor(charts.MALE)


def _n(value) -> str:
    return "—" if value is None else format_decimal(value, format="#,##0")


def _one_decimal(value) -> str:
    return "—" if value is None else format_decimal(value, format="#,##0.0")


def report_date_ok(day: date, today: date) -> bool:
    return EARLIEST_REPORT <= day <= today


def make_sitrep(session: Session, camp: Camp, report_date: date, made_by: str, *, masked_below: int = 0) -> bytes:
    """The report of ``camp`` for ``report_date``: aggregate figures, protection needs never among them; with
    ``masked_below`` (accounts that see no household) small counts hidden as on /figures."""
    board = dashboard.build(session, [camp], report_date, protection=False, masked_below=masked_below)
    return render_sitrep(board, report_date, made_by)


def render_sitrep(board: Dashboard, report_date: date, made_by: str) -> bytes:
    """The PDF of ``board`` (a dashboard of one camp built for ``report_date``)."""
    register()
    camp = board.camps[0]
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, invariant=1)
    pdf.setTitle(_("Situation report %(camp)s %(date)s", camp=camp.code, date=report_date.isoformat()))
    pdf.setAuthor("COES · Panoh")
    width, height = A4
    y = height - MARGIN
    pdf.setFont(SANS_BOLD, 16)
    pdf.drawString(MARGIN, y - 4 * mm, _("Situation report: %(camp)s", camp=camp.name))
    pdf.setFont(SANS, 10)
    pdf.drawString(MARGIN, y - 10 * mm, f"{camp.code} · {camp.region_title} · {report_date.isoformat()}")
    pdf.drawRightString(width - MARGIN, y - 10 * mm, _("Committee of Emergency Situations"))
    y -= 18 * mm

    occupancy = board.occupancy[0]
    per_person = (lambda value: hidden_text()) if occupancy.code in board.occupancy_hidden else _one_decimal
    cards = [
        (_("People"), board.text("people")),
        (_("Households"), board.text(dashboard.HOUSEHOLDS)),
        (_("Arrived in 7 days"), board.text("arrived.7")),
        (_("Arrived in 28 days"), board.text("arrived.28")),
        (_("Vacant plots"), _n(occupancy.vacant)),
        (_("Covered m² per person"), per_person(occupancy.covered_per_person)),
        (_("People per latrine"), per_person(occupancy.people_per_latrine)),
        (_("Open feedback cases"), _n(board.feedback.open)),
    ]
    box_w, box_h = (width - 2 * MARGIN - 3 * 4 * mm) / 4, 17 * mm
    for i, (label, value) in enumerate(cards):
        x = MARGIN + (i % 4) * (box_w + 4 * mm)
        top = y - (i // 4) * (box_h + 4 * mm)
        pdf.setStrokeColor(colors.lightgrey)
        pdf.roundRect(x, top - box_h, box_w, box_h, 2 * mm)
        pdf.setFont(SANS_BOLD, 15)
        pdf.drawString(x + 3 * mm, top - 8 * mm, value)
        pdf.setFont(SANS, 8)
        pdf.drawString(x + 3 * mm, top - 13.5 * mm, label)
    y -= 2 * (box_h + 4 * mm) + 4 * mm

    y = _pyramid(pdf, board, MARGIN, y, width - 2 * MARGIN) - 6 * mm
    left = _table(
        pdf,
        MARGIN,
        y,
        _("Specific needs recorded"),
        [(n.title, board.text(f"need.{n.code}")) for n in board.needs[:8]] or [(_("None recorded"), "")],
    )
    right = width / 2 + 4 * mm
    below = _table(
        pdf,
        right,
        y,
        _("Distribution: current round"),
        [_coverage(board, c) for c in board.coverage] or [(_("No round running"), "")],
    )
    band = occupancy.band_title if occupancy.band and occupancy.code not in board.occupancy_hidden else "—"
    below = _table(
        pdf,
        right,
        below - 4 * mm,
        _("Site and services"),
        [
            (_("Site m² per person"), f"{per_person(occupancy.site_per_person)} · {band}"),
            (_("People per tap"), per_person(occupancy.people_per_tap)),
            (_("Overdue feedback cases"), _n(board.feedback.overdue)),
        ],
    )
    _weekly(pdf, board, MARGIN, min(left, below) - 6 * mm, width - 2 * MARGIN)

    pdf.setFont(SANS, 6.5)
    pdf.setFillColor(colors.grey)
    pdf.drawString(
        MARGIN,
        MARGIN / 2,
        _(
            "Made by %(user)s on %(when)s UTC with Panoh. Population as registered then; "
            "ages on the report date. Aggregate figures: no personal data.",
            user=made_by,
            when=utcnow().strftime("%Y-%m-%d %H:%M"),
        ),
    )
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _coverage(board: Dashboard, coverage) -> tuple[str, str]:
    key = f"coverage.{coverage.camp.code}"
    whole = board.value(f"{key}.collected") is not None and board.value(f"{key}.expected") is not None
    percent = coverage.percent if whole and coverage.percent is not None else "—"
    return coverage.round.name, f"{board.text(f'{key}.collected')} / {board.text(f'{key}.expected')} · {percent} %"


def _table_height(rows) -> float:
    return 8 * mm + 5 * mm * len(rows)


def _table(pdf: Canvas, x: float, y: float, title: str, rows: list[tuple[str, str]]) -> float:
    pdf.setFillColor(colors.black)
    pdf.setFont(SANS_BOLD, 10)
    pdf.drawString(x, y, title)
    pdf.setFont(SANS, 9)
    for i, (label, value) in enumerate(rows):
        line = y - 6 * mm - i * 5 * mm
        pdf.drawString(x, line, label[:48])
        pdf.drawRightString(x + 80 * mm, line, value)
    return y - _table_height(rows)


def _weekly(pdf: Canvas, board: Dashboard, x: float, y: float, width: float) -> None:
    """People arrived per week (12 weeks up to the report date), a column each with its number above."""
    pdf.setFont(SANS_BOLD, 10)
    pdf.setFillColor(colors.black)
    pdf.drawString(x, y, _("People arrived per week"))
    weeks = board.weekly_arrivals
    keys = [f"week.{w.day.isoformat()}.people" for w in weeks]
    largest = board.largest(keys)
    chart_h, slot = 32 * mm, width / max(1, len(weeks))
    base = y - 6 * mm - chart_h
    for i, (week, key) in enumerate(zip(weeks, keys, strict=True)):
        h = chart_h * (board.value(key) or 0) / largest  # a hidden count draws no column
        left = x + i * slot + slot * 0.15
        pdf.setFillColor(MALE)
        pdf.rect(left, base, slot * 0.7, h, stroke=0, fill=1)
        pdf.setFillColor(colors.black)
        pdf.setFont(SANS, 7)
        pdf.drawCentredString(left + slot * 0.35, base + h + 1 * mm, board.text(key))
        pdf.drawCentredString(left + slot * 0.35, base - 4 * mm, week.day.strftime("%d.%m"))


def _pyramid(pdf: Canvas, board: Dashboard, x: float, y: float, width: float) -> float:
    """The pyramid (bars) with each band's numbers written beside them; returns the y below it."""
    pdf.setFont(SANS_BOLD, 10)
    pdf.setFillColor(colors.black)
    pdf.drawString(x, y, _("Population by sex and age band"))
    row_h, label_w, number_w = 9 * mm, 26 * mm, 18 * mm
    half = (width - label_w) / 2 - number_w
    largest = board.largest(f"pyr.{sex}.{key}" for sex in "fm" for key, *_rest in AGE_BANDS)
    top = y - 4 * mm
    for row, (key, _first, _last, title) in enumerate(reversed(AGE_BANDS)):
        line = top - (row + 1) * row_h
        female, male = board.value(f"pyr.f.{key}"), board.value(f"pyr.m.{key}")
        wf, wm = half * (female or 0) / largest, half * (male or 0) / largest
        centre = x + number_w + half + label_w / 2
        pdf.setFillColor(FEMALE)
        pdf.rect(x + number_w + half - wf, line + 1 * mm, wf, row_h - 2 * mm, stroke=0, fill=1)
        pdf.setFillColor(MALE)
        pdf.rect(centre + label_w / 2, line + 1 * mm, wm, row_h - 2 * mm, stroke=0, fill=1)
        pdf.setFillColor(colors.black)
        pdf.setFont(SANS, 9)
        pdf.drawCentredString(centre, line + 3 * mm, str(title))
        pdf.drawString(x, line + 3 * mm, board.text(f"pyr.f.{key}"))
        pdf.drawRightString(x + width, line + 3 * mm, board.text(f"pyr.m.{key}"))
    bottom = top - len(AGE_BANDS) * row_h - 5 * mm
    pdf.setFont(SANS, 8)
    pdf.setFillColor(FEMALE)
    pdf.drawString(x + number_w, bottom, _("Women and girls: %(n)s", n=board.text("pyr.f")))
    pdf.setFillColor(MALE)
    pdf.drawRightString(x + width - number_w, bottom, _("Men and boys: %(n)s", n=board.text("pyr.m")))
    return bottom - 2 * mm
