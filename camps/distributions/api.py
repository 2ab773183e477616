"""Distribution points in the JSON API: the round's offline package, checking a card, recording
collections one at a time or as a batch from a device that was offline."""
from __future__ import annotations

import gzip
import json
from datetime import date

from flask import Response, abort, jsonify, request
from flask_login import current_user

from app import permissions as P
from app.api import api_blueprint
from app.api.openapi import SCHEMAS, documented
from app.audit.services import log_action
from app.db import get_session, writes_late
from app.permissions import requires
from app.users.models import User
from camps.distributions import rounds, scanning
from camps.distributions.alternates import alternates_of
from camps.distributions.models import Collection, DistributionRound
from camps.distributions.offline import head_photo, offline_package

bp = api_blueprint('distributions_api', __name__)
MAX_BATCH = 500

_COLLECTION = {'type': 'object', 'required': ['id', 'collected_at', 'point'], 'properties': {
    'id': {'type': 'string', 'format': 'uuid', 'description': 'made on the device; sending it again is harmless'},
    'code': {'type': 'string', 'description': 'the card QR text'},
    'household': {'type': 'string', 'description': 'a household number typed in instead of a scan'},
    'collected_at': {'type': 'string', 'format': 'date-time'}, 'point': {'type': 'string', 'maxLength': 40},
    'collected_by': {'type': 'string', 'enum': ['head', 'member', 'alternate']},
    'alternate_id': {'type': ['integer', 'null']},
    'offline': {'type': 'boolean', 'description': 'recorded while the device was offline'}}}
SCHEMAS.update({
    'RoundList': {'type': 'object', 'properties': {'items': {'type': 'array', 'items': {'type': 'object'}}}},
    'OfflinePackage': {'type': 'object', 'description': 'keys, signed revocation list and the camp\'s households '
                       '(n number, s size, st status, e entitlement per item, c collected, p photo, a alternates)'},
    'ScanRequest': {'type': 'object', 'properties': {'code': {'type': 'string'}, 'household': {'type': 'string'}}},
    'ScanCheck': {'type': 'object', 'properties': {
        'outcome': {'type': 'string', 'enum': list(scanning.OUTCOMES)}, 'serial': {'type': ['string', 'null']},
        'household': {'type': ['object', 'null']}, 'entitlement': {'type': 'array', 'items': {'type': 'object'}},
        'collection': {'type': ['object', 'null']}, 'alternates': {'type': 'array', 'items': {'type': 'object'}}}},
    'CollectionRequest': _COLLECTION,
    'CollectionResult': {'type': 'object', 'properties': {
        'outcome': {'type': 'string', 'enum': ['recorded', 'flagged_double', *scanning.OUTCOMES]},
        'repeat': {'type': 'boolean'}}},
    'CollectionBatch': {'type': 'object', 'required': ['collections'], 'properties': {
        'collections': {'type': 'array', 'maxItems': MAX_BATCH, 'items': _COLLECTION}}},
    'SyncResults': {'type': 'object', 'properties': {'results': {'type': 'array', 'items': {
        'type': 'object', 'properties': {'id': {'type': 'string'}, 'outcome': {'type': 'string'},
                                         'status': {'type': 'integer'}}}}}},
})


def _round_or_404(round_id: int) -> DistributionRound:
    found = rounds.round_for_user(get_session(), current_user, round_id)
    if found is None:
        abort(404)
    return found


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, description='Send a JSON object.')
    return body


def _collection_json(collection: Collection | None) -> dict | None:
    if collection is None:
        return None
    officer = get_session().get(User, collection.officer_id) if collection.officer_id else None
    return {'collected_at': collection.collected_at.isoformat(timespec='seconds') + 'Z', 'point': collection.point,
            'officer': officer.full_name if officer else None, 'collected_by': collection.collected_by,
            'status': collection.status}


def _check_json(result: scanning.Check, with_photo: bool = False, with_alternates: bool = True) -> dict:
    household = result.household
    data = {'outcome': result.outcome, 'serial': result.serial, 'household': None,
            'entitlement': [{'name': item.name, 'unit': item.unit, 'quantity': quantity}
                            for item, quantity in result.entitlement],
            'collection': _collection_json(result.existing), 'alternates': []}
    if household is not None and current_user.can_access_camp(household.camp_id):
        data['household'] = {'number': household.number, 'size': household.size, 'status': household.status,
                             'photo': head_photo(get_session(), household.id) if with_photo else None}
        if result.outcome == 'valid' and with_alternates:
            data['alternates'] = [{'id': a.id, 'name': a.name, 'name_orig': a.name_orig}
                                  for a in alternates_of(get_session(), household.id)]
    return data


@bp.route('/rounds')
@documented(summary='Open distribution rounds in the caller\'s camps', tags=['distributions'], response='RoundList')
@requires(P.DISTRIBUTIONS_RECORD)
def list_rounds():
    found = get_session().scalars(rounds.rounds_query(current_user, status='open')).all()
    return jsonify(items=[{'id': r.id, 'name': r.name, 'starts_on': r.starts_on.isoformat(),
                           'ends_on': r.ends_on.isoformat(), 'open_today': rounds.is_open_on(r, date.today())}
                          for r in found])


@bp.route('/rounds/<int:round_id>/package')
@documented(summary='Everything a distribution point needs to work offline for a round (gzip when accepted)',
            tags=['distributions'], response='OfflinePackage')
@requires(P.DISTRIBUTIONS_RECORD)
def package(round_id: int):
    round_ = _round_or_404(round_id)
    body = json.dumps(offline_package(get_session(), round_, date.today()), separators=(',', ':')).encode()
    response = Response(body, mimetype='application/json')
    if 'gzip' in request.headers.get('Accept-Encoding', ''):
        response.set_data(gzip.compress(body, compresslevel=6))
        response.headers['Content-Encoding'] = 'gzip'
    response.headers['Vary'] = 'Accept-Encoding'
    return response


@bp.route('/rounds/<int:round_id>/check', methods=['POST'])
@documented(summary='Check a scanned card or a typed household number for a round', tags=['distributions'],
            request='ScanRequest', response='ScanCheck')
@requires(P.DISTRIBUTIONS_RECORD)
def check(round_id: int):
    round_ = _round_or_404(round_id)
    body = _body()
    code, number = body.get('code'), body.get('household')
    if not isinstance(code, str) and not isinstance(number, str):
        abort(400, description='Send {"code": "..."} or {"household": "KHR-000123-X"}.')
    result = scanning.check(get_session(), round_, code=code if isinstance(code, str) else None,
                            number=number if isinstance(number, str) else None, day=date.today())
    return jsonify(_check_json(result, with_photo=True))


def _record(round_: DistributionRound, payload, keys: scanning.CardKeys | None = None) -> tuple[dict, int]:
    if not isinstance(payload, dict):
        return {'outcome': 'bad_request', 'detail': 'each collection is a JSON object'}, 400
    try:
        done = scanning.record(get_session(), current_user, round_, payload, date.today(), keys=keys)
    except scanning.BadCollection as exc:
        return {'outcome': 'bad_request', 'detail': str(exc)}, 400
    data = _check_json(done.check, with_alternates=False) if done.check else {}
    data.update(outcome=done.outcome, repeat=done.repeat)
    if done.collection is not None and 'collection' not in data:
        data['collection'] = _collection_json(done.collection)
    return data, done.status


@bp.route('/rounds/<int:round_id>/collections', methods=['POST'])
@documented(summary='Record a collection (verifies the card again); the same id twice records it once',
            tags=['distributions'], request='CollectionRequest', response='CollectionResult')
@requires(P.DISTRIBUTIONS_RECORD)
@writes_late
def record(round_id: int):
    data, status = _record(_round_or_404(round_id), _body())
    return jsonify(data), status


@bp.route('/rounds/<int:round_id>/collections/sync', methods=['POST'])
@documented(summary='Send the collections a device queued while offline; one result per collection',
            tags=['distributions'], request='CollectionBatch', response='SyncResults')
@requires(P.DISTRIBUTIONS_RECORD)
def sync(round_id: int):
    round_ = _round_or_404(round_id)
    batch = _body().get('collections')
    if not isinstance(batch, list) or len(batch) > MAX_BATCH:
        abort(400, description=f'Send {{"collections": [...]}} with at most {MAX_BATCH} items.')
    session = get_session()
    keys = scanning.CardKeys.load(session)  # once for the batch, not for each collection
    results = []
    for payload in batch:
        with session.begin_nested():
            data, status = _record(round_, payload, keys)
        if status >= 400 and status != 409:
            # The handout happened on the device but the server refuses it: say so, keep a trace.
            log_action(session, current_user, 'distribution.sync_refused', object_type='round',
                       object_id=round_.id, camp_id=round_.camp_id,
                       details={'collection': str(payload.get('id'))[:36] if isinstance(payload, dict) else None,
                                'outcome': data['outcome']})
        results.append({'id': payload.get('id') if isinstance(payload, dict) else None, 'outcome': data['outcome'],
                        'status': status, 'collection': data.get('collection')})
    return jsonify(results=results)
