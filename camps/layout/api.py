"""camps.layout in the JSON API: blocks with plot counts, plots (filtered, paginated), one plot.

Household numbers appear in a plot only for callers who may see households (HOUSEHOLDS_VIEW).
"""

from __future__ import annotations

from flask import abort, jsonify, request
from flask_login import current_user
from sqlalchemy import func, select

from app import permissions as P
from app.api import api_blueprint
from app.api.openapi import SCHEMAS, documented
from app.db import get_session
from app.pagination import paginate
from app.permissions import requires
from camps.allocation.models import PlotAllocation
from camps.layout import services
from camps.layout.models import PLOT_STATUSES, Plot
from camps.sites.models import Camp
from camps.sites.services import camp_or_404
from registration.households.models import Household

bp = api_blueprint("layout_api", __name__)

_NUMBER_OR_NULL = {"type": ["number", "null"]}
SCHEMAS.update(
    {
        "Block": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "sector": {"type": "string"},
                "x": _NUMBER_OR_NULL,
                "y": _NUMBER_OR_NULL,
                "width": _NUMBER_OR_NULL,
                "depth": _NUMBER_OR_NULL,
                "area_m2": _NUMBER_OR_NULL,
                "plots": {"type": "integer"},
                "by_status": {"type": "object", "properties": {s: {"type": "integer"} for s in PLOT_STATUSES}},
            },
        },
        "BlockList": {
            "type": "object",
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Block"}}},
        },
        "Plot": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "camp": {"type": "string"},
                "block": {"type": "string"},
                "sector": {"type": "string"},
                "number": {"type": "integer"},
                "area_m2": {"type": "number"},
                "covered_m2": {"type": "number"},
                "shelter_type": {"type": "string"},
                "capacity": {"type": "integer"},
                "household_count": {
                    "type": ["integer", "null"],
                    "description": "null: hidden from callers who see no household (someone lives here)",
                },
                "status": {"type": "string", "enum": list(PLOT_STATUSES)},
                "features": {"type": "array", "items": {"type": "string"}},
                "x": {"type": "number"},
                "y": {"type": "number"},
                "width": {"type": "number"},
                "depth": {"type": "number"},
                "outline": {"type": ["string", "null"], "description": '"x,y x,y ..." in local metres'},
                "water_m": _NUMBER_OR_NULL,
                "latrine_m": _NUMBER_OR_NULL,
                "households": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "household numbers living here; only for callers with households.view",
                },
            },
        },
        "PlotPage": {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Plot"}},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
                "total": {"type": "integer"},
            },
        },
    }
)


def plot_json(plot: Plot, camp_code: str, households: list[str] | None = None, *, user) -> dict:
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
@documented(
    summary="Blocks of a camp with their sector and plot counts by status", tags=["layout"], response="BlockList"
)
@requires(P.PLOTS_VIEW)
def list_blocks(code: str):
    camp = camp_or_404(code)
    session = get_session()
    counts: dict[int, dict[str, int]] = {}
    for block_id, status, n in session.execute(
        select(Plot.block_id, Plot.status, func.count())
        .where(Plot.camp_id == camp.id)
        .group_by(Plot.block_id, Plot.status)
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
@documented(
    summary="Plots of a camp in code order",
    tags=["layout"],
    response="PlotPage",
    query=[
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(PLOT_STATUSES)}},
        {"name": "block", "in": "query", "schema": {"type": "string"}},
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    ],
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
@documented(
    summary="One plot (household numbers only for callers who may see households)", tags=["layout"], response="Plot"
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
