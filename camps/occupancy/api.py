"""Occupancy indicators in the JSON API: figures only, never a household."""

from __future__ import annotations

from typing import Annotated

from flask import jsonify
from flask_login import current_user
from pydantic import Field

from app import permissions as P
from app.api import api_blueprint
from app.api.openapi import api_operation
from app.api.schema import ABSENT, Answer, Documented, Page, Query, Text
from app.db import get_session
from app.pagination import page_number
from app.permissions import requires
from camps.figures.dashboard import masked_below_for
from camps.figures.indicators import Figures
from camps.figures.masking import OccupancyMask, occupancy_mask
from camps.layout import standards
from camps.sites.services import camp_or_404

bp = api_blueprint("occupancy_api", __name__)

Level = Annotated[Text, Documented(enum=["camp", "sector", "block"])]
Band = Annotated[Text | None, Documented(enum=["none", "low", "moderate", "high"])]
_HIDDEN = (
    "null: hidden from accounts that see no household (a small count, or one from which a small count could be "
    "worked out)"
)


class OccupancyFigures(Answer):
    level: Level
    code: str
    sector: str | None
    households: int | None = Field(description=_HIDDEN)
    people: int | None = Field(description=_HIDDEN)
    plots: int
    vacant: int
    reserved: int
    occupied: int
    out_of_use: int
    capacity: int
    latrines: int
    taps: int
    far_from_latrine: int
    far_from_water: int
    covered_m2: float = Field(description="covered space of the plots people live on")
    site_m2: float | None
    covered_per_person: float | None
    site_per_person: float | None
    people_per_latrine: float | None
    people_per_tap: float | None
    band: Band = Field(description="CCCM congestion band of site area per person")


class BelowThreshold(Answer):
    plot: str
    block: str
    people: int | None
    covered_m2: float
    covered_per_person: float | None


class BelowThresholdPage(Page, Answer):
    items: list[BelowThreshold]


class OccupancyIndicators(Answer):
    camp: OccupancyFigures
    sectors: list[OccupancyFigures]
    blocks: list[OccupancyFigures]
    thresholds: dict[str, float]
    below_threshold: BelowThresholdPage


class IndicatorsQuery(Query):
    page: int = Field(ABSENT, ge=1, description="page of the plots below the covered-space threshold")


@bp.route("/camps/<code>/indicators")
@api_operation(
    summary="Occupancy indicators of a camp, its sectors and blocks",
    tags=["camps"],
    query=IndicatorsQuery,
    response=OccupancyIndicators,
)
@requires(P.FIGURES_VIEW)
def indicators(code: str):
    camp = camp_or_404(code)
    masked = bool(masked_below_for(current_user))
    mask = occupancy_mask(get_session(), camp, masked=masked, page=page_number())
    figures = mask.figures
    below = figures.below_threshold
    return jsonify(
        camp=_row(mask, figures.camp),
        sectors=[_row(mask, row) for row in figures.sectors],
        blocks=[_row(mask, row) for row in figures.blocks],
        thresholds={
            "covered_m2_per_person": figures.covered_threshold,
            "site_m2_per_person": standards.SITE_M2_GOOD,
            "site_m2_per_person_min": standards.SITE_M2_MIN,
            "people_per_latrine_max": standards.PEOPLE_PER_LATRINE_MAX,
            "people_per_latrine_goal": standards.PEOPLE_PER_LATRINE_GOAL,
            "people_per_tap_max": standards.PEOPLE_PER_TAP_MAX,
            "people_per_tap_goal": standards.PEOPLE_PER_TAP_GOAL,
            "latrine_max_m": standards.LATRINE_MAX_M,
            "water_max_m": standards.WATER_MAX_M,
        },
        below_threshold={
            "items": [
                {
                    "plot": item.code,
                    "block": item.block,
                    "people": None if masked else item.people,
                    "covered_m2": item.covered_m2,
                    "covered_per_person": None if masked else round(item.covered_per_person, 2),
                }
                for item in below.items
            ],
            "page": below.page,
            "pages": below.pages,
            "total": below.total,
        },
    )


def _row(mask: OccupancyMask, row: Figures) -> dict:
    """A level's figures; hidden households or people are null, and so is every figure per person then."""
    data = row.as_dict()
    for key in ("households", "people"):
        if mask.hides(row.level, row.code, key):
            data[key] = None
    if data["people"] is None:
        data.update(
            dict.fromkeys(("covered_per_person", "site_per_person", "people_per_latrine", "people_per_tap", "band"))
        )
    return data
