"""The supervisors' duplicate review: scan the registry for pairs, merge them or rule them out."""
from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import combinations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.audit.services import log_action
from app.campday import camp_today
from app.db import utcnow
from app.errors import UserValueError
from app.tabular import defuse_row
from camps.allocation import services as allocation
from registration.dedup.matching import compare
from registration.dedup.models import DuplicatePair
from registration.dedup.services import record_of
from registration.households.models import Household, Person, PersonKey, PersonNeed, PersonPhoto

#: a key shared by more people than this is too common to pair them all (it is never the only key)
MAX_GROUP = 60


def candidate_pairs(session: Session, camp_id: int | None = None) -> Iterator[tuple[int, int]]:
    """Pairs of active people sharing a blocking key, each pair once (streamed by key)."""
    query = (select(PersonKey.key, PersonKey.person_id).join(Person, Person.id == PersonKey.person_id)
             .where(Person.status == 'active').order_by(PersonKey.key, PersonKey.person_id))
    if camp_id is not None:
        query = query.join(Household, Household.id == Person.household_id).where(Household.camp_id == camp_id)
    seen: set[tuple[int, int]] = set()
    current, group = None, []
    for key, person_id in session.execute(query.execution_options(yield_per=20000)):
        if key != current:
            yield from _pairs(group, seen)
            current, group = key, []
        group.append(person_id)
    yield from _pairs(group, seen)


def _pairs(group: list[int], seen: set[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    if 1 < len(group) <= MAX_GROUP:
        for pair in combinations(group, 2):
            if pair not in seen:
                seen.add(pair)
                yield pair


def scan(session: Session, actor, camp_id: int | None = None, batch: int = 2000) -> int:
    """Find likely duplicates across the registry and queue new ones; return how many were queued."""
    known = {tuple(row) for row in session.execute(select(DuplicatePair.person_a_id, DuplicatePair.person_b_id))}
    queued, chunk = 0, []
    for pair in candidate_pairs(session, camp_id):
        if pair not in known:
            chunk.append(pair)
        if len(chunk) >= batch:
            queued += _score(session, chunk)
            chunk = []
    queued += _score(session, chunk)
    log_action(session, actor, 'duplicate.scan', details={'queued': queued, 'camp': camp_id})
    return queued


def _score(session: Session, pairs: list[tuple[int, int]]) -> int:
    if not pairs:
        return 0
    ids = {i for pair in pairs for i in pair}
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
    queued = 0
    for a, b in pairs:
        comparison = compare(record_of(people[a]), record_of(people[b]))
        if comparison.same:
            session.add(DuplicatePair(person_a_id=a, person_b_id=b, score=round(comparison.score, 4),
                                      reasons=list(comparison.reasons), status='open'))
            queued += 1
    session.flush()
    return queued


def decide_different(session: Session, actor, pair: DuplicatePair) -> None:
    _check_open(pair)
    pair.status, pair.decided_at, pair.decided_by_id = 'different', utcnow(), actor.id
    log_action(session, actor, 'duplicate.different', object_type='duplicate_pair', object_id=pair.id,
               details={'persons': [pair.person_a_id, pair.person_b_id]})


def merge(session: Session, actor, pair: DuplicatePair, keep: Person) -> Person:
    """Keep one record; the other is marked merged into it (never deleted) and its needs carried over."""
    _check_open(pair)
    if keep.id not in (pair.person_a_id, pair.person_b_id):
        raise UserValueError(_('Choose one of the two records.'), field='keep')
    drop = pair.person_b if keep.id == pair.person_a_id else pair.person_a
    others = [p for p in drop.household.members if p.status == 'active' and p.id != drop.id]
    if drop.relation_to_head == 'head' and others:
        raise UserValueError(_('The record to remove heads a household with other members: choose a new head '
                               'of household %(number)s first, or keep that record.', number=drop.household.number))
    for code in set(drop.need_codes) - set(keep.need_codes):
        keep.needs.append(PersonNeed(code=code))
    keep.tazkira = keep.tazkira or drop.tazkira
    if keep.photo is None and drop.photo is not None:
        keep.photo = PersonPhoto(jpeg=drop.photo.jpeg)
    drop.status, drop.status_date, drop.merged_into_id = 'merged', camp_today(), keep.id
    drop.household.size = len(others)
    if not others:
        drop.household.status = 'inactive'
        allocation.release(session, actor, drop.household, 'merged')
    pair.status, pair.decided_at, pair.decided_by_id = 'merged', utcnow(), actor.id
    for action, person, other in (('person.merge', keep, drop), ('person.merged_away', drop, keep)):
        log_action(session, actor, action, object_type='household', object_id=person.household_id,
                   camp_id=person.household.camp_id, details={'person': person.seq, 'other': other.id})
    return keep


def _check_open(pair: DuplicatePair) -> None:
    if pair.status != 'open':
        raise UserValueError(_('This pair was already decided.'))
    if pair.person_a.status != 'active' or pair.person_b.status != 'active':
        raise UserValueError(_('One of these records is no longer active.'))


def write_csv(session: Session, out, query) -> int:
    """The pairs as CSV: both persons' numbers, camps, source references, score and status."""
    writer = csv.writer(out)
    writer.writerow(['person_a', 'person_b', 'camp_a', 'camp_b', 'source_ref_a', 'source_ref_b', 'score', 'status',
                     'reasons'])
    rows = 0
    for pair in session.scalars(query.options(
            selectinload(DuplicatePair.person_a).selectinload(Person.household),
            selectinload(DuplicatePair.person_b).selectinload(Person.household))):
        a, b = pair.person_a, pair.person_b
        writer.writerow(defuse_row([a.number, b.number, a.household.camp.code, b.household.camp.code,
                                    a.source_ref or '', b.source_ref or '', f'{pair.score:.3f}', pair.status,
                                    '; '.join(pair.reasons or [])]))
        rows += 1
    return rows
