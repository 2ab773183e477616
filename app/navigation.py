"""The main menu: each entry shows only to users holding its permission."""

from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import permissions as P

#: (endpoint, title, what the start page says about it, permission)
MENU = (
    (
        "households.register_household",
        _l("Register"),
        _l("Register an arriving household at the desk."),
        P.HOUSEHOLDS_REGISTER,
    ),
    (
        "households.list_households",
        _l("Households"),
        _l("Find a household by number, name in any script, phone or tazkira."),
        P.HOUSEHOLDS_VIEW,
    ),
    ("dedup.review_queue", _l("Duplicates"), _l("Review people who may be registered twice."), P.DEDUP_REVIEW),
    (
        "imports.upload",
        _l("Lists"),
        _l("Import pre-registration lists from border posts or KoboToolbox."),
        P.HOUSEHOLDS_REGISTER,
    ),
    ("cards.print_queue", _l("Cards"), _l("Print ID cards for households that have none."), P.CARDS_PRINT),
    ("cards.verify_card", _l("Check a card"), _l("Scan or paste a card’s QR code to check it."), P.CARDS_VERIFY),
    (
        "scan.index",
        _l("Distribute"),
        _l("Scan cards at a distribution point, online or offline."),
        P.DISTRIBUTIONS_RECORD,
    ),
    (
        "feedback.new_case",
        _l("Log feedback"),
        _l("Record a question, request, suggestion or complaint."),
        P.FEEDBACK_LOG,
    ),
    ("feedback.list_cases", _l("Cases"), _l("Feedback cases to answer: due, overdue, referred."), P.FEEDBACK_MANAGE),
    (
        "allocation.site_home",
        _l("Site"),
        _l("Site plans, plots, occupancy, and households waiting for a plot."),
        P.PLOTS_VIEW,
    ),
    (
        "distributions.list_rounds",
        _l("Rounds"),
        _l("Distribution rounds, what each household gets, and who has collected."),
        P.DISTRIBUTIONS_MANAGE,
    ),
    (
        "communication.list_messages",
        _l("Messages"),
        _l("Notices, reminders and answers to the camp’s people, in their languages: write, check, print, send."),
        P.COMMUNICATION_WRITE,
    ),
    (
        "figures.dashboard_page",
        _l("Figures"),
        _l("People by sex and age, arrivals, needs, occupancy, coverage; HXL statistics and situation reports."),
        P.FIGURES_VIEW,
    ),
    ("exports.export_lists", _l("Exports"), _l("Person and household lists for a stated purpose."), P.EXPORT_PERSONAL),
    (
        "feedback_dashboard.dashboard",
        _l("Feedback figures"),
        _l("Feedback by type, sector and week; answered in time."),
        P.FEEDBACK_FIGURES,
    ),
    ("sites.list_camps", _l("Camps"), _l("Camps you work in, with their population."), P.CAMPS_VIEW),
    ("users.list_users", _l("Users"), _l("Staff accounts, roles, camps, locked accounts."), P.USERS_MANAGE),
    ("cards.signing_keys", _l("Card keys"), _l("Keys that sign ID cards; rotate them."), P.KEYS_MANAGE),
    ("feedback.kiosks", _l("Kiosks"), _l("Help-desk tablets where refugees give feedback."), P.KIOSKS_MANAGE),
    (
        "communication.boards",
        _l("Notice boards"),
        _l("Screens that show the camp’s current notices."),
        P.COMMUNICATION_APPROVE,
    ),
    ("audit.list_events", _l("Audit log"), _l("Who did what, when, and from where."), P.AUDIT_VIEW),
)


#: endpoint -> fn(user) giving (count, what the count means) for a badge beside the menu entry; domain
#: packages register theirs (``register_badge``) so the menu need not import them
_BADGES: dict[str, Callable[[object], tuple[int, str]]] = {}


def register_badge(endpoint: str, count: Callable[[object], tuple[int, str]]) -> None:
    _BADGES[endpoint] = count


def nav_badge(endpoint: str) -> tuple[int, str] | None:
    """The badge of a menu entry for the current user, or None when there is nothing to flag."""
    count = _BADGES.get(endpoint)
    if count is None or not current_user.is_authenticated:
        return None
    number, label = count(current_user)
    return (number, label) if number else None


def nav_items() -> list[tuple[str, str, str]]:
    """(endpoint, title, description) of the menu entries the current user may open."""
    if not current_user.is_authenticated:
        return []
    return [(endpoint, title, text) for endpoint, title, text, perm in MENU if current_user.can(perm)]


def active_item() -> str | None:
    """The menu entry of the current page: itself, else its section's list (a household page → Households)."""
    endpoints = [endpoint for endpoint, *_rest in MENU]
    if request.endpoint in endpoints:
        return request.endpoint
    same = [e for e in endpoints if e.split(".")[0] == request.blueprint]
    return next((e for e in same if ".list_" in e), same[0] if same else None)
