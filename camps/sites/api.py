"""Camps in the JSON API."""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from sqlalchemy import func, select

from app import permissions as P
from app.api import api_blueprint
from app.api.openapi import documented
from app.db import get_session
from app.permissions import requires
from camps.sites import services
from camps.sites.models import Camp
from registration.households.models import Household

bp = api_blueprint('sites_api', __name__)


def camp_json(camp: Camp, households: int, people: int) -> dict:
    return {'code': camp.code, 'name': camp.name, 'region_code': camp.region_code, 'district': camp.district,
            'planned_capacity': camp.planned_capacity, 'status': camp.status,
            'households': households, 'people': people}


def _totals(camp_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not camp_ids:
        return {}
    rows = get_session().execute(
        select(Household.camp_id, func.count(), func.coalesce(func.sum(Household.size), 0))
        .where(Household.camp_id.in_(camp_ids), Household.status == 'active').group_by(Household.camp_id))
    return {camp_id: (n, people) for camp_id, n, people in rows}


@bp.route('/camps')
@documented(summary='Camps the caller works in', tags=['camps'], response='CampList')
@requires(P.CAMPS_VIEW)
def list_camps():
    camps = services.visible_camps(get_session(), current_user)
    totals = _totals([c.id for c in camps])
    return jsonify(items=[camp_json(c, *totals.get(c.id, (0, 0))) for c in camps])


@bp.route('/camps/<code>')
@documented(summary='One camp', tags=['camps'], response='Camp')
@requires(P.CAMPS_VIEW)
def get_camp(code: str):
    camp = services.camp_or_404(code)
    return jsonify(camp_json(camp, *_totals([camp.id]).get(camp.id, (0, 0))))
