"""Devices that open a page with a secret link instead of an account (help-desk tablets, notice-board
screens): only the secret's SHA-256 digest is stored, the secret is shown once, and revoking the link
stops it at once. The model has the columns of ``app.mixins.SecretLinkDevice``; the audit names it by
``kind`` (``kiosk.create``, ``noticeboard.revoke``). ``DeviceLinks`` binds the three steps to one kind.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.db import utcnow
from app.errors import UserValueError
from app.mixins import SecretLinkDevice
from app.users.actors import Actor
from app.users.services import secret_digest

NAME_MAX = 80
SECRET_MAX = 200


def open_link(session: Session, actor: Actor, model, kind: str, camp, name: str, name_message: str):
    """Give ``camp`` a new device named ``name``; returns it and its clear secret (never stored)."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise UserValueError(name_message, field="name")
    secret = secrets.token_urlsafe(24)
    device = model(
        camp_id=camp.id, name=name, token_digest=secret_digest(secret), created_by_id=getattr(actor, "id", None)
    )
    session.add(device)
    session.flush()
    log_action(session, actor, f"{kind}.create", object_type=kind, object_id=device.id, camp_id=camp.id)
    return device, secret


def revoke_link(session: Session, actor: Actor, device, kind: str) -> None:
    """Stop the device's link from working; revoking twice does nothing."""
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        log_action(session, actor, f"{kind}.revoke", object_type=kind, object_id=device.id, camp_id=device.camp_id)


def device_for_secret(session: Session, model, secret: str | None):
    """The device whose link carries this secret, or None when unknown or revoked."""
    if not secret or len(secret) > SECRET_MAX:
        return None
    device = session.scalar(select(model).where(model.token_digest == secret_digest(secret)))
    return device if device is not None and device.revoked_at is None else None


@dataclass(frozen=True)
class DeviceLinks:
    """The secret links of one kind of device: its model, its audit ``kind``, and the message shown when
    a new device's name is missing or too long."""

    model: type[SecretLinkDevice]
    kind: str
    name_message: object  # a lazy gettext string, translated when shown

    def open(self, session: Session, actor: Actor, camp, name: str):
        return open_link(session, actor, self.model, self.kind, camp, name, str(self.name_message))

    def revoke(self, session: Session, actor: Actor, device) -> None:
        revoke_link(session, actor, device, self.kind)

    def for_secret(self, session: Session, secret: str | None):
        return device_for_secret(session, self.model, secret)

    def working_first(self, query: Select) -> Select:
        """``query`` over the devices ordered for a list: working ones first, then by name."""
        return query.order_by(self.model.revoked_at.is_not(None), self.model.name, self.model.id)
