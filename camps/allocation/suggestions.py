"""Ranked plot suggestions for a household, each with the reasons for its place.

Order of concern (issue 5): covered space per person against the camp's Sphere threshold,
accessible plots first for those who need them, near water and latrines for those who need it,
next to relatives or people from the same place when asked, then filling blocks evenly.
Each criterion is a row of ``CRITERIA`` (its weight and the reason a site manager reads) and one small
judge function (``JUDGES``), so "why this plot?" is answered one line per criterion.
Scoring runs over plain rows of the camp's open plots (a few thousand at most), so it stays
fast without precomputed rankings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from camps.allocation.models import PlotAllocation, current_plot_of
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


def N_(text: str) -> str:
    """Marks ``text`` for the message catalogue (a default keyword of pybabel extract); translated where shown."""
    return text


@dataclass(frozen=True)
class Criterion:
    """One line of "why this plot?": how the page shows it, its weight and what the manager reads."""

    #: 'good', 'bad' or 'info'
    tone: str
    #: points added to the plot's score (the base: the judge below may scale it, see its docstring)
    points: float
    #: the reason, with %(…)s filled from the plot, translated when shown
    says: str
    #: a warning code (allocation.services.WARNINGS) the manager must give a reason for
    warning: str | None = None


SPACE_TEXT = N_("%(area).1f m² covered for %(people)d people: %(each).1f m² each (Sphere: %(min).1f).")

#: every criterion a plot is judged on, in issue 5's order of concern (the order of the reasons shown)
CRITERIA: dict[str, Criterion] = {
    # 1. covered living space against the Sphere threshold, with the tightest fit first
    "space": Criterion("good", 100, SPACE_TEXT),
    "crowded": Criterion("bad", -50, SPACE_TEXT, warning="covered"),
    "communal": Criterion("info", 0, N_("Communal shelter: %(n)d people already live here.")),
    # 2. accessible plots for disability, older people and serious medical conditions; kept for them
    "accessible": Criterion("good", 60, N_("Accessible plot, needed for: %(why)s.")),
    "not_accessible": Criterion("bad", 0, N_("Not an accessible plot, though needed for: %(why)s.")),
    "keep_accessible": Criterion("info", -15, N_("Accessible plot: better kept for a household that needs one.")),
    # 3. near water and latrines for those who need it
    "near_wash": Criterion("good", 30, N_("Near water and latrines.")),
    "not_near_wash": Criterion("bad", 0, N_("Not near water and latrines, though needed.")),
    "water_far": Criterion("bad", -20, N_("Water point %(m)d m away (Sphere: at most 500 m).")),
    "flood_risk": Criterion("bad", -20, N_("Flood risk.")),
    # 4. near relatives, or among people from the same place
    "near_relatives": Criterion("good", 40, N_("%(m)d m from household %(number)s (plot %(plot)s).")),
    "relatives_unplaced": Criterion("info", 0, N_("Household %(number)s has no plot yet.")),
    "same_origin": Criterion("good", 15, N_("%(n)d households from the same place of origin live in this block.")),
    # 5. fill blocks evenly
    "block_fill": Criterion("info", 20, N_("Block %(block)s is %(pct)d%% full.")),
}
#: a roomier plot than needed loses this many points per threshold of space beyond it, up to 3 thresholds
SURPLUS_POINTS, SURPLUS_CAP = 8, 3.0
#: a crowded plot loses this many points times the share of the threshold it lacks (on top of its base)
SHORTFALL_POINTS = 100
#: relatives: one point less every 5 m, 25 more in the same block; the distance is written up to 150 m
METRES_PER_POINT, SAME_BLOCK_POINTS, RELATIVES_SHOWN_M = 5, 25, 150
#: people from the same place: 2 points per household there, up to 10 households
ORIGIN_POINTS_EACH, ORIGIN_COUNTED = 2, 10


@dataclass(slots=True)  # not frozen: made for every open plot, and frozen ones take several times longer
class Candidate:
    """An open plot and everything it is judged on."""

    #: a row of :func:`_open_plots`
    row: Any
    needs: HouseholdNeeds
    #: ``needs.because``, translated once for all plots
    because: str
    #: covered m² per person the camp's climate asks for (Sphere)
    threshold: float
    #: people already living there (communal shelter)
    people_there: int
    #: its block's code, households living there and household capacity
    block: tuple[str, int, int]
    #: households from the household's place of origin in its block (0: not asked for)
    same_origin: int = 0
    #: the plot of the household to live near, and that household (None: not asked for)
    anchor: Plot | None = None
    near_household: Household | None = None

    @property
    def people(self) -> int:
        return self.people_there + self.needs.size

    @property
    def per_person(self) -> float:
        return self.row.covered_m2 / self.people


class Judgement(NamedTuple):
    """A criterion's points for one plot and the values its reason is written with."""

    points: float
    #: the line of CRITERIA the manager reads (None: points without a line)
    criterion: str | None
    values: Mapping[str, object] = {}  # read only: shared by the judgements without values


def _space(plot: Candidate) -> Judgement:
    """``space``: its base less 8 points per threshold of space beyond the threshold (at most 3);
    ``crowded``: its base less 100 times the share of the threshold missing."""
    each, threshold = plot.per_person, plot.threshold
    values = {"area": plot.row.covered_m2, "people": plot.people, "each": each, "min": threshold}
    if each >= threshold:
        surplus = min((each - threshold) / threshold, SURPLUS_CAP)
        return Judgement(CRITERIA["space"].points - surplus * SURPLUS_POINTS, "space", values)
    return Judgement(CRITERIA["crowded"].points - SHORTFALL_POINTS * (1 - each / threshold), "crowded", values)


def _communal(plot: Candidate) -> Judgement | None:
    return Judgement(0, "communal", {"n": plot.people_there}) if plot.people_there else None


def _accessible(plot: Candidate) -> Judgement | None:
    accessible = "accessible" in plot.row.features.split()
    if plot.needs.accessible:
        name = "accessible" if accessible else "not_accessible"
        return Judgement(CRITERIA[name].points, name, {"why": plot.because})
    return Judgement(CRITERIA["keep_accessible"].points, "keep_accessible") if accessible else None


def _near_wash(plot: Candidate) -> Judgement | None:
    if not plot.needs.near_wash:
        return None
    name = "near_wash" if near_wash(plot.row.features, plot.row.latrine_m, plot.row.water_m) else "not_near_wash"
    return Judgement(CRITERIA[name].points, name)


def _water_far(plot: Candidate) -> Judgement | None:
    water_m = plot.row.water_m
    if water_m is not None and water_m > standards.WATER_MAX_M:
        return Judgement(CRITERIA["water_far"].points, "water_far", {"m": water_m})
    return None


def _flood_risk(plot: Candidate) -> Judgement | None:
    return Judgement(CRITERIA["flood_risk"].points, "flood_risk") if "flood_risk" in plot.row.features.split() else None


def _relatives(plot: Candidate) -> Judgement | None:
    """``near_relatives``: its base less a point every 5 m (not below 0), 25 more in the same block;
    the line only up to 150 m."""
    row, anchor, household = plot.row, plot.anchor, plot.near_household
    if household is None:
        return None
    if anchor is None:
        return Judgement(0, "relatives_unplaced", {"number": household.number})
    distance = math.dist(
        (row.x + row.width / 2, row.y + row.depth / 2), (anchor.x + anchor.width / 2, anchor.y + anchor.depth / 2)
    )
    points = max(0.0, CRITERIA["near_relatives"].points - distance / METRES_PER_POINT) + (
        SAME_BLOCK_POINTS if row.block_id == anchor.block_id else 0
    )
    if distance > RELATIVES_SHOWN_M:
        return Judgement(points, None)
    return Judgement(points, "near_relatives", {"m": distance, "number": household.number, "plot": anchor.code})


def _same_origin(plot: Candidate) -> Judgement | None:
    """``same_origin``: its base and 2 points per household from the same place (counted up to 10)."""
    count = plot.same_origin
    if not count:
        return None
    points = CRITERIA["same_origin"].points + min(count, ORIGIN_COUNTED) * ORIGIN_POINTS_EACH
    return Judgement(points, "same_origin", {"n": count})


def _block_fill(plot: Candidate) -> Judgement:
    """``block_fill``: its base times the share of the block still free."""
    block_code, living, capacity = plot.block
    share = living / capacity if capacity else 1.0
    return Judgement(
        CRITERIA["block_fill"].points * (1 - share), "block_fill", {"block": block_code, "pct": round(share * 100)}
    )


#: the judges in the order of CRITERIA: a plot's reasons are listed in this order
JUDGES = (_space, _communal, _accessible, _near_wash, _water_far, _flood_risk, _relatives, _same_origin, _block_fill)


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
            Candidate(
                row=row,
                needs=needs,
                because=because,
                threshold=threshold,
                people_there=shared.get(row.id, 0),
                block=blocks.get(row.block_id, ("?", 0, 1)),
                same_origin=same_origin.get(row.block_id, 0) if origin else 0,
                anchor=anchor,
                near_household=preferences.near_household,
            )
        )
        for row in rows
        if current is None or row.id != current.id
    ]
    suggestions.sort(key=lambda s: (-s.score, s.code))
    return suggestions[:limit]


def _score(plot: Candidate) -> Suggestion:
    """Score one open plot: the sum of its criteria's points, a reason line for each that has one (lazy
    strings, so only the ones shown are translated)."""
    suggestion = Suggestion(
        plot_id=plot.row.id,
        code=plot.row.code,
        block_code=plot.block[0],
        score=0.0,
        covered_per_person=round(plot.per_person, 2),
    )
    for judge in JUDGES:
        judgement = judge(plot)
        if judgement is None:
            continue
        suggestion.score += judgement.points
        if judgement.criterion is not None:
            criterion = CRITERIA[judgement.criterion]
            suggestion.reasons.append(Reason(criterion.tone, _l(criterion.says, **judgement.values)))
            if criterion.warning:
                suggestion.warnings.append(criterion.warning)
    suggestion.score = round(suggestion.score, 1)
    return suggestion
