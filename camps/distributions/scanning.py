"""What happens when a card is scanned at a distribution point: check it, then record the collection.

The outcomes are the same here and in the scan page's offline check (static/js/distribution-scan.js):
card outcomes from registration.cards (malformed, unknown_key, invalid_signature, revoked, expired),
then wrong_camp, not_eligible, already_collected, and round_closed / unknown_household.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.db import begin_write, utcnow
from camps.distributions.models import COLLECTORS, AlternateCollector, Collection, DistributionRound
from camps.distributions.rounds import entitlement, is_open_on
from registration.cards.models import Card
from registration.cards.services import public_keys, revoked_serials, verify_code
from registration.cards.token import OUTCOMES as CARD_OUTCOMES
from registration.cards.token import verify
from registration.households.models import Household
from registration.households.numbers import is_valid, normalise

OUTCOMES = (*CARD_OUTCOMES, 'wrong_camp', 'not_eligible', 'already_collected', 'round_closed', 'unknown_household')
UID_RE = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
#: a device clock may run a little fast; more than this in the future is refused
CLOCK_SLACK = timedelta(minutes=10)


@dataclass
class Check:
    outcome: str
    household: Household | None = None
    serial: str | None = None
    entitlement: list = field(default_factory=list)
    #: the collection that already counts for this household and round
    existing: Collection | None = None


@dataclass
class Recorded:
    """``status`` is the HTTP status the API answers with."""
    status: int
    outcome: str
    check: Check | None = None
    collection: Collection | None = None
    repeat: bool = False


class BadCollection(ValueError):
    """The request itself is malformed (not a refusal of the card): answer 400."""


def counted_collection(session: Session, round_id: int, household_id: int) -> Collection | None:
    return session.scalar(select(Collection).where(Collection.round_id == round_id,
                                                   Collection.household_id == household_id,
                                                   Collection.status == 'ok'))


def _households():
    """Plain rows, not ORM objects: a scan needs only the number, camp, status and size, and it
    is the hottest path of a distribution day."""
    return select(Household.id, Household.number, Household.camp_id, Household.status, Household.size)


@dataclass(frozen=True)
class CardKeys:
    """The public keys and revoked serials that codes are verified against, read once for a batch."""
    public: dict
    revoked: frozenset[str]

    @classmethod
    def load(cls, session: Session) -> CardKeys:
        return cls(public_keys(session), frozenset(revoked_serials(session)))


def check(session: Session, round_: DistributionRound, *, code: str | None = None, number: str | None = None,
          day: date, entitled: bool = True, keys: CardKeys | None = None) -> Check:
    """What the officer sees for a card code (or a household number typed in) on ``day``.

    ``entitled=False`` skips the entitlement (recording does not show it again). ``keys`` verifies
    the code against keys read beforehand (a batch) instead of reading them from the database.
    """
    if not is_open_on(round_, day):
        return Check('round_closed')
    serial = None
    if code:
        if keys is None:
            verification = verify_code(session, code.strip(), day)
        else:
            verification = verify(code.strip(), keys.public, today=day, revoked=keys.revoked)
        token = verification.token
        serial = token.serial if token else None
        household = session.execute(_households().join(Card, Card.household_id == Household.id)
                                    .where(Card.serial == serial)).first() if token else None
        if verification.outcome != 'valid':
            keep = verification.outcome in ('revoked', 'expired')
            return Check(verification.outcome, household if keep else None, serial)
        if household is None or household.number != token.household:
            return Check('unknown_household', serial=serial)
    else:
        number = normalise(number or '')
        if not is_valid(number):
            return Check('malformed')
        household = session.execute(_households().where(Household.number == number)).first()
        if household is None:
            return Check('unknown_household')
    if household.camp_id != round_.camp_id:
        return Check('wrong_camp', household, serial)
    if household.status not in round_.qualifying:
        return Check('not_eligible', household, serial)
    items = entitlement(round_, household.size) if entitled else []
    existing = counted_collection(session, round_.id, household.id)
    if existing is not None:
        return Check('already_collected', household, serial, items, existing)
    return Check('valid', household, serial, items)


def _collected_at(value, now: datetime) -> datetime:
    if not isinstance(value, str):
        raise BadCollection('collected_at: an ISO date and time in UTC')
    try:
        moment = datetime.fromisoformat(value.replace('Z', '+00:00'))
    except ValueError:
        raise BadCollection('collected_at: an ISO date and time in UTC') from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    if moment > now + CLOCK_SLACK:
        raise BadCollection('collected_at: in the future')
    return moment


def _collector(session: Session, round_: DistributionRound, household: Household, payload: dict):
    collected_by = payload.get('collected_by') or 'head'
    if collected_by not in COLLECTORS:
        raise BadCollection('collected_by: head, member or alternate')
    if collected_by != 'alternate':
        return collected_by, None
    if not round_.alternates_allowed:
        raise BadCollection('collected_by: this round allows no alternate collectors')
    alternate = session.get(AlternateCollector, payload.get('alternate_id') or 0)
    if alternate is None or alternate.household_id != household.id or not alternate.active:
        raise BadCollection('alternate_id: not an alternate collector of this household')
    return collected_by, alternate.id


def record(session: Session, officer, round_: DistributionRound, payload: dict, today: date, *,
           keys: CardKeys | None = None, _again: bool = False) -> Recorded:
    """Record one collection sent by a device; safe to send again (same ``id``).

    ``keys``: as for :func:`check` (a batch of collections reads them once).
    """
    uid = str(payload.get('id') or '').lower()
    if not UID_RE.match(uid):
        raise BadCollection('id: a UUID made on the device')
    known = session.scalar(select(Collection).where(Collection.uid == uid))
    if known is not None:
        if known.round_id != round_.id:
            raise BadCollection('id: already used for another round')
        return Recorded(200, 'recorded' if known.status == 'ok' else 'flagged_double', collection=known, repeat=True)
    now = utcnow()
    moment = _collected_at(payload.get('collected_at'), now)
    point = str(payload.get('point') or '').strip()
    if not point or len(point) > 40:
        raise BadCollection('point: the distribution point, at most 40 characters')
    offline = bool(payload.get('offline'))
    code, number = payload.get('code'), payload.get('household')
    if not (isinstance(code, str) and code.strip()) and not (isinstance(number, str) and number.strip()):
        raise BadCollection('code or household: what was scanned or typed')
    # A collection made offline is judged on the day it happened, not the day it synced.
    result = check(session, round_, code=code if isinstance(code, str) else None,
                   number=number if isinstance(number, str) else None, day=moment.date() if offline else today,
                   entitled=False, keys=keys)
    if result.outcome not in ('valid', 'already_collected'):
        return Recorded(422, result.outcome, result)
    collected_by, alternate_id = _collector(session, round_, result.household, payload)
    values = dict(uid=uid, round_id=round_.id, household_id=result.household.id, card_serial=result.serial,
                  collected_by=collected_by, alternate_id=alternate_id, point=point,
                  officer_id=getattr(officer, 'id', None), collected_at=moment, recorded_at=now, offline=offline,
                  status='ok')
    if result.outcome == 'already_collected' and not offline:
        return Recorded(409, 'already_collected', result)
    if not _again:
        begin_write(session)  # only the write waits for SQLite's write lock; it checks again below
        if result.outcome == 'already_collected':  # a double from offline devices: look again, locked
            return record(session, officer, round_, payload, today, keys=keys, _again=True)
    if result.outcome == 'already_collected':
        return _keep_double(session, result, Collection(**values))
    if not _insert_unless_taken(session, values):
        if _again:
            raise RuntimeError('a collection was refused by the database twice')
        # Another device recorded this household, or sent this very id, a moment ago: judge it
        # again now that the other collection is visible.
        return record(session, officer, round_, payload, today, keys=keys, _again=True)
    return Recorded(201, 'recorded', result, Collection(**values))


def _insert_unless_taken(session: Session, values: dict) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: False when the id or the household's counted collection
    is already there (PostgreSQL waits for a competing transaction to end before deciding)."""
    insert = pg_insert if session.get_bind().dialect.name == 'postgresql' else sqlite_insert
    statement = insert(Collection.__table__).values(**values).on_conflict_do_nothing()
    return session.execute(statement.returning(Collection.__table__.c.id)).first() is not None


def _keep_double(session: Session, result: Check, collection: Collection) -> Recorded:
    """Two offline devices both served the household: keep both, the later one flagged for review."""
    existing = result.existing
    if collection.collected_at < existing.collected_at:
        existing.status = 'double'
        session.flush()
        session.add(collection)
        flagged = existing
    else:
        collection.status = 'double'
        session.add(collection)
        flagged = collection
    session.flush()
    log_action(session, None, 'distribution.double_flagged', object_type='round', object_id=result.existing.round_id,
               camp_id=result.household.camp_id, details={'collection': flagged.uid})
    return Recorded(201, 'flagged_double', result, collection)
