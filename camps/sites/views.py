"""Camp list, camp page, and the admin's create/edit forms."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app import permissions as P
from app.db import get_session
from app.errors import UserValueError
from app.permissions import requires
from app.views import form_error
from camps.sites import services
from camps.sites.forms import CampForm
from registration.households.models import Household

bp = Blueprint('sites', __name__)


@bp.route('/camps')
@requires(P.CAMPS_VIEW)
def list_camps():
    session = get_session()
    camps = services.visible_camps(session, current_user)
    counts = dict(session.execute(
        select(Household.camp_id, func.count()).where(Household.status == 'active',
                                                      Household.camp_id.in_([c.id for c in camps]))
        .group_by(Household.camp_id)).all()) if camps else {}
    return render_template('sites/list.html', camps=camps, counts=counts)


@bp.route('/camps/<code>')
@requires(P.CAMPS_VIEW)
def view_camp(code: str):
    camp = services.camp_or_404(code)
    households, people = get_session().execute(
        select(func.count(), func.coalesce(func.sum(Household.size), 0))
        .where(Household.camp_id == camp.id, Household.status == 'active')).one()
    return render_template('sites/view.html', camp=camp, households=households, people=people)


@bp.route('/camps/new', methods=['GET', 'POST'])
@requires(P.CAMPS_CREATE)
def create_camp():
    form = CampForm()
    form.set_choices()
    if form.validate_on_submit():
        try:
            camp = services.create_camp(get_session(), current_user, form.data)
        except UserValueError as exc:
            return form_error('sites/edit.html', form=form, error=exc, camp=None)
        flash(_('Camp %(code)s created.', code=camp.code), 'success')
        return redirect(url_for('sites.view_camp', code=camp.code))
    if request.method == 'POST':
        return form_error('sites/edit.html', form=form, camp=None)
    return render_template('sites/edit.html', form=form, camp=None)


@bp.route('/camps/<code>/edit', methods=['GET', 'POST'])
@requires(P.CAMPS_MANAGE)
def edit_camp(code: str):
    camp = services.camp_or_404(code)
    form = CampForm(obj=camp)
    form.set_choices()
    if form.validate_on_submit():
        try:
            services.update_camp(get_session(), current_user, camp, form.data)
        except UserValueError as exc:
            return form_error('sites/edit.html', form=form, error=exc, camp=camp)
        flash(_('Camp %(code)s saved.', code=camp.code), 'success')
        return redirect(url_for('sites.view_camp', code=camp.code))
    if request.method == 'POST':
        return form_error('sites/edit.html', form=form, camp=camp)
    return render_template('sites/edit.html', form=form, camp=camp)
