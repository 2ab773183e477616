"""Camps: create and edit, and the camps a user may see (the filter itself: :func:`app.scoping.scope_to_user`)."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.services import log_action, log_object
from app.campday import camp_today  # noqa: F401 - re-exported: the camp's day, one function for it
from app.db import get_session, update_fields
from app.errors import UserValueError
from app.scoping import scope_to_user
from app.users.actors import Actor
from camps.sites.models import CAMP_STATUSES, CLIMATES, REGIONS, Camp

FIELDS = ("code", "name", "region_code", "district", "planned_capacity", "status", "climate")


def visible_camps(session: Session, user) -> list[Camp]:
    return list(session.scalars(scope_to_user(select(Camp).order_by(Camp.code), user, Camp.id)))


def open_camps(session: Session) -> list[Camp]:
    """Every camp that is not closed (a household may be transferred to any of them)."""
    return list(session.scalars(select(Camp).where(Camp.status != "closed").order_by(Camp.code)))


def camp_for_user(session: Session, user, code: str) -> Camp | None:
    """The camp with this code if the user may see it; None otherwise (the caller answers 404)."""
    camp = session.scalar(select(Camp).where(Camp.code == code.upper()))
    if camp is None or not user.can_access_camp(camp.id):
        return None
    return camp


def camp_or_404(code: str) -> Camp:
    """The camp with this code if the signed-in user may see it; 404 otherwise (JSON under the API)."""
    camp = camp_for_user(get_session(), current_user, code)
    if camp is None:
        abort(404)
    return camp


def _validate(session: Session, data: dict, camp: Camp | None) -> dict:
    data = {k: data.get(k) for k in FIELDS}
    data["code"] = (data["code"] or "").strip().upper()
    data["name"] = (data["name"] or "").strip()
    if len(data["code"]) != 3 or not data["code"].isalpha() or not data["code"].isascii():
        raise UserValueError(_("Three letters, e.g. KHR."), field="code")
    if camp is not None and data["code"] != camp.code and camp.household_counter:
        raise UserValueError(_("The code cannot change once households are registered."), field="code")
    clash = session.scalar(select(Camp.id).where(Camp.code == data["code"]))
    if clash is not None and (camp is None or clash != camp.id):
        raise UserValueError(_("Another camp has this code."), field="code")
    if not data["name"]:
        raise UserValueError(_("Enter a name."), field="name")
    if data["region_code"] not in REGIONS:
        raise UserValueError(_("Choose a region."), field="region_code")
    if (data["status"] or "open") not in CAMP_STATUSES:
        raise UserValueError(_("Choose a status."), field="status")
    data["status"] = data["status"] or "open"
    data["climate"] = data["climate"] or ("cold" if data["region_code"] == "TJ-GB" else "temperate")
    if data["climate"] not in CLIMATES:
        raise UserValueError(_("Choose a climate."), field="climate")
    data["district"] = (data["district"] or "").strip() or None
    return data


def create_camp(session: Session, actor: Actor, data: dict) -> Camp:
    camp = Camp(**_validate(session, data, None), household_counter=0)
    session.add(camp)
    session.flush()
    log_action(session, actor, "camp.create", object_type="camp", object_id=camp.id, camp_id=camp.id)
    return camp


def update_camp(session: Session, actor: Actor, camp: Camp, data: dict) -> Camp:
    clean = _validate(session, data, camp)
    changed = update_fields(camp, clean)
    session.flush()
    log_object(session, actor, "camp.update", "camp", camp, camp_id=camp.id, fields=changed)
    return camp
