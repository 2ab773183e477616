"""Cards in the API: the public keys and revocation list scanners cache, and verification."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from flask import jsonify, url_for
from flask_login import current_user
from pydantic import Field

from app import permissions as P
from app.api import api_blueprint
from app.api.inputs import json_body
from app.api.openapi import api_operation
from app.api.schema import Answer, Body, Documented, Text
from app.campday import camp_today
from app.db import get_session, utcnow
from app.permissions import requires
from registration.cards import services
from registration.cards.models import SigningKey
from registration.cards.token import OUTCOMES, revocation_document
from registration.households.services import people_with_photos

bp = api_blueprint("cards_api", __name__)


CardOutcome = Annotated[Text, Documented(enum=OUTCOMES)]


class CardKey(Answer):
    kid: str
    public_key: str = Field(description="raw Ed25519 key, base64url")
    retired: bool


class CardKeys(Answer):
    keys: list[CardKey]


class RevocationList(Answer):
    kid: str
    generated_at: str
    serials: list[str]
    signature: str


class CardCode(Body):
    code: Text


class CardHousehold(Answer):
    number: str
    size: int
    status: str
    photo_url: str | None


class CardCheck(Answer):
    outcome: CardOutcome
    serial: str | None
    household: CardHousehold | None = Field(description="only for staff who may see it")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@bp.route("/cards/keys")
@api_operation(
    summary="Public keys that verify card QR codes (docs/card-qr-format.md)", tags=["cards"], response=CardKeys
)
@requires(P.PUBLIC)
def public_keys():
    keys = get_session().query(SigningKey).order_by(SigningKey.id).all()
    return jsonify(
        keys=[{"kid": k.kid, "public_key": _b64(k.public_key), "retired": k.retired_at is not None} for k in keys]
    )


@bp.route("/cards/revoked")
@api_operation(
    summary="Serials of revoked cards, signed so that a cached copy can be trusted offline",
    tags=["cards"],
    response=RevocationList,
)
@requires(P.PUBLIC)
def revoked():
    session = get_session()
    key, private = services.signing_key(session)
    return jsonify(
        revocation_document(
            services.revoked_serials(session), private, key.kid, utcnow().isoformat(timespec="seconds") + "Z"
        )
    )


@bp.route("/cards/verify", methods=["POST"])
@api_operation(
    summary="Verify a card code; the household’s size and photo only for staff who may see it",
    tags=["cards"],
    request=CardCode,
    response=CardCheck,
)
@requires(P.CARDS_VERIFY)
def verify():
    body = json_body()
    session = get_session()
    checked = services.check_code(session, body["code"], camp_today())
    household = checked.household
    data: dict[str, Any] = {
        "outcome": checked.verification.outcome,
        "serial": checked.verification.token.serial if checked.verification.token else None,
        "household": None,
    }
    if (
        household is not None
        and current_user.can_access_camp(household.camp_id)
        and (current_user.can(P.HOUSEHOLDS_VIEW) or current_user.can(P.DISTRIBUTIONS_RECORD))
    ):
        head = household.head
        data["household"] = {
            "number": household.number,
            "size": household.size,
            "status": household.status,
            "photo_url": url_for("households.person_photo", number=household.number, seq=head.seq)
            if head and head.id in people_with_photos(session, [head.id])
            else None,
        }
    return jsonify(data)
