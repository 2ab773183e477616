"""The real ``panoh serve --tls`` in Chromium (issue 12, finding 2): a camp that serves HTTPS so that
cameras work must still be able to sign in, register and scan. Browsers send a Referer on HTTPS
form posts only when the Referrer-Policy allows it, and the CSRF check insists on one."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.world import DEMO_PASSWORD
from tests.browser.fixtures import sign_in
from tests.serving import Serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tls_world(tmp_path_factory):
    """A small demo world in its own SQLite file, a round open today in KHR and one card to scan."""
    from app import create_app
    from app.cli import cli_session
    from app.demo.world import build_world
    from camps.distributions.rounds import create_round
    from camps.sites.models import Camp
    from registration.cards.models import Card
    from registration.cards.services import issue
    from registration.households.models import Household
    from tests.conftest import migrate

    folder = tmp_path_factory.mktemp("tls")
    url = f"sqlite:///{folder / 'tls.sqlite3'}"
    migrate(url)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder), "SECRET_KEY": "x", "ARGON2_PROFILE": "fast"})
    today = date.today()
    with app.app_context(), cli_session() as session:
        build_world(session, households=12, seed=5)
        camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
        household = session.scalars(
            select(Household)
            .where(
                Household.camp_id == camp.id,
                Household.status == "active",
                Household.id.not_in(select(Card.household_id)),
            )
            .order_by(Household.id)
        ).first()
        round_ = create_round(
            session,
            None,
            camp,
            {
                "name": "HTTPS round",
                "starts_on": today - timedelta(days=1),
                "ends_on": today + timedelta(days=6),
                "rule": "household",
                "statuses": ["active"],
                "alternates_allowed": False,
                "items": [{"name": "Wheat flour", "unit": "kg", "quantity": 25}],
            },
        )
        world = {
            "url": url,
            "folder": folder,
            "round_id": round_.id,
            "number": household.number,
            "code": issue(session, None, household, today).code,
        }
    app.extensions["panoh.db"].engine.dispose()
    yield world
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def tls_server(tls_world):
    with Serve(tls_world["url"], tls_world["folder"], workers=1, tls=True) as server:
        yield server


@pytest.fixture()
def tls_page(browser, tls_server):
    context = browser.new_context(
        base_url=tls_server.base_url, ignore_https_errors=True, viewport={"width": 1366, "height": 768}
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


def _collections(world) -> list[tuple[str, str]]:
    from app import create_app
    from app.cli import cli_session
    from camps.distributions.models import Collection
    from registration.households.models import Household

    app = create_app({"DATABASE_URL": world["url"], "INSTANCE_PATH": str(world["folder"]), "SECRET_KEY": "x"})
    try:
        with app.app_context(), cli_session() as session:
            return session.execute(
                select(Household.number, Collection.status)
                .join(Household, Household.id == Collection.household_id)
                .where(Collection.round_id == world["round_id"])
            ).all()
    finally:
        app.extensions["panoh.db"].engine.dispose()


def test_sign_in_register_and_scan_over_https(tls_page, tls_server, tls_world):
    page = tls_page
    assert tls_server.base_url.startswith("https://")

    # The desk: sign in, register a household of one.
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url(f"{tls_server.base_url}/")
    assert page.evaluate("window.isSecureContext")
    page.goto("/register")
    page.get_by_label("Told why their data is taken, and agreed").check()
    for name, value in (
        ("given_name", "Nasir"),
        ("given_name_orig", "ناصر"),
        ("father_name", "Jalil"),
        ("born", "1977"),
    ):
        page.locator(f'[name="members-0-{name}"]').fill(value)
    page.locator('[name="members-0-sex"]').select_option("m")
    page.locator('[name="members-0-relation_to_head"]').select_option("head")
    page.get_by_role("button", name="Save household").click()
    page.wait_for_url("**/households/KHR-*")
    expect(page.get_by_test_id("household-size")).to_have_text("1")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login*")

    # The distribution point: sign in, open the round's scan page, a USB scanner types the card.
    sign_in(page, "distribution", DEMO_PASSWORD)
    page.wait_for_url(f"{tls_server.base_url}/")
    page.goto(f"/distributions/rounds/{tls_world['round_id']}/scan")
    page.get_by_label("Distribution point").fill("DP-TLS")
    page.get_by_role("button", name="Save point").click()
    expect(page.get_by_test_id("package-state")).to_contain_text("Data loaded")
    field = page.get_by_label("Card code or household number")
    field.click()
    page.keyboard.type(tls_world["code"])
    page.keyboard.press("Enter")
    outcome = page.get_by_test_id("scan-outcome")
    expect(outcome).to_have_attribute("data-outcome", "valid")
    page.get_by_role("button", name="Record collection").click()
    expect(outcome).to_have_attribute("data-outcome", "recorded")
    assert _collections(tls_world) == [(tls_world["number"], "ok")]
    assert "The referrer header is missing" not in tls_server.log_text()


def test_a_cross_site_form_post_is_still_refused(tls_server):
    """The CSRF check stays on: a post from another site (its own Referer, no token) is refused."""
    conn = tls_server.connection()
    try:
        conn.request(
            "POST",
            "/login",
            body="username=clerk&password=x",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": "https://evil.example/",
                "Origin": "https://evil.example",
            },
        )
        response = conn.getresponse()
        assert response.status == 400
        response.read()
    finally:
        conn.close()


def test_pages_over_https_tell_browsers_to_keep_the_referrer_on_this_site(tls_server):
    conn = tls_server.connection()
    try:
        conn.request("GET", "/login")
        response = conn.getresponse()
        response.read()
        assert response.getheader("Referrer-Policy") == "same-origin"
        assert response.getheader("Strict-Transport-Security")
    finally:
        conn.close()
