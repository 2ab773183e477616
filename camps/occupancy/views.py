"""The camp's site plan (page and SVG download) and its occupancy indicators."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import permissions as P
from app.db import get_session
from app.pagination import page_number
from app.permissions import requires
from app.visibility import hidden_text
from camps.figures.dashboard import masked_below_for
from camps.figures.masking import occupancy_mask
from camps.layout import standards
from camps.layout.models import CAPACITY_UNITS, FACILITY_KINDS, PLOT_STATUSES, Block
from camps.occupancy.siteplan import COLOURINGS, SYMBOLS, facility_letters, render_site_plan
from camps.sites.services import camp_or_404

bp = Blueprint("occupancy", __name__)


def _mask(camp):
    """For accounts that see no household: what of the camp's occupancy is hidden (else None)."""
    return occupancy_mask(get_session(), camp, masked=True) if masked_below_for(current_user) else None


def _colour() -> str:
    colour = request.args.get("colour", "status")
    return colour if colour in COLOURINGS else "status"


@bp.route("/camps/<code>/plan")
@requires(P.PLOTS_VIEW)
def site_plan(code: str):
    camp = camp_or_404(code)
    session = get_session()
    block = (request.args.get("block") or "").strip().upper() or None
    plan = render_site_plan(
        session, camp, block_code=block, show_households=current_user.can(P.HOUSEHOLDS_VIEW), mask=_mask(camp)
    )
    if plan is None:
        abort(404)
    blocks = list(session.scalars(select(Block.code).where(Block.camp_id == camp.id).order_by(Block.code)))
    placeholder = "PLOTCODE"
    return render_template(
        "occupancy/plan.html",
        camp=camp,
        plan=plan,
        blocks=blocks,
        block=block,
        colour=_colour(),
        threshold=standards.covered_threshold(camp.climate),
        far_below=standards.far_below_threshold(camp.climate),
        statuses=PLOT_STATUSES,
        bands=standards.CONGESTION_BANDS,
        symbols=SYMBOLS,
        letters=facility_letters(),
        kinds=FACILITY_KINDS,
        units=CAPACITY_UNITS,
        hidden=hidden_text(),
        plot_url=url_for("layout.view_plot", plot_code=placeholder),
        household_url=url_for("households.view_household", number=placeholder),
    )


@bp.route("/camps/<code>/plan.svg")
@requires(P.PLOTS_VIEW)
def site_plan_svg(code: str):
    camp = camp_or_404(code)
    block = (request.args.get("block") or "").strip().upper() or None
    colour = _colour()
    plan = render_site_plan(
        get_session(),
        camp,
        block_code=block,
        standalone=True,
        colour=colour,
        show_households=current_user.can(P.HOUSEHOLDS_VIEW),
        mask=_mask(camp),
    )
    if plan is None:
        abort(404)
    name = f"{camp.code}-{block}-plan.svg" if block else f"{camp.code}-plan.svg"
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + str(plan.svg)
    return Response(body, mimetype="image/svg+xml", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/camps/<code>/indicators")
@requires(P.FIGURES_VIEW)
def camp_indicators(code: str):
    camp = camp_or_404(code)
    mask = occupancy_mask(get_session(), camp, masked=bool(masked_below_for(current_user)), page=page_number())
    return render_template(
        "occupancy/indicators.html",
        camp=camp,
        figures=mask.figures,
        mask=mask,
        standards=standards,
        masked=bool(masked_below_for(current_user)),
        hidden=hidden_text(),
        plot_url=url_for("layout.view_plot", plot_code="PLOTCODE"),
    )
