"""Shelter in real Chromium: a site manager lays out a new camp, allocates a plot to a family with
a disabled member, sees the plan change, relocates the family, and reads both stays in the history."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser


def _new_camp_with_a_family(live_app) -> str:
    """Camp JAY, empty, with one registered household whose head uses a wheelchair (DS-PS)."""
    from app.cli import cli_session
    from camps.sites.models import Camp
    from registration.households.models import Household, Person, PersonNeed
    from registration.households.numbers import format_number

    with live_app.app_context(), cli_session() as session:
        camp = Camp(code="JAY", name="Jaihun settlement", region_code="TJ-KT", status="open", household_counter=1)
        session.add(camp)
        session.flush()
        household = Household(
            number=format_number("JAY", 1), camp_id=camp.id, arrival_date=date(2026, 11, 20), status="active", size=4
        )
        for seq, (name, relation) in enumerate(
            (("Hamid", "head"), ("Laila", "wife"), ("Omid", "son"), ("Sara", "daughter")), start=1
        ):
            household.members.append(
                Person(
                    seq=seq,
                    given_name=name,
                    father_name="Nabi",
                    sex="f" if name in ("Laila", "Sara") else "m",
                    birth_date=date(1980 + seq * 6, 7, 1),
                    birth_precision="year",
                    relation_to_head=relation,
                    nationality="AFG",
                    status="active",
                    needs=[PersonNeed(code="DS-PS")] if seq == 1 else [],
                )
            )
        session.add(household)
        return household.number


def _plot_classes(page, code: str) -> str:
    return page.locator(f'svg [data-code="{code}"]').get_attribute("class")


def test_lay_out_allocate_see_the_plan_relocate_and_read_the_history(page, live_app, live_user):
    number = _new_camp_with_a_family(live_app)
    username, password = live_user("site_manager", ["JAY"])
    sign_in(page, username, password)
    page.wait_for_url("**/")

    # Lay out the camp: one sector of two blocks of 2 × 3 plots.
    page.get_by_test_id("main-menu").get_by_role("link", name="Site").click()
    page.get_by_test_id("site-JAY").get_by_role("link", name="Lay out plots").click()
    page.get_by_label("Sectors").fill("1")
    page.get_by_label("Blocks per sector").fill("2")
    page.get_by_label("Rows of plots per block").fill("2")
    page.get_by_label("Plots per row").fill("3")
    page.get_by_role("button", name="Lay out").click()
    expect(page.locator(".alert-success")).to_contain_text("12 plots")

    # The plot at the far end of block 2 is level and near a path: mark it accessible.
    page.goto("/plots/JAY-B02-006/edit")
    page.get_by_label("Accessible (level, no steps, near a path)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("JAY-B02-006")

    # The family's shelter page ranks the accessible plot first, and says why.
    page.goto(f"/households/{number}")
    page.get_by_test_id("shelter-link").click()
    first = page.get_by_test_id("suggestions").locator("tbody tr").first
    expect(first).to_have_attribute("data-plot", "JAY-B02-006")
    expect(first).to_contain_text("Accessible plot, needed for: disability")
    first.get_by_role("button", name="Allocate").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{number} now lives on plot JAY-B02-006")
    expect(page.get_by_test_id("current-plot-code")).to_have_text("JAY-B02-006")

    # The site plan shows the plot occupied; clicking it shows the family.
    page.get_by_role("link", name="Site plan").click()
    assert "st-occupied" in _plot_classes(page, "JAY-B02-006")
    assert "st-vacant" in _plot_classes(page, "JAY-B01-001")
    page.locator('svg [data-code="JAY-B02-006"]').click()
    expect(page.locator("#plot-details")).to_contain_text(number)

    # Relocate the family to plot 1 of block 1, typed in by hand.
    page.goto(f"/households/{number}/shelter")
    manual = page.get_by_test_id("manual-allocate")
    manual.get_by_label("Plot code").fill("JAY-B01-001")
    manual.get_by_role("button", name="Relocate").click()
    expect(page.locator(".alert-success")).to_contain_text("now lives on plot JAY-B01-001")
    history = page.get_by_test_id("plot-history")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history.locator("tbody tr").nth(0)).to_contain_text("JAY-B01-001")
    expect(history.locator("tbody tr").nth(0)).to_contain_text("now")
    expect(history.locator("tbody tr").nth(1)).to_contain_text("JAY-B02-006")
    expect(history.locator("tbody tr").nth(1)).to_contain_text("Relocated")

    page.goto("/camps/JAY/plan")
    assert "st-occupied" in _plot_classes(page, "JAY-B01-001")
    assert "st-vacant" in _plot_classes(page, "JAY-B02-006")
