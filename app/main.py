"""Home page, language switch and the health check."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import text

from app import permissions as P
from app.db import get_session
from app.forms import LanguageForm
from app.permissions import requires
from app.users.services import set_locale
from app.utils import safe_next_url

bp = Blueprint('main', __name__)


@bp.route('/')
@requires(P.AUTHENTICATED)
def index():
    return render_template('main/index.html')


@bp.route('/language', methods=['POST'])
@requires(P.PUBLIC)
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.language.data in current_app.config['LANGUAGES']:
        session['locale'] = form.language.data
        if current_user.is_authenticated:
            set_locale(get_session(), current_user, form.language.data)
    return redirect(safe_next_url(request.form.get('next')))


@bp.route('/healthz')
@requires(P.PUBLIC)
def healthz():
    """For monitoring: the app answers and the database is reachable. Says nothing else."""
    try:
        get_session().execute(text('SELECT 1'))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        current_app.logger.exception('health check failed')
        return jsonify(status='error', database='unreachable'), 503
    return jsonify(status='ok', database='ok')
