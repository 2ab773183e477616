"""Household search in real Chromium: Back from a result shows the results again (issue 15 #3).

Searches are POSTed so that names never reach a URL; answered with a page of their own, Back from a
household brought up Chromium's "Confirm Form Resubmission" instead of the results.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.world import DEMO_PASSWORD
from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser


def _khr_head(live_app) -> tuple[str, str]:
    """A household of camp KHR and a search for its head: Russian-keyboard Cyrillic when there is some."""
    from app.cli import cli_session
    from camps.sites.models import Camp
    from registration.households.models import Household, Person

    with live_app.app_context(), cli_session() as session:
        row = session.execute(
            select(Household.number, Person.given_name, Person.father_name)
            .join(Person, Person.household_id == Household.id)
            .join(Camp, Camp.id == Household.camp_id)
            .where(Camp.code == "KHR", Person.seq == 1, Person.father_name.is_not(None), Household.status == "active")
            .order_by(Household.id)
        ).first()
        return row.number, f"{row.given_name} {row.father_name}"


@pytest.mark.parametrize("size", [(1366, 768), (800, 600)])
def test_back_after_opening_a_search_result_shows_the_results(page, live_app, size):
    number, typed = _khr_head(live_app)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/households")
    page.locator("#q").fill(typed)
    page.get_by_role("button", name="Search", exact=True).click()
    result = page.get_by_role("link", name=number)
    expect(result).to_be_visible()
    results_url = page.url
    assert typed.split()[0] not in results_url  # the names stay out of the URL (and the history)
    result.click()
    page.wait_for_url(f"**/households/{number}")
    page.go_back()
    page.wait_for_url(results_url)
    expect(page.get_by_role("link", name=number)).to_be_visible()
    expect(page.locator("#q")).to_have_value(typed)
    page.reload()  # a reload neither resubmits nor asks to
    expect(page.get_by_role("link", name=number)).to_be_visible()
    assert not page.console_errors
