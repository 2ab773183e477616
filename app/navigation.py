"""The main menu: each entry shows only to users holding its permission."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import permissions as P

#: (endpoint, title, permission)
MENU = (
    ('households.list_households', _l('Households'), P.HOUSEHOLDS_VIEW),
    ('sites.list_camps', _l('Camps'), P.CAMPS_VIEW),
    ('users.list_users', _l('Users'), P.USERS_MANAGE),
    ('audit.list_events', _l('Audit log'), P.AUDIT_VIEW),
)


def nav_items() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [(endpoint, title) for endpoint, title, perm in MENU if current_user.can(perm)]
