"""The figures dashboard, the aggregate HXL export and the situation report of the camps a user sees."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions as P
from app.db import get_session
from app.errors import UserValueError
from app.permissions import requires
from camps.feedback.services import camp_today
from camps.figures import charts, dashboard, exports
from camps.figures.population import AGE_BANDS
from camps.figures.sitrep import render_sitrep
from camps.figures.stats import MIN_CELL
from camps.sites.services import visible_camps

bp = Blueprint('figures', __name__)
#: no camp of this system is older: earlier dates are typing mistakes
EARLIEST_REPORT = date(2020, 1, 1)


def masked_below() -> int:
    """Accounts that may see no household (headquarters, partners, admins) get small counts masked."""
    return 0 if current_user.can(P.HOUSEHOLDS_VIEW) else MIN_CELL


def _camps():
    """The user's camps, and the one chosen with ``?camp=`` (None: all of them); 404 for any other code."""
    camps = visible_camps(get_session(), current_user)
    code = (request.args.get('camp') or '').strip().upper()
    if not code:
        return camps, None
    camp = next((c for c in camps if c.code == code), None)
    if camp is None:
        abort(404)
    return camps, camp


@bp.route('/figures')
@requires(P.FIGURES_VIEW)
def dashboard_page():
    camps, camp = _camps()
    today = camp_today()
    board = dashboard.build(get_session(), [camp] if camp else camps, today,
                            protection=current_user.can(P.PROTECTION_VIEW), masked_below=masked_below())
    weeks = board.weekly_arrivals
    return render_template(
        'figures/dashboard.html', board=board, camps=camps, camp=camp, age_bands=AGE_BANDS, min_cell=MIN_CELL,
        pyramid_svg=charts.pyramid_svg(board.pyramid, masked_below=board.masked_below),
        weekly_svg=charts.columns_svg([w.people for w in weeks], [f'W{w.day.isocalendar()[1]:02d}' for w in weeks],
                                      title=_('People arrived per week'), testid='weekly-arrivals-chart',
                                      masked_below=board.masked_below),
        daily_svg=charts.columns_svg([d.people for d in board.arrivals],
                                     [d.day.strftime('%d.%m') for d in board.arrivals],
                                     title=_('People arrived per day'), testid='daily-arrivals-chart', label_every=7,
                                     masked_below=board.masked_below))


@bp.route('/figures/stats.<fmt>')
@requires(P.EXPORT_AGGREGATE)
def stats_export(fmt: str):
    if fmt not in exports.FORMATS:
        abort(404)
    camps, camp = _camps()
    try:
        export = exports.stats_export(get_session(), current_user, [camp] if camp else camps, fmt=fmt,
                                      table=request.args.get('table', 'population'), today=camp_today())
    except UserValueError as exc:
        abort(400, exc.message)
    return Response(export.content, mimetype=export.mimetype,
                    headers={'Content-Disposition': f'attachment; filename="{export.filename}"'})


@bp.route('/figures/sitrep.pdf')
@requires(P.FIGURES_VIEW)
def sitrep():
    _all, camp = _camps()
    if camp is None:
        abort(404)
    today = camp_today()
    try:
        report_date = date.fromisoformat(request.args['date']) if request.args.get('date') else today
    except ValueError:
        abort(400, _('Give the date as YYYY-MM-DD.'))
    if not EARLIEST_REPORT <= report_date <= today:
        abort(400, _('Give a date from %(first)s to today.', first=EARLIEST_REPORT.isoformat()))
    board = dashboard.build(get_session(), [camp], report_date, protection=False)
    pdf = render_sitrep(board, report_date, current_user.username)
    return Response(pdf, mimetype='application/pdf', headers={
        'Content-Disposition': f'inline; filename="panoh-sitrep-{camp.code}-{report_date:%Y%m%d}.pdf"'})
