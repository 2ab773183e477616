"""The JSON API under /api/v1: bearer tokens, the same permissions and camp scopes as the pages.

Each domain makes its own blueprint with ``api_blueprint()``; ``openapi.json`` is assembled from
the routes and the models their ``@api_operation`` declares, so the document cannot drift from them.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask_login import current_user

from app import permissions as P
from app.api.inputs import check_url
from app.api.openapi import Document, api_operation, build_document
from app.api.schema import Answer
from app.db import SAFE_METHODS, get_session
from app.errors import UserValueError
from app.extensions import csrf
from app.permissions import requires
from app.sessions import password_change_required
from app.users.services import user_for_token

PREFIX = "/api/v1"


def refused(exc: UserValueError, status: int = 422):
    """The JSON answer to input a service refused: the message, and each field's messages."""
    return jsonify(
        error={"status": status, "title": "Check the input", "detail": exc.message, "fields": exc.by_field()}
    ), status


def _authenticate():
    g.api_request = True
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, token = header.partition(" ")
        user = user_for_token(get_session(), token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            abort(401)
        g._login_user = user  # Flask-Login's per-request user: the token, not the cookie, decides
        if user.must_change_password:
            return password_change_required()
    elif (
        current_user.is_authenticated
        and request.method not in SAFE_METHODS
        and current_app.config.get("WTF_CSRF_ENABLED", True)
    ):
        # Same-origin pages may call the API with their session cookie, but only with a CSRF token.
        csrf.protect()


def api_blueprint(name: str, import_name: str) -> Blueprint:
    blueprint = Blueprint(name, import_name, url_prefix=PREFIX)
    blueprint.before_request(_authenticate)
    blueprint.before_request(check_url)
    csrf.exempt(blueprint)
    return blueprint


bp = api_blueprint("api", __name__)


class Me(Answer):
    username: str
    full_name: str
    roles: list[str]
    permissions: list[str]
    all_camps: bool
    camps: list[str]


@bp.route("/openapi.json")
@api_operation(summary="This document", tags=["account"], response=Document)
@requires(P.PUBLIC)
def openapi():
    return jsonify(build_document(current_app))


@bp.route("/me")
@api_operation(summary="The signed-in user", tags=["account"], response=Me)
@requires(P.AUTHENTICATED)
def me():
    """The signed-in user, their roles, permissions and camps."""
    user = current_user
    return jsonify(
        username=user.username,
        full_name=user.full_name,
        roles=user.roles,
        permissions=sorted(user.permissions),
        all_camps=user.all_camps,
        camps=sorted(link.camp.code for link in user.camp_links),
    )
