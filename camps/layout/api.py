"""camps.layout in the JSON API: blocks with plot counts, plots (filtered, paginated), one plot.

Household numbers appear in a plot only for callers who may see households (HOUSEHOLDS_VIEW).
"""

from __future__ import annotations

from typing import Annotated

from flask import abort, jsonify, request
from flask_login import current_user
from pydantic import Field
from sqlalchemy import func, select

from app import permissions as P
from app.api import api_blueprint
from app.api.openapi import api_operation
from app.api.schema import ABSENT, Answer, Documented, Page, Query, Text
from app.db import get_session
from app.pagination import paginate
from app.permissions import requires
from camps.allocation.models import PlotAllocation
from camps.layout import services
from camps.layout.models import PLOT_STATUSES
from camps.layout.models import Plot as PlotRow
from camps.sites.models import Camp
from camps.sites.services import camp_or_404
from registration.households.models import Household

bp = api_blueprint("layout_api", __name__)

PlotStatus = Annotated[Text, Documented(enum=list(PLOT_STATUSES))]


class ByStatus(Answer):
    """Plots by status."""  # models.PLOT_STATUSES

    vacant: int
    reserved: int
    occupied: int
    out_of_use: int


class Block(Answer):
    code: str
    sector: str
    x: float | None
    y: float | None
    width: float | None
    depth: float | None
    area_m2: float | None
    plots: int
    by_status: ByStatus


class BlockList(Answer):
    items: list[Block]


class Plot(Answer):
    code: str
    camp: str
    block: str
    sector: str
    number: int
    area_m2: float
    covered_m2: float
    shelter_type: str
    capacity: int
    household_count: int | None = Field(
        description="null: hidden from callers who see no household (someone lives here)"
    )
    status: PlotStatus
    features: list[str]
    x: float
    y: float
    width: float
    depth: float
    outline: str | None = Field(description='"x,y x,y ..." in local metres')
    water_m: float | None
    latrine_m: float | None
    households: list[str] = Field(
        ABSENT, description="household numbers living here; only for callers with households.view"
    )


class PlotPage(Page, Answer):
    items: list[Plot]


class PlotFilter(Query):
    status: PlotStatus = ABSENT
    block: str = ABSENT
    page: int = Field(ABSENT, ge=1)


def plot_json(plot: PlotRow, camp_code: str, households: list[str] | None = None, *, user) -> dict:
    data = {
        "code": plot.code,
        "camp": camp_code,
        "block": plot.block.code,
        "sector": plot.block.sector.code,
        "number": plot.number,
        "area_m2": plot.area_m2,
        "covered_m2": plot.covered_m2,
        "shelter_type": plot.shelter_type,
        "capacity": plot.capacity,
        "household_count": services.households_on(user, plot),
        "status": plot.status,
        "features": sorted(plot.feature_set),
        "x": plot.x,
        "y": plot.y,
        "width": plot.width,
        "depth": plot.depth,
        "outline": plot.outline,
        "water_m": plot.water_m,
        "latrine_m": plot.latrine_m,
    }
    if households is not None:
        data["households"] = households
    return data


@bp.route("/camps/<code>/blocks")
@api_operation(
    summary="Blocks of a camp with their sector and plot counts by status", tags=["layout"], response=BlockList
)
@requires(P.PLOTS_VIEW)
def list_blocks(code: str):
    camp = camp_or_404(code)
    session = get_session()
    counts: dict[int, dict[str, int]] = {}
    for block_id, status, n in session.execute(
        select(PlotRow.block_id, PlotRow.status, func.count())
        .where(PlotRow.camp_id == camp.id)
        .group_by(PlotRow.block_id, PlotRow.status)
    ):
        counts.setdefault(block_id, {})[status] = n
    items = []
    for block in services.blocks_of(session, camp):
        by_status = {s: counts.get(block.id, {}).get(s, 0) for s in PLOT_STATUSES}
        items.append(
            {
                "code": block.code,
                "sector": block.sector.code,
                "x": block.x,
                "y": block.y,
                "width": block.width,
                "depth": block.depth,
                "area_m2": block.area_m2,
                "plots": sum(by_status.values()),
                "by_status": by_status,
            }
        )
    return jsonify(items=items)


@bp.route("/camps/<code>/plots")
@api_operation(
    summary="Plots of a camp in code order",
    tags=["layout"],
    query=PlotFilter,
    response=PlotPage,
)
@requires(P.PLOTS_VIEW)
def list_plots(code: str):
    camp = camp_or_404(code)
    status = request.args.get("status") or None
    if status is not None and status not in PLOT_STATUSES:
        abort(400, description="status is one of " + ", ".join(PLOT_STATUSES))
    page = paginate(get_session(), services.plots_query(camp, status, request.args.get("block") or None))
    return jsonify(
        items=[plot_json(p, camp.code, user=current_user) for p in page.items],
        page=page.page,
        pages=page.pages,
        total=page.total,
    )


@bp.route("/plots/<plot_code>")
@api_operation(
    summary="One plot (household numbers only for callers who may see households)", tags=["layout"], response=Plot
)
@requires(P.PLOTS_VIEW)
def get_plot(plot_code: str):
    session = get_session()
    plot = services.plot_for_user(session, current_user, plot_code)
    if plot is None:
        abort(404)
    households = None
    if current_user.can(P.HOUSEHOLDS_VIEW):
        households = list(
            session.scalars(
                select(Household.number)
                .join(PlotAllocation, PlotAllocation.household_id == Household.id)
                .where(PlotAllocation.plot_id == plot.id, PlotAllocation.ended_at.is_(None))
                .order_by(Household.number)
            )
        )
    return jsonify(plot_json(plot, session.get_one(Camp, plot.camp_id).code, households, user=current_user))
