"""The supervisors' duplicate review: scan the registry for pairs, merge them or rule them out."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from itertools import combinations
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session, selectinload

from app.audit.services import log_action
from app.campday import camp_today
from app.db import utcnow
from app.errors import UserValueError
from app.tabular import defuse_row
from app.users.actors import Actor
from registration.dedup.matching import (
    KEYS_VERSION,
    NameRecord,
    block_keys,
    compare_prepared,
    plausible_prepared,
    prepare,
)
from registration.dedup.models import DedupScanState, DuplicatePair
from registration.dedup.services import MAX_GROUP, RECORD_COLUMNS
from registration.households.models import Household, Person, PersonKey, PersonNeed, PersonPhoto
from registration.households.signals import household_left

#: a key shared by more than MAX_GROUP people is too common to pair them all: its people are paired only
#: with those born within ``WINDOW_DAYS`` (keys of two names, no year: Mohammad son of Karim), or not at
#: all (a name with a year bucket, whose pairs the two-name keys find) or beyond ``MAX_WINDOWED``
MAX_WINDOWED = 5000
WINDOW_DAYS = 4 * 366
#: pairs scored (or people re-keyed) between two checkpoints of the scan
BATCH = 4000
#: people whose stored keys are compared with freshly computed ones to tell whether keys are current
KEY_SAMPLE = 40

Progress = Callable[[str, int, int], None]  # (phase 'keys' or 'pairs', done, total)


def _state(session: Session, scope: str) -> DedupScanState:
    state = session.scalar(select(DedupScanState).where(DedupScanState.scope == scope))
    if state is None:
        state = DedupScanState(scope=scope, queued=0)
        session.add(state)
        session.flush()
    return state


def _checkpoint(session: Session, state: DedupScanState, commit: bool) -> None:
    state.updated_at = utcnow()
    session.flush()
    if commit:
        session.commit()


def ensure_keys(session: Session, *, progress: Progress | None = None, commit: bool = False) -> int:
    """Re-compute every person's blocking keys when they were made by another ``KEYS_VERSION``; return how many.

    Resumable: people are re-keyed in id order and the last one done is remembered. When the version
    is not recorded (a database older than the record), a sample of people tells whether it is needed.
    """
    state = _state(session, "keys")
    if state.keys_version == KEYS_VERSION:
        return 0
    if state.last_person_id is None and _sample_is_current(session):
        state.keys_version = KEYS_VERSION
        _checkpoint(session, state, commit)
        return 0
    total = session.scalar(select(func.count()).select_from(Person)) or 0
    done = session.scalar(select(func.count()).select_from(Person).where(Person.id <= (state.last_person_id or 0))) or 0
    rekeyed = 0
    while True:
        rows = session.execute(
            select(*RECORD_COLUMNS).where(Person.id > (state.last_person_id or 0)).order_by(Person.id).limit(BATCH)
        ).all()
        if not rows:
            break
        ids = [row.id for row in rows]
        session.execute(
            delete(PersonKey).where(PersonKey.person_id.in_(ids)).execution_options(synchronize_session=False)
        )
        session.execute(
            insert(PersonKey),
            [{"person_id": row.id, "key": key} for row in rows for key in sorted(block_keys(NameRecord(*row[1:])))],
        )
        state.last_person_id = ids[-1]
        rekeyed += len(ids)
        _checkpoint(session, state, commit)
        if progress:
            progress("keys", done + rekeyed, total)
    state.keys_version, state.last_person_id = KEYS_VERSION, None
    _checkpoint(session, state, commit)
    return rekeyed


def _sample_is_current(session: Session) -> bool:
    rows = session.execute(select(*RECORD_COLUMNS).order_by(Person.id.desc()).limit(KEY_SAMPLE)).all()
    if not rows:
        return True
    stored: dict[int, set[str]] = {row.id: set() for row in rows}
    for person_id, key in session.execute(
        select(PersonKey.person_id, PersonKey.key).where(PersonKey.person_id.in_(stored))
    ):
        stored[person_id].add(key)
    return all(stored[row.id] == block_keys(NameRecord(*row[1:])) for row in rows)


#: key rows read per query: the scan reads page by page, so that its commits never cut a cursor
PAGE = 50_000


def _groups(session: Session, camp_id: int | None, after: str | None) -> Iterator[tuple[str, list[tuple[int, int]]]]:
    """(key, [(person id, birth day ordinal)] of the active people sharing it) in key order, after ``after``."""
    query = (
        select(PersonKey.key, PersonKey.person_id, Person.birth_date)
        .join(Person, Person.id == PersonKey.person_id)
        .where(Person.status == "active")
        .order_by(PersonKey.key, PersonKey.person_id)
    )
    if camp_id is not None:
        query = query.join(Household, Household.id == Person.household_id).where(Household.camp_id == camp_id)
    while True:
        page = query if after is None else query.where(PersonKey.key > after)
        rows = session.execute(page.limit(PAGE)).all()
        if not rows:
            return
        if len(rows) == PAGE:  # the last key's group may go on in the next page: read it whole
            last = rows[-1].key
            rows = [row for row in rows if row.key != last] + list(
                session.execute(query.where(PersonKey.key == last)).all()
            )
        group: list[tuple[int, int]] = []
        current = rows[0].key
        for key, person_id, born in rows:
            if key != current:
                yield current, group
                current, group = key, []
            group.append((person_id, born.toordinal()))
        yield current, group
        after = current


def _group_pairs(key: str, group: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The pairs of a key's group (smaller id first); a large group only pairs people born close together."""
    if len(group) <= MAX_GROUP:
        yield from combinations((person_id for person_id, _born in group), 2)
        return
    if key.startswith("ny:") or len(group) > MAX_WINDOWED:
        return
    by_birth = sorted(group, key=lambda member: member[1])
    for i, (person_id, born) in enumerate(by_birth):
        for other_id, other_born in by_birth[i + 1 :]:
            if other_born - born > WINDOW_DAYS:
                break
            yield (person_id, other_id) if person_id < other_id else (other_id, person_id)


def candidate_pairs(session: Session, camp_id: int | None = None) -> Iterator[tuple[int, int]]:
    """Pairs of active people sharing a blocking key, each pair once."""
    seen: set[tuple[int, int]] = set()
    for key, group in _groups(session, camp_id, None):
        for pair in _group_pairs(key, group):
            if pair not in seen:
                seen.add(pair)
                yield pair


def scan(
    session: Session,
    actor: Actor,
    camp_id: int | None = None,
    batch: int = BATCH,
    *,
    progress: Progress | None = None,
    commit: bool = False,
) -> int:
    """Find likely duplicates across the registry and queue new ones; return how many were queued.

    Keys made by an older matcher are re-computed first (``ensure_keys``). The scan walks the
    blocking keys in order and scores the pairs of people sharing each; with ``commit`` it commits
    after every ``batch`` pairs and remembers the last key done, so that a scan that was stopped
    continues from there when run again (pairs already queued or decided are never queued twice).
    """
    ensure_keys(session, progress=progress, commit=commit)
    state = _state(session, "all" if camp_id is None else f"camp:{camp_id}")
    if state.finished_at is not None or state.last_key is None:
        state.last_key, state.queued, state.started_at, state.finished_at = None, 0, utcnow(), None
    known = {(a, b) for a, b in session.execute(select(DuplicatePair.person_a_id, DuplicatePair.person_b_id))}
    total = _key_rows(session, camp_id, None)
    done = total - _key_rows(session, camp_id, state.last_key) if state.last_key else 0
    queued = _scan_groups(
        session, state, _groups(session, camp_id, state.last_key), known, done, total, batch, progress, commit
    )
    state.queued += queued
    state.last_key, state.finished_at = None, utcnow()
    _checkpoint(session, state, commit)
    if progress:
        progress("pairs", total, total)
    log_action(session, actor, "duplicate.scan", details={"queued": state.queued, "camp": camp_id})
    return state.queued


def _scan_groups(
    session: Session,
    state: DedupScanState,
    groups: Iterator[tuple[str, list[tuple[int, int]]]],
    known: set[tuple[int, int]],
    done: int,
    total: int,
    batch: int,
    progress: Progress | None,
    commit: bool,
) -> int:
    """Score the groups' pairs batch by batch, checkpointing after each; return the pairs queued since."""
    chunk: list[tuple[int, int]]
    queued, chunk = 0, []
    for key, group in groups:
        done += len(group)
        chunk.extend(pair for pair in _group_pairs(key, group) if pair not in known)
        if len(chunk) >= batch:
            queued += _score(session, chunk, known)
            chunk = []
            state.last_key, state.queued = key, state.queued + queued
            queued = 0
            _checkpoint(session, state, commit)
            if progress:
                progress("pairs", done, total)
    return queued + _score(session, chunk, known)


def _key_rows(session: Session, camp_id: int | None, after: str | None) -> int:
    query = select(func.count()).select_from(PersonKey)
    if camp_id is not None:
        query = (
            query.join(Person, Person.id == PersonKey.person_id)
            .join(Household, Household.id == Person.household_id)
            .where(Household.camp_id == camp_id)
        )
    if after is not None:
        query = query.where(PersonKey.key > after)
    return session.scalar(query) or 0


def _score(session: Session, pairs: list[tuple[int, int]], known: set[tuple[int, int]]) -> int:
    """Score ``pairs`` (a pair may come again from another key it shares) and queue the likely ones."""
    pairs = [pair for pair in dict.fromkeys(pairs) if pair not in known]
    if not pairs:
        return 0
    ids = {i for pair in pairs for i in pair}
    records = {
        row.id: prepare(NameRecord(*row[1:]))
        for row in session.execute(select(*RECORD_COLUMNS).where(Person.id.in_(ids)))
    }
    queued = 0
    for a, b in pairs:
        if not plausible_prepared(records[a], records[b]):
            continue
        comparison = compare_prepared(records[a], records[b])
        if comparison.same:
            session.add(
                DuplicatePair(
                    person_a_id=a,
                    person_b_id=b,
                    score=round(comparison.score, 4),
                    reasons=list(comparison.reasons),
                    status="open",
                )
            )
            known.add((a, b))
            queued += 1
    session.flush()
    return queued


def decide_different(session: Session, actor: Actor, pair: DuplicatePair) -> None:
    _check_open(pair)
    pair.status, pair.decided_at, pair.decided_by_id = "different", utcnow(), actor.id
    log_action(
        session,
        actor,
        "duplicate.different",
        object_type="duplicate_pair",
        object_id=pair.id,
        details={"persons": [pair.person_a_id, pair.person_b_id]},
    )


def merge(session: Session, actor: Actor, pair: DuplicatePair, keep: Person) -> Person:
    """Keep one record; the other is marked merged into it (never deleted) and its needs carried over."""
    _check_open(pair)
    if keep.id not in (pair.person_a_id, pair.person_b_id):
        raise UserValueError(_("Choose one of the two records."), field="keep")
    drop = pair.person_b if keep.id == pair.person_a_id else pair.person_a
    others = [p for p in drop.household.members if p.status == "active" and p.id != drop.id]
    if drop.relation_to_head == "head" and others:
        raise UserValueError(
            _(
                "The record to remove heads a household with other members: choose a new head "
                "of household %(number)s first, or keep that record.",
                number=drop.household.number,
            )
        )
    for code in set(drop.need_codes) - set(keep.need_codes):
        keep.needs.append(PersonNeed(code=code))
    keep.tazkira = keep.tazkira or drop.tazkira
    if keep.photo is None and drop.photo is not None:
        keep.photo = PersonPhoto(jpeg=drop.photo.jpeg)
    drop.status, drop.status_date, drop.merged_into_id = "merged", camp_today(), keep.id
    drop.household.size = len(others)
    if not others:
        drop.household.status = "inactive"
        household_left.send(drop.household, session=session, actor=actor, reason="merged")
    pair.status, pair.decided_at, pair.decided_by_id = "merged", utcnow(), actor.id
    for action, person, other in (("person.merge", keep, drop), ("person.merged_away", drop, keep)):
        log_action(
            session,
            actor,
            action,
            object_type="household",
            object_id=person.household_id,
            camp_id=person.household.camp_id,
            details={"person": person.seq, "other": other.id},
        )
    return keep


def _check_open(pair: DuplicatePair) -> None:
    if pair.status != "open":
        raise UserValueError(_("This pair was already decided."))
    if pair.person_a.status != "active" or pair.person_b.status != "active":
        raise UserValueError(_("One of these records is no longer active."))


def write_csv(session: Session, out: IO[str], query: Select[DuplicatePair]) -> int:
    """The pairs as CSV: both persons' numbers, camps, source references, score and status."""
    writer = csv.writer(out)
    writer.writerow(
        ["person_a", "person_b", "camp_a", "camp_b", "source_ref_a", "source_ref_b", "score", "status", "reasons"]
    )
    rows = 0
    for pair in session.scalars(
        query.options(
            selectinload(DuplicatePair.person_a).selectinload(Person.household),
            selectinload(DuplicatePair.person_b).selectinload(Person.household),
        )
    ):
        a, b = pair.person_a, pair.person_b
        writer.writerow(
            defuse_row(
                [
                    a.number,
                    b.number,
                    a.household.camp.code,
                    b.household.camp.code,
                    a.source_ref or "",
                    b.source_ref or "",
                    f"{pair.score:.3f}",
                    pair.status,
                    "; ".join(pair.reasons or []),
                ]
            )
        )
        rows += 1
    return rows
