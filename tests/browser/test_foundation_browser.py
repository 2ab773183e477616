"""Real Chromium through real pages: menus per role, sign-in back-off and unlock, forms, languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.demo.world import DEMO_PASSWORD
from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

#: what each demo account must see in the main menu, and nothing else
MENUS = {
    "admin": ["Site", "Figures", "Feedback figures", "Camps", "Users", "Card keys", "Kiosks", "Audit log"],
    "clerk": ["Register", "Households", "Lists", "Cards", "Check a card", "Log feedback", "Site", "Exports", "Camps"],
    "supervisor": [
        "Register",
        "Households",
        "Duplicates",
        "Lists",
        "Cards",
        "Check a card",
        "Log feedback",
        "Site",
        "Figures",
        "Exports",
        "Feedback figures",
        "Camps",
    ],
    "site": [
        "Households",
        "Check a card",
        "Log feedback",
        "Site",
        "Rounds",
        "Messages",
        "Figures",
        "Feedback figures",
        "Camps",
        "Notice boards",
    ],
    "distribution": ["Check a card", "Distribute", "Log feedback", "Camps"],
    "feedback": ["Check a card", "Log feedback", "Cases", "Messages", "Feedback figures", "Camps"],
    "comms": ["Messages", "Feedback figures", "Camps", "Notice boards"],
    "protection": [
        "Households",
        "Check a card",
        "Log feedback",
        "Cases",
        "Site",
        "Figures",
        "Exports",
        "Feedback figures",
        "Camps",
    ],
    "viewer": ["Site", "Figures", "Feedback figures", "Camps"],
}


@pytest.mark.parametrize("username", sorted(MENUS))
def test_each_demo_role_signs_in_and_sees_only_its_menu(page, username):
    sign_in(page, username, DEMO_PASSWORD)
    page.wait_for_url("**/")
    # an entry's title without its alert badge (a protection officer's count of sensitive cases due soon
    # depends on what other tests logged in this live server)
    menu = (
        page.get_by_test_id("main-menu")
        .get_by_role("link")
        .evaluate_all(
            "links => links.map(a => { const c = a.cloneNode(true); "
            "c.querySelectorAll('[data-testid=nav-badge]').forEach(b => b.remove()); return c.textContent.trim(); })"
        )
    )
    assert menu == MENUS[username]
    badged = page.get_by_test_id("main-menu").locator("a:has([data-testid=nav-badge])").all_inner_texts()
    assert all(text.startswith("Cases") for text in badged) and (not badged or username == "protection")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home-{username}.png"))
    assert page.console_errors == []


def test_wrong_passwords_make_this_computer_wait_and_an_admin_unlocks_it(page, browser, live_server, live_user):
    """Was: the account itself locked, so anyone could lock anyone out (issue 12 #11)."""
    username, password = live_user("registration_clerk")
    for attempt in range(3):  # the live server makes an address wait after 3 failures
        sign_in(page, username, f"wrong password {attempt}")
    refusal = page.get_by_test_id("login-refusal")
    assert refusal.inner_text() == "Wrong username or password."
    sign_in(page, username, password)
    assert "Too many sign-in attempts" in page.get_by_test_id("login-refusal").inner_text()

    admin_context = browser.new_context(base_url=live_server)
    admin = admin_context.new_page()
    sign_in(admin, "admin", DEMO_PASSWORD)
    admin.goto("/admin/users?q=" + username)
    admin.get_by_role("link", name=username).click()
    assert admin.get_by_test_id("locked-badge").is_visible()
    admin.get_by_role("button", name="Unlock").click()
    assert f"Account {username} unlocked." in admin.locator(".alert-success").inner_text()
    admin_context.close()

    sign_in(page, username, password)
    page.wait_for_url("**/")
    assert page.get_by_test_id("main-menu").is_visible()


def test_admin_creates_a_user_and_a_mistake_keeps_what_was_typed(page):
    sign_in(page, "admin", DEMO_PASSWORD)
    page.goto("/admin/users/new")
    page.get_by_label("Username").fill("Not Valid!")
    page.get_by_label("Full name").fill("Шаҳло Умарова")
    page.get_by_label("Temporary password").fill("a temporary passphrase")
    page.get_by_label("Registration clerk").check()
    page.get_by_label("KHR · Kushoniyon transit camp").check()
    page.get_by_role("button", name="Create account").click()
    error = page.locator('[data-field-error="username"]')
    assert "lower-case letters" in error.inner_text()
    assert page.get_by_label("Full name").input_value() == "Шаҳло Умарова"
    assert page.get_by_label("Registration clerk").is_checked()
    page.get_by_label("Username").fill("shahlo.u")
    page.get_by_label("Temporary password").fill("a temporary passphrase")
    page.get_by_role("button", name="Create account").click()
    assert "Account shahlo.u created." in page.locator(".alert-success").inner_text()
    assert page.console_errors == []


def test_clerk_cannot_open_another_camps_household(page, live_app):
    from sqlalchemy import select

    from app.cli import cli_session
    from camps.sites.models import Camp
    from registration.households.models import Household

    with live_app.app_context(), cli_session() as session:
        other = session.scalar(select(Household.number).join(Camp).where(Camp.code == "SHR").limit(1))
        mine = session.scalar(select(Household.number).join(Camp).where(Camp.code == "KHR").limit(1))
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url("**/")
    assert page.goto(f"/households/{mine}").status == 200
    response = page.goto(f"/households/{other}")
    assert response.status == 404
    assert other not in page.locator("main").inner_html()


def test_language_choice_is_remembered_for_the_user(page, browser, live_server, live_user):
    username, password = live_user("viewer", camps=())
    sign_in(page, username, password)
    page.wait_for_url("**/")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("ru")  # the form submits itself on change
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Выйти" in page.get_by_role("button", name="Выйти").inner_text()
    page.get_by_role("button", name="Выйти").click()
    fresh = browser.new_context(base_url=live_server, locale="en-US").new_page()
    sign_in(fresh, username, password)
    fresh.wait_for_url("**/")
    assert fresh.locator("html").get_attribute("lang") == "ru"
    fresh.context.close()


def test_narrow_screen_menu_opens_with_the_toggle(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 600, "height": 900})
    page = context.new_page()
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url("**/")
    households = page.get_by_test_id("main-menu").get_by_role("link", name="Households")
    assert not households.is_visible()
    page.get_by_label("Show menu").click()
    assert households.is_visible()
    context.close()


def test_keyboard_user_can_sign_in_without_a_mouse(page):
    page.goto("/login")
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus lands after load
    page.keyboard.type("clerk")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert page.get_by_test_id("main-menu").is_visible()
