"""Occupancy indicators in the JSON API: figures only, never a household."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from app import permissions as P
from app.api import api_blueprint
from app.api.openapi import SCHEMAS, documented
from app.db import get_session
from app.pagination import page_number
from app.permissions import requires
from camps.figures.dashboard import masked_below_for
from camps.figures.indicators import Figures
from camps.figures.masking import OccupancyMask, occupancy_mask
from camps.layout import standards
from camps.sites.services import camp_or_404

bp = api_blueprint("occupancy_api", __name__)

_NUMBER_OR_NULL = {"type": ["number", "null"]}
SCHEMAS.update(
    {
        "OccupancyFigures": {
            "type": "object",
            "properties": {
                "level": {"type": "string", "enum": ["camp", "sector", "block"]},
                "code": {"type": "string"},
                "sector": {"type": ["string", "null"]},
                **{
                    name: {"type": "integer"}
                    for name in (
                        "plots",
                        "vacant",
                        "reserved",
                        "occupied",
                        "out_of_use",
                        "capacity",
                        "latrines",
                        "taps",
                        "far_from_latrine",
                        "far_from_water",
                    )
                },
                **{
                    name: {
                        "type": ["integer", "null"],
                        "description": "null: hidden from accounts that see no household "
                        "(a small count, or one from which a small count could be worked out)",
                    }
                    for name in ("households", "people")
                },
                "covered_m2": {"type": "number", "description": "covered space of the plots people live on"},
                "site_m2": _NUMBER_OR_NULL,
                "covered_per_person": _NUMBER_OR_NULL,
                "site_per_person": _NUMBER_OR_NULL,
                "people_per_latrine": _NUMBER_OR_NULL,
                "people_per_tap": _NUMBER_OR_NULL,
                "band": {
                    "type": ["string", "null"],
                    "enum": ["none", "low", "moderate", "high", None],
                    "description": "CCCM congestion band of site area per person",
                },
            },
        },
        "OccupancyIndicators": {
            "type": "object",
            "properties": {
                "camp": {"$ref": "#/components/schemas/OccupancyFigures"},
                "sectors": {"type": "array", "items": {"$ref": "#/components/schemas/OccupancyFigures"}},
                "blocks": {"type": "array", "items": {"$ref": "#/components/schemas/OccupancyFigures"}},
                "thresholds": {"type": "object", "additionalProperties": {"type": "number"}},
                "below_threshold": {
                    "type": "object",
                    "properties": {
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "plot": {"type": "string"},
                                    "block": {"type": "string"},
                                    "people": {"type": ["integer", "null"]},
                                    "covered_m2": {"type": "number"},
                                    "covered_per_person": {"type": ["number", "null"]},
                                },
                            },
                        },
                        "page": {"type": "integer"},
                        "pages": {"type": "integer"},
                        "total": {"type": "integer"},
                    },
                },
            },
        },
    }
)


@bp.route("/camps/<code>/indicators")
@documented(
    summary="Occupancy indicators of a camp, its sectors and blocks",
    tags=["camps"],
    response="OccupancyIndicators",
    query=[
        {
            "name": "page",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1},
            "description": "page of the plots below the covered-space threshold",
        }
    ],
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
