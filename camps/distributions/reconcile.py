"""Reconciliation of a round: who was expected, who collected, where, and the doubles to review.

Every figure is a SQL aggregate grouped by household size; rations per size are then worked out
in Python over a dozen groups, never over 20,000 households.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select, text
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.db import utcnow
from app.errors import UserValueError
from app.users.actors import Actor
from camps.allocation.models import PlotAllocation
from camps.distributions.models import REVIEWS, Collection, DistributionRound, RoundItem
from camps.distributions.rounds import quantities, rations
from camps.layout.models import Block, Plot
from registration.households.models import Household

ENTITLEMENT_SIZES = range(1, 13)


@dataclass
class Split:
    """Households and rations expected and collected, for the round or one block or point."""

    key: str | None = None
    expected_households: int = 0
    collected_households: int = 0
    expected_rations: float = 0.0
    collected_rations: float = 0.0

    @property
    def percent(self) -> int | None:
        if not self.expected_households:
            return None
        return round(100 * self.collected_households / self.expected_households)


@dataclass
class RoundSummary:
    round: DistributionRound
    total: Split
    by_block: list[Split] = field(default_factory=list)
    by_point: list[Split] = field(default_factory=list)
    #: flagged collections (doubles, outside the round, wrong clocks, reused ids) nobody reviewed yet
    flagged: int = 0

    @property
    def expected_households(self) -> int:
        return self.total.expected_households

    @property
    def collected_households(self) -> int:
        return self.total.collected_households

    @property
    def expected_items(self) -> list[tuple[RoundItem, float]]:
        return quantities(self.round, self.total.expected_rations)

    @property
    def collected_items(self) -> list[tuple[RoundItem, float]]:
        return quantities(self.round, self.total.collected_rations)


def _rations_of(round_: DistributionRound, size_counts: Iterable[tuple[int, int]]) -> float:
    cache: dict[int, float] = {}
    total = 0.0
    for size, count in size_counts:
        if size not in cache:
            cache[size] = rations(round_, size or 0)
        total += cache[size] * count
    return total


def _qualifying(round_: DistributionRound):
    return and_(Household.camp_id == round_.camp_id, Household.status.in_(round_.qualifying))


def _ok(round_: DistributionRound):
    return and_(Collection.round_id == round_.id, Collection.status == "ok")


def _with_block(query: Select) -> Select:
    """Join each household's current plot and its block (none when it has no plot)."""
    return (
        query.outerjoin(
            PlotAllocation, and_(PlotAllocation.household_id == Household.id, PlotAllocation.ended_at.is_(None))
        )
        .outerjoin(Plot, Plot.id == PlotAllocation.plot_id)
        .outerjoin(Block, Block.id == Plot.block_id)
    )


def _splits(session: Session, round_: DistributionRound, expected: Select | None, collected: Select) -> list[Split]:
    """Group ``(key, size, count)`` rows of what was expected and collected into one Split per key."""
    groups: dict[str | None, dict[str, list]] = {}
    for kind, query in (("expected", expected), ("collected", collected)):
        if query is None:
            continue
        for key, size, count in session.execute(query):
            groups.setdefault(key, {"expected": [], "collected": []})[kind].append((size, count))
    splits = [
        Split(
            key=key,
            expected_households=sum(n for _size, n in rows["expected"]),
            collected_households=sum(n for _size, n in rows["collected"]),
            expected_rations=_rations_of(round_, rows["expected"]),
            collected_rations=_rations_of(round_, rows["collected"]),
        )
        for key, rows in groups.items()
    ]
    return sorted(splits, key=lambda s: (s.key is None, s.key or ""))


def round_summary(session: Session, round_: DistributionRound) -> RoundSummary:
    """Expected against collected households and items, in total, by block and by point."""
    expected = _with_block(
        select(Block.code, Household.size, func.count()).select_from(Household).where(_qualifying(round_))
    ).group_by(Block.code, Household.size)
    collected = _with_block(
        select(Block.code, Household.size, func.count())
        .select_from(Collection)
        .join(Household, Household.id == Collection.household_id)
        .where(_ok(round_))
    ).group_by(Block.code, Household.size)
    by_block = _splits(session, round_, expected, collected)
    by_point = _splits(
        session,
        round_,
        None,
        select(Collection.point, Household.size, func.count())
        .join(Household, Household.id == Collection.household_id)
        .where(_ok(round_))
        .group_by(Collection.point, Household.size),
    )
    total = Split(
        key=None,
        expected_households=sum(s.expected_households for s in by_block),
        collected_households=sum(s.collected_households for s in by_block),
        expected_rations=sum(s.expected_rations for s in by_block),
        collected_rations=sum(s.collected_rations for s in by_block),
    )
    flagged = (
        session.scalar(
            select(func.count())
            .select_from(Collection)
            .where(Collection.round_id == round_.id, Collection.flags.is_not(None), Collection.review.is_(None))
        )
        or 0
    )
    return RoundSummary(round=round_, total=total, by_block=by_block, by_point=by_point, flagged=flagged)


def round_counts(session: Session, rounds: list[DistributionRound]) -> dict[int, tuple[int, int]]:
    """``{round id: (collected households, expected households)}`` for a page of rounds, in two queries."""
    if not rounds:
        return {}
    by_status: dict[tuple[int, str], int] = {
        (camp_id, status): n
        for camp_id, status, n in session.execute(
            select(Household.camp_id, Household.status, func.count())
            .where(Household.camp_id.in_({r.camp_id for r in rounds}))
            .group_by(Household.camp_id, Household.status)
        )
    }
    collected = dict(
        session.execute(
            select(Collection.round_id, func.count())
            .where(Collection.round_id.in_([r.id for r in rounds]), Collection.status == "ok")
            .group_by(Collection.round_id)
        ).all()
    )
    return {r.id: (collected.get(r.id, 0), sum(by_status.get((r.camp_id, s), 0) for s in r.qualifying)) for r in rounds}


def entitlement_table(round_: DistributionRound) -> list[tuple[int, float, list[float]]]:
    """``(size, rations, quantity of each item)`` for households of 1 to 12 people."""
    table = []
    for size in ENTITLEMENT_SIZES:
        times = rations(round_, size)
        table.append((size, times, [quantity for _item, quantity in quantities(round_, times)]))
    return table


def not_served_query(round_: DistributionRound) -> Select:
    """Qualifying households of the round's camp that have not collected, by number."""
    # NOT IN a hashed list of the served: one pass over each table, whatever the planner's statistics say
    served = select(Collection.household_id).where(_ok(round_))
    return select(Household).where(_qualifying(round_), Household.id.not_in(served)).order_by(Household.number)


def flagged_query(round_: DistributionRound) -> Select:
    """The round's flagged collections with their household number, those awaiting review first."""
    return (
        select(Collection, Household.number)
        .join(Household, Household.id == Collection.household_id)
        .where(Collection.round_id == round_.id, Collection.flags.is_not(None))
        .order_by(Collection.review.is_not(None), Collection.recorded_at, Collection.id)
    )


def collection_for_user(session: Session, user, uid: str) -> Collection | None:
    """The collection if its round is in one of the user's camps (else None: answer 404)."""
    row = session.execute(
        select(Collection, DistributionRound.camp_id)
        .join(DistributionRound, DistributionRound.id == Collection.round_id)
        .where(Collection.uid == uid)
    ).first()
    if row is None or not user.can_access_camp(row.camp_id):
        return None
    return row[0]


def review_flagged(
    session: Session, actor: Actor, collection: Collection, decision: str, note: str | None = None
) -> None:
    """Record what a manager found about a flagged collection."""
    if not collection.flags:
        raise UserValueError(_("Only a flagged collection is reviewed."))
    if decision not in REVIEWS:
        raise UserValueError(_("Choose a decision."), field="decision")
    note = (note or "").strip() or None
    if note and len(note) > 300:
        raise UserValueError(_("At most %(n)d characters.", n=300), field="note")
    collection.review, collection.review_note = decision, note
    collection.reviewed_by_id, collection.reviewed_at = getattr(actor, "id", None), utcnow()
    log_action(
        session,
        actor,
        "distribution.flag_review",
        object_type="collection",
        object_id=collection.uid,
        camp_id=collection.round.camp_id,
        details={"round": collection.round_id, "decision": decision},
    )


def _export_query(round_: DistributionRound) -> Select:
    query = _with_block(
        select(
            Household.number,
            Household.size,
            Block.code,
            Plot.code,
            Collection.collected_at,
            Collection.point,
            Collection.collected_by,
            Collection.status,
            Collection.review,
        )
        .select_from(Household)
        .outerjoin(Collection, and_(Collection.household_id == Household.id, Collection.round_id == round_.id))
        .where(or_(_qualifying(round_), Collection.id.is_not(None)))
    )
    return query.order_by(Household.number, Collection.collected_at, Collection.id)


def export_rows(session: Session, round_: DistributionRound, batch: int = 1000) -> Iterator[tuple]:
    """One row per qualifying household not served and per collection, streamed from the database."""
    if session.get_bind().dialect.name == "postgresql":
        # a cursor makes PostgreSQL plan for the first rows (nested loops); every row is wanted here
        session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
    for number, size, block, plot, at, point, by, status, review in session.execute(
        _export_query(round_).execution_options(yield_per=batch)
    ):
        yield (
            number,
            size,
            block or "",
            plot or "",
            "yes" if status == "ok" else "no",
            at.isoformat(sep=" ", timespec="seconds") if at else "",
            point or "",
            by or "",
            (f"{status}:{review}" if review else status) if status else "not_collected",
        )
