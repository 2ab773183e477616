"""Per-request wiring of sign-in state: user loading, idle expiry, forced password change, commit."""
from __future__ import annotations

import time

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from app.db import commit_request, get_session
from app.extensions import login_manager
from app.users.models import User

#: endpoints a user who must change their password can still reach
_PASSWORD_CHANGE_EXEMPT = {'auth.change_password', 'auth.logout', 'main.set_language', 'static',
                           'main.healthz'}


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = 'auth.login'
    login_manager.login_message = _l('Please sign in to see this page.')
    login_manager.login_message_category = 'info'
    login_manager.session_protection = 'basic'
    login_manager.user_loader(_load_user)
    app.before_request(_mark_api_request)
    app.before_request(_expire_idle_session)
    app.before_request(_force_password_change)
    app.after_request(_commit)


def _load_user(user_id: str) -> User | None:
    ident, _sep, token = user_id.partition(':')
    if not ident.isdigit():
        return None
    user = get_session().get(User, int(ident))
    if user is None or not user.active or user.is_locked or user.session_token != token:
        return None
    return user


def _mark_api_request() -> None:
    g.api_request = request.path.startswith('/api/')


def _expire_idle_session():
    if request.endpoint == 'static' or (g.api_request and 'Authorization' in request.headers):
        return None
    now = int(time.time())
    seen = session.get('seen')
    limit = 60 * current_app.config['IDLE_TIMEOUT_MINUTES']
    if current_user.is_authenticated and seen is not None and now - seen > limit:
        logout_user()
        session.clear()
        flash(_l('Your session expired after a period of inactivity. Please sign in again.'), 'info')
        return redirect(url_for('auth.login'))
    if current_user.is_authenticated:
        session['seen'] = now
    return None


def _force_password_change():
    if (current_user.is_authenticated and current_user.must_change_password and not g.get('api_request')
            and request.endpoint not in _PASSWORD_CHANGE_EXEMPT):
        flash(_l('Please choose a new password before you continue.'), 'warning')
        return redirect(url_for('auth.change_password'))
    return None


def _commit(response):
    commit_request(response.status_code)
    return response
