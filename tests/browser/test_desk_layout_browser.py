"""The desk at 800×600 (issue 15, minor items): fields wide enough for their values, hints beside
the fields, a duplicate warning that sees the tazkira, stays in view and survives another mistake,
and a refused camera that says why and offers the file."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.world import DEMO_PASSWORD
from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser

TAZKIRA = "1401-0123-45678"


def _earlier_with_tazkira(live_app) -> str:
    from app.cli import cli_session
    from camps.sites.models import Camp
    from registration.households import desk

    with live_app.app_context(), cli_session() as session:
        camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
        raw = {
            "camp_id": camp.id,
            "arrival_date": date(2026, 9, 1),
            "consent": True,
            "members": [
                {
                    "given_name": "Qudratullah",
                    "family_name": "Nuristani",
                    "sex": "m",
                    "born": "1975",
                    "relation_to_head": "head",
                    "tazkira": TAZKIRA,
                }
            ],
        }
        household, _ = desk.register_household(
            session, None, desk.clean_household(session, None, raw, date.today()), check_duplicates=False
        )
        return household.number


def _small_desk(page):
    page.set_viewport_size({"width": 800, "height": 600})
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/register")


def test_at_800_by_600_every_desk_field_shows_its_value_and_hints_sit_beside_fields(page):
    _small_desk(page)
    card = page.locator('[data-member="members-0"]')
    card.locator('[name="members-0-sex"]').select_option("f")
    card.locator('[name="members-0-relation_to_head"]').select_option("head")
    card.locator('[name="members-0-marital_status"]').select_option("separated")
    # every select at least as wide as its chosen option's text (plus the arrow), every input > 120 px
    clipped = page.evaluate("""() => {
        const canvas = document.createElement('canvas').getContext('2d');
        const out = [];
        document.querySelectorAll('#desk-form select, [data-member="members-0"] input.form-control').forEach(el => {
            const style = getComputedStyle(el);
            canvas.font = style.fontSize + ' ' + style.fontFamily;
            const need = el.tagName === 'SELECT'
                ? canvas.measureText(el.selectedOptions[0].text).width + 40 : 120;
            const width = el.getBoundingClientRect().width;
            if (width < need) { out.push([el.name, Math.round(width), Math.round(need)]); }
        });
        return out;
    }""")
    assert clipped == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    born = page.locator('[name="members-0-born"]')
    assert born.get_attribute("placeholder") is None
    assert "1990" in page.locator(f"#{born.get_attribute('aria-describedby')}").inner_text()
    page.screenshot(path="test-artifacts/desk-800x600.png", full_page=True)


def test_the_duplicate_check_uses_the_tazkira_stays_in_view_and_survives_another_mistake(page, live_app):
    earlier = _earlier_with_tazkira(live_app)
    _small_desk(page)
    page.get_by_label("Told why their data is taken, and agreed").check()
    for name, value in (("given_name", "Qodrat"), ("born", "1976"), ("tazkira", TAZKIRA)):
        page.locator(f'[name="members-0-{name}"]').fill(value)
    page.locator('[name="members-0-sex"]').select_option("m")
    page.locator('[name="members-0-relation_to_head"]').select_option("head")
    page.locator('[name="members-0-tazkira"]').dispatch_event("change")
    warning = page.locator('[data-member="members-0"] [data-testid="duplicate-warning"]')
    expect(warning).to_contain_text(f"{earlier}/01")
    page.locator('[name="members-0-tazkira"]').focus()
    box = warning.bounding_box()
    assert box["y"] < 600 and box["y"] + 20 > 0, box  # in view while the clerk is on the row

    warning.get_by_label("Different person").check()
    page.get_by_role("button", name="Add member").click()
    page.locator('[name="members-1-given_name"]').fill("Wahid")
    page.locator('[name="members-1-sex"]').select_option("m")
    page.locator('[name="members-1-born"]').fill("2999")
    page.locator('[name="members-1-relation_to_head"]').select_option("son")
    page.get_by_role("button", name="Save household").click()
    expect(page.locator('[data-member="members-1"]')).to_contain_text("The date of birth is in the future.")
    warning = page.locator('[data-member="members-0"] [data-testid="duplicate-warning"]')
    expect(warning).to_contain_text(f"{earlier}/01")
    expect(warning.get_by_label("Different person")).to_be_checked()


def test_a_refused_camera_says_why_and_offers_the_file(page):
    page.add_init_script("""navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));""")
    _small_desk(page)
    page.locator('[data-member="members-0"] [data-camera]').click()
    refused = page.locator('[data-member="members-0"] [data-camera-refused]')
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("Choose a photo file instead")
    assert page.evaluate("document.activeElement.name") == "members-0-photo"
