"""Household list and record pages (read-only until the registration desk lands)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app import permissions as P
from app.db import get_session
from app.pagination import paginate
from app.permissions import requires
from camps.sites.services import visible_camps
from registration.households import services
from registration.households.models import HOUSEHOLD_STATUSES, Household, Person

bp = Blueprint('households', __name__)


@bp.route('/households')
@requires(P.HOUSEHOLDS_VIEW)
def list_households():
    session = get_session()
    camp = request.args.get('camp', '')
    number = request.args.get('number', '').strip()
    status = request.args.get('status', '')
    status = status if status in HOUSEHOLD_STATUSES else ''
    query = services.household_query(current_user, camp_code=camp or None, number=number or None,
                                     status=status or None)
    # Heads are shown: load members in one query, never their needs.
    query = query.options(selectinload(Household.members).lazyload(Person.needs))
    return render_template('households/list.html', page=paginate(session, query),
                           camps=visible_camps(session, current_user), camp=camp, number=number,
                           status=status, statuses=HOUSEHOLD_STATUSES)


@bp.route('/households/<number>')
@requires(P.HOUSEHOLDS_VIEW)
def view_household(number: str):
    household = services.household_for_user(get_session(), current_user, number)
    if household is None:
        abort(404)
    return render_template('households/view.html', household=household)
