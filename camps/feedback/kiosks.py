"""Help-desk tablets (kiosks): a secret link per device instead of an account, and a rate limit.

Only the SHA-256 digest of a kiosk's secret is stored (like API tokens); the secret is shown once.
The rate limit is counted in the database (``app.ratelimit``), so it holds however many worker
processes serve: it protects against a stuck button or a leaked link.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app import ratelimit, secret_links
from app.scoping import scope_to_user
from app.users.actors import Actor
from camps.feedback.models import Kiosk
from camps.sites.models import Camp

#: (window, most cases allowed in it) per device
LIMITS = ((timedelta(minutes=10), 5), (timedelta(hours=1), 20))
_SCOPE = "kiosk"


KIOSKS = secret_links.DeviceLinks(
    Kiosk, "kiosk", _l("Name the tablet (at most 80 characters), e.g. “Help desk, block 3”.")
)


def create_kiosk(session: Session, actor: Actor, camp: Camp, name: str) -> tuple[Kiosk, str]:
    """Register a tablet for ``camp``; the clear secret is returned once and never stored."""
    return KIOSKS.open(session, actor, camp, name)


def revoke_kiosk(session: Session, actor: Actor, kiosk: Kiosk) -> None:
    """Stop a tablet's link from working (lost or stolen device); revoking twice does nothing."""
    KIOSKS.revoke(session, actor, kiosk)


def kiosk_for_secret(session: Session, secret: str | None) -> Kiosk | None:
    """The kiosk whose link carries this secret, or None when unknown or revoked."""
    return KIOSKS.for_secret(session, secret)


def visible_kiosks(user, camp_id: int | None = None) -> Select:
    """Kiosks in the user's camps, working ones first."""
    query = scope_to_user(select(Kiosk), user, Kiosk.camp_id)
    return KIOSKS.working_first(query.where(Kiosk.camp_id == camp_id) if camp_id else query)


def kiosk_allows(kiosk_id: int | None, remote_addr: str | None, now: datetime | None = None) -> bool:
    """Count one case from a kiosk, or refuse it: at most 5 per device in 10 minutes, 20 in an hour.

    The device is the kiosk; without one (an unknown link) the address is counted instead.
    A refused attempt is not counted.
    """
    key = f"kiosk:{kiosk_id}" if kiosk_id is not None else f"address:{remote_addr or 'unknown'}"
    return ratelimit.hit(_SCOPE, key, LIMITS, now=now)


def reset_kiosk_limits() -> None:
    """Forget every count (tests); outside an application there is nothing to forget."""
    if has_app_context():
        ratelimit.clear(_SCOPE)
