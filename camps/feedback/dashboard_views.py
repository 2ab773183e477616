"""The feedback dashboard: figures of the camps the user works in, without any personal data."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

import app.permissions as P
from app.charts import columns_svg
from app.db import get_session
from app.permissions import requires
from app.scoping import chosen_camp_or_404
from camps.feedback.dashboard import GENERAL_TYPES, WEEK_CHOICES, FeedbackFigures, feedback_figures
from camps.feedback.models import TYPES
from camps.feedback.services import camp_today
from camps.sites.services import visible_camps

bp = Blueprint("feedback_dashboard", __name__)

DEFAULT_WEEKS = 12
#: the themes table: complaints first
THEME_COLUMNS = ("complaint", *(t for t in GENERAL_TYPES if t != "complaint"))


def _weeks() -> int:
    weeks = request.args.get("weeks", type=int)
    return weeks if weeks in WEEK_CHOICES else DEFAULT_WEEKS


@bp.route("/feedback/dashboard")
@requires(P.FEEDBACK_FIGURES)
def dashboard():
    session = get_session()
    camps = visible_camps(session, current_user)
    camp = chosen_camp_or_404(camps, request.args.get("camp"))
    weeks = _weeks()
    figures = feedback_figures(
        session,
        [camp.id] if camp else [c.id for c in camps],
        weeks=weeks,
        today=camp_today(),
        sensitive=current_user.can(P.FEEDBACK_SENSITIVE),
    )
    return render_template(
        "feedback/dashboard.html",
        figures=figures,
        camps=camps,
        camp=camp,
        weeks=weeks,
        week_choices=WEEK_CHOICES,
        theme_types=THEME_COLUMNS,
        types=TYPES,
        trend_svg=trend_svg(figures),
    )


def trend_svg(figures: FeedbackFigures) -> Markup:
    """Cases received per week as an inline SVG column chart, at most 13 week labels below it."""
    weeks = figures.by_week
    return columns_svg(
        [w.count for w in weeks],
        [f"W{w.monday.isocalendar()[1]:02d}" for w in weeks],
        tooltips=[w.label for w in weeks],
        title=_("Cases received per week"),
        testid="fb-trend-chart",
        label_every=-(-len(weeks) // 13),
    )
