"""Feedback in real Chromium: a case from the help-desk tablet in Dari goes through the whole loop,
and a sensitive case logged at a distribution point reaches only the protection officer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser
DARI = "آب در بلاک سه دو روز است که نیامده است"


def _kiosk_secret(live_app) -> str:
    from app.cli import cli_session
    from camps.feedback.services import create_kiosk, reset_kiosk_limits
    from camps.sites.models import Camp

    reset_kiosk_limits()
    with live_app.app_context(), cli_session() as session:
        camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
        return create_kiosk(session, None, camp, "Help desk tablet")[1]


def _round_and_card(live_app) -> tuple[int, str, str]:
    """A round open today in KHR and a valid card of an active household without one."""
    from app.cli import cli_session
    from camps.distributions.rounds import create_round
    from camps.sites.models import Camp
    from registration.cards.models import Card
    from registration.cards.services import issue
    from registration.households.models import Household

    today = date.today()
    with live_app.app_context(), cli_session() as session:
        camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
        household = session.scalars(
            select(Household)
            .where(
                Household.camp_id == camp.id,
                Household.status == "active",
                Household.id.not_in(select(Card.household_id)),
            )
            .order_by(Household.id.desc())
        ).first()
        round_ = create_round(
            session,
            None,
            camp,
            {
                "name": "Feedback round",
                "starts_on": today - timedelta(days=1),
                "ends_on": today + timedelta(days=3),
                "rule": "household",
                "statuses": ["active"],
                "items": [{"name": "Hygiene kit", "unit": "kit", "quantity": 1}],
            },
        )
        return round_.id, issue(session, None, household, today).code, household.number


def _views_audited(live_app, username: str, reference: str) -> int:
    from app.audit.models import AuditEvent
    from app.cli import cli_session
    from app.users.models import User

    with live_app.app_context(), cli_session() as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        return session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == "feedback.view_sensitive",
                AuditEvent.user_id == user_id,
                AuditEvent.object_id == reference,
            )
        )


def test_a_kiosk_case_in_dari_goes_round_the_whole_loop(page, browser, live_server, live_app, live_user):
    secret = _kiosk_secret(live_app)
    tablet = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
    kiosk = tablet.new_page()
    kiosk.goto(f"/kiosk/{secret}")
    assert kiosk.locator("html").get_attribute("dir") == "rtl"
    kiosk.locator('label[for="type-complaint"]').click()
    kiosk.locator('label[for="sector-wash"]').click()
    kiosk.locator("#description").fill(DARI)
    kiosk.locator("#consent_to_contact").check()
    kiosk.locator("#contact").fill("+992 91 555 0101")
    kiosk.locator(".kiosk-submit").click()
    reference = kiosk.get_by_test_id("kiosk-reference").inner_text().strip()
    assert reference.startswith("FB-KHR-")
    tablet.close()

    username, password = live_user("feedback_officer", ["KHR"])
    sign_in(page, username, password)
    page.wait_for_url("**/")
    page.goto("/feedback")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("case-description")).to_have_text(DARI)
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Acknowledged")
    refer = page.locator('form[data-action="refer"]')
    refer.get_by_label("Referred to").fill("WASH focal point, UNICEF")
    refer.get_by_role("button", name="Refer").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Referred")
    respond = page.locator('form[data-action="respond"]')
    respond.get_by_label("Response").fill("The water truck now comes to block 3 every morning.")
    respond.get_by_role("button", name="Record the response").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Responded")
    # the case cannot close before the person is told the response
    expect(page.get_by_role("button", name="Close the case")).to_have_count(0)
    told = page.locator('form[data-action="communicate"]')
    told.get_by_label("How the person was told").fill("by phone")
    told.get_by_role("button", name="Record that the person was told").click()
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Closed")
    # created, acknowledged, referred, responded, told, closed
    expect(page.get_by_test_id("case-history").locator("li")).to_have_count(6)
    assert page.console_errors == []


def test_a_sensitive_case_from_a_distribution_point_reaches_only_protection(browser, live_server, live_app, live_user):
    round_id, code, number = _round_and_card(live_app)

    def signed_in(role, camps=("KHR",)):
        context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 768})
        context.set_default_timeout(20_000)
        new_page = context.new_page()
        username, password = live_user(role, list(camps))
        sign_in(new_page, username, password)
        new_page.wait_for_url("**/")
        return new_page, username

    officer, _name = signed_in("distribution_officer")
    officer.goto(f"/distributions/rounds/{round_id}/scan")
    officer.get_by_label("Card code or household number").fill(code)
    officer.keyboard.press("Enter")
    link = officer.get_by_test_id("outcome-feedback-link")
    expect(link).to_be_visible()
    link.click()
    expect(officer.get_by_label("Household number (if the person gave it)")).to_have_value(number)
    officer.get_by_label("Type").select_option("sensitive")
    expect(officer.get_by_test_id("sensitive-warning")).to_contain_text("Do not investigate")
    officer.get_by_label("What the sensitive complaint is about").select_option("sea")
    officer.get_by_label("Sector").select_option("distribution")
    officer.get_by_label("What the person said").fill("A man at the food line asked for favours in exchange for more.")
    officer.get_by_role("button", name="Save").click()
    confirmation = officer.get_by_test_id("logged")
    expect(confirmation).to_contain_text("protection")
    reference = officer.get_by_test_id("logged-reference").inner_text().strip()
    expect(confirmation).not_to_contain_text("favours")

    feedback, _name = signed_in("feedback_officer")
    feedback.goto("/feedback")
    expect(feedback.locator("main")).not_to_contain_text(reference)
    assert feedback.goto(f"/feedback/cases/{reference}").status == 404
    assert feedback.request.get(f"/api/v1/feedback/{reference}").status == 404
    listed = feedback.request.get("/api/v1/feedback").json()
    assert reference not in str(listed)

    site, _name = signed_in("site_manager")
    assert site.goto(f"/feedback/cases/{reference}").status == 403
    assert site.request.get(f"/api/v1/feedback/{reference}").status == 403
    site.goto(f"/households/{number}")
    expect(site.locator("main")).not_to_contain_text("favours")

    protection, protection_name = signed_in("protection_officer", ("KHR", "SHR", "ISH"))
    protection.goto("/feedback")
    protection.get_by_role("link", name=reference).click()
    expect(protection.get_by_test_id("case-description")).to_contain_text("favours")
    protection.reload()
    assert _views_audited(live_app, protection_name, reference) == 2
