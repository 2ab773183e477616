"""SMS consent at the desk and the protection mark, in real Chromium (English at 1366×768, Tajik at 800×600)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.demo.world import DEMO_PASSWORD
from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser


def _household(live_app, number: str):
    from app.cli import cli_session
    from registration.households.models import Household

    with live_app.app_context(), cli_session() as session:
        return session.scalar(select(Household).where(Household.number == number))


def test_desk_records_sms_consent_and_protection_marks_do_not_contact_in_tajik(page, live_app, tmp_path):
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/register")
    page.get_by_label("Told why their data is taken, and agreed").check()
    page.get_by_label("Phone").fill("93 12")
    page.locator('[name="sms_consent"]').select_option("yes")
    page.locator('[name="sms_language"]').select_option("fa")
    for name, value in (("given_name", "Rahim"), ("given_name_orig", "رحیم"), ("born", "1979")):
        page.locator(f'[name="members-0-{name}"]').fill(value)
    page.locator('[name="members-0-sex"]').select_option("m")
    page.locator('[name="members-0-relation_to_head"]').select_option("head")
    page.locator("#save-household").click()
    # refused next to the field, with what was typed kept
    expect_text = page.locator('[data-field-error="phone"], .invalid-feedback').filter(has_text="not a phone number")
    expect_text.first.wait_for()
    assert page.get_by_label("Phone").input_value() == "93 12"
    assert page.locator('[name="sms_language"]').input_value() == "fa"
    page.get_by_label("Phone").fill("(93) 555-12-34")
    page.locator("#save-household").click()
    page.wait_for_url("**/households/*")
    number = page.url.rsplit("/", 1)[1]
    assert "+992935551234" in page.content()
    assert "Agreed to receive SMS · Dari" in page.get_by_test_id("sms-contact").inner_text()
    assert page.get_by_test_id("do-not-contact").count() == 0  # a clerk neither sees nor sets it
    page.screenshot(path=str(tmp_path / "clerk-1366.png"), full_page=True)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 800, "height": 600})
    sign_in(page, "protection", DEMO_PASSWORD)
    page.wait_for_url("**/")
    with page.expect_navigation():  # the footer's language form sends itself on change
        page.locator("#language").select_option("tg")
    page.goto(f"/households/{number}")
    button = page.get_by_role("button", name="Тамос нагиред (ҳифз)")
    button.scroll_into_view_if_needed()
    assert button.is_visible()
    button.click()
    page.get_by_text("Ҳа, бо сабабҳои ҳифз").wait_for()
    assert "Сабт шуд: бо ин хонавода тамос гирифта намешавад." in page.content()
    page.screenshot(path=str(tmp_path / "protection-800-tg.png"), full_page=True)
    household = _household(live_app, number)
    assert household.do_not_contact and household.sms_consent and household.phone == "+992935551234"
    assert not page.console_errors
