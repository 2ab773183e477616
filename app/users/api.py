"""Personal API tokens through the API: a device set-up script can make and drop its own."""

from __future__ import annotations

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field

from app import permissions as P
from app.api import api_blueprint
from app.api.inputs import json_body
from app.api.openapi import api_operation
from app.api.schema import ABSENT, Answer, Body, Text
from app.db import get_or_404, get_session
from app.errors import UserValueError
from app.permissions import requires
from app.users import services
from app.users.models import ApiToken

bp = api_blueprint("users_api", __name__)


class TokenRequest(Body):
    name: Text


class Token(Answer):
    id: int
    name: str
    prefix: str
    created_at: str
    revoked: bool
    token: str = Field(ABSENT, description="The token itself, returned only when it is created")


def token_json(token: ApiToken) -> dict:
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at.isoformat(),
        "revoked": token.revoked_at is not None,
    }


@bp.route("/tokens", methods=["POST"])
@api_operation(
    summary="Create a token for the caller (shown once); only signed in, never with a token",
    tags=["account"],
    request=TokenRequest,
    responses={201: Token},
)
@requires(P.AUTHENTICATED)
def create_token():
    if "Authorization" in request.headers:
        # a token never makes tokens: a leaked one must not outlive its own revocation
        return jsonify(
            error={
                "status": 403,
                "title": _("Not allowed"),
                "detail": _("A token cannot create tokens. Create them signed in, on the API tokens page."),
            }
        ), 403
    body = json_body()
    try:
        token, clear = services.create_token(get_session(), current_user, current_user, body["name"])
    except UserValueError as exc:
        abort(400, description=exc.message)
    return jsonify({**token_json(token), "token": clear}), 201


@bp.route("/tokens/<int:token_id>", methods=["DELETE"])
@api_operation(summary="Revoke one of the caller’s tokens", tags=["account"], response=Token)
@requires(P.AUTHENTICATED)
def revoke_token(token_id: int):
    token = get_or_404(get_session(), ApiToken, token_id)
    if token.user_id != current_user.id and not (
        current_user.can(P.USERS_MANAGE) and token.user.is_managed_by(current_user)
    ):
        abort(404)
    services.revoke_token(get_session(), current_user, token)
    return jsonify(token_json(token))
