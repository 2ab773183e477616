"""The dashboard's figures in the JSON API, with the age and sex fields of standards.md §2.3
(``f_0_4 … f_60``, ``m_0_4 … m_60``) that partners' tools and Kobo forms use."""

from __future__ import annotations

from typing import Annotated

from flask import jsonify, request
from flask_login import current_user
from pydantic import Field

from app import permissions as P
from app.api import api_blueprint
from app.api.openapi import api_operation
from app.api.schema import ABSENT, Answer, DateString, Query
from app.db import get_session
from app.permissions import requires
from app.scoping import chosen_camp_or_404
from camps.figures import dashboard
from camps.figures.population import BAND_KEYS, SEX_KEYS
from camps.sites.services import camp_today, visible_camps

bp = api_blueprint("figures_api", __name__)

_HIDDEN = (
    "null: hidden from accounts that see no household (fewer than masked_below, or a count "
    "from which a hidden one could be worked out)"
)
Count = Annotated[int | None, Field(ge=0, description=_HIDDEN)]


class AgeSex(Answer):
    """Counted people by sex and UNHCR age band."""  # the keys of population.AGE_SEX_KEYS

    f_0_4: Count
    f_5_11: Count
    f_12_17: Count
    f_18_59: Count
    f_60: Count
    m_0_4: Count
    m_5_11: Count
    m_12_17: Count
    m_18_59: Count
    m_60: Count


class StatusCount(Answer):
    households: Count
    people: Count


class WeekArrivals(Answer):
    week_from: DateString
    households: Count
    people: Count


class Figures(Answer):
    date: DateString
    camps: list[str]
    people: Count
    households: Count
    masked_below: int | None
    age_sex: AgeSex
    households_by_status: dict[str, StatusCount]
    need_codes_by_category: dict[str, Count] = Field(
        description="specific-needs codes recorded (a person may have several)"
    )
    arrivals_by_week: list[WeekArrivals]
    feedback: dict[str, Count]


class FiguresFilter(Query):
    camp: str = Field(ABSENT, description="camp code")


@bp.route("/figures")
@api_operation(
    summary="Population figures of the camps the caller may see (or one camp)",
    tags=["figures"],
    query=FiguresFilter,
    response=Figures,
)
@requires(P.FIGURES_VIEW)
def figures():
    camps = visible_camps(get_session(), current_user)
    camp = chosen_camp_or_404(camps, request.args.get("camp"))
    camps = [camp] if camp else camps
    board = dashboard.build(
        get_session(),
        camps,
        camp_today(),
        protection=current_user.can(P.PROTECTION_VIEW),
        masked_below=dashboard.masked_below_for(current_user),
    )
    shown = board.value
    return jsonify(
        date=board.today.isoformat(),
        camps=[c.code for c in camps],
        people=shown("people"),
        households=shown(dashboard.HOUSEHOLDS),
        masked_below=board.masked_below or None,
        age_sex={f"{sex}_{band}": shown(f"pyr.{sex}.{band}") for sex in SEX_KEYS for band in BAND_KEYS},
        households_by_status={
            s.status: {
                "households": shown(f"status.{s.status}.households"),
                "people": shown(f"status.{s.status}.people"),
            }
            for s in board.by_status
        },
        need_codes_by_category={n.code: shown(f"need.{n.code}") for n in board.needs},
        arrivals_by_week=[
            {
                "week_from": w.day.isoformat(),
                "households": shown(f"week.{w.day.isoformat()}.households"),
                "people": shown(f"week.{w.day.isoformat()}.people"),
            }
            for w in board.weekly_arrivals
        ],
        feedback={
            "received_7_days": board.feedback.week,
            "received_28_days": board.feedback.four_weeks,
            "open": board.feedback.open,
            "overdue": board.feedback.overdue,
        },
    )
