"""Pages of exports."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flask import Blueprint, Response, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from app import permissions as P
from app import tabular, visibility
from app.db import commit_aside, get_db, get_session, writes_late
from app.errors import ValidationErrors
from app.permissions import requires
from app.views import put_on_form
from camps.sites.services import visible_camps
from registration import needs
from registration.exports import fields, services
from registration.exports.forms import ExportForm

bp = Blueprint("exports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/exports", methods=["GET", "POST"])
@requires(P.EXPORT_PERSONAL)
@writes_late
def export_lists():
    """The form (GET); the file, once the request and its purpose are checked (POST)."""
    session = get_session()
    form = ExportForm()
    form.set_camps(visible_camps(session, current_user))
    if request.method == "GET":
        return _page(form)
    if not form.validate():
        return _page(form, 422)
    try:
        plan = services.prepare_export(session, current_user, form.data)
    except ValidationErrors as exc:
        return _page(form, 422, put_on_form(form, exc))
    user = current_user._get_current_object()
    if plan.fmt == "csv":
        commit_aside(lambda aside: services.log_export(aside, user, plan))
        return _csv(plan)
    file, count = tabular.xlsx_file(
        services.headers(plan),
        services.export_rows(session, plan, _batch_size()),
        _("Persons") if plan.kind == fields.PERSONS else _("Households"),
        lambda rows: services.about(plan, rows),
    )
    commit_aside(lambda aside: services.log_export(aside, user, plan, rows=count))
    response = send_file(
        file, mimetype=XLSX, as_attachment=True, download_name=plan.filename, conditional=False, etag=False
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(form: ExportForm, status: int = 200, message: str | None = None):
    user = current_user
    return render_template(
        "exports/export.html",
        form=form,
        form_message=message,
        columns={kind: fields.columns_for(user, kind) for kind in fields.COLUMNS},
        withheld=sorted({str(c.title) for cols in fields.COLUMNS.values() for c in cols if not c.allowed(user)}),
        protection=visibility.can_see(user, visibility.RESTRICTED_NEEDS, bulk=True),
        restricted=sorted(needs.RESTRICTED_CATEGORIES | needs.RESTRICTED_CODES),
        about_lines=tabular.ABOUT_LINES,
    ), status


def _batch_size() -> int:
    return current_app.config.get("EXPORT_BATCH_SIZE", services.BATCH_SIZE)


def _csv(plan: services.ExportPlan) -> Response:
    # The rows are read once the request has ended, in a session of their own: a POST request's
    # transactions hold SQLite's write lock, which a long export must not keep from the desks.
    chunks = tabular.csv_chunks(
        services.headers(plan), _read(get_db().session_factory, plan, _batch_size()), services.about(plan)
    )
    return Response(
        chunks,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{plan.filename}"', "Cache-Control": "no-store"},
    )


def _read(open_session: Callable[[], Session], plan: services.ExportPlan, batch_size: int) -> Iterator[list]:
    session = open_session()
    try:
        yield from services.export_rows(session, plan, batch_size)
    finally:
        session.close()
