"""The site plan in real Chromium at 800×600: plots too small to click on the whole plan are reached by
zooming (buttons, keys) and dragging, and "Find plot" zooms onto the plot."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser


def _width(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["width"]


def test_zoom_pan_and_find_make_plots_clickable_at_800x600(browser, live_server, live_user):
    context = browser.new_context(base_url=live_server, viewport={"width": 800, "height": 600})
    context.set_default_timeout(20_000)
    page = context.new_page()
    username, password = live_user("site_manager", ["KHR"])
    sign_in(page, username, password)
    page.wait_for_url("**/")
    page.goto("/camps/KHR/plan")
    plot = "svg .plots > [data-code]"
    whole = _width(page, plot)
    plan = page.get_by_test_id("site-plan")
    for _ in range(3):
        plan.get_by_role("button", name="Zoom in").click()
    assert _width(page, plot) > 7 * whole  # eight times larger, within rounding
    view_box = page.locator("svg.site-plan").get_attribute("viewBox")
    box = page.locator("svg.site-plan").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 120, box["y"] + box["height"] / 2 - 60, steps=6)
    page.mouse.up()
    assert page.locator("svg.site-plan").get_attribute("viewBox") != view_box  # dragged

    plan.get_by_role("button", name="Whole plan").click()
    assert abs(_width(page, plot) - whole) < 0.5
    plan.focus()
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert _width(page, plot) > 3 * whole

    code = page.locator(plot).nth(5).get_attribute("data-code")
    page.get_by_label("Find plot").fill(code)
    page.get_by_label("Find plot").press("Enter")
    target = page.locator(f'svg [data-code="{code}"]')
    found = target.bounding_box()
    assert found["width"] >= 24  # a finger-sized target
    expect(page.locator("#plot-details")).to_contain_text(code)
    target.click()  # a click (not a drag) still opens the plot's details
    expect(page.locator("#plot-details")).to_contain_text(code)
    context.close()
