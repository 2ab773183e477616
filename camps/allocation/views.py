"""A household's shelter: ranked plot suggestions, allocation, relocation and vacating."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions as P
from app.campday import camp_today
from app.db import get_session
from app.errors import UserValueError
from app.pagination import paginate
from app.permissions import requires
from app.views import put_on_form
from app.visibility import hidden_text
from camps.allocation import services
from camps.allocation.forms import AllocateForm, PreferencesForm, VacateForm
from camps.allocation.rules import household_needs
from camps.allocation.suggestions import Preferences, suggest_plots
from camps.figures.masking import occupancy_mask
from camps.layout.standards import covered_threshold
from camps.sites.models import Camp
from camps.sites.services import camp_or_404, visible_camps
from registration.households.services import household_for_user

bp = Blueprint("allocation", __name__)


@bp.route("/site")
@requires(P.PLOTS_VIEW)
def site_home():
    """Where site work starts: each camp's plots, room left, households waiting, and the pages."""
    session = get_session()
    camps = visible_camps(session, current_user)
    shelter = services.camp_shelter_counts(session, [c.id for c in camps])
    counts: dict[int, dict[str, int | None]] = {camp_id: dict(row) for camp_id, row in shelter.items()}
    if not current_user.can(P.HOUSEHOLDS_VIEW):  # households on no plot: hidden as the occupancy pages hide them
        for camp in camps:
            if occupancy_mask(session, camp, masked=True).hides("all", camp.code, "no_plot_households"):
                counts[camp.id]["waiting"] = None
    return render_template("allocation/site.html", camps=camps, counts=counts, hidden=hidden_text())


@bp.route("/camps/<code>/waiting")
@requires(P.PLOTS_MANAGE)
def waiting(code: str):
    camp = camp_or_404(code)
    return render_template(
        "allocation/waiting.html", camp=camp, page=paginate(get_session(), services.waiting_query(camp.id))
    )


def _household_or_404(number: str, audit: bool = True):
    household = household_for_user(get_session(), current_user, number, audit=audit)
    if household is None:
        abort(404)
    return household


def _preferences(form: PreferencesForm, household) -> Preferences:
    near = None
    if form.near.data:
        near = household_for_user(get_session(), current_user, form.near.data, audit=False)
        if near is None or near.camp_id != household.camp_id or near.id == household.id:
            form.near.errors = [_("No other household with this number in this camp.")]
            near = None
    return Preferences(near_household=near, same_origin=bool(form.same_origin.data))


def _page(household, form: AllocateForm, status: int = 200, message: str | None = None):
    session = get_session()
    preferences_form = PreferencesForm(request.args)
    preferences_form.validate()
    suggestions = suggest_plots(
        session, household, today=camp_today(), preferences=_preferences(preferences_form, household)
    )
    current = services.current_allocation(session, household.id)
    vacate_form = VacateForm()
    vacate_form.set_choices()
    camp = session.get_one(Camp, household.camp_id)
    return render_template(
        "allocation/shelter.html",
        household=household,
        camp=camp,
        threshold=covered_threshold(camp.climate),
        needs=household_needs(household.active_members, camp_today()),
        current=current,
        suggestions=suggestions,
        form=form,
        preferences=preferences_form,
        vacate_form=vacate_form,
        history=services.history(session, household_id=household.id),
        warnings=services.WARNINGS,
        form_message=message,
    ), status


@bp.route("/households/<number>/shelter", methods=["GET", "POST"])
@requires(P.PLOTS_MANAGE)
def shelter(number: str):
    household = _household_or_404(number, audit=request.method == "GET")
    form = AllocateForm()
    if request.method == "GET":
        return _page(household, form)
    if not form.validate_on_submit():
        return _page(household, form, 422)
    session = get_session()
    plot = services.plot_in_camp(session, household.camp_id, form.plot.data)
    if plot is None:
        form.plot.errors = [_("No plot with this code in camp %(camp)s.", camp=household.number[:3])]
        return _page(household, form, 422)
    try:
        allocation = services.allocate(
            session,
            current_user,
            household,
            plot,
            override_reason=form.override_reason.data,
            relocate=form.relocate.data == "1",
        )
    except UserValueError as exc:
        return _page(household, form, 422, put_on_form(form, exc))
    flash(
        _("Household %(number)s now lives on plot %(plot)s.", number=household.number, plot=allocation.plot.code),
        "success",
    )
    return redirect(url_for("allocation.shelter", number=household.number))


@bp.route("/households/<number>/shelter/vacate", methods=["POST"])
@requires(P.PLOTS_MANAGE)
def vacate(number: str):
    household = _household_or_404(number, audit=False)
    form = VacateForm()
    form.set_choices()
    if not form.validate_on_submit():
        return _page(household, AllocateForm(formdata=None), 422, _("Choose why the plot is vacated."))
    ended = services.vacate(get_session(), current_user, household, form.reason.data)
    if ended is not None:
        flash(_("Plot %(plot)s vacated.", plot=ended.plot.code), "success")
    return redirect(url_for("allocation.shelter", number=household.number))
