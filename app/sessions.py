"""Per-request wiring of sign-in state: user loading, idle expiry, forced password change, commit.

A signed-in browser's cookie holds the user (with the user's session token, changed to sign the
user out everywhere) and the secret of its server-side session (``users.services.start_session``):
signing out ends that session, and it ends by itself ``SESSION_MAX_HOURS`` after sign-in.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from app.db import commit_request, get_session
from app.extensions import login_manager
from app.users.models import User
from app.users.services import session_state

#: endpoints a user who must change their password can still reach
_PASSWORD_CHANGE_EXEMPT = {"auth.change_password", "auth.logout", "main.set_language", "static", "main.healthz"}


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    app.before_request(_mark_api_request)
    app.before_request(_expire_idle_session)
    app.before_request(_force_password_change)
    app.after_request(_commit)


def _load_user(user_id: str) -> User | None:
    ident, _sep, token = user_id.partition(":")
    if not ident.isdigit():
        return None
    db = get_session()
    user = db.get(User, int(ident))
    if user is None or not user.active or user.is_locked or user.session_token != token:
        return None
    state = session_state(db, user, session.get("sid"))
    if state == "expired":
        session.clear()
        flash(
            _l("You were signed in for %(n)d hours: please sign in again.", n=current_app.config["SESSION_MAX_HOURS"]),
            "info",
        )
    return user if state == "live" else None


def _mark_api_request() -> None:
    g.api_request = request.path.startswith("/api/")


def now_seconds() -> int:
    """The clock of idle expiry (one place, so that a test can move it)."""
    return int(time.time())


def _expire_idle_session():
    if request.endpoint == "static" or _token_request():
        return None
    now = now_seconds()
    seen = session.get("seen")
    limit = 60 * current_app.config["IDLE_TIMEOUT_MINUTES"]
    if current_user.is_authenticated and seen is not None and now - seen > limit:
        locale = current_user.locale or session.get("locale")
        logout_user()
        session.clear()
        if locale:  # signing in again (the sign-in page, drafts.js's dialog) stays in the user's language
            session["locale"] = locale
        if request.endpoint == "auth.session_status":
            return None  # drafts.js asks: it signs in again in place, with no page to redirect
        flash(_l("Your session expired after a period of inactivity. Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    if current_user.is_authenticated:
        session["seen"] = now
    return None


def _token_request() -> bool:
    """An API request that the API authenticates by its Authorization header (see app.api), not the
    cookie. An empty header counts as none there, so here too: the cookie's checks apply."""
    return bool(g.get("api_request")) and bool(request.headers.get("Authorization"))


def _force_password_change():
    if _token_request():
        return None  # the token's user is checked when the API authenticates it
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in _PASSWORD_CHANGE_EXEMPT
    ):
        if g.get("api_request"):
            return password_change_required()
        flash(_l("Please choose a new password before you continue."), "warning")
        return redirect(url_for("auth.change_password"))
    return None


def password_change_required():
    """The API's answer while the user's password is a temporary one: nothing else until it is changed."""
    return jsonify(
        error={
            "status": 403,
            "title": _("Not allowed"),
            "detail": _("Change your temporary password on the Change password page before you use the API."),
        }
    ), 403


def _commit(response):
    commit_request(response.status_code)
    return response
