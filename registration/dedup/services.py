"""Finding people who may already be registered, and remembering what staff decided about them.

Candidates come from the ``person_keys`` index (blocking keys of registration.dedup.matching) and
are ranked by ``compare``. Staff see details only for their own camps; elsewhere just a count.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field

from sqlalchemy import Select, delete, func, select, tuple_
from sqlalchemy.orm import Session, lazyload, selectinload

from app.audit.services import log_action
from app.db import utcnow
from app.users.actors import Actor, is_system
from app.users.models import User
from registration.dedup.matching import Comparison, NameRecord, block_keys, compare, plausible
from registration.dedup.models import DuplicatePair
from registration.households.models import Household, Person, PersonKey
from registration.households.search_keys import store_search_keys

#: at most this many people are scored for one check (a very common key cannot slow the desk down)
MAX_CANDIDATES = 150
#: as ``review.MAX_GROUP``: a name-and-year key shared by more people than this finds no candidates
MAX_GROUP = 60


@dataclass
class Candidate:
    person: Person
    comparison: Comparison
    in_scope: bool


@dataclass
class DuplicateCheck:
    """Likely matches for one person: with details in the user's camps, a count elsewhere."""

    matches: list[Candidate] = field(default_factory=list)
    other_camps: int = 0
    #: the people the clerk ticked as different, kept ticked when the form comes back (``row_checks``)
    answered: set[int] = field(default_factory=set)

    @property
    def visible(self) -> list[Candidate]:
        return [c for c in self.matches if c.in_scope]


def record_of(person: Person) -> NameRecord:
    return NameRecord(
        given=person.given_name,
        given_orig=person.given_name_orig,
        father=person.father_name,
        father_orig=person.father_name_orig,
        family=person.family_name,
        family_orig=person.family_name_orig,
        sex=person.sex,
        birth_date=person.birth_date,
        birth_precision=person.birth_precision,
        tazkira=person.tazkira,
    )


def store_keys(session: Session, person: Person, *, new: bool = False) -> None:
    """(Re)write the person's blocking keys after their names, birth date or tazkira changed."""
    if not new:
        session.execute(
            delete(PersonKey).where(PersonKey.person_id == person.id).execution_options(synchronize_session=False)
        )
    session.add_all(PersonKey(person_id=person.id, key=key) for key in sorted(block_keys(record_of(person))))
    store_search_keys(session, person, new=new)  # name search keys change with the same fields


RECORD_COLUMNS = (
    Person.id,
    Person.given_name,
    Person.given_name_orig,
    Person.father_name,
    Person.father_name_orig,
    Person.family_name,
    Person.family_name_orig,
    Person.sex,
    Person.birth_date,
    Person.birth_precision,
    Person.tazkira,
)


def find_matches(
    session: Session, record: NameRecord, *, exclude: Set[int] = frozenset()
) -> list[tuple[Person, Comparison]]:
    """Active people anywhere who are likely the same as ``record``, best first."""
    keys = sorted(block_keys(record))
    named_years = [key for key in keys if key.startswith("ny:")]
    if named_years:  # as the scan: a name with a year bucket shared by too many people pairs no one
        keys = [key for key in keys if not key.startswith("ny:")] + list(
            session.scalars(
                select(PersonKey.key)
                .where(PersonKey.key.in_(named_years))
                .group_by(PersonKey.key)
                .having(func.count() <= MAX_GROUP)
            )
        )
    if not keys:
        return []
    # People sharing most keys first: a true duplicate nearly always shares two or more.
    ids = session.scalars(
        select(PersonKey.person_id)
        .where(PersonKey.key.in_(keys))
        .group_by(PersonKey.person_id)
        .order_by(func.count().desc())
        .limit(MAX_CANDIDATES)
    ).all()
    ids = [i for i in ids if i not in exclude]
    if not ids:
        return []
    # Candidates are scored from plain rows; only the likely matches become full objects.
    rows = session.execute(select(*RECORD_COLUMNS).where(Person.id.in_(ids), Person.status == "active"))
    others = {row.id: NameRecord(*row[1:]) for row in rows}
    scored = {pid: compare(record, other) for pid, other in others.items() if plausible(record, other)}
    same = {pid: c for pid, c in scored.items() if c.same}
    if not same:
        return []
    people = session.scalars(
        select(Person).where(Person.id.in_(same)).options(selectinload(Person.household), lazyload(Person.needs))
    ).all()
    return sorted(((p, same[p.id]) for p in people), key=lambda pc: -pc[1].score)


def check(session: Session, user: Actor, record: NameRecord, *, exclude: Set[int] = frozenset()) -> DuplicateCheck:
    """Likely matches for a person being registered, split by what ``user`` may see."""
    return split(find_matches(session, record, exclude=exclude), user)


def split(matches: list[tuple[Person, Comparison]], user: Actor) -> DuplicateCheck:
    """Matches with details where ``user`` works, counted elsewhere."""
    result = DuplicateCheck()
    for person, comparison in matches:
        in_scope = is_system(user) or user.can_access_camp(person.household.camp_id)
        result.matches.append(Candidate(person, comparison, in_scope))
        result.other_camps += not in_scope
    return result


def decided_different(session: Session, person_ids: set[int], others: set[int]) -> set[tuple[int, int]]:
    """Pairs among (person_ids × others) already decided to be different people."""
    if not person_ids or not others:
        return set()
    pairs = {(min(a, b), max(a, b)) for a in person_ids for b in others if a != b}
    rows = session.execute(
        select(DuplicatePair.person_a_id, DuplicatePair.person_b_id).where(
            DuplicatePair.status == "different", tuple_(DuplicatePair.person_a_id, DuplicatePair.person_b_id).in_(pairs)
        )
    )
    return {(a, b) for a, b in rows}


def record_pair(
    session: Session, actor: Actor, a: Person, b: Person, comparison: Comparison, status: str = "open"
) -> None:
    """Remember a possible duplicate (or a decision) once per pair; a later decision wins."""
    low, high = sorted((a.id, b.id))
    pair = session.scalar(
        select(DuplicatePair).where(DuplicatePair.person_a_id == low, DuplicatePair.person_b_id == high)
    )
    if pair is None:
        pair = DuplicatePair(
            person_a_id=low,
            person_b_id=high,
            score=round(comparison.score, 4),
            reasons=list(comparison.reasons),
            status="open",
        )
        session.add(pair)
    if status != "open" and pair.status == "open":
        pair.status, pair.decided_at, pair.decided_by_id = status, utcnow(), getattr(actor, "id", None)
    session.flush()
    if status != "open":
        log_action(
            session,
            actor,
            f"duplicate.{status}",
            object_type="duplicate_pair",
            object_id=pair.id,
            details={"persons": [low, high]},
        )


def open_pairs_query(user: User) -> Select[DuplicatePair]:
    """Open pairs a supervisor may review: both people in the user's camps."""
    a, b = Person.__table__.alias("pa"), Person.__table__.alias("pb")
    ha, hb = Household.__table__.alias("ha"), Household.__table__.alias("hb")
    query = (
        select(DuplicatePair)
        .join(a, a.c.id == DuplicatePair.person_a_id)
        .join(b, b.c.id == DuplicatePair.person_b_id)
        .join(ha, ha.c.id == a.c.household_id)
        .join(hb, hb.c.id == b.c.household_id)
        .where(DuplicatePair.status == "open", a.c.status == "active", b.c.status == "active")
        .order_by(DuplicatePair.score.desc(), DuplicatePair.id)
    )
    if not user.all_camps:
        camps = user.camp_ids or {-1}
        query = query.where(ha.c.camp_id.in_(camps), hb.c.camp_id.in_(camps))
    return query


__all__ = [
    "Candidate",
    "DuplicateCheck",
    "check",
    "decided_different",
    "find_matches",
    "open_pairs_query",
    "record_of",
    "record_pair",
    "split",
    "store_keys",
]
