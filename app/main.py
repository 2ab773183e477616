"""Home page, language switch and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user

from app import health
from app import permissions as P
from app.db import get_session
from app.forms import LanguageForm
from app.permissions import requires
from app.users.services import set_locale
from app.utils import safe_next_url

bp = Blueprint("main", __name__)


@bp.route("/")
@requires(P.AUTHENTICATED)
def index():
    return render_template("main/index.html")


@bp.route("/language", methods=["POST"])
@requires(P.PUBLIC)
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.language.data in current_app.config["LANGUAGES"]:
        session["locale"] = form.language.data
        if current_user.is_authenticated:
            set_locale(get_session(), current_user, form.language.data)
    return redirect(safe_next_url(request.form.get("next")))


@bp.route("/healthz")
@requires(P.PUBLIC)
def healthz():
    """For monitoring: 200 only when the database answers, its schema is at head, a write is made
    and the disks have room (see app.health); otherwise 503 naming the failed check."""
    result = health.check()
    return jsonify(result), 200 if result["status"] == "ok" else 503
