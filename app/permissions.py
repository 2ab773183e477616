"""Named permissions, the roles that bundle them, and the decorator every route declares.

Permissions are plain strings named ``<domain>.<verb>``. A user holds one or more roles and is
scoped to a set of camps (or all camps); ``user.can(perm)`` checks the first,
:func:`app.scoping.scope_to_user` (every query of camp data goes through it) the second.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, current_app, g
from flask_babel import lazy_gettext as _l
from flask_login import current_user

# --- permissions ---------------------------------------------------------------------------
USERS_MANAGE = "users.manage"
AUDIT_VIEW = "audit.view"
CAMPS_VIEW = "camps.view"
CAMPS_MANAGE = "camps.manage"
CAMPS_CREATE = "camps.create"
HOUSEHOLDS_VIEW = "households.view"
HOUSEHOLDS_REGISTER = "households.register"
HOUSEHOLDS_EDIT = "households.edit"
DEDUP_REVIEW = "dedup.review"
CARDS_PRINT = "cards.print"
CARDS_MANAGE = "cards.manage"
CARDS_VERIFY = "cards.verify"
KEYS_MANAGE = "keys.manage"
PLOTS_VIEW = "plots.view"
PLOTS_MANAGE = "plots.manage"
DISTRIBUTIONS_MANAGE = "distributions.manage"
DISTRIBUTIONS_RECORD = "distributions.record"
FEEDBACK_LOG = "feedback.log"
FEEDBACK_MANAGE = "feedback.manage"
FEEDBACK_SENSITIVE = "feedback.view_sensitive"
FEEDBACK_FIGURES = "feedback.figures"
KIOSKS_MANAGE = "kiosks.manage"
PROTECTION_VIEW = "protection.view"
FIGURES_VIEW = "figures.view"
EXPORT_AGGREGATE = "exports.aggregate"
EXPORT_PERSONAL = "exports.personal"
#: print everything held about a household for the family (data-subject access)
SUBJECT_REPORT = "households.subject_report"
#: write messages to the camp's people, print notices, send approved messages
COMMUNICATION_WRITE = "communication.write"
#: check and approve another person's message (never one's own), open notice-board links
COMMUNICATION_APPROVE = "communication.approve"

ALL_PERMISSIONS = frozenset(
    {
        USERS_MANAGE,
        AUDIT_VIEW,
        CAMPS_VIEW,
        CAMPS_MANAGE,
        CAMPS_CREATE,
        HOUSEHOLDS_VIEW,
        HOUSEHOLDS_REGISTER,
        HOUSEHOLDS_EDIT,
        DEDUP_REVIEW,
        CARDS_PRINT,
        CARDS_MANAGE,
        CARDS_VERIFY,
        KEYS_MANAGE,
        PLOTS_VIEW,
        PLOTS_MANAGE,
        DISTRIBUTIONS_MANAGE,
        DISTRIBUTIONS_RECORD,
        FEEDBACK_LOG,
        FEEDBACK_MANAGE,
        FEEDBACK_SENSITIVE,
        FEEDBACK_FIGURES,
        KIOSKS_MANAGE,
        PROTECTION_VIEW,
        FIGURES_VIEW,
        EXPORT_AGGREGATE,
        EXPORT_PERSONAL,
        SUBJECT_REPORT,
        COMMUNICATION_WRITE,
        COMMUNICATION_APPROVE,
    }
)
#: national acts: only an account with all camps has them, whatever its roles (a camp administrator
#: runs its camps; the key that signs every camp's cards and the list of camps are headquarters')
NATIONAL_PERMISSIONS = frozenset({KEYS_MANAGE, CAMPS_CREATE})

# --- roles (design.md §1) --------------------------------------------------------------------
ADMIN = "admin"
CLERK = "registration_clerk"
SUPERVISOR = "registration_supervisor"
SITE_MANAGER = "site_manager"
DISTRIBUTION_OFFICER = "distribution_officer"
FEEDBACK_OFFICER = "feedback_officer"
PROTECTION_OFFICER = "protection_officer"
VIEWER = "viewer"
COMMUNICATION_OFFICER = "communication_officer"

_CLERK = {
    CAMPS_VIEW,
    HOUSEHOLDS_VIEW,
    HOUSEHOLDS_REGISTER,
    CARDS_PRINT,
    CARDS_VERIFY,
    FEEDBACK_LOG,
    PLOTS_VIEW,
    EXPORT_PERSONAL,
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Admins run the system (accounts, camps, keys, audit); they see no refugee by default.
    ADMIN: frozenset(
        {
            USERS_MANAGE,
            AUDIT_VIEW,
            CAMPS_VIEW,
            CAMPS_MANAGE,
            CAMPS_CREATE,
            KEYS_MANAGE,
            FIGURES_VIEW,
            EXPORT_AGGREGATE,
            PLOTS_VIEW,
            KIOSKS_MANAGE,
            FEEDBACK_FIGURES,
        }
    ),
    CLERK: frozenset(_CLERK),
    SUPERVISOR: frozenset(
        _CLERK
        | {
            HOUSEHOLDS_EDIT,
            DEDUP_REVIEW,
            CARDS_MANAGE,
            FIGURES_VIEW,
            EXPORT_AGGREGATE,
            FEEDBACK_FIGURES,
            SUBJECT_REPORT,
        }
    ),
    SITE_MANAGER: frozenset(
        {
            CAMPS_VIEW,
            HOUSEHOLDS_VIEW,
            PLOTS_VIEW,
            PLOTS_MANAGE,
            DISTRIBUTIONS_MANAGE,
            FIGURES_VIEW,
            EXPORT_AGGREGATE,
            FEEDBACK_LOG,
            CARDS_VERIFY,
            FEEDBACK_FIGURES,
            COMMUNICATION_WRITE,
            COMMUNICATION_APPROVE,
        }
    ),
    DISTRIBUTION_OFFICER: frozenset({CAMPS_VIEW, DISTRIBUTIONS_RECORD, FEEDBACK_LOG, CARDS_VERIFY}),
    FEEDBACK_OFFICER: frozenset(
        {CAMPS_VIEW, FEEDBACK_LOG, FEEDBACK_MANAGE, CARDS_VERIFY, FEEDBACK_FIGURES, COMMUNICATION_WRITE}
    ),
    PROTECTION_OFFICER: frozenset(
        {
            CAMPS_VIEW,
            HOUSEHOLDS_VIEW,
            FEEDBACK_LOG,
            FEEDBACK_MANAGE,
            FEEDBACK_SENSITIVE,
            PROTECTION_VIEW,
            CARDS_VERIFY,
            PLOTS_VIEW,
            FEEDBACK_FIGURES,
            FIGURES_VIEW,
            EXPORT_AGGREGATE,
            EXPORT_PERSONAL,
            SUBJECT_REPORT,
        }
    ),
    VIEWER: frozenset({CAMPS_VIEW, FIGURES_VIEW, EXPORT_AGGREGATE, PLOTS_VIEW, FEEDBACK_FIGURES}),
    # Communication staff write messages to the camp's people; a second one checks each before it goes out.
    COMMUNICATION_OFFICER: frozenset({CAMPS_VIEW, COMMUNICATION_WRITE, COMMUNICATION_APPROVE, FEEDBACK_FIGURES}),
}
ROLES = tuple(ROLE_PERMISSIONS)

ROLE_TITLES = {
    ADMIN: _l("Administrator"),
    CLERK: _l("Registration clerk"),
    SUPERVISOR: _l("Registration supervisor"),
    SITE_MANAGER: _l("Site manager"),
    DISTRIBUTION_OFFICER: _l("Distribution officer"),
    FEEDBACK_OFFICER: _l("Feedback officer"),
    PROTECTION_OFFICER: _l("Protection officer"),
    VIEWER: _l("Viewer"),
    COMMUNICATION_OFFICER: _l("Communication officer"),
}

assert all(p <= ALL_PERMISSIONS for p in ROLE_PERMISSIONS.values())


def permissions_for(roles, all_camps: bool = True) -> frozenset[str]:
    """What ``roles`` allow; without all camps, none of the national permissions."""
    perms: set[str] = set()
    for role in roles:
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms if all_camps else perms - NATIONAL_PERMISSIONS)


# --- route declarations ----------------------------------------------------------------------
PUBLIC = "public"
AUTHENTICATED = "authenticated"


def _deny():
    if not current_user.is_authenticated:
        if g.get("api_request"):
            abort(401)
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]  # set by Flask-Login
    abort(403)


_View = TypeVar("_View", bound=Callable[..., Any])


def requires(requirement: str) -> Callable[[_View], _View]:
    """Declare who may use a view: ``PUBLIC``, ``AUTHENTICATED`` or a permission name."""
    if requirement not in (PUBLIC, AUTHENTICATED) and requirement not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {requirement!r}")

    def decorator(view: _View) -> _View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if requirement != PUBLIC:
                if not current_user.is_authenticated:
                    return _deny()
                if requirement != AUTHENTICATED and not current_user.can(requirement):
                    return _deny()
            return view(*args, **kwargs)

        # read by the route check and the permission matrix test (an attribute on a function: no type can say so)
        wrapped.panoh_requirement = requirement  # type: ignore[attr-defined]
        return cast(_View, wrapped)

    return decorator


def undeclared_endpoints(app) -> list[str]:
    """Endpoints whose view does not declare who may use it (the factory refuses to start)."""
    return sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "panoh_requirement")
    )
