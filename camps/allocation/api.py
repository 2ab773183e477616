"""Plot suggestions, allocation and vacating in the JSON API."""

from __future__ import annotations

from typing import Annotated

from flask import abort, jsonify, request
from flask_login import current_user
from pydantic import Field

from app import permissions as P
from app.api import api_blueprint, refused
from app.api.inputs import json_body
from app.api.openapi import api_operation
from app.api.schema import ABSENT, Answer, Body, DateTimeString, Documented, Query, Text
from app.campday import camp_today
from app.db import get_session
from app.errors import UserValueError
from app.permissions import requires
from camps.allocation import services
from camps.allocation.models import PlotAllocation
from camps.allocation.suggestions import Preferences, suggest_plots
from registration.households.services import household_for_user

bp = api_blueprint("allocation_api", __name__)

PlotWarning = Annotated[Text, Documented(enum=sorted(services.WARNINGS))]
Tone = Annotated[Text, Documented(enum=["good", "bad", "info"])]


class Reason(Answer):
    tone: Tone
    text: str


class PlotSuggestion(Answer):
    plot: str
    block: str
    score: float
    covered_m2_per_person: float
    reasons: list[Reason]
    warnings: list[PlotWarning]


class PlotSuggestions(Answer):
    items: list[PlotSuggestion]


class SuggestionFilter(Query):
    near: str = Field(ABSENT, description="household number of relatives to live near")
    same_origin: bool = Field(ABSENT, description="live among people from the same place of origin")
    limit: int = Field(ABSENT, ge=1, le=50)


class PlotRequest(Body):
    plot: Text = Field(examples=["KHR-B03-017"])
    relocate: bool = ABSENT
    override_reason: Text | None = Field(None, description="required when the allocation breaches a threshold")


class Stay(Answer):
    plot: str
    started_at: DateTimeString
    ended_at: DateTimeString | None
    end_reason: str | None
    warnings: list[str]
    override_reason: str | None


class HouseholdPlot(Answer):
    household: str
    plot: str | None
    history: list[Stay]


def _household_or_404(number: str):
    household = household_for_user(get_session(), current_user, number, audit=request.method == "GET")
    if household is None:
        abort(404)
    return household


def _stay_json(stay: PlotAllocation) -> dict:
    return {
        "plot": stay.plot.code,
        "started_at": stay.started_at.isoformat(timespec="seconds") + "Z",
        "ended_at": stay.ended_at.isoformat(timespec="seconds") + "Z" if stay.ended_at else None,
        "end_reason": stay.end_reason,
        "warnings": stay.warnings.split(),
        "override_reason": stay.override_reason,
    }


def _household_plot(household, status: int = 200):
    session = get_session()
    stays = services.history(session, household_id=household.id)
    current = next((s for s in stays if s.ended_at is None), None)
    return jsonify(
        household=household.number, plot=current.plot.code if current else None, history=[_stay_json(s) for s in stays]
    ), status


def _refused(message: str, field: str | None, status: int = 422):
    return refused(UserValueError(message, field), status)


@bp.route("/households/<number>/plot-suggestions")
@api_operation(
    summary="Plots ranked for a household, with the reasons",
    tags=["shelter"],
    query=SuggestionFilter,
    response=PlotSuggestions,
)
@requires(P.PLOTS_MANAGE)
def suggestions(number: str):
    household = _household_or_404(number)
    near = None
    if request.args.get("near"):
        near = household_for_user(get_session(), current_user, request.args["near"], audit=False)
        if near is None or near.camp_id != household.camp_id:
            return _refused("No other household with this number in this camp.", "near")
    limit = request.args.get("limit", "8")
    if not (limit.isascii() and limit.isdigit()) or not 1 <= int(limit) <= 50:
        return _refused("limit: a number from 1 to 50.", "limit")
    ranked = suggest_plots(
        get_session(),
        household,
        today=camp_today(),
        limit=int(limit),
        preferences=Preferences(
            near_household=near, same_origin=request.args.get("same_origin", "").lower() in ("1", "true", "yes")
        ),
    )
    return jsonify(
        items=[
            {
                "plot": s.code,
                "block": s.block_code,
                "score": s.score,
                "covered_m2_per_person": s.covered_per_person,
                "reasons": [{"tone": r.tone, "text": r.text} for r in s.reasons],
                "warnings": s.warnings,
            }
            for s in ranked
        ]
    )


@bp.route("/households/<number>/plot")
@api_operation(summary="A household's plot and plot history", tags=["shelter"], response=HouseholdPlot)
@requires(P.HOUSEHOLDS_VIEW)
def get_plot(number: str):
    return _household_plot(_household_or_404(number))


@bp.route("/households/<number>/plot", methods=["PUT"])
@api_operation(
    summary='Allocate a plot (or relocate with "relocate": true); repeating it changes nothing',
    tags=["shelter"],
    request=PlotRequest,
    response=HouseholdPlot,
    responses={201: HouseholdPlot},
)
@requires(P.PLOTS_MANAGE)
def put_plot(number: str):
    household = _household_or_404(number)
    body = json_body()
    session = get_session()
    plot = services.plot_in_camp(session, household.camp_id, body["plot"])
    if plot is None:
        return _refused("No plot with this code in the household's camp.", "plot")
    before = services.current_allocation(session, household.id)
    try:
        allocation = services.allocate(
            session,
            current_user,
            household,
            plot,
            relocate=bool(body.get("relocate")),
            override_reason=body.get("override_reason") or None,
        )
    except UserValueError as exc:
        return refused(exc)
    return _household_plot(household, 200 if before is not None and before.id == allocation.id else 201)


@bp.route("/households/<number>/plot", methods=["DELETE"])
@api_operation(summary="Vacate the household's plot", tags=["shelter"], response=HouseholdPlot)
@requires(P.PLOTS_MANAGE)
def delete_plot(number: str):
    household = _household_or_404(number)
    services.vacate(get_session(), current_user, household)
    return _household_plot(household)
