"""Sign in, sign out, change one's own password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from app import permissions as P
from app.auth import services
from app.auth.forms import ChangePasswordForm, LoginForm
from app.db import get_session, writes_late
from app.errors import UserValueError
from app.permissions import requires
from app.sessions import now_seconds
from app.utils import safe_next_url
from app.views import refuse

bp = Blueprint("auth", __name__)


def _refusal_message(result: services.LoginResult) -> str:
    """The same words for an unknown account and a wrong password; the rest only after the right one."""
    if result.outcome == "locked":
        return _("This account is locked. Ask an administrator to unlock it.")
    if result.outcome == "inactive":
        return _("This account has been deactivated. Ask an administrator if you need access.")
    if result.outcome == "throttled":
        return _("Too many sign-in attempts from this computer. Wait a few minutes and try again.")
    return _("Wrong username or password.")


@bp.route("/login", methods=["GET", "POST"])
@requires(P.PUBLIC)
@writes_late
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST" and not form.validate():
        return refuse("auth/login.html", form)
    if form.validate_on_submit():
        result = services.authenticate(
            get_session(), form.username.data, form.password.data, request.remote_addr or "unknown"
        )
        if result.outcome == "ok":
            session.clear()  # a fresh session on sign-in (no fixation)
            login_user(result.user)
            session["sid"] = result.session_secret
            session["seen"] = now_seconds()
            return redirect(safe_next_url(form.next.data))
        # The attempt was recorded aside (committed whatever this answer): 200 with the refusal.
        status = 429 if result.outcome == "throttled" else 200
        return render_template("auth/login.html", form=form, refusal=_refusal_message(result)), status
    return render_template("auth/login.html", form=form)


@bp.route("/session/status")
@requires(P.PUBLIC)
def session_status():
    """Whether this browser is still signed in, with a CSRF token for its next form (drafts.js).

    Asking counts as activity: it is what "Stay signed in" sends. Once the session has ended the
    answer is ``signed_in: false`` (never a redirect), and the token is the one the sign-in form needs.
    """
    signed_in = current_user.is_authenticated
    return jsonify(
        signed_in=signed_in,
        user=current_user.get_id().partition(":")[0] if signed_in else None,
        csrf_token=generate_csrf(),
        idle_seconds=60 * current_app.config["IDLE_TIMEOUT_MINUTES"],
    )


@bp.route("/logout", methods=["POST"])
@requires(P.AUTHENTICATED)
def logout():
    services.logout(get_session(), current_user, session.get("sid"))
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    response = redirect(url_for("auth.login"))
    # Nothing of the session stays in the browser (the distribution package, the cached scan page);
    # collections not yet sent (keep_queue) stay, and the sign-in page removes everything else.
    keep = request.form.get("keep_queue") == "1"
    response.headers["Clear-Site-Data"] = '"cache"' if keep else '"cache", "storage"'
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@requires(P.AUTHENTICATED)
@writes_late
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(
                get_session(),
                current_user,
                form.current_password.data,
                form.password.data,
                ip=request.remote_addr or "unknown",
                session_secret=session.get("sid"),
            )
        except services.GuessesExhausted as exc:
            logout_user()
            session.clear()
            flash(exc.message, "warning")
            return redirect(url_for("auth.login"))
        except UserValueError as exc:
            return refuse("auth/change_password.html", form, exc)
        flash(_("Your password was changed."), "success")
        return redirect(url_for("main.index"))
    if request.method == "POST":
        return refuse("auth/change_password.html", form)
    return render_template("auth/change_password.html", form=form)
