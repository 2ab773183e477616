"""Distribution points in the JSON API: the round's offline package, checking a card, recording
collections one at a time or as a batch from a device that was offline."""

from __future__ import annotations

import gzip
import json
from typing import Annotated, Any

from flask import Response, abort, jsonify, request
from flask_login import current_user
from pydantic import Field
from werkzeug.exceptions import HTTPException

from app import permissions as P
from app.api import api_blueprint
from app.api.inputs import field_errors, json_body
from app.api.openapi import ErrorDetail, api_operation
from app.api.schema import (
    ABSENT,
    Answer,
    AnyObject,
    Anything,
    Body,
    DateString,
    DateTime,
    DateTimeString,
    Documented,
    PositiveInt,
    Text,
)
from app.audit.services import log_action
from app.campday import camp_today
from app.db import get_session, utcnow, writes_late
from app.permissions import requires
from app.users.models import User
from camps.distributions import recording, rounds, scanning, skips
from camps.distributions.alternates import alternates_of
from camps.distributions.models import FLAGS, Collection, DistributionRound
from camps.distributions.offline import head_photo, offline_package
from registration.cards.api import CardKey, RevocationList

bp = api_blueprint("distributions_api", __name__)
MAX_BATCH = 500

_OUTCOMES = ["recorded", "flagged", "flagged_double", "id_conflict", "bad_request", *scanning.OUTCOMES]
Outcome = Annotated[Text, Documented(enum=_OUTCOMES)]
Collector = Annotated[Text | None, Documented(enum=["head", "member", "alternate"])]
Point = Annotated[Text, Documented(maxLength=40)]
DeviceId = Annotated[Text, Documented(format="uuid")]
ScanOutcome = Annotated[Text, Documented(enum=scanning.OUTCOMES)]
Flag = Annotated[Text, Documented(enum=list(FLAGS))]
SyncOutcome = Annotated[Text, Documented(enum=[*_OUTCOMES, "skip_noted"])]
_SENT_AT = "the device's clock when it sent this"
_SKEW = "how far the device clock is ahead (negative: behind)"


class RoundSummary(Answer):
    id: int
    name: str
    starts_on: DateString
    ends_on: DateString
    open_today: bool


class RoundList(Answer):
    items: list[RoundSummary]


class PackageItem(Answer):
    name: str
    unit: str
    quantity: float


class PackageRound(Answer):
    id: int
    name: str
    camp: str
    starts_on: DateString
    ends_on: DateString
    status: str
    open_today: bool
    rule: str
    qualifying: list[str]
    alternates_allowed: bool
    items: list[PackageItem]


class PackageHousehold(Answer):
    """Short keys: the package of a large camp is several megabytes."""

    n: str = Field(description="number")
    s: int = Field(description="size")
    st: str = Field(description="status")
    e: list[float] = Field(description="entitlement: the quantity of each of the round's items")
    c: int = Field(description="1: collected in this round")
    p: str | None = Field(description="the head's stamp-sized photo (a data URL)")
    a: list[tuple[int, str, str | None]] = Field(description="alternate collectors: [id, name, name_orig]")


class OfflinePackage(Answer):
    """Everything a distribution point needs offline: the round, the card keys, the signed revocation list
    and the camp's households."""

    round: PackageRound
    generated_at: DateTimeString
    server_time: DateTimeString
    today: DateString = Field(description="the camp's day")
    camp_utc_offset_minutes: int = Field(description="the device works out the camp's day with this offset")
    expires_at: DateTimeString
    max_age_seconds: int
    keys: list[CardKey]
    revoked: RevocationList
    households: list[PackageHousehold]


class ScanRequest(Body):
    code: Text | None = Field(None, description="the card QR text")
    household: Text | None = Field(None, description="a household number typed in instead of a scan")


class ScanHousehold(Answer):
    number: str
    size: int
    status: str
    photo: str | None = Field(description="the head's stamp-sized photo (a data URL; only when checking)")


class Entitlement(Answer):
    name: str
    unit: str
    quantity: float


class CollectionSeen(Answer):
    collected_at: DateTimeString
    point: str
    officer: str | None
    collected_by: str | None
    status: str


class Alternate(Answer):
    id: int
    name: str
    name_orig: str | None


class ScanCheck(Answer):
    outcome: ScanOutcome
    serial: str | None
    household: ScanHousehold | None
    entitlement: list[Entitlement]
    collection: CollectionSeen | None
    alternates: list[Alternate]
    server_time: DateTimeString


class CollectionRequest(Body):
    id: DeviceId = Field(description="made on the device; sending it again is harmless")
    code: Text | None = Field(None, description="the card QR text")
    household: Text | None = Field(None, description="a household number typed in instead of a scan")
    collected_at: DateTime
    point: Point
    collected_by: Collector = ABSENT
    alternate_id: PositiveInt | None = None
    offline: bool = Field(ABSENT, description="recorded while the device was offline (informative only)")
    sent_at: DateTime = Field(ABSENT, description=_SENT_AT)


class CollectionResult(Answer):
    outcome: Outcome
    detail: str | None = Field(None, description="why a collection is malformed (400)")
    error: ErrorDetail = Field(ABSENT, description="a body that is no collection (400)")
    serial: str | None = None
    household: ScanHousehold | None = None
    entitlement: list[Entitlement] = ABSENT
    collection: CollectionSeen | None = None
    alternates: list[Alternate] = ABSENT
    repeat: bool = ABSENT
    flags: list[Flag] = ABSENT
    server_time: DateTimeString
    clock_skew_seconds: int | None = Field(None, description=_SKEW)


class CollectionBatch(Body):
    collections: list[Anything] = Field(
        max_length=MAX_BATCH,
        description="CollectionRequest objects; each is checked and answered on its own (a malformed one: 400)",
    )
    skips: list[AnyObject] = Field(
        ABSENT,
        max_length=MAX_BATCH,
        description='households checked valid but not recorded ("skip it"): '
        "{id (uuid made on the device), household (number), point, skipped_at}",
    )
    sent_at: DateTime = Field(ABSENT, description=_SENT_AT)


class SyncResult(Answer):
    id: Any = Field(description="the id the device sent, as it sent it (a malformed collection's too)")
    outcome: SyncOutcome
    status: int
    collection: CollectionSeen | None = None
    flags: list[str] = ABSENT
    detail: str | None = None
    repeat: bool = Field(ABSENT, description="a skip noted before")


class SyncResults(Answer):
    results: list[SyncResult]
    server_time: DateTimeString
    clock_skew_seconds: int | None = Field(description=_SKEW)


def _round_or_404(round_id: int) -> DistributionRound:
    found = rounds.round_for_user(get_session(), current_user, round_id)
    if found is None:
        abort(404)
    return found


def _server_time() -> str:
    return utcnow().isoformat(timespec="seconds") + "Z"


def _collection_json(collection: Collection | None) -> dict | None:
    if collection is None:
        return None
    officer = get_session().get(User, collection.officer_id) if collection.officer_id else None
    return {
        "collected_at": collection.collected_at.isoformat(timespec="seconds") + "Z",
        "point": collection.point,
        "officer": officer.full_name if officer else None,
        "collected_by": collection.collected_by,
        "status": collection.status,
    }


def _check_json(result: scanning.Check, with_photo: bool = False, with_alternates: bool = True) -> dict:
    household = result.household
    data = {
        "outcome": result.outcome,
        "serial": result.serial,
        "household": None,
        "entitlement": [
            {"name": item.name, "unit": item.unit, "quantity": quantity} for item, quantity in result.entitlement
        ],
        "collection": _collection_json(result.existing),
        "alternates": [],
    }
    if household is not None and current_user.can_access_camp(household.camp_id):
        data["household"] = {
            "number": household.number,
            "size": household.size,
            "status": household.status,
            "photo": head_photo(get_session(), household.id) if with_photo else None,
        }
        if result.outcome == "valid" and with_alternates:
            data["alternates"] = [
                {"id": a.id, "name": a.name, "name_orig": a.name_orig}
                for a in alternates_of(get_session(), household.id)
            ]
    return data


@bp.route("/rounds")
@api_operation(summary="Open distribution rounds in the caller's camps", tags=["distributions"], response=RoundList)
@requires(P.DISTRIBUTIONS_RECORD)
def list_rounds():
    found = get_session().scalars(rounds.rounds_query(current_user, status="open")).all()
    today = camp_today()
    return jsonify(
        items=[
            {
                "id": r.id,
                "name": r.name,
                "starts_on": r.starts_on.isoformat(),
                "ends_on": r.ends_on.isoformat(),
                "open_today": rounds.is_open_on(r, today),
            }
            for r in found
        ]
    )


@bp.route("/rounds/<int:round_id>/package")
@api_operation(
    summary="Everything a distribution point needs to work offline for a round (gzip when accepted)",
    tags=["distributions"],
    response=OfflinePackage,
)
@requires(P.DISTRIBUTIONS_RECORD)
def package(round_id: int):
    round_ = _round_or_404(round_id)
    body = json.dumps(offline_package(get_session(), round_), separators=(",", ":")).encode()
    response = Response(body, mimetype="application/json")
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response.set_data(gzip.compress(body, compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response


@bp.route("/rounds/<int:round_id>/check", methods=["POST"])
@api_operation(
    summary="Check a scanned card or a typed household number for a round",
    tags=["distributions"],
    request=ScanRequest,
    response=ScanCheck,
)
@requires(P.DISTRIBUTIONS_RECORD)
def check(round_id: int):
    round_ = _round_or_404(round_id)
    body = json_body()
    code, number = body.get("code"), body.get("household")
    if not isinstance(code, str) and not isinstance(number, str):
        abort(400, description='Send {"code": "..."} or {"household": "KHR-000123-X"}.')
    result = scanning.check(
        get_session(),
        round_,
        code=code if isinstance(code, str) else None,
        number=number if isinstance(number, str) else None,
        day=camp_today(),
    )
    return jsonify({**_check_json(result, with_photo=True), "server_time": _server_time()})


def _result_json(done: recording.Recorded) -> dict:
    if done.detail is not None:
        return {"outcome": done.outcome, "detail": done.detail}
    data = _check_json(done.check, with_alternates=False) if done.check else {}
    data.update(outcome=done.outcome, repeat=done.repeat, flags=done.flags)
    if done.collection is not None and not data.get("collection"):
        data["collection"] = _collection_json(done.collection)
    return data


def _record_all(
    round_: DistributionRound, payloads: list, received, keys: scanning.CardKeys | None = None
) -> list[recording.Recorded]:
    """Check every collection first (reading only), then write them all in one short write."""
    session = get_session()
    pending = [_prepare(session, round_, payload, received, keys) for payload in payloads]
    return recording.write(session, current_user, round_, pending)


def _prepare(session, round_: DistributionRound, payload, received, keys) -> recording.Pending:
    """One collection checked against its declared schema (malformed: answered 400 on its own), then read."""
    errors = field_errors(CollectionRequest, payload) if isinstance(payload, dict) else {}
    if errors:
        return recording.Pending(
            received=received,
            when=received,
            error=" ".join(message for messages in errors.values() for message in messages),
        )
    return recording.prepare(session, current_user, round_, payload, received, keys=keys)


@bp.route("/rounds/<int:round_id>/collections", methods=["POST"])
@api_operation(
    summary="Record a collection (verifies the card again); the same id twice records it once",
    tags=["distributions"],
    request=CollectionRequest,
    responses=dict.fromkeys((200, 201, 400, 409, 422), CollectionResult),
)
@requires(P.DISTRIBUTIONS_RECORD)
@writes_late
def record(round_id: int):
    round_, received = _round_or_404(round_id), utcnow()
    try:
        body = json_body()
    except HTTPException as refused:  # answered as one collection of a sync is: the scan page shows why
        data = refused.get_response().get_json() or {}
        return jsonify(
            {
                **data,
                "outcome": "bad_request",
                "detail": data.get("error", {}).get("detail"),
                "server_time": _server_time(),
            }
        ), 400
    done = _record_all(round_, [body], received)[0]
    if "sent_at" in body:
        skew = recording.clock_skew(body["sent_at"], received)
    else:  # a collection's time ahead of the server's can only be a clock running ahead
        skew = recording.clock_skew(body.get("collected_at"), received)
        skew = skew if skew and skew > 0 else None
    return jsonify({**_result_json(done), "server_time": _server_time(), "clock_skew_seconds": skew}), done.status


@bp.route("/rounds/<int:round_id>/collections/sync", methods=["POST"])
@api_operation(
    summary="Send the collections a device queued while offline; one result per collection",
    tags=["distributions"],
    request=CollectionBatch,
    response=SyncResults,
)
@requires(P.DISTRIBUTIONS_RECORD)
@writes_late
def sync(round_id: int):
    round_, body = _round_or_404(round_id), json_body()
    batch = body["collections"]
    session, received = get_session(), utcnow()
    keys = scanning.CardKeys.load(session)  # once for the batch, not for each collection
    results = []
    for payload, done in zip(batch, _record_all(round_, batch, received, keys), strict=True):
        if done.status >= 400 and done.status != 409:
            # The handout happened on the device but the server refuses it: say so, keep a trace.
            log_action(
                session,
                current_user,
                "distribution.sync_refused",
                object_type="round",
                object_id=round_.id,
                camp_id=round_.camp_id,
                details={
                    "collection": str(payload.get("id"))[:36] if isinstance(payload, dict) else None,
                    "outcome": done.outcome,
                },
            )
        data = _result_json(done)
        results.append(
            {
                "id": payload.get("id") if isinstance(payload, dict) else None,
                "outcome": done.outcome,
                "status": done.status,
                "collection": data.get("collection"),
                "flags": done.flags,
                "detail": done.detail,
            }
        )
    skipped = body.get("skips") or []
    if not isinstance(skipped, list) or len(skipped) > MAX_BATCH:
        abort(400, description=f"skips: a list of at most {MAX_BATCH}")
    for payload, answer in zip(skipped, skips.note(session, current_user, round_, skipped), strict=True):
        results.append({"id": payload.get("id") if isinstance(payload, dict) else None, **answer})
    return jsonify(
        results=results,
        server_time=_server_time(),
        clock_skew_seconds=recording.clock_skew(body.get("sent_at"), received),
    )
