"""In real Chromium: a protection officer is alerted to a sensitive case due soon and can close it only by
saying how it ended; the help-desk tablet clears the previous person's message by itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser


def _sensitive_case_due_soon(live_app) -> str:
    """An anonymous sensitive case in KHR received 60 hours ago (due in 12)."""
    from app.cli import cli_session
    from app.db import utcnow
    from camps.feedback.services import camp_today, intake
    from camps.sites.models import Camp

    received = utcnow() - timedelta(hours=60)
    with live_app.app_context(), cli_session() as session:
        camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
        data = {
            "channel": "hotline",
            "received_on": camp_today(received),
            "type": "sensitive",
            "sensitive_category": "misconduct",
            "sector": "protection",
            "language": "fa",
            "description": "یک کارمند در صف غذا پول خواست",
            "household": "",
            "person_seq": None,
            "anonymous": True,
            "consent_to_contact": False,
            "contact": "",
        }
        return intake(session, None, camp, data, now=received).reference


def test_a_sensitive_case_due_soon_is_flagged_and_closes_only_with_its_outcome(page, live_app, live_user):
    reference = _sensitive_case_due_soon(live_app)
    username, password = live_user("protection_officer", ["KHR"])
    sign_in(page, username, password)
    page.wait_for_url("**/")
    badge = page.get_by_test_id("nav-badge")
    expect(badge).to_be_visible()
    badge.click()
    page.goto("/feedback?due=soon")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("case-due-soon")).to_be_visible()
    close = page.get_by_test_id("close-sensitive")
    close.get_by_role("button", name="Close the case").click()
    expect(page.get_by_test_id("case-status")).to_have_text("New")
    expect(page.locator("main")).to_contain_text("Choose how the case ended.")
    close = page.get_by_test_id("close-sensitive")
    close.get_by_label("The person could not be reached").check()
    close.get_by_label("Referred to whom").fill("Hotline number called back twice, switched off.")
    close.get_by_label("I confirm the case is finished").check()
    close.get_by_role("button", name="Close the case").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Closed")
    expect(page.get_by_test_id("case-outcome")).to_have_text("The person could not be reached")
    expect(page.get_by_test_id("nav-badge")).to_have_count(0)
    assert page.console_errors == []


def _kiosk_secret(live_app) -> str:
    from app.cli import cli_session
    from camps.feedback.services import create_kiosk, reset_kiosk_limits
    from camps.sites.models import Camp

    reset_kiosk_limits()
    with live_app.app_context(), cli_session() as session:
        camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
        return create_kiosk(session, None, camp, "Tablet by the water point")[1]


def test_the_kiosk_clears_the_previous_persons_message(browser, live_server, live_app):
    secret = _kiosk_secret(live_app)
    tablet = browser.new_context(base_url=live_server, viewport={"width": 800, "height": 600})
    tablet.set_default_timeout(20_000)
    kiosk = tablet.new_page()
    kiosk.clock.install()
    kiosk.goto(f"/kiosk/{secret}?lang=tg")
    kiosk.locator('label[for="type-question"]').click()
    kiosk.locator('label[for="sector-food"]').click()
    kiosk.locator("#description").fill("Тақсимоти орд кай мешавад?")
    kiosk.locator(".kiosk-submit").click()
    reference = kiosk.get_by_test_id("kiosk-reference").inner_text().strip()
    assert reference.startswith("FB-KHR-")
    kiosk.wait_for_load_state("load")  # the page's script has armed its timer (on a slow machine, later)
    kiosk.clock.run_for(31_000)  # the thanks page, with its case number, clears itself
    expect(kiosk.get_by_test_id("kiosk-form")).to_be_visible()
    expect(kiosk.locator("body")).not_to_contain_text(reference)
    kiosk.go_back()  # nor does "back" bring it back
    expect(kiosk.locator("body")).not_to_contain_text(reference)

    kiosk.goto(f"/kiosk/{secret}")
    kiosk.wait_for_load_state("load")
    kiosk.locator("#description").fill("نام من احمد است و ...")
    kiosk.clock.run_for(121_000)  # a half-typed message left on the tablet is cleared too
    expect(kiosk.locator("#description")).to_have_value("")

    kiosk.locator('label[for="type-thanks"]').click()
    kiosk.locator('label[for="sector-health"]').click()
    kiosk.locator("#description").fill("تشکر از داکتر")
    kiosk.locator(".kiosk-submit").click()
    expect(kiosk.get_by_test_id("kiosk-reference")).to_be_visible()
    kiosk.get_by_test_id("kiosk-done").click()  # "done" clears at once
    expect(kiosk.get_by_test_id("kiosk-form")).to_be_visible()
    expect(kiosk.locator("#description")).to_have_value("")
    tablet.close()


def test_the_due_soon_list_shows_the_due_time_without_scrolling_at_800px_in_tajik(
    browser, live_server, live_app, live_user
):
    """Regression: at 800 px in Tajik the Due column (with its "due soon" badge) sat off screen to the
    right of the table, and "what was said" broke after every few letters."""
    reference = _sensitive_case_due_soon(live_app)
    username, password = live_user("protection_officer", ["KHR"])
    context = browser.new_context(base_url=live_server, viewport={"width": 800, "height": 600})
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, username, password)
    page.wait_for_url("**/")
    with page.expect_navigation():
        page.locator("#language").select_option("tg")
    page.goto("/feedback?due=soon")
    row = page.locator('[data-testid="cases"] tbody tr', has=page.get_by_role("link", name=reference))
    badge = row.locator('[data-due-soon="1"]').bounding_box()
    assert badge["x"] >= 0 and badge["x"] + badge["width"] <= 800
    excerpt = row.locator(".feedback-excerpt").bounding_box()
    assert excerpt["height"] < 5 * 24, excerpt  # a few lines, not one syllable a line
    page.screenshot(path="test-artifacts/feedback-due-soon-800-tg.png")
    context.close()


def test_at_800px_the_alert_shows_beside_the_folded_menu(browser, live_server, live_app, live_user):
    """Regression: below 1200 px the menu folds behind its button and the badge folded with it: a
    protection officer on a small laptop or tablet saw no alert at all."""
    _sensitive_case_due_soon(live_app)
    username, password = live_user("protection_officer", ["KHR"])
    context = browser.new_context(base_url=live_server, viewport={"width": 800, "height": 600})
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, username, password)
    page.wait_for_url("**/")
    expect(page.get_by_test_id("nav-badge")).to_be_hidden()  # inside the folded menu
    badge = page.get_by_test_id("menu-badge")
    expect(badge).to_be_visible()
    assert int(badge.inner_text().split()[0]) >= 1
    page.screenshot(path="test-artifacts/menu-badge-800.png", clip={"x": 0, "y": 0, "width": 800, "height": 120})
    badge.click()
    page.wait_for_url("**/feedback*")
    context.close()
