"""Who a message is for: its audience as a query of households, and the languages they read.

Only households that live in the camp now (status active) are in an audience. "Households of a
round not yet served" reads the round's own rule (qualifying statuses, counted collections), so a
reminder never goes to a household that has collected.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, false, func, select
from sqlalchemy.orm import Session

from camps.allocation.models import PlotAllocation
from camps.communication.models import Message
from camps.distributions.models import Collection, DistributionRound
from camps.layout.models import Block, Plot, Sector
from registration.households.models import Household, Person, PersonNeed

#: a household's languages (ISO 639-3, as registration records them) -> message language
FROM_HOUSEHOLD = {"prs": "fa-AF", "pus": "ps", "tgk": "tg", "rus": "ru", "uzb": "uz", "eng": "en"}
UNKNOWN = "unknown"


def _living_on(block_filter) -> Select:
    return (
        select(PlotAllocation.household_id)
        .join(Plot, Plot.id == PlotAllocation.plot_id)
        .join(Block, Block.id == Plot.block_id)
        .where(PlotAllocation.ended_at.is_(None), block_filter)
    )


def round_not_served_ids(round_: DistributionRound) -> Select:
    """Ids of the round's qualifying households without a counted collection."""
    served = select(Collection.household_id).where(Collection.round_id == round_.id, Collection.status == "ok")
    return select(Household.id).where(
        Household.camp_id == round_.camp_id, Household.status.in_(round_.qualifying), Household.id.not_in(served)
    )


def household_ids(session: Session, message: Message) -> Select:
    """The ids of the households ``message`` is for, as a query (nothing is loaded)."""
    if message.audience == "round_not_served":
        round_ = session.get(DistributionRound, message.round_id) if message.round_id else None
        if round_ is None or round_.camp_id != message.camp_id:
            return select(Household.id).where(false())
        return round_not_served_ids(round_)
    query = select(Household.id).where(Household.camp_id == message.camp_id, Household.status == "active")
    parts = message.audience_parts
    if message.audience == "household":
        return query.where(Household.id == message.household_id)
    if message.audience == "sectors":
        sectors = select(Sector.id).where(Sector.camp_id == message.camp_id, Sector.code.in_(parts))
        return query.where(Household.id.in_(_living_on(Block.sector_id.in_(sectors))))
    if message.audience == "blocks":
        return query.where(Household.id.in_(_living_on(and_(Block.camp_id == message.camp_id, Block.code.in_(parts)))))
    if message.audience == "needs":
        with_need = (
            select(PersonNeed.id)
            .join(Person, Person.id == PersonNeed.person_id)
            .where(Person.household_id == Household.id, Person.status == "active", PersonNeed.code.in_(parts))
        )
        return query.where(exists(with_need))
    return query


def households(session: Session, message: Message) -> Select:
    """The audience's Household rows, by number (what channels iterate over)."""
    return select(Household).where(Household.id.in_(household_ids(session, message))).order_by(Household.number)


def count(session: Session, message: Message) -> int:
    return session.scalar(select(func.count()).select_from(household_ids(session, message).subquery())) or 0


def languages_of(codes: str | None) -> list[str]:
    """A household's languages as message languages, in the order registration recorded them."""
    found = [FROM_HOUSEHOLD[c] for c in (codes or "").split() if c in FROM_HOUSEHOLD]
    return list(dict.fromkeys(found))


def language_for(household: Household, message: Message) -> str | None:
    """The language to reach ``household`` in: its own contact language when recorded, else the first
    of its languages the message has a text in; None when it has none of them."""
    own = getattr(household, "contact_language", None)
    candidates = ([own] if own else []) + languages_of(household.languages)
    return next((code for code in candidates if message.text_for(code)), None)


def coverage(session: Session, message: Message) -> dict[str, int]:
    """How many households of the audience read each language, counting each household once under the
    first of its languages; ``unknown`` for those without one recorded."""
    ids = household_ids(session, message).subquery()
    rows = session.execute(
        select(Household.languages, func.count())
        .where(Household.id.in_(select(ids.c.id)))
        .group_by(Household.languages)
    ).all()
    counts: dict[str, int] = {}
    for codes, n in rows:
        langs = languages_of(codes)
        key = langs[0] if langs else UNKNOWN
        counts[key] = counts.get(key, 0) + n
    return counts


def missing_languages(session: Session, message: Message) -> dict[str, int]:
    """Households of the audience that read none of the message's languages, by their first language."""
    present = set(message.languages)
    ids = household_ids(session, message).subquery()
    rows = session.execute(
        select(Household.languages, func.count())
        .where(Household.id.in_(select(ids.c.id)))
        .group_by(Household.languages)
    ).all()
    missing: dict[str, int] = {}
    for codes, n in rows:
        langs = languages_of(codes)
        if not langs:
            continue
        if not present.intersection(langs):
            missing[langs[0]] = missing.get(langs[0], 0) + n
    return missing
