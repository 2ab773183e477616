"""Recording collections sent by distribution devices: what the device says, weighed against what the
server knows.

The server decides by what it knows itself: when it received a collection, the camp's day, and the
order in which collections reached it. A collection the device says it made online, stamped within
``LIVE`` of its receipt, is judged as online: refused, and not stored, when the round is not open
today or the household was already served (the officer sees why before handing out). Any other
collection happened on a device without the server's answer: the household was served, so it is
stored and counted unless its card or household is refused, and flagged for review when it is a
double, falls outside the open round (made, or received, outside it), carries an implausible time
(ahead of the server, without a zone, before the round; or an "online" one stamped long before it
arrived) or reuses an id for other content. Saying "offline" can thus turn a refusal into a flagged
collection for review, audited with the officer, never into a clean one. Of two collections for one
household the first to reach the server counts; within one sync, the earlier device time.

Recording runs in two steps, so that SQLite's write lock is held only briefly: :func:`prepare` verifies
and looks up everything (signatures, households, alternates) while only reading; :func:`write` reads the
ids and counted collections in two batched queries, then takes the lock and inserts every collection in
one statement, household by household in one order (two PostgreSQL transactions never wait for each
other in a circle). What another device stored in between shows as a unique-index conflict.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.campday import camp_today
from app.db import begin_write
from camps.distributions.models import COLLECTORS, AlternateCollector, Collection, DistributionRound
from camps.distributions.rounds import is_open_on
from camps.distributions.scanning import CardKeys, Check, check

UID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
#: a device clock may run this much ahead of the server's before its times are implausible
CLOCK_SLACK = timedelta(minutes=10)
#: a collection received within this time of when it was made was made online
LIVE = timedelta(minutes=2)
#: a device clock this far from the server's is worth telling the officer about
CLOCK_WARNING = timedelta(minutes=5)
#: the namespace of the ids the server makes for a collection whose device reused an id
CONFLICT_NAMESPACE = uuid.UUID("6f1c0e9e-6d0a-4d55-9a52-5b8f3c1d2e47")


class BadCollection(ValueError):
    """The request itself is malformed (not a refusal of the card): answer 400."""


@dataclass
class Recorded:
    """``status`` is the HTTP status the API answers with."""

    status: int
    outcome: str
    check: Check | None = None
    collection: Collection | None = None
    repeat: bool = False
    flags: list[str] = field(default_factory=list)
    detail: str | None = None


@dataclass
class Pending:
    """One collection as a device sent it, checked before the write."""

    received: datetime
    uid: str | None = None
    fingerprint: str | None = None
    #: why the request is malformed (answer 400), else None
    error: str | None = None
    check: Check | None = None
    live: bool = False
    #: when the handout happened as the server judges it (orders doubles within one sync)
    when: datetime | None = None
    flags: list[str] = field(default_factory=list)
    #: the row to insert once the write decides its status
    values: dict = field(default_factory=dict)

    @property
    def household_id(self) -> int | None:
        return self.values.get("household_id")


def _fingerprint(round_: DistributionRound, payload: dict) -> str:
    """What makes a collection the same one when it is sent again (the offline mark may change)."""
    content = [
        round_.id,
        *(payload.get(key) for key in ("code", "household", "collected_at", "point", "collected_by", "alternate_id")),
    ]
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()[:32]


def _conflict_uid(item: Pending) -> str:
    """The id the server gives a collection whose device id was used before: the same for a retry."""
    return str(uuid.uuid5(CONFLICT_NAMESPACE, f"{item.uid}/{item.fingerprint}"))


def parse_device_time(value) -> tuple[datetime, bool]:
    """A device's ISO time as naive UTC, and whether it said its zone (without one it is taken as UTC)."""
    if not isinstance(value, str) or len(value) > 40:
        raise BadCollection("collected_at: an ISO date and time in UTC")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        if moment.tzinfo is None:
            return moment, False
        return moment.astimezone(UTC).replace(tzinfo=None), True
    except (ValueError, OverflowError):
        raise BadCollection("collected_at: an ISO date and time in UTC") from None


def clock_skew(device_time, received: datetime) -> int | None:
    """Seconds the device's clock is ahead (negative: behind) of the server's, when that is worth saying."""
    try:
        moment, zoned = parse_device_time(device_time)
    except BadCollection:
        return None
    skew = moment - received
    return round(skew.total_seconds()) if zoned and abs(skew) > CLOCK_WARNING else None


def _collector(session: Session, round_: DistributionRound, household, payload: dict):
    collected_by = payload.get("collected_by") or "head"
    if not isinstance(collected_by, str) or collected_by not in COLLECTORS:
        raise BadCollection("collected_by: head, member or alternate")
    if collected_by != "alternate":
        return collected_by, None
    if not round_.alternates_allowed:
        raise BadCollection("collected_by: this round allows no alternate collectors")
    alternate_id = payload.get("alternate_id")
    usable = isinstance(alternate_id, int) and not isinstance(alternate_id, bool) and 0 < alternate_id < 2**31
    alternate = session.get(AlternateCollector, alternate_id) if usable else None
    if alternate is None or alternate.household_id != household.id or not alternate.active:
        raise BadCollection("alternate_id: not an alternate collector of this household")
    return collected_by, alternate.id


def prepare(
    session: Session, officer, round_: DistributionRound, payload, received: datetime, *, keys: CardKeys | None = None
) -> Pending:
    """Check one collection a device sent, reading only: the signature, household, collector, times."""
    item = Pending(received=received, when=received)
    try:
        _prepare(session, officer, round_, payload, item, keys)
    except BadCollection as exc:
        item.error = str(exc)
    return item


def _prepare(session: Session, officer, round_: DistributionRound, payload, item: Pending, keys) -> None:
    if not isinstance(payload, dict):
        raise BadCollection("each collection is a JSON object")
    uid = payload.get("id")
    if not isinstance(uid, str) or not UID_RE.match(uid.lower()):
        raise BadCollection("id: a UUID made on the device")
    item.uid, item.fingerprint = uid.lower(), _fingerprint(round_, payload)
    moment, zoned = parse_device_time(payload.get("collected_at"))
    point = payload.get("point")
    point = point.strip() if isinstance(point, str) else ""
    if not point or len(point) > 40:
        raise BadCollection("point: the distribution point, at most 40 characters")
    code, number = payload.get("code"), payload.get("household")
    code = code if isinstance(code, str) and code.strip() else None
    number = number if isinstance(number, str) and number.strip() else None
    if not code and not number:
        raise BadCollection("code or household: what was scanned or typed")
    received, offline = item.received, payload.get("offline") is True
    plausible = zoned and moment <= received + CLOCK_SLACK and camp_today(moment) >= round_.starts_on
    recent = plausible and received - moment <= LIVE
    # A device online stamps the moment it sends: an older time means its clock is behind.
    trusted = plausible and (recent or offline)
    item.when = moment if trusted else received
    item.live = recent and not offline
    day = camp_today(item.when)
    if not trusted:
        item.flags.append("clock")
    if not item.live and not (is_open_on(round_, day) and camp_today(received) <= round_.ends_on):
        item.flags.append("outside_round")
    item.check = check(
        session,
        round_,
        code=code,
        number=None if code else number,
        day=day,
        entitled=False,
        keys=keys,
        open_round=item.live,
        counted=False,
    )
    if item.check.outcome != "valid":
        return
    assert item.check.household is not None  # a valid check found its household
    collected_by, alternate_id = _collector(session, round_, item.check.household, payload)
    item.values = dict(
        uid=item.uid,
        fingerprint=item.fingerprint,
        round_id=round_.id,
        household_id=item.check.household.id,
        card_serial=item.check.serial,
        collected_by=collected_by,
        alternate_id=alternate_id,
        point=point,
        officer_id=getattr(officer, "id", None),
        collected_at=item.when,
        device_time=payload["collected_at"],
        recorded_at=received,
        offline=offline,
    )


def write(session: Session, officer, round_: DistributionRound, items: list[Pending]) -> list[Recorded]:
    """Record what :func:`prepare` checked, in one short write; one result per item, in order.

    The ids and counted collections it judges by are read before the write lock: collections are never
    deleted nor uncounted, so what another device stored meanwhile can only make an insert conflict
    with a unique index, and that collection is then read again and judged once more.
    """
    uids = {i.uid for i in items if i.uid} | {_conflict_uid(i) for i in items if i.uid}
    known = _by_uid(session, uids)
    counted = _counted(session, round_.id, {i.household_id for i in items if i.household_id})
    begin_write(session)
    results: list[Recorded] = [Recorded(0, "")] * len(items)
    # Household by household (in one order for every transaction), the earlier device time first.
    order = sorted(range(len(items)), key=lambda n: (items[n].household_id or 0, items[n].when, n))
    for n in order:
        results[n] = _decide(round_, items[n], known, counted)
    fresh = [n for n in order if results[n].status == 201]
    inserted = _insert_unless_taken(session, [_stored(results[n]) for n in fresh])
    for n in fresh:
        if _stored(results[n]).uid not in inserted:
            results[n] = _decide_again(session, round_, items[n], _stored(results[n]), known, counted)
    for n in fresh:
        if results[n].status == 201 and results[n].flags:
            log_action(
                session,
                officer,
                "distribution.collection_flagged",
                object_type="round",
                object_id=round_.id,
                camp_id=round_.camp_id,
                details={"collection": _stored(results[n]).uid, "flags": results[n].flags},
            )
    return results


def _by_uid(session: Session, uids: set[str]) -> dict[str, Collection]:
    if not uids:
        return {}
    return {c.uid: c for c in session.scalars(select(Collection).where(Collection.uid.in_(uids)))}


def _counted(session: Session, round_id: int, household_ids: set[int]) -> dict[int, Collection]:
    if not household_ids:
        return {}
    return {
        c.household_id: c
        for c in session.scalars(
            select(Collection).where(
                Collection.round_id == round_id, Collection.household_id.in_(household_ids), Collection.status == "ok"
            )
        )
    }


def _outcome(flags: list[str]) -> str:
    """What a stored collection is answered (201: it was stored, whatever the flags; the request's
    transaction is committed only for answers below 400)."""
    for flag, outcome in (("id_conflict", "id_conflict"), ("double", "flagged_double")):
        if flag in flags:
            return outcome
    return "flagged" if flags else "recorded"


def _repeat(collection: Collection) -> Recorded:
    """The same collection sent again: answered as the first time, without recording it twice."""
    return Recorded(200, _outcome(collection.flag_list), collection=collection, repeat=True, flags=collection.flag_list)


def _stored(result: Recorded) -> Collection:
    """The collection of a result answered 201 (``_decide`` gives it one)."""
    assert result.collection is not None
    return result.collection


def _decide(round_: DistributionRound, item: Pending, known: dict, counted: dict) -> Recorded:
    """Judge one collection against what is stored (and what this write stores before it); a new
    collection is answered 201 with the (not yet inserted) row."""
    if item.uid is None:
        return Recorded(400, "bad_request", detail=item.error)
    same = known.get(item.uid)
    if same is not None and same.fingerprint in (None, item.fingerprint):
        return _repeat(same)
    if item.error:
        return Recorded(400, "bad_request", detail=item.error)
    assert item.check is not None  # checked, as it has no error
    if item.check.outcome != "valid":
        return Recorded(422, item.check.outcome, item.check)
    values, flags = dict(item.values), list(item.flags)
    if same is not None:  # the device used this id before for another collection: keep this one too
        values.update(uid=_conflict_uid(item), device_uid=item.uid)
        if values["uid"] in known:
            return _repeat(known[values["uid"]])
        flags.append("id_conflict")
    existing = counted.get(item.household_id)
    if existing is not None and item.live and "id_conflict" not in flags:
        return Recorded(
            409,
            "already_collected",
            Check("already_collected", item.check.household, item.check.serial, existing=existing),
        )
    if existing is not None:
        flags.append("double")
    collection = Collection(**values, status="double" if existing is not None else "ok", flags=" ".join(flags) or None)
    known[collection.uid] = collection
    if existing is None:
        counted[item.household_id] = collection
    return Recorded(201, _outcome(flags), item.check, collection, flags=flags)


def _decide_again(
    session: Session, round_: DistributionRound, item: Pending, refused: Collection, known: dict, counted: dict
) -> Recorded:
    """Another device took this id or this household's counted collection since they were read (on
    PostgreSQL its transaction has committed since): read both again, judge once more, insert this alone."""
    assert item.uid is not None and item.household_id is not None  # it was stored once
    for _attempt in range(3):
        known.pop(refused.uid, None)
        if counted.get(item.household_id) is refused:
            del counted[item.household_id]
        known.update(_by_uid(session, {item.uid, refused.uid}))
        counted.update(_counted(session, round_.id, {item.household_id}))
        result = _decide(round_, item, known, counted)
        if result.status != 201 or _insert_unless_taken(session, [_stored(result)]):
            return result
        refused = _stored(result)
    raise RuntimeError("a collection was refused by the database three times")


def _insert_unless_taken(session: Session, collections: list[Collection]) -> set[str]:
    """INSERT … ON CONFLICT DO NOTHING in one statement: the ids inserted, without those whose id or
    household's counted collection is already there (PostgreSQL waits for a competing transaction to
    end before deciding)."""
    if not collections:
        return set()
    table = Collection.__table__
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{column.key: getattr(c, column.key) for column in table.columns if column.key != "id"} for c in collections]
    return set(session.scalars(insert(table).on_conflict_do_nothing().returning(table.c.uid), rows))  # type: ignore[arg-type]  # a model's __table__ is a Table, typed as FromClause
