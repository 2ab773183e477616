"""Rounds pages for site managers: set up and close rounds, reconcile, review flagged collections, export;
alternate collectors."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions as P
from app.audit.services import log_action
from app.db import commit_aside, get_session
from app.errors import UserValueError, ValidationErrors
from app.pagination import paginate
from app.permissions import requires
from app.views import put_on_form, refuse
from camps.allocation.models import current_plots
from camps.distributions import alternates as alternates_service
from camps.distributions import exports, reconcile, rounds, skips
from camps.distributions.forms import AlternateForm, ReviewForm, RoundForm, StatusForm
from camps.distributions.models import COLLECTION_STATUSES, COLLECTORS, FLAGS, REVIEWS, ROUND_STATUSES, RULES
from camps.layout.models import Plot
from camps.sites.models import Camp
from camps.sites.services import camp_for_user, visible_camps
from registration.households.models import HOUSEHOLD_STATUSES, Household
from registration.households.services import household_for_user

bp = Blueprint("distributions", __name__)

FLAGGED_SHOWN = 100


def _round_or_404(round_id: int):
    round_ = rounds.round_for_user(get_session(), current_user, round_id)
    if round_ is None:
        abort(404)
    return round_


def _household_or_404(number: str, audit: bool = True):
    household = household_for_user(get_session(), current_user, number, audit=audit)
    if household is None:
        abort(404)
    return household


@bp.route("/distributions/rounds")
@requires(P.DISTRIBUTIONS_MANAGE)
def list_rounds():
    session = get_session()
    camps = visible_camps(session, current_user)
    camp = next((c for c in camps if c.code == request.args.get("camp", "").upper()), None)
    status = request.args.get("status", "")
    status = status if status in ROUND_STATUSES else ""
    page = paginate(session, rounds.rounds_query(current_user, camp.id if camp else None, status or None))
    return render_template(
        "distributions/rounds.html",
        page=page,
        camps=camps,
        camp=camp,
        status=status,
        statuses=ROUND_STATUSES,
        counts=reconcile.round_counts(session, page.items),
        camp_codes={c.id: c.code for c in camps},
    )


def _round_form_page(form: RoundForm, camp: Camp, round_=None, error: UserValueError | None = None):
    """Re-show a refused round form (422) with each message next to its field (the others: by the items)."""
    return refuse("distributions/round_form.html", form, error, camp=camp, round=round_)


def _rules_refusal(form: RoundForm) -> ValidationErrors | None:
    """The rounds service's refusal of a form that did not convert (a date or a quantity that does not parse), for
    the fields the form left unmarked: the page marks every problem at once, as when the form checked the rules."""
    try:
        rounds.check_round(form.round_data())
    except ValidationErrors as exc:
        fields = {f.name: f for f in form if f.type != "FieldList"}
        fields.update((sub.name, sub) for entry in form.items for sub in entry.form)
        left = {name: m for name, m in exc.by_field().items() if name in fields and not fields[name].errors}
        return ValidationErrors(left) if left else None
    return None


def _save_round(form: RoundForm, camp: Camp, round_=None):
    if not form.validate_on_submit():
        return _round_form_page(form, camp, round_, _rules_refusal(form))
    try:
        if round_ is None:
            round_ = rounds.create_round(get_session(), current_user, camp, form.round_data())
        else:
            rounds.update_round(get_session(), current_user, round_, form.round_data())
    except UserValueError as exc:
        return _round_form_page(form, camp, round_, exc)
    flash(_("Round “%(name)s” saved.", name=round_.name), "success")
    return redirect(url_for("distributions.view_round", round_id=round_.id))


@bp.route("/camps/<code>/rounds/new", methods=["GET", "POST"])
@requires(P.DISTRIBUTIONS_MANAGE)
def create_round(code: str):
    camp = camp_for_user(get_session(), current_user, code)
    if camp is None:
        abort(404)
    form = RoundForm()
    if request.method == "POST":
        return _save_round(form, camp)
    return render_template("distributions/round_form.html", form=form, camp=camp, round=None)


@bp.route("/distributions/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@requires(P.DISTRIBUTIONS_MANAGE)
def edit_round(round_id: int):
    round_ = _round_or_404(round_id)
    camp = get_session().get_one(Camp, round_.camp_id)
    if request.method == "POST":
        return _save_round(RoundForm(), camp, round_)
    return render_template("distributions/round_form.html", form=RoundForm.for_round(round_), camp=camp, round=round_)


@bp.route("/distributions/rounds/<int:round_id>/status", methods=["POST"])
@requires(P.DISTRIBUTIONS_MANAGE)
def set_status(round_id: int):
    round_ = _round_or_404(round_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    rounds.set_round_status(get_session(), current_user, round_, form.status.data)
    flash(_("Round closed: no more collections.") if round_.status == "closed" else _("Round open again."), "success")
    return redirect(url_for("distributions.view_round", round_id=round_.id))


def _round_page(round_, failed: tuple[str, ReviewForm] | None = None, status: int = 200):
    session = get_session()
    flagged = session.execute(reconcile.flagged_query(round_).limit(FLAGGED_SHOWN)).all()
    forms = {c.uid: ReviewForm(formdata=None) for c, _number in flagged if c.review is None}
    if failed:
        forms[failed[0]] = failed[1]
    summary = reconcile.round_summary(session, round_)
    item_totals = [
        (item, collected, expected)
        for (item, expected), (_item, collected) in zip(summary.expected_items, summary.collected_items, strict=True)
    ]
    return render_template(
        "distributions/round.html",
        round=round_,
        camp=session.get_one(Camp, round_.camp_id),
        summary=summary,
        item_totals=item_totals,
        table=reconcile.entitlement_table(round_),
        qualifying=", ".join(str(HOUSEHOLD_STATUSES.get(s, s)) for s in round_.qualifying),
        flagged=flagged,
        review_forms=forms,
        skipped=skips.counts(session, round_),
        scan_url=url_for("scan.scan_page", round_id=round_.id),
        rules=RULES,
        reviews=REVIEWS,
        collectors=COLLECTORS,
        collection_statuses=COLLECTION_STATUSES,
        flags=FLAGS,
        round_statuses=ROUND_STATUSES,
    ), status


@bp.route("/distributions/rounds/<int:round_id>")
@requires(P.DISTRIBUTIONS_MANAGE)
def view_round(round_id: int):
    return _round_page(_round_or_404(round_id))


@bp.route("/distributions/collections/<uid>/review", methods=["POST"])
@requires(P.DISTRIBUTIONS_MANAGE)
def review_collection(uid: str):
    session = get_session()
    collection = reconcile.collection_for_user(session, current_user, uid)
    if collection is None:
        abort(404)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            reconcile.review_flagged(session, current_user, collection, form.decision.data, form.note.data)
        except UserValueError as exc:
            flash(exc.message, "danger")
            return _round_page(collection.round, (uid, form), 422)
        flash(_("Review recorded."), "success")
        return redirect(url_for("distributions.view_round", round_id=collection.round_id) + "#flagged")
    return _round_page(collection.round, (uid, form), 422)


@bp.route("/distributions/rounds/<int:round_id>/not-served")
@requires(P.DISTRIBUTIONS_MANAGE)
def not_served(round_id: int):
    round_ = _round_or_404(round_id)
    session = get_session()
    page = paginate(session, reconcile.not_served_query(round_))
    return render_template(
        "distributions/not_served.html",
        round=round_,
        page=page,
        plots=current_plots(session, [h.id for h in page.items], Plot.code),
    )


def _export(round_id: int, fmt: str, mimetype: str, chunks):
    round_ = _round_or_404(round_id)
    user, camp_id = current_user._get_current_object(), round_.camp_id
    commit_aside(
        lambda aside: log_action(
            aside,
            user,
            "distribution.export",
            object_type="round",
            object_id=round_id,
            camp_id=camp_id,
            details={"round": round_id, "format": fmt},
        )
    )
    filename = f"panoh-round-{round_id}.{fmt}"
    return Response(
        stream_with_context(chunks(exports.round_rows(round_id))),
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "private, no-store"},
    )


@bp.route("/distributions/rounds/<int:round_id>/export.csv")
@requires(P.DISTRIBUTIONS_MANAGE)
def export_csv(round_id: int):
    return _export(round_id, "csv", "text/csv", exports.csv_chunks)


@bp.route("/distributions/rounds/<int:round_id>/export.xlsx")
@requires(P.DISTRIBUTIONS_MANAGE)
def export_xlsx(round_id: int):
    return _export(
        round_id,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda rows: exports.xlsx_chunks(rows, f"Round {round_id}"),
    )


def _alternates_page(household, form: AlternateForm, message: str | None = None, status: int = 200):
    """The household's alternates with the form; 422 when the form was refused (the work is rolled back)."""
    return render_template(
        "distributions/alternates.html",
        household=household,
        form=form,
        form_message=message,
        alternates=alternates_service.alternates_of(get_session(), household.id, active_only=False),
        max_active=alternates_service.MAX_ACTIVE,
    ), status


@bp.route("/households/<number>/alternates", methods=["GET", "POST"])
@requires(P.DISTRIBUTIONS_MANAGE)
def alternates(number: str):
    household = _household_or_404(number, audit=request.method == "GET")
    form = AlternateForm()
    if request.method == "GET":
        return _alternates_page(household, form)
    if not form.validate_on_submit():
        return _alternates_page(household, form, status=422)
    try:
        alternates_service.add_alternate(get_session(), current_user, household, form.data)
    except UserValueError as exc:
        return _alternates_page(household, form, put_on_form(form, exc), 422)
    flash(_("Alternate collector added."), "success")
    return redirect(url_for("distributions.alternates", number=household.number))


@bp.route("/alternates/<int:alternate_id>/deactivate", methods=["POST"])
@requires(P.DISTRIBUTIONS_MANAGE)
def deactivate_alternate(alternate_id: int):
    session = get_session()
    alternate = alternates_service.alternate_for_user(session, current_user, alternate_id)
    if alternate is None:
        abort(404)
    alternates_service.deactivate_alternate(session, current_user, alternate)
    household = session.get_one(Household, alternate.household_id)
    flash(_("The alternate collector may no longer collect."), "success")
    return redirect(url_for("distributions.alternates", number=household.number))
