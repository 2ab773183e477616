"""Households in the JSON API (read-only until the registration desk lands)."""
from __future__ import annotations

from flask import abort, jsonify, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app import permissions as P
from app.api import api_blueprint
from app.api.openapi import documented
from app.db import get_session
from app.pagination import paginate
from app.permissions import requires
from registration.households import services
from registration.households.models import Household, Person

bp = api_blueprint('households_api', __name__)


def person_json(household: Household, person: Person) -> dict:
    return {'id': f'{household.number}/{person.seq:02d}', 'given_name': person.given_name,
            'given_name_orig': person.given_name_orig, 'father_name': person.father_name,
            'family_name': person.family_name, 'sex': person.sex, 'birth_date': person.birth_date.isoformat(),
            'birth_precision': person.birth_precision, 'relationship': person.relation_to_head,
            'status': person.status}


def household_json(household: Household, *, members: bool = False) -> dict:
    data = {'number': household.number, 'camp': household.camp.code, 'status': household.status,
            'arrival_date': household.arrival_date.isoformat(), 'size': household.size,
            'origin_province': household.origin_province}
    if members:
        data['members'] = [person_json(household, p) for p in household.members]
    return data


@bp.route('/households')
@documented(summary='Households in the caller’s camps, newest first', tags=['households'],
            response='HouseholdPage', query=[
                {'name': 'camp', 'in': 'query', 'schema': {'type': 'string'}},
                {'name': 'status', 'in': 'query', 'schema': {'type': 'string'}},
                {'name': 'page', 'in': 'query', 'schema': {'type': 'integer', 'minimum': 1}}])
@requires(P.HOUSEHOLDS_VIEW)
def list_households():
    query = services.household_query(current_user, camp_code=request.args.get('camp') or None,
                                     status=request.args.get('status') or None)
    page = paginate(get_session(), query.options(selectinload(Household.camp)))
    return jsonify(items=[household_json(h) for h in page.items], page=page.page, pages=page.pages,
                   total=page.total)


@bp.route('/households/<number>')
@documented(summary='One household with its members', tags=['households'], response='Household')
@requires(P.HOUSEHOLDS_VIEW)
def get_household(number: str):
    household = services.household_for_user(get_session(), current_user, number)
    if household is None:
        abort(404)
    return jsonify(household_json(household, members=True))
