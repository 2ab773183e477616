"""Pages of camps.layout: generate or import a layout, plot list and page, plot edit, facilities."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions as P
from app.config import upload_limit
from app.db import get_session, writes_late
from app.i18n.numbers import number as locale_number
from app.pagination import paginate
from app.permissions import requires
from app.views import form_page, refuse
from app.visibility import hidden_text
from camps.allocation import services as allocation
from camps.layout import services
from camps.layout.forms import FacilityForm, GenerateForm, ImportForm, PlotForm
from camps.layout.imports import MAX_BYTES
from camps.layout.models import CAPACITY_UNITS, FACILITY_KINDS, PLOT_FEATURES, PLOT_STATUSES, Facility, Plot
from camps.layout.standards import LATRINE_MAX_M, WATER_MAX_M, covered_band, covered_threshold
from camps.sites.models import Camp
from camps.sites.services import camp_or_404

bp = Blueprint("layout", __name__)


def _plot_or_404(code: str) -> Plot:
    plot = services.plot_for_user(get_session(), current_user, code)
    if plot is None:
        abort(404)
    return plot


def _facility_or_404(facility_id: int) -> Facility:
    facility = get_session().get(Facility, facility_id)
    if facility is None or not current_user.can_access_camp(facility.camp_id):
        abort(404)
    return facility


@bp.route("/camps/<code>/layout/generate", methods=["GET", "POST"])
@requires(P.PLOTS_MANAGE)
def generate(code: str):
    camp = camp_or_404(code)
    form = GenerateForm()
    form.set_choices()
    return form_page(
        "layout/generate.html",
        form,
        save=lambda: services.generate_layout(get_session(), current_user, camp, form.data),
        saved=lambda summary: (_generated(summary), url_for("layout.list_plots", code=camp.code)),
        camp=camp,
    )


def _generated(summary: services.LayoutSummary) -> str:
    return _(
        "Added %(sectors)d sectors, %(blocks)d blocks, %(plots)s plots and %(facilities)d facilities.",
        sectors=len(summary.sectors),
        blocks=len(summary.blocks),
        plots=locale_number(summary.plots),
        facilities=summary.facilities,
    )


@bp.route("/camps/<code>/layout/import", methods=["GET", "POST"])
@requires(P.PLOTS_MANAGE)
@writes_late  # the file is read and checked first; the service takes the write lock to save
def import_layout(code: str):
    camp = camp_or_404(code)
    form = ImportForm()
    context: dict[str, Any] = {"camp": camp, "max_rows": upload_limit("IMPORT_MAX_ROWS")}
    if form.validate_on_submit():
        upload = request.files.get("file")
        content = upload.stream.read(MAX_BYTES + 1) if upload and upload.filename else b""
        if not content:
            form.file.errors = [_("Choose a CSV or GeoJSON file.")]
            return refuse("layout/import.html", form, **context)
        assert upload is not None and upload.filename  # content is empty without them
        report = services.import_layout(get_session(), current_user, camp, upload.filename, content)
        if not report.imported:
            return render_template("layout/import.html", form=form, report=report, **context), 422
        flash(
            _(
                "Imported %(plots)s plots and %(facilities)s facilities (%(sectors)d new sectors, %(blocks)d new "
                "blocks).",
                plots=locale_number(report.plots),
                facilities=locale_number(report.facilities),
                sectors=len(report.new_sectors),
                blocks=len(report.new_blocks),
            ),
            "success",
        )
        return redirect(url_for("layout.list_plots", code=camp.code))
    if request.method == "POST":
        return refuse("layout/import.html", form, **context)
    return render_template("layout/import.html", form=form, report=None, **context)


@bp.route("/camps/<code>/plots")
@requires(P.PLOTS_VIEW)
def list_plots(code: str):
    camp = camp_or_404(code)
    session = get_session()
    status = request.args.get("status", "")
    status = status if status in PLOT_STATUSES else ""
    block = request.args.get("block", "").strip().upper()
    page = paginate(session, services.plots_query(camp, status or None, block or None))
    return render_template(
        "layout/plots.html",
        camp=camp,
        page=page,
        status=status,
        block=block,
        statuses=PLOT_STATUSES,
        blocks=services.blocks_of(session, camp),
        counts=services.status_counts(session, camp),
        households_on=services.households_on,
        hidden=hidden_text(),
    )


@bp.route("/plots/<plot_code>")
@requires(P.PLOTS_VIEW)
def view_plot(plot_code: str):
    plot = _plot_or_404(plot_code)
    session = get_session()
    camp = session.get_one(Camp, plot.camp_id)
    stays = allocation.plot_stays(session, plot)
    # how many live on a plot is a family's size: only for those who see households (issue 12)
    per_person = stays.per_person if current_user.can(P.HOUSEHOLDS_VIEW) or not stays.people else None
    return render_template(
        "layout/plot.html",
        plot=plot,
        camp=camp,
        current=stays.current,
        history=stays.history,
        people=stays.people,
        per_person=per_person,
        threshold=covered_threshold(camp.climate),
        hidden=per_person != stays.per_person,
        band=covered_band(per_person, camp.climate),
        features=PLOT_FEATURES,
        show_households=current_user.can(P.HOUSEHOLDS_VIEW),
        latrine_max=LATRINE_MAX_M,
        water_max=WATER_MAX_M,
        households=services.households_on(current_user, plot),
        hidden_word=hidden_text(),
    )


@bp.route("/plots/<plot_code>/edit", methods=["GET", "POST"])
@requires(P.PLOTS_MANAGE)
def edit_plot(plot_code: str):
    plot = _plot_or_404(plot_code)
    form = PlotForm(obj=plot)
    form.set_choices(plot)
    if request.method == "GET":
        form.features.data = [f for f in PLOT_FEATURES if f in plot.feature_set]
    return form_page(
        "layout/plot_edit.html",
        form,
        save=lambda: services.update_plot(get_session(), current_user, plot, form.data),
        saved=lambda _saved: (
            _("Plot %(code)s saved.", code=plot.code),
            url_for("layout.view_plot", plot_code=plot.code),
        ),
        plot=plot,
    )


@bp.route("/camps/<code>/facilities")
@requires(P.PLOTS_VIEW)
def list_facilities(code: str):
    camp = camp_or_404(code)
    kind = request.args.get("kind", "")
    kind = kind if kind in FACILITY_KINDS else ""
    page = paginate(get_session(), services.facilities_query(camp, kind or None))
    return render_template(
        "layout/facilities.html",
        camp=camp,
        page=page,
        kind=kind,
        kinds=FACILITY_KINDS,
        units=CAPACITY_UNITS,
        block_codes=_block_codes(camp),
    )


def _block_codes(camp: Camp) -> dict[int, str]:
    return {b.id: b.code for b in services.blocks_of(get_session(), camp)}


@bp.route("/camps/<code>/facilities/new", methods=["GET", "POST"])
@requires(P.PLOTS_MANAGE)
def create_facility(code: str):
    camp = camp_or_404(code)
    form = FacilityForm()
    form.set_choices(services.blocks_of(get_session(), camp))
    return form_page(
        "layout/facility_edit.html",
        form,
        save=lambda: services.create_facility(get_session(), current_user, camp, form.data),
        saved=lambda facility: (
            _("Facility %(code)s added.", code=facility.code),
            url_for("layout.list_facilities", code=camp.code),
        ),
        camp=camp,
        facility=None,
    )


@bp.route("/facilities/<int:facility_id>/edit", methods=["GET", "POST"])
@requires(P.PLOTS_MANAGE)
def edit_facility(facility_id: int):
    facility = _facility_or_404(facility_id)
    session = get_session()
    camp = session.get_one(Camp, facility.camp_id)
    blocks = services.blocks_of(session, camp)
    form = FacilityForm(obj=facility)
    form.set_choices(blocks)
    if request.method == "GET":
        form.block.data = next((b.code for b in blocks if b.id == facility.block_id), "")
    return form_page(
        "layout/facility_edit.html",
        form,
        save=lambda: services.update_facility(session, current_user, facility, form.data),
        saved=lambda _saved: (
            _("Facility %(code)s saved.", code=facility.code),
            url_for("layout.list_facilities", code=camp.code),
        ),
        camp=camp,
        facility=facility,
    )
