"""Pre-registration lists at the desk: upload, read the report, confirm, watch the import."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import Length

from app import permissions as P
from app.audit.services import log_action
from app.campday import camp_today
from app.db import begin_write, get_session, writes_late
from app.forms import EmptyForm, PanohForm, choices
from app.permissions import requires
from camps.sites.models import Camp
from camps.sites.services import visible_camps
from registration.imports import jobs, services
from registration.imports.models import ImportBatch
from registration.imports.xlsform import xlsform_bytes

bp = Blueprint("imports", __name__)
MAX_FILE = 10 * 1024 * 1024


class UploadForm(PanohForm):
    camp_id = SelectField(_l("Camp"), coerce=int, choices=[])
    file = FileField(_l("List file (CSV or XLSX)"), render_kw={"accept": ".csv,.xlsx"})
    list_name = StringField(
        _l("Name of the list"),
        validators=[Length(max=80)],
        description=_l("Defaults to the file name, e.g. “panji-poyon-2026-11-20”."),
    )


def _batch_or_404(batch_id: int) -> ImportBatch:
    batch = get_session().get(ImportBatch, batch_id)
    if batch is None or not current_user.can_access_camp(batch.camp_id):
        abort(404)
    return batch


def _report(batch: ImportBatch):
    return _check(batch.camp_id, batch.filename, batch.content, batch.list_name)


def _check(camp_id: int, filename: str, content: bytes, list_name: str) -> services.ImportReport:
    return services.validate_file(
        get_session(),
        current_user,
        get_session().get(Camp, camp_id),
        filename,
        content,
        camp_today(),
        list_name=list_name,
    )


@bp.route("/imports", methods=["GET", "POST"])
@requires(P.HOUSEHOLDS_REGISTER)
@writes_late
def upload():
    """The list is read and checked first; only then is it stored, so no desk waits while a file is read."""
    session = get_session()
    form = UploadForm()
    camps = visible_camps(session, current_user)
    form.camp_id.choices = choices((c.id, f"{c.code} · {c.name}") for c in camps)
    recent = session.scalars(
        select(ImportBatch)
        .where(ImportBatch.camp_id.in_([c.id for c in camps] or [-1]))
        .order_by(ImportBatch.id.desc())
        .limit(10)
    ).all()
    if form.validate_on_submit():
        upload = request.files.get("file")
        data = upload.stream.read(MAX_FILE + 1) if upload and upload.filename else b""
        if not data:
            form.file.errors = [_("Choose a CSV or XLSX file.")]
        elif len(data) > MAX_FILE:
            form.file.errors = [_("The file is larger than 10 MB: split the list.")]
        else:
            assert upload is not None and upload.filename  # the data was read from it
            filename, list_name = upload.filename[:200], services.list_name_for(upload.filename, form.list_name.data)
            report = _check(form.camp_id.data, filename, data, list_name)
            begin_write(session)
            batch = ImportBatch(
                camp_id=form.camp_id.data,
                filename=filename,
                content=data,
                list_name=list_name,
                uploaded_by_id=current_user.id,
                status="validated",
                households_ok=report.households_ok,
                problems=len(report.problems),
            )
            session.add(batch)
            session.flush()
            log_action(
                session,
                current_user,
                "import.upload",
                object_type="import",
                object_id=batch.id,
                camp_id=batch.camp_id,
                details={"households_ok": report.households_ok, "problems": len(report.problems)},
            )
            return redirect(url_for("imports.view_batch", batch_id=batch.id))
    status = 422 if request.method == "POST" else 200
    return render_template("imports/upload.html", form=form, recent=recent), status


@bp.route("/imports/<int:batch_id>")
@requires(P.HOUSEHOLDS_REGISTER)
def view_batch(batch_id: int):
    batch = _batch_or_404(batch_id)
    report = _report(batch) if batch.status == "validated" else None
    return render_template(
        "imports/batch.html", batch=batch, report=report, form=EmptyForm(), progress=jobs.progress(batch.id)
    )


@bp.route("/imports/<int:batch_id>/commit", methods=["POST"])
@requires(P.HOUSEHOLDS_REGISTER)
def commit_batch(batch_id: int):
    batch = _batch_or_404(batch_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if batch.status != "validated":
        flash(_("This list was already imported."), "info")
        return redirect(url_for("imports.view_batch", batch_id=batch.id))
    batch.status = "importing"
    jobs.start(current_app._get_current_object(), get_session(), batch, current_user)  # type: ignore[attr-defined]  # current_app is a LocalProxy
    return redirect(url_for("imports.view_batch", batch_id=batch.id))


@bp.route("/imports/<int:batch_id>/progress")
@requires(P.HOUSEHOLDS_REGISTER)
def batch_progress(batch_id: int):
    batch = _batch_or_404(batch_id)
    done, total = jobs.progress(batch.id) or (batch.imported, batch.households_ok)
    return jsonify(status=batch.status, done=done, total=total, imported=batch.imported)


@bp.route("/imports/xlsform.xlsx")
@requires(P.HOUSEHOLDS_REGISTER)
def download_xlsform():
    return Response(
        xlsform_bytes(),
        headers={"Content-Disposition": "attachment; filename=panoh-prereg-xlsform.xlsx"},
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
