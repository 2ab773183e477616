"""Laying out a camp: generate or import its plots, edit plots and facilities, and look them up.

Every function takes the session and the acting user, flushes (never commits) and writes the audit
log. Generation lives in ``generator``, file imports in ``imports``, distances in ``distances``;
they are re-exported here so that callers need only this module.
"""

from __future__ import annotations

import math
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from app import permissions as P
from app.audit.services import log_object
from app.db import update_fields
from app.errors import UserValueError
from app.i18n.numbers import number as locale_number
from app.users.actors import Actor
from camps.layout.distances import refresh_distances, refresh_site_area
from camps.layout.generator import LayoutParams, LayoutSummary, clean_params, generate_layout
from camps.layout.imports import LayoutImportReport, LayoutRowError, import_layout, validate_layout_file
from camps.layout.models import (
    FACILITY_CODE,
    FACILITY_KINDS,
    MAX_DISTANCE_M,
    MAX_FACILITY_CAPACITY,
    MAX_PLOT_CAPACITY,
    MAX_PLOT_M2,
    PLOT_FEATURES,
    PLOT_STATUSES,
    SETTABLE_STATUSES,
    SHELTER_TYPES,
    Block,
    Facility,
    Plot,
)
from camps.sites.models import Camp

__all__ = [
    "LayoutImportReport",
    "LayoutParams",
    "LayoutRowError",
    "LayoutSummary",
    "block_areas",
    "blocks_of",
    "clean_params",
    "create_facility",
    "facilities_query",
    "generate_layout",
    "households_on",
    "import_layout",
    "plot_for_user",
    "plots_query",
    "refresh_distances",
    "refresh_site_area",
    "update_facility",
    "update_plot",
    "validate_layout_file",
]

PLOT_FIELDS = ("area_m2", "covered_m2", "shelter_type", "capacity", "status", "features", "notes")
FACILITY_FIELDS = ("kind", "code", "name", "capacity", "x", "y", "block_id", "in_service")


# --- look-ups --------------------------------------------------------------------------------


def plot_for_user(session: Session, user, code: str) -> Plot | None:
    """The plot with this code if the user may see its camp; None otherwise (the caller answers 404)."""
    plot = session.scalars(
        select(Plot)
        .where(Plot.code == (code or "").strip().upper())
        .options(joinedload(Plot.block).joinedload(Block.sector))
    ).first()
    if plot is None or not user.can_access_camp(plot.camp_id):
        return None
    return plot


def status_counts(session: Session, camp: Camp) -> dict[str, int]:
    """Plots of the camp by status."""
    return dict(
        session.execute(select(Plot.status, func.count()).where(Plot.camp_id == camp.id).group_by(Plot.status)).all()
    )


def households_on(user, plot: Plot) -> int | None:
    """How many households live on ``plot`` as ``user`` may see it: None (hidden) for an account that sees no
    household when someone lives there, since who shares a plot is a family's housing (the site plan hides it
    alike); a vacant plot's zero stays shown."""
    return plot.household_count if user.can(P.HOUSEHOLDS_VIEW) or not plot.household_count else None


def plots_query(camp: Camp, status: str | None = None, block_code: str | None = None) -> Select:
    """The camp's plots in code order, optionally of one status and one block."""
    query = select(Plot).where(Plot.camp_id == camp.id).options(joinedload(Plot.block).joinedload(Block.sector))
    if status:
        query = query.where(Plot.status == status)
    if block_code:
        query = query.join(Block, Plot.block_id == Block.id).where(Block.code == block_code.strip().upper())
    return query.order_by(Plot.code)


def block_areas(session: Session, camp_id: int, *, block_ids=None) -> dict[int, float | None]:
    """Ground of each block of the camp, m²: its own area, else the sum of its plots' (None: neither)."""
    query = (
        select(Block.id, Block.area_m2, func.sum(Plot.area_m2))
        .outerjoin(Plot, Plot.block_id == Block.id)
        .where(Block.camp_id == camp_id)
        .group_by(Block.id, Block.area_m2)
    )
    if block_ids is not None:
        query = query.where(Block.id.in_(block_ids))
    return {
        block_id: area or (float(plots) if plots is not None else None)
        for block_id, area, plots in session.execute(query)
    }


def blocks_of(session: Session, camp: Camp) -> list[Block]:
    return list(
        session.scalars(
            select(Block).where(Block.camp_id == camp.id).options(joinedload(Block.sector)).order_by(Block.code)
        )
    )


def facilities_query(camp: Camp, kind: str | None = None) -> Select:
    query = select(Facility).where(Facility.camp_id == camp.id)
    if kind:
        query = query.where(Facility.kind == kind)
    return query.order_by(Facility.kind, Facility.code)


# --- plots -----------------------------------------------------------------------------------


def _float(value, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UserValueError(_("Enter a number."), field=field) from None
    if not math.isfinite(number):
        raise UserValueError(_("Enter a number."), field=field)
    return number


def _int(value, field: str) -> int:
    number = _float(value, field)
    if not number.is_integer():
        raise UserValueError(_("Enter a whole number."), field=field)
    return int(number)


def _clean_plot(plot: Plot, data: dict) -> dict:
    clean = {k: data.get(k, getattr(plot, k)) for k in PLOT_FIELDS}
    area = _float(clean["area_m2"], "area_m2")
    if area <= 0:
        raise UserValueError(_("The area must be more than 0 m²."), field="area_m2")
    if area > MAX_PLOT_M2:
        raise UserValueError(_("At most %(n)s m² per plot.", n=locale_number(MAX_PLOT_M2)), field="area_m2")
    covered = _float(clean["covered_m2"] or 0, "covered_m2")
    if covered < 0:
        raise UserValueError(_("The covered area cannot be negative."), field="covered_m2")
    if covered > area:
        raise UserValueError(
            _("The covered area cannot exceed the plot’s area (%(area)s m²).", area=f"{area:g}"), field="covered_m2"
        )
    if clean["shelter_type"] not in SHELTER_TYPES:
        raise UserValueError(_("Choose a shelter type."), field="shelter_type")
    capacity = _int(clean["capacity"], "capacity")
    if not 1 <= capacity <= MAX_PLOT_CAPACITY:
        raise UserValueError(_("From 1 to %(n)d households.", n=MAX_PLOT_CAPACITY), field="capacity")
    if capacity < plot.household_count:
        raise UserValueError(
            _("%(n)d households live here: the capacity cannot be lower.", n=plot.household_count), field="capacity"
        )
    status = clean["status"] or ("vacant" if plot.status == "occupied" else plot.status)
    if plot.household_count > 0:
        if status in ("reserved", "out_of_use"):
            raise UserValueError(
                _(
                    "Households live on this plot: move them before marking it %(status)s.",
                    status=str(PLOT_STATUSES[status]).lower(),
                ),
                field="status",
            )
        status = "occupied"
    elif status not in SETTABLE_STATUSES:
        raise UserValueError(
            _("Choose vacant, reserved or out of use: “occupied” follows from allocations."), field="status"
        )
    features = clean["features"] or []
    if isinstance(features, str):
        features = features.replace(",", " ").split()
    unknown = [f for f in features if f not in PLOT_FEATURES]
    if unknown:
        raise UserValueError(_("Unknown feature “%(code)s”.", code=unknown[0][:30]), field="features")
    notes = (clean["notes"] or "").strip() or None
    if notes and len(notes) > 500:
        raise UserValueError(_("At most 500 characters."), field="notes")
    return {
        "area_m2": area,
        "covered_m2": covered,
        "shelter_type": clean["shelter_type"],
        "capacity": capacity,
        "status": status,
        "features": " ".join(f for f in PLOT_FEATURES if f in features),
        "notes": notes,
    }


def update_plot(session: Session, actor: Actor, plot: Plot, data: dict) -> Plot:
    """Edit a plot's areas, shelter, capacity, hand-set status, features and notes."""
    clean = _clean_plot(plot, data)
    changed = update_fields(plot, clean)
    session.flush()
    log_object(session, actor, "layout.update_plot", "plot", plot, code=plot.code, fields=changed, status=plot.status)
    return plot


# --- facilities ------------------------------------------------------------------------------


def _clean_facility(session: Session, camp: Camp, facility: Facility | None, data: dict) -> dict:
    defaults = {"capacity": 1, "in_service": True}
    clean: dict[str, Any] = {
        k: data.get(k, getattr(facility, k) if facility else defaults.get(k)) for k in FACILITY_FIELDS
    }
    if "block" in data:
        code = (data["block"] or "").strip().upper()
        block = session.scalar(select(Block).where(Block.camp_id == camp.id, Block.code == code)) if code else None
        if code and block is None:
            raise UserValueError(_("No block %(block)s in this camp.", block=code), field="block")
        clean["block_id"] = block.id if block else None
    elif clean["block_id"] is not None:
        block = session.get(Block, clean["block_id"])
        if block is None or block.camp_id != camp.id:
            raise UserValueError(_("No such block in this camp."), field="block")
    if clean["kind"] not in FACILITY_KINDS:
        raise UserValueError(_("Choose a kind."), field="kind")
    clean["code"] = (clean["code"] or "").strip().upper()
    if not FACILITY_CODE.match(clean["code"]):
        raise UserValueError(_("Up to 24 letters, digits or dashes, e.g. WP-B03."), field="code")
    clash = session.scalar(select(Facility.id).where(Facility.camp_id == camp.id, Facility.code == clean["code"]))
    if clash is not None and (facility is None or clash != facility.id):
        raise UserValueError(_("Another facility of this camp has this code."), field="code")
    clean["name"] = (clean["name"] or "").strip() or None
    if clean["name"] and len(clean["name"]) > 80:
        raise UserValueError(_("At most 80 characters."), field="name")
    capacity = _int(clean["capacity"] if clean["capacity"] is not None else 0, "capacity")
    if not 0 <= capacity <= MAX_FACILITY_CAPACITY:
        raise UserValueError(_("From 0 to %(n)s.", n=locale_number(MAX_FACILITY_CAPACITY)), field="capacity")
    clean["capacity"] = capacity
    for axis in ("x", "y"):
        if clean[axis] is None or clean[axis] == "":
            raise UserValueError(_("Give the position in metres."), field=axis)
        clean[axis] = round(_float(clean[axis], axis), 1)
        if abs(clean[axis]) > MAX_DISTANCE_M:
            raise UserValueError(_("At most 50 km from the camp’s origin."), field=axis)
    clean["in_service"] = bool(clean["in_service"])
    return clean


def create_facility(session: Session, actor: Actor, camp: Camp, data: dict) -> Facility:
    """Add a facility (``block`` may name its block by code); distances are refreshed."""
    facility = Facility(camp_id=camp.id, **_clean_facility(session, camp, None, data))
    session.add(facility)
    session.flush()
    refresh_distances(session, camp)
    log_object(session, actor, "layout.create_facility", "facility", facility, code=facility.code, kind=facility.kind)
    return facility


def update_facility(session: Session, actor: Actor, facility: Facility, data: dict) -> Facility:
    camp = session.get_one(Camp, facility.camp_id)
    clean = _clean_facility(session, camp, facility, data)
    changed = update_fields(facility, clean)
    session.flush()
    refresh_distances(session, camp)
    log_object(session, actor, "layout.update_facility", "facility", facility, code=facility.code, fields=changed)
    return facility
