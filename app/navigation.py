"""The main menu: each entry shows only to users holding its permission."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import permissions as P

#: (endpoint, title, what the start page says about it, permission)
MENU = (
    ('households.list_households', _l('Households'), _l('Find a registered household by its number.'),
     P.HOUSEHOLDS_VIEW),
    ('sites.list_camps', _l('Camps'), _l('Camps you work in, with their population.'), P.CAMPS_VIEW),
    ('users.list_users', _l('Users'), _l('Staff accounts, roles, camps, locked accounts.'), P.USERS_MANAGE),
    ('audit.list_events', _l('Audit log'), _l('Who did what, when, and from where.'), P.AUDIT_VIEW),
)


def nav_items() -> list[tuple[str, str, str]]:
    """(endpoint, title, description) of the menu entries the current user may open."""
    if not current_user.is_authenticated:
        return []
    return [(endpoint, title, text) for endpoint, title, text, perm in MENU if current_user.can(perm)]
