"""The feedback dashboard: figures of the camps the user works in, without any personal data."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

import app.permissions as P
from app.db import get_session
from app.permissions import requires
from camps.feedback.dashboard import GENERAL_TYPES, SMALL_COUNT, WEEK_CHOICES, FeedbackFigures, feedback_figures
from camps.feedback.models import TYPES
from camps.feedback.services import camp_today
from camps.sites.services import visible_camps

bp = Blueprint('feedback_dashboard', __name__)

DEFAULT_WEEKS = 12
#: the themes table: complaints first
THEME_COLUMNS = ('complaint', *(t for t in GENERAL_TYPES if t != 'complaint'))


def _weeks() -> int:
    weeks = request.args.get('weeks', type=int)
    return weeks if weeks in WEEK_CHOICES else DEFAULT_WEEKS


@bp.route('/feedback/dashboard')
@requires(P.FEEDBACK_FIGURES)
def dashboard():
    session = get_session()
    camps = visible_camps(session, current_user)
    code = (request.args.get('camp') or '').strip().upper()
    camp = None
    if code:
        camp = next((c for c in camps if c.code == code), None)
        if camp is None:
            abort(404)
    weeks = _weeks()
    figures = feedback_figures(session, [camp.id] if camp else [c.id for c in camps], weeks=weeks,
                               today=camp_today())
    return render_template('feedback/dashboard.html', figures=figures, camps=camps, camp=camp, weeks=weeks,
                           week_choices=WEEK_CHOICES, small_count=SMALL_COUNT, theme_types=THEME_COLUMNS,
                           types=TYPES, trend_svg=trend_svg(figures))


def trend_svg(figures: FeedbackFigures, width: int = 640, height: int = 180) -> Markup:
    """Cases received per week as an inline SVG column chart (attributes only: the CSP allows no style)."""
    weeks = figures.by_week
    largest = FeedbackFigures.largest(weeks)
    top, bottom, left = 10, 24, 4
    plot_height = height - top - bottom
    slot = (width - left) / max(1, len(weeks))
    bar = max(2.0, slot * 0.7)
    title = escape(_('Cases received per week'))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'class="w-100 h-auto text-primary" '
             f'role="img" aria-labelledby="trend-title" data-testid="fb-trend-chart">'
             f'<title id="trend-title">{title}</title>'
             f'<line x1="{left}" y1="{top + plot_height}" x2="{width}" y2="{top + plot_height}" '
             f'stroke="currentColor" stroke-opacity="0.4"/>']
    label_every = -(-len(weeks) // 13)  # at most 13 labels
    for i, week in enumerate(weeks):
        h = plot_height * week.count / largest
        x = left + i * slot + (slot - bar) / 2
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_height - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                     f'fill="currentColor"><title>{escape(week.label)}: {week.count:,}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="10" '
                         f'fill="currentColor">W{week.monday.isocalendar()[1]:02d}</text>')
    parts.append('</svg>')
    return Markup(''.join(parts))  # noqa: S704 - numbers and escaped text only

