"""Camps in the JSON API."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from pydantic import Field

from app import permissions as P
from app.api import api_blueprint
from app.api.openapi import api_operation
from app.api.schema import Answer
from app.db import get_session
from app.permissions import requires
from camps.figures.dashboard import camp_households
from camps.sites import services
from camps.sites.models import Camp as CampRow

bp = api_blueprint("sites_api", __name__)


class Camp(Answer):
    code: str = Field(pattern="^[A-Z]{3}$")
    name: str
    region_code: str
    district: str | None
    planned_capacity: int | None
    status: str
    households: int | None = Field(description="active households; null: hidden (a small count)")
    people: int | None = Field(description="their people; null: hidden (a small count)")


class CampList(Answer):
    items: list[Camp]


def camp_json(camp: CampRow, households: int | None, people: int | None) -> dict:
    return {
        "code": camp.code,
        "name": camp.name,
        "region_code": camp.region_code,
        "district": camp.district,
        "planned_capacity": camp.planned_capacity,
        "status": camp.status,
        "households": households,
        "people": people,
    }


def _totals(camps: list[CampRow]) -> dict[int, tuple[int | None, ...]]:
    """Active households and their people, as /figures shows them (small counts hidden from accounts that see
    no household)."""
    return camp_households(get_session(), current_user, camps, services.camp_today())


@bp.route("/camps")
@api_operation(summary="Camps the caller works in", tags=["camps"], response=CampList)
@requires(P.CAMPS_VIEW)
def list_camps():
    camps = services.visible_camps(get_session(), current_user)
    totals = _totals(camps)
    return jsonify(items=[camp_json(c, *totals[c.id]) for c in camps])


@bp.route("/camps/<code>")
@api_operation(summary="One camp", tags=["camps"], response=Camp)
@requires(P.CAMPS_VIEW)
def get_camp(code: str):
    camp = services.camp_or_404(code)
    return jsonify(camp_json(camp, *_totals([camp])[camp.id]))
