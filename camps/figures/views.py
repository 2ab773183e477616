"""The figures dashboard, the aggregate HXL export and the situation report of the camps a user sees."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions as P
from app.charts import columns_svg
from app.db import get_session
from app.errors import UserValueError
from app.permissions import requires
from app.scoping import chosen_camp_or_404
from app.visibility import hidden_text
from camps.figures import charts, dashboard, exports
from camps.figures import sitrep as sitrep_pdf
from camps.figures.population import AGE_BANDS
from camps.figures.stats import MIN_CELL
from camps.sites.services import camp_today, visible_camps

bp = Blueprint("figures", __name__)


def _camps():
    """The user's camps, and the one chosen with ``?camp=`` (None: all of them); 404 for any other code."""
    camps = visible_camps(get_session(), current_user)
    return camps, chosen_camp_or_404(camps, request.args.get("camp"))


@bp.route("/figures")
@requires(P.FIGURES_VIEW)
def dashboard_page():
    camps, camp = _camps()
    today = camp_today()
    board = dashboard.build(
        get_session(),
        [camp] if camp else camps,
        today,
        protection=current_user.can(P.PROTECTION_VIEW),
        masked_below=dashboard.masked_below_for(current_user),
    )
    weeks = board.weekly_arrivals
    return render_template(
        "figures/dashboard.html",
        board=board,
        camps=camps,
        camp=camp,
        age_bands=AGE_BANDS,
        min_cell=MIN_CELL,
        households_key=dashboard.HOUSEHOLDS,
        hidden=hidden_text(),
        largest_need=board.largest(f"need.{n.code}" for n in board.needs),
        pyramid_svg=charts.pyramid_svg(board),
        weekly_svg=columns_svg(
            [board.value(f"week.{w.day.isoformat()}.people") for w in weeks],
            [f"W{w.day.isocalendar()[1]:02d}" for w in weeks],
            title=_("People arrived per week"),
            testid="weekly-arrivals-chart",
        ),
        daily_svg=columns_svg(
            [board.value(f"day.{d.day.isoformat()}.people") for d in board.arrivals],
            [d.day.strftime("%d.%m") for d in board.arrivals],
            title=_("People arrived per day"),
            testid="daily-arrivals-chart",
            label_every=7,
        ),
    )


@bp.route("/figures/stats.<fmt>")
@requires(P.EXPORT_AGGREGATE)
def stats_export(fmt: str):
    if fmt not in exports.FORMATS:
        abort(404)
    camps, camp = _camps()
    try:
        export = exports.stats_export(
            get_session(),
            current_user,
            [camp] if camp else camps,
            fmt=fmt,
            table=request.args.get("table", "population"),
            today=camp_today(),
        )
    except UserValueError as exc:
        abort(400, exc.message)
    return Response(
        export.content,
        mimetype=export.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@bp.route("/figures/sitrep.pdf")
@requires(P.FIGURES_VIEW)
def sitrep():
    _all, camp = _camps()
    if camp is None:
        abort(404)
    today = camp_today()
    try:
        report_date = date.fromisoformat(request.args["date"]) if request.args.get("date") else today
    except ValueError:
        abort(400, _("Give the date as YYYY-MM-DD."))
    if not sitrep_pdf.report_date_ok(report_date, today):
        abort(400, _("Give a date from %(first)s to today.", first=sitrep_pdf.EARLIEST_REPORT.isoformat()))
    pdf = sitrep_pdf.make_sitrep(
        get_session(), camp, report_date, current_user.username, masked_below=dashboard.masked_below_for(current_user)
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="panoh-sitrep-{camp.code}-{report_date:%Y%m%d}.pdf"'},
    )
