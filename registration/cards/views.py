"""Cards at the desk and in batches, the verification page, and the signing keys."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from app import permissions as P
from app.campday import camp_today
from app.db import get_session
from app.errors import UserValueError
from app.forms import EmptyForm
from app.permissions import requires
from camps.sites.services import visible_camps
from registration.cards import jobs, services
from registration.cards.models import Card, PrintJob, SigningKey
from registration.cards.pdf import render_card
from registration.households import services as households
from registration.households.models import Household

bp = Blueprint("cards", __name__)
MAX_BATCH = 2000
NO_PHOTO_LISTED = 30


def _pdf(data: bytes, name: str) -> Response:
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename={name}", "Cache-Control": "no-store"},
    )


def _household_or_404(number: str):
    household = households.household_for_user(get_session(), current_user, number, audit=False)
    if household is None:
        abort(404)
    return household


def _card_or_404(serial: str) -> Card:
    card = get_session().scalar(select(Card).where(Card.serial == serial.upper()))
    if card is None or not current_user.can_access_camp(card.household.camp_id):
        abort(404)
    return card


@bp.route("/households/<number>/card", methods=["POST"])
@requires(P.CARDS_PRINT)
def print_card(number: str):
    """The household's card as a PDF: issued now if it has none, else the same card again."""
    household = _household_or_404(number)
    session = get_session()
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        card = services.current_card(session, household, camp_today()) or services.issue(
            session, current_user, household, camp_today()
        )
    except UserValueError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("households.view_household", number=number)), 422
    services.record_print(session, current_user, card)
    return _pdf(render_card(services.card_data(session, card)), f"{card.serial}.pdf")


def _card_action(serial: str, action: Callable[[Card], object]) -> ResponseReturnValue:
    card = _card_or_404(serial)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action(card)
    except UserValueError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("households.view_household", number=card.household.number)), 422
    return redirect(url_for("households.view_household", number=card.household.number))


@bp.route("/cards/<serial>/replace", methods=["POST"])
@requires(P.CARDS_MANAGE)
def replace_card(serial: str):
    def act(card):
        new = services.replace(get_session(), current_user, card, camp_today())
        flash(_("Card %(old)s replaced by %(new)s; print the new card.", old=card.serial, new=new.serial), "success")

    return _card_action(serial, act)


@bp.route("/cards/<serial>/lost", methods=["POST"])
@requires(P.CARDS_MANAGE)
def report_lost(serial: str):
    def act(card):
        services.report_lost(get_session(), current_user, card)
        flash(_("Card %(serial)s is revoked: it will be refused everywhere.", serial=card.serial), "success")

    return _card_action(serial, act)


@bp.route("/households/<number>/card/renew", methods=["POST"])
@requires(P.CARDS_MANAGE)
def renew_card(number: str):
    household = _household_or_404(number)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        card = services.renew(get_session(), current_user, household, camp_today())
    except UserValueError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("households.view_household", number=number)), 422
    flash(_("New card %(serial)s issued; print it.", serial=card.serial), "success")
    return redirect(url_for("households.view_household", number=number))


# --- batches -----------------------------------------------------------------------------------


@bp.route("/cards/queue", methods=["GET", "POST"])
@requires(P.CARDS_PRINT)
def print_queue():
    session = get_session()
    camps = visible_camps(session, current_user)
    camp_id = request.values.get("camp", type=int) or (camps[0].id if len(camps) == 1 else None)
    block = (request.values.get("block") or "").strip().upper()[:8] or None
    query = services.print_queue(current_user, camp_id, camp_today(), block)
    waiting = session.scalar(select(func.count()).select_from(query.subquery()))
    lacking = services.lacking_photo(query)
    no_photo = session.scalar(select(func.count()).select_from(lacking.subquery())) if waiting else 0
    no_photo_numbers = (
        list(session.scalars(lacking.with_only_columns(Household.number).limit(NO_PHOTO_LISTED))) if no_photo else []
    )
    if request.method == "POST" and EmptyForm().validate_on_submit():
        limit = min(request.form.get("limit", type=int) or MAX_BATCH, MAX_BATCH)
        ids = list(session.scalars(query.with_only_columns(Household.id).limit(limit)))
        if not ids:
            flash(_("Every household here has a valid card."), "info")
            return redirect(url_for("cards.print_queue", camp=camp_id, block=block))
        job = jobs.create(session, current_user, camp_id, ids)
        jobs.start(current_app._get_current_object(), session, job.id)  # type: ignore[attr-defined]  # current_app is a LocalProxy
        return redirect(url_for("cards.batch", job_id=job.id))
    batches = jobs.recent_batches(session, current_user, [] if current_user.all_camps else [c.id for c in camps])
    return render_template(
        "cards/queue.html",
        camps=camps,
        camp_id=camp_id,
        block=block,
        waiting=waiting,
        form=EmptyForm(),
        max_batch=MAX_BATCH,
        no_photo=no_photo,
        no_photo_numbers=no_photo_numbers,
        batches=batches,
    )


@bp.route("/cards/batches/<int:job_id>")
@requires(P.CARDS_PRINT)
def batch(job_id: int):
    job = jobs.state(get_session(), job_id, current_user.id)
    if job is None:
        abort(404)
    if request.args.get("format") == "json":
        return jsonify(status=job.status, done=job.done, total=job.total)
    return render_template("cards/batch.html", job=job)


@bp.route("/cards/batches/<int:job_id>/retry", methods=["POST"])
@requires(P.CARDS_PRINT)
def batch_retry(job_id: int):
    """Run a failed batch again: households that got a card on the first try get the same card."""
    session = get_session()
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not jobs.requeue(session, job_id, current_user.id):
        abort(404)
    jobs.start(current_app._get_current_object(), session, job_id)  # type: ignore[attr-defined]  # current_app is a LocalProxy
    return redirect(url_for("cards.batch", job_id=job_id))


@bp.route("/cards/batches/<int:job_id>/reprint", methods=["POST"])
@requires(P.CARDS_PRINT)
def batch_reprint(job_id: int):
    """Print a finished batch's cards again, unchanged (a jammed or lost PDF); audited."""
    session = get_session()
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not jobs.may_reprint(session, current_user, session.get(PrintJob, job_id)):
        abort(404)
    try:
        job, left_out = jobs.queue_reprint(session, current_user, job_id, camp_today())
    except UserValueError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("cards.print_queue"))
    if left_out:
        flash(
            ngettext(
                "%(num)d card of this batch is no longer valid and is left out: %(serials)s.",
                "%(num)d cards of this batch are no longer valid and are left out: %(serials)s.",
                len(left_out),
                serials=", ".join(left_out),
            ),
            "warning",
        )
    if job.status == "queued" and job.started_at is None:
        jobs.start(current_app._get_current_object(), session, job.id)  # type: ignore[attr-defined]  # current_app is a LocalProxy
    return redirect(url_for("cards.batch", job_id=job.id))


@bp.route("/cards/batches/<int:job_id>/sheets.pdf")
@requires(P.CARDS_PRINT)
def batch_pdf(job_id: int):
    pdf = jobs.take_pdf(job_id, current_user.id)
    if pdf is None:
        abort(404)
    return _pdf(pdf, f"cards-{job_id}.pdf")


# --- verification and keys ---------------------------------------------------------------------


@bp.route("/cards/verify", methods=["GET", "POST"])
@requires(P.CARDS_VERIFY)
def verify_card():
    checked = None
    if request.method == "POST" and EmptyForm().validate_on_submit():
        checked = services.check_code(get_session(), request.form.get("code", ""), camp_today())
    may_see = (
        checked is not None
        and checked.household is not None
        and (current_user.can(P.HOUSEHOLDS_VIEW) or current_user.can(P.DISTRIBUTIONS_RECORD))
        and current_user.can_access_camp(checked.household.camp_id)
    )
    head = checked.household.head if may_see and checked is not None and checked.household is not None else None
    has_photo = head is not None and head.id in households.people_with_photos(get_session(), [head.id])
    return render_template("cards/verify.html", checked=checked, may_see=may_see, has_photo=has_photo, form=EmptyForm())


@bp.route("/admin/keys", methods=["GET", "POST"])
@requires(P.KEYS_MANAGE)
def signing_keys():
    session = get_session()
    if request.method == "POST" and EmptyForm().validate_on_submit():
        key, _private = services.rotate_key(session, current_user)
        flash(_("Key %(kid)s now signs new cards; older cards stay valid until they expire.", kid=key.kid), "success")
        return redirect(url_for("cards.signing_keys"))
    keys = session.scalars(select(SigningKey).order_by(SigningKey.id.desc())).all()
    counts = dict(session.execute(select(Card.kid, func.count()).group_by(Card.kid)).all())
    return render_template("cards/keys.html", keys=keys, counts=counts, form=EmptyForm())
