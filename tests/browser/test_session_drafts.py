"""When the session ends while a form is being typed (static/js/drafts.js).

The idle timeout is made to pass on the server by lowering it for one request: the next request
from the browser finds the session idle, signs it out and clears it (a new CSRF token is needed).
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app.demo.world import DEMO_PASSWORD
from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser


@contextmanager
def idle_timeout(live_app, minutes: int):
    before = live_app.config["IDLE_TIMEOUT_MINUTES"]
    live_app.config["IDLE_TIMEOUT_MINUTES"] = minutes
    try:
        yield
    finally:
        live_app.config["IDLE_TIMEOUT_MINUTES"] = before


def _fill(page, index: int, **fields) -> None:
    for name, value in fields.items():
        locator = page.locator(f'[name="members-{index}-{name}"]')
        if name in ("sex", "relation_to_head"):
            locator.select_option(value)
        else:
            locator.fill(value)


def _type_household(page, head: str, family: str, child: str, child_orig: str) -> None:
    page.goto("/register")
    page.get_by_label("Told why their data is taken, and agreed").check()
    _fill(page, 0, given_name=head, family_name=family, sex="m", born="1969", relation_to_head="head")
    page.get_by_role("button", name="Add member").click()
    _fill(page, 1, given_name=child, given_name_orig=child_orig, sex="f", born="2011", relation_to_head="daughter")


def _end_sessions(live_app, username: str) -> None:
    """The server forgets the browser's session (as when an administrator ends it)."""
    from app.cli import cli_session
    from app.users.models import User, UserSession

    with live_app.app_context(), cli_session() as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        session.execute(delete(UserSession).where(UserSession.user_id == user_id))


def test_save_after_the_idle_timeout_signs_in_in_place_and_saves_what_was_typed(page, live_app):
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url("**/")
    _type_household(page, "Sayed Jalal", "Hashimi", "Nargis", "نرگس")
    with idle_timeout(live_app, -1):  # the session is idle: the next request ends it
        page.get_by_role("button", name="Save household").click()
        dialog = page.locator("#sign-in-again")
        expect(dialog).to_be_visible()
    page.screenshot(path="test-artifacts/desk-sign-in-again.png")
    dialog.get_by_label("Password").fill("not the password")
    dialog.get_by_role("button", name="Sign in and save").click()
    expect(dialog.locator("[data-sign-in-error]")).to_have_text("Wrong username or password.")
    dialog.get_by_label("Password").fill(DEMO_PASSWORD)
    dialog.get_by_role("button", name="Sign in and save").click()
    page.wait_for_url("**/households/KHR-*")
    assert page.get_by_test_id("household-size").inner_text() == "2"
    body = page.locator("main").inner_text()
    assert "Sayed Jalal" in body and "نرگس" in body and "Hashimi" in body
    # saved: the draft is gone from the browser
    assert page.evaluate('Object.keys(sessionStorage).filter(k => k.startsWith("panoh-draft:")).length') == 0


def test_a_draft_comes_back_after_signing_in_on_the_sign_in_page(page, live_app):
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url("**/")
    _type_household(page, "Abdul Basir", "Wardak", "Lailuma", "لیلما")
    page.wait_for_timeout(400)  # the draft is written 300 ms after the last key
    _end_sessions(live_app, "clerk")
    page.reload()  # the server sends the browser to sign in
    page.wait_for_url("**/login*")
    page.get_by_label("Username").fill("clerk")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/register")
    expect(page.locator("[data-draft-restored]")).to_be_visible()
    assert page.locator('[name="members-1-given_name_orig"]').input_value() == "لیلما"
    assert page.locator('[name="members-0-family_name"]').input_value() == "Wardak"
    page.get_by_role("button", name="Save household").click()
    page.wait_for_url("**/households/KHR-*")
    assert page.get_by_test_id("household-size").inner_text() == "2"


def test_a_banner_warns_before_the_timeout_and_stay_signed_in_keeps_the_session(page, live_app):
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url("**/")
    with idle_timeout(live_app, 2):  # two minutes left from the moment the page is shown: warn at once
        page.goto("/register")
        banner = page.locator("#session-warning")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("signed out in about 2 min")
    banner.get_by_role("button", name="Stay signed in").click()  # the server answers: 30 minutes again
    expect(banner).to_be_hidden()
    assert page.locator("[data-draft-restored]").is_hidden()


def test_feedback_typed_when_the_session_ended_is_saved_after_signing_in_in_place(page, live_app, live_user):
    username, password = live_user("feedback_officer", ["KHR"])
    sign_in(page, username, password)
    page.wait_for_url("**/")
    page.goto("/feedback/new")
    page.get_by_label("Type").select_option("assistance_request")
    page.get_by_label("Sector").select_option("wash")
    page.get_by_label("What the person said").fill("The tap in block 4 has been dry since Tuesday.")
    with idle_timeout(live_app, -1):
        page.get_by_role("button", name="Save").click()
        dialog = page.locator("#sign-in-again")
        expect(dialog).to_be_visible()
    dialog.get_by_label("Password").fill(password)
    dialog.get_by_role("button", name="Sign in and save").click()
    expect(page.get_by_test_id("logged-reference")).to_contain_text("FB-KHR-")


def test_a_case_action_typed_when_the_session_ended_is_sent_after_signing_in_in_place(page, live_app, live_user):
    username, password = live_user("feedback_officer", ["KHR"])
    sign_in(page, username, password)
    page.wait_for_url("**/")
    page.goto("/feedback/new")
    page.get_by_label("Type").select_option("complaint")
    page.get_by_label("Sector").select_option("food")
    page.get_by_label("What the person said").fill("The flour in the last round was wet.")
    page.get_by_role("button", name="Save").click()
    reference = page.get_by_test_id("logged-reference").inner_text().strip()
    page.goto("/feedback")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Acknowledged")
    refer = page.locator('form[data-action="refer"]')
    refer.get_by_label("Referred to").fill("WFP food monitor")
    with idle_timeout(live_app, -1):
        refer.get_by_role("button", name="Refer").click()
        dialog = page.locator("#sign-in-again")
        expect(dialog).to_be_visible()
    dialog.get_by_label("Password").fill(password)
    dialog.get_by_role("button", name="Sign in and save").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Referred")


def _draft_texts(page) -> str:
    return page.evaluate(
        'Object.keys(sessionStorage).filter(k => k.startsWith("panoh-draft:"))'
        '.map(k => sessionStorage.getItem(k)).join(" ")'
    )


def test_a_colleague_signing_in_on_the_same_tab_finds_nothing_of_the_previous_draft(page, live_app, live_user):
    """Regression: a clerk's unsent draft stayed in the tab's storage when a colleague signed in there."""
    first, first_password = live_user("registration_clerk", ["KHR"])
    second, second_password = live_user("registration_clerk", ["KHR"])
    sign_in(page, first, first_password)
    page.wait_for_url("**/")
    _type_household(page, "Gulbuddin", "Qaderyar", "Shabnam", "شبنم")
    page.wait_for_timeout(400)
    _end_sessions(live_app, first)
    page.reload()
    page.wait_for_url("**/login*")
    assert "Qaderyar" in _draft_texts(page)  # kept for its clerk while nobody else signed in
    sign_in(page, second, second_password)
    page.wait_for_url("**/")
    assert "Qaderyar" not in _draft_texts(page) and "شبنم" not in _draft_texts(page)
    page.goto("/register")
    assert page.locator('[name="members-0-family_name"]').input_value() == ""


def test_signing_in_in_place_as_someone_else_then_as_oneself_still_saves(page, live_app, live_user):
    """Regression: once the dialog had signed in another account, signing in as oneself was refused
    ("you signed in as someone else") again and again: the form could never be sent."""
    clerk, password = live_user("registration_clerk", ["KHR"])
    other, other_password = live_user("registration_clerk", ["KHR"])
    sign_in(page, clerk, password)
    page.wait_for_url("**/")
    _type_household(page, "Farhad", "Zamanzai", "Mursal", "مرسل")
    with idle_timeout(live_app, -1):
        page.get_by_role("button", name="Save household").click()
        dialog = page.locator("#sign-in-again")
        expect(dialog).to_be_visible()
    dialog.get_by_label("Username").fill(other)
    dialog.get_by_label("Password").fill(other_password)
    dialog.get_by_role("button", name="Sign in and save").click()
    expect(dialog.locator("[data-sign-in-error]")).to_contain_text("You signed in as someone else")
    dialog.get_by_label("Username").fill(clerk)
    dialog.get_by_label("Password").fill(password)
    dialog.get_by_role("button", name="Sign in and save").click()
    page.wait_for_url("**/households/KHR-*")
    body = page.locator("main").inner_text()
    assert "Farhad" in body and "مرسل" in body
