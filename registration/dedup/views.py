"""The supervisors' duplicate review queue: the two records side by side, merge or not duplicates."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions as P
from app.db import get_session
from app.errors import UserValueError
from app.forms import EmptyForm
from app.pagination import paginate
from app.permissions import requires
from registration.dedup import review
from registration.dedup.models import DuplicatePair
from registration.dedup.services import open_pairs_query

bp = Blueprint("dedup", __name__)


def _pair_or_404(pair_id: int) -> DuplicatePair:
    pair = get_session().get(DuplicatePair, pair_id)
    if pair is None or not all(
        current_user.can_access_camp(p.household.camp_id) for p in (pair.person_a, pair.person_b)
    ):
        abort(404)
    return pair


@bp.route("/duplicates")
@requires(P.DEDUP_REVIEW)
def review_queue() -> str:
    page = paginate(get_session(), open_pairs_query(current_user), per_page=10)
    return render_template("dedup/queue.html", page=page, form=EmptyForm())


@bp.route("/duplicates/<int:pair_id>", methods=["POST"])
@requires(P.DEDUP_REVIEW)
def decide(pair_id: int) -> ResponseReturnValue:
    pair = _pair_or_404(pair_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    session = get_session()
    decision = request.form.get("decision")
    try:
        if decision == "different":
            review.decide_different(session, current_user, pair)
            flash(_("Recorded: different people."), "success")
        elif decision in ("keep_a", "keep_b"):
            kept = review.merge(session, current_user, pair, pair.person_a if decision == "keep_a" else pair.person_b)
            flash(_("Merged into %(number)s.", number=kept.number), "success")
        else:
            abort(400)
    except UserValueError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("dedup.review_queue")), 422
    return redirect(url_for("dedup.review_queue"))
