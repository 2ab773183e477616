"""The pages each role reaches: its menu, and from each menu page one page per linked endpoint (a household,
a camp, a round, a case…). Shared by the untranslated-text test and the accessibility test.

Walked with Flask's test client (fast); the browser tests then open the same paths in Chromium.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from app.demo.world import STAFF

#: accounts of their own with the demo staff's roles and camps (``walk.clerk``…), one per role, so that choosing
#: a language (saved on the account) does not change what other tests see as the demo accounts
ROLE_ACCOUNTS = tuple(f"walk.{username}" for username, *_rest in STAFF if username != "clerk.shr")
PASSWORD = "walk every page"  # noqa: S105 - test accounts only
#: endpoints that are not pages: downloads, photos, JSON, actions reached by GET
NOT_PAGES = re.compile(
    r"(^static$|^api|_api\.|\.logout$|set_language|healthz|photo|pdf|download|xlsform|"
    r"export_file|manifest|service_worker|progress|\.openapi|public_keys|revoked|\.csv|\.xlsx)"
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith("//"):
            self.links.append(href.split("#")[0])


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def sign_in(client, username: str, password: str = PASSWORD) -> None:
    page = client.get("/login").data.decode()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 302, f"{username} could not sign in"


def ensure_examples(app) -> None:
    """The walking accounts, and a feedback case and a distribution round in KHR so that their pages are walked too
    (the demo has none)."""
    from datetime import date, timedelta

    from sqlalchemy import func, select

    from app.auth.services import find_user
    from app.cli import cli_session
    from app.users.services import create_user
    from camps.distributions.models import DistributionRound
    from camps.distributions.rounds import create_round
    from camps.feedback.models import FeedbackCase
    from camps.feedback.services import intake
    from camps.sites.models import Camp

    with app.app_context(), cli_session() as session:
        for username, full_name, roles, codes in STAFF:
            if f"walk.{username}" in ROLE_ACCOUNTS and find_user(session, f"walk.{username}") is None:
                camp_ids = [session.scalar(select(Camp.id).where(Camp.code == c)) for c in codes]
                create_user(
                    session,
                    None,
                    username=f"walk.{username}",
                    full_name=full_name,
                    password=PASSWORD,
                    roles=roles,
                    camp_ids=camp_ids,
                    all_camps=not codes,
                    must_change_password=False,
                )
        camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
        if not session.scalar(select(func.count()).select_from(FeedbackCase)):
            intake(
                session,
                find_user(session, "feedback"),
                camp,
                {
                    "channel": "help_desk",
                    "received_on": date.today(),
                    "type": "assistance_request",
                    "sensitive_category": None,
                    "sector": "shelter",
                    "description": "The tent leaks when it rains.",
                    "language": "fa",
                    "household": "",
                    "anonymous": False,
                    "consent_to_contact": False,
                    "contact": "",
                    "person_seq": None,
                },
            )
        if not session.scalar(select(func.count()).select_from(DistributionRound)):
            today = date.today()
            create_round(
                session,
                find_user(session, "site"),
                camp,
                {
                    "name": "Winter kits",
                    "starts_on": today - timedelta(days=1),
                    "ends_on": today + timedelta(days=7),
                    "rule": "household",
                    "brackets": "",
                    "statuses": ["active"],
                    "alternates_allowed": True,
                    "items": [{"name": "Blanket", "unit": "piece", "quantity": 2}],
                },
            )


def role_pages(app, username: str, limit: int = 40) -> list[str]:
    """Paths of the HTML pages ``username`` reaches in two steps from the start page, one per endpoint."""
    adapter = app.url_map.bind("localhost")
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.15.0.{ROLE_ACCOUNTS.index(username) + 1}"
    sign_in(client, username)
    seen_endpoints: set[str] = set()
    pages: list[str] = []
    frontier = ["/"]
    for _depth in range(3):
        found = []
        for path in frontier:
            parts = urlsplit(path)
            try:
                endpoint, _args = adapter.match(parts.path, method="GET")
            except Exception:  # noqa: S112 - a link to somewhere not served here (404, method)
                continue
            if endpoint in seen_endpoints or NOT_PAGES.search(endpoint) or len(pages) >= limit:
                continue
            seen_endpoints.add(endpoint)
            response = client.get(path)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            pages.append(path)
            found.extend(links(response.data.decode()))
        frontier = found
    return pages
