"""Ranked plot suggestions for a household, each with the reasons for its place.

Order of concern (issue 5): covered space per person against the camp's Sphere threshold,
accessible plots first for those who need them, near water and latrines for those who need it,
next to relatives or people from the same place when asked, then filling blocks evenly.
Scoring runs over plain rows of the camp's open plots (a few thousand at most), so it stays
fast without precomputed rankings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from camps.allocation.models import PlotAllocation
from camps.allocation.rules import HouseholdNeeds, household_needs
from camps.layout import standards
from camps.layout.models import Block, Plot, plot_has_room
from camps.sites.models import Camp
from registration.households.models import Household

#: how many suggestions a manager sees
DEFAULT_LIMIT = 8


@dataclass
class Reason:
    #: 'good', 'bad' or 'info' (how the page shows it)
    tone: str
    #: a lazy string: translated only when shown
    say: object

    @property
    def text(self) -> str:
        return str(self.say)


@dataclass
class Suggestion:
    plot_id: int
    code: str
    block_code: str
    score: float
    covered_per_person: float
    reasons: list[Reason] = field(default_factory=list)
    #: warning codes (see allocation.services.WARNINGS) the manager must give a reason for
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Preferences:
    """What the household asked for at the desk."""

    near_household: Household | None = None
    same_origin: bool = False


def near_wash(features: str, latrine_m: float | None, water_m: float | None) -> bool:
    if "near_wash" in features.split():
        return True
    return (
        latrine_m is not None
        and water_m is not None
        and latrine_m <= standards.LATRINE_MAX_M
        and water_m <= standards.WATER_GOOD_M
    )


def _open_plots(session: Session, camp_id: int):
    return session.execute(
        select(
            Plot.id,
            Plot.code,
            Plot.block_id,
            Plot.x,
            Plot.y,
            Plot.width,
            Plot.depth,
            Plot.covered_m2,
            Plot.capacity,
            Plot.household_count,
            Plot.features,
            Plot.water_m,
            Plot.latrine_m,
        ).where(Plot.camp_id == camp_id, plot_has_room())
    ).all()


def people_on_plots(session: Session, plot_ids) -> dict[int, int]:
    """People living on each of these plots now."""
    if not plot_ids:
        return {}
    rows = session.execute(
        select(PlotAllocation.plot_id, func.coalesce(func.sum(Household.size), 0))
        .join(Household, Household.id == PlotAllocation.household_id)
        .where(PlotAllocation.plot_id.in_(plot_ids), PlotAllocation.ended_at.is_(None))
        .group_by(PlotAllocation.plot_id)
    )
    return dict(rows.all())


def _blocks(session: Session, camp_id: int) -> dict[int, tuple[str, int, int]]:
    """block id -> (code, households living there, household capacity of usable plots)."""
    rows = session.execute(
        select(
            Block.id,
            Block.code,
            func.coalesce(func.sum(Plot.household_count), 0),
            func.coalesce(func.sum(Plot.capacity), 0),
        )
        .join(Plot, and_(Plot.block_id == Block.id, Plot.status != "out_of_use"), isouter=True)
        .where(Block.camp_id == camp_id)
        .group_by(Block.id, Block.code)
    )
    return {block_id: (code, int(living), int(capacity)) for block_id, code, living, capacity in rows}


def _same_origin_by_block(session: Session, household: Household) -> tuple[str | None, dict[int, int]]:
    """Households from the household's district (else province) of origin living in each block."""
    column = Household.origin_district if household.origin_district else Household.origin_province
    value = household.origin_district or household.origin_province
    if not value:
        return None, {}
    rows = session.execute(
        select(Plot.block_id, func.count())
        .select_from(PlotAllocation)
        .join(Plot, Plot.id == PlotAllocation.plot_id)
        .join(Household, Household.id == PlotAllocation.household_id)
        .where(PlotAllocation.camp_id == household.camp_id, PlotAllocation.ended_at.is_(None), column == value)
        .group_by(Plot.block_id)
    )
    return value, dict(rows.all())


def current_plot_of(session: Session, household_id: int) -> Plot | None:
    return session.scalar(
        select(Plot)
        .join(PlotAllocation, PlotAllocation.plot_id == Plot.id)
        .where(PlotAllocation.household_id == household_id, PlotAllocation.ended_at.is_(None))
    )


def suggest_plots(
    session: Session,
    household: Household,
    *,
    today: date,
    preferences: Preferences = Preferences(),
    limit: int = DEFAULT_LIMIT,
) -> list[Suggestion]:
    camp = session.get_one(Camp, household.camp_id)
    needs = household_needs(household.active_members, today)
    threshold = standards.covered_threshold(camp.climate)
    rows = _open_plots(session, camp.id)
    shared = people_on_plots(session, [r.id for r in rows if r.household_count])
    blocks = _blocks(session, camp.id)
    origin, same_origin = _same_origin_by_block(session, household) if preferences.same_origin else (None, {})
    anchor = None
    if preferences.near_household is not None:
        anchor = current_plot_of(session, preferences.near_household.id)
    current = current_plot_of(session, household.id)
    because = needs.because
    suggestions = [
        _score(
            row,
            needs,
            because,
            threshold,
            shared.get(row.id, 0),
            blocks,
            same_origin,
            origin,
            anchor,
            preferences.near_household,
        )
        for row in rows
        if current is None or row.id != current.id
    ]
    suggestions.sort(key=lambda s: (-s.score, s.code))
    return suggestions[:limit]


def _score(
    row,
    needs: HouseholdNeeds,
    because: str,
    threshold: float,
    people_there: int,
    blocks,
    same_origin,
    origin,
    anchor,
    near_household,
) -> Suggestion:
    """Score one open plot; reasons stay lazy strings, so only the ones shown are translated."""
    block_code, living, capacity = blocks.get(row.block_id, ("?", 0, 1))
    people = people_there + needs.size
    per_person = row.covered_m2 / people
    suggestion = Suggestion(
        plot_id=row.id, code=row.code, block_code=block_code, score=0.0, covered_per_person=round(per_person, 2)
    )
    add = suggestion.reasons.append
    # 1. covered living space against the Sphere threshold, with the tightest fit first
    space = _l(
        "%(area).1f m² covered for %(people)d people: %(each).1f m² each (Sphere: %(min).1f).",
        area=row.covered_m2,
        people=people,
        each=per_person,
        min=threshold,
    )
    if per_person >= threshold:
        suggestion.score += 100 - min((per_person - threshold) / threshold, 3.0) * 8
        add(Reason("good", space))
    else:
        suggestion.score -= 100 * (1 - per_person / threshold) + 50
        suggestion.warnings.append("covered")
        add(Reason("bad", space))
    if people_there:
        add(Reason("info", _l("Communal shelter: %(n)d people already live here.", n=people_there)))
    features = row.features.split()
    # 2. accessible plots for disability, older people and serious medical conditions; kept for them
    if needs.accessible:
        if "accessible" in features:
            suggestion.score += 60
            add(Reason("good", _l("Accessible plot, needed for: %(why)s.", why=because)))
        else:
            add(Reason("bad", _l("Not an accessible plot, though needed for: %(why)s.", why=because)))
    elif "accessible" in features:
        suggestion.score -= 15
        add(Reason("info", _l("Accessible plot: better kept for a household that needs one.")))
    # 3. near water and latrines for those who need it
    if needs.near_wash:
        if near_wash(row.features, row.latrine_m, row.water_m):
            suggestion.score += 30
            add(Reason("good", _l("Near water and latrines.")))
        else:
            add(Reason("bad", _l("Not near water and latrines, though needed.")))
    if row.water_m is not None and row.water_m > standards.WATER_MAX_M:
        suggestion.score -= 20
        add(Reason("bad", _l("Water point %(m)d m away (Sphere: at most 500 m).", m=row.water_m)))
    if "flood_risk" in features:
        suggestion.score -= 20
        add(Reason("bad", _l("Flood risk.")))
    # 4. near relatives, or among people from the same place
    if anchor is not None:
        distance = math.dist(
            (row.x + row.width / 2, row.y + row.depth / 2), (anchor.x + anchor.width / 2, anchor.y + anchor.depth / 2)
        )
        suggestion.score += max(0.0, 40 - distance / 5) + (25 if row.block_id == anchor.block_id else 0)
        if distance <= 150:
            add(
                Reason(
                    "good",
                    _l(
                        "%(m)d m from household %(number)s (plot %(plot)s).",
                        m=distance,
                        number=near_household.number,
                        plot=anchor.code,
                    ),
                )
            )
    elif near_household is not None:
        add(Reason("info", _l("Household %(number)s has no plot yet.", number=near_household.number)))
    if origin and same_origin.get(row.block_id):
        count = same_origin[row.block_id]
        suggestion.score += 15 + min(count, 10) * 2
        add(Reason("good", _l("%(n)d households from the same place of origin live in this block.", n=count)))
    # 5. fill blocks evenly
    share = living / capacity if capacity else 1.0
    suggestion.score += 20 * (1 - share)
    add(Reason("info", _l("Block %(block)s is %(pct)d%% full.", block=block_code, pct=round(share * 100))))
    suggestion.score = round(suggestion.score, 1)
    return suggestion
