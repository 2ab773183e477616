"""Alternate collectors: people a household names to collect its rations when the head cannot come."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.services import log_object
from app.errors import UserValueError, ValidationErrors
from app.users.actors import Actor
from camps.distributions.models import AlternateCollector
from registration.households.models import Household

MAX_ACTIVE = 3
#: field -> (longest length, required)
FIELDS = {"name": (120, True), "name_orig": (120, False), "relation": (60, False), "document": (40, False)}


def alternates_of(session: Session, household_id: int, active_only: bool = True) -> list[AlternateCollector]:
    query = select(AlternateCollector).where(AlternateCollector.household_id == household_id)
    if active_only:
        query = query.where(AlternateCollector.active.is_(True))
    return list(session.scalars(query.order_by(AlternateCollector.active.desc(), AlternateCollector.id)))


def alternate_for_user(session: Session, user, alternate_id: int) -> AlternateCollector | None:
    """The alternate if its household is in one of the user's camps (else None: answer 404)."""
    row = session.execute(
        select(AlternateCollector, Household.camp_id)
        .join(Household, Household.id == AlternateCollector.household_id)
        .where(AlternateCollector.id == alternate_id)
    ).first()
    if row is None or not user.can_access_camp(row.camp_id):
        return None
    return row[0]


def _clean(data: dict) -> dict:
    errors = ValidationErrors.collect()
    clean = {}
    for field, (longest, required) in FIELDS.items():
        value = " ".join(str(data.get(field) or "").split())
        if required and not value:
            errors.add(field, _("Enter the name."))
        elif len(value) > longest:
            errors.add(field, _("At most %(n)d characters.", n=longest))
        clean[field] = value or None
    errors.raise_if_any()
    return clean


def add_alternate(session: Session, actor: Actor, household: Household, data: dict) -> AlternateCollector:
    """Register someone who may collect for ``household`` (at most three at a time)."""
    clean = _clean(data)
    if household.status != "active":
        raise UserValueError(_("Only an active household can name alternate collectors."))
    if len(alternates_of(session, household.id)) >= MAX_ACTIVE:
        raise UserValueError(_("A household has at most %(n)d alternate collectors; remove one first.", n=MAX_ACTIVE))
    alternate = AlternateCollector(household_id=household.id, created_by_id=getattr(actor, "id", None), **clean)
    session.add(alternate)
    session.flush()
    log_object(session, actor, "distribution.alternate_add", "household", household, alternate=alternate.id)
    return alternate


def deactivate_alternate(session: Session, actor: Actor, alternate: AlternateCollector) -> None:
    """The person may no longer collect for the household (kept for the record of past collections)."""
    if not alternate.active:
        return
    alternate.active = False
    household = session.get(Household, alternate.household_id)
    log_object(session, actor, "distribution.alternate_remove", "household", household, alternate=alternate.id)
