"""The registration desk in real Chromium: a family of six, three scripts, a webcam photo, needs
codes, a live duplicate warning, and one household saved despite a double click."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.demo.world import DEMO_PASSWORD
from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser


def _earlier_registration(live_app) -> str:
    """Someone registered before under another spelling: the desk must warn about him."""
    from app.cli import cli_session
    from camps.sites.models import Camp
    from registration.households import desk

    with live_app.app_context(), cli_session() as session:
        camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
        raw = {
            "camp_id": camp.id,
            "arrival_date": date(2026, 10, 1),
            "consent": True,
            "members": [
                {
                    "given_name": "Muhammad",
                    "given_name_orig": "Муҳаммад",
                    "father_name": "Kareem",
                    "family_name": "Ahmadzai",
                    "sex": "m",
                    "born": "14.02.1980",
                    "relation_to_head": "head",
                }
            ],
        }
        household, _ = desk.register_household(
            session, None, desk.clean_household(session, None, raw, date.today()), check_duplicates=False
        )
        return household.number


def _count_households(live_app) -> int:
    from app.cli import cli_session
    from registration.households.models import Household

    with live_app.app_context(), cli_session() as session:
        return session.scalar(select(func.count()).select_from(Household))


def _fill(page, index: int, **fields) -> None:
    for name, value in fields.items():
        locator = page.locator(f'[name="members-{index}-{name}"]')
        if name in ("sex", "relation_to_head", "marital_status"):
            locator.select_option(value)
        else:
            locator.fill(value)
            locator.dispatch_event("change")


def test_register_a_family_of_six_with_duplicate_warning_and_double_click(page, live_app):
    earlier = _earlier_registration(live_app)
    before = _count_households(live_app)
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.get_by_test_id("main-menu").get_by_role("link", name="Register").click()
    page.get_by_label("Province of origin").select_option("AF15")
    page.get_by_label("Border crossing").select_option("ISH")
    page.get_by_label("Told why their data is taken, and agreed").check()
    page.get_by_label("Dari").check()

    # The head: Latin and Dari script; the desk warns that he may be "Muhammad Ahmadzai", registered before.
    _fill(
        page,
        0,
        given_name="Mohammad",
        given_name_orig="محمد",
        father_name="Karim",
        family_name="Ahmadzai",
        sex="m",
        born="1980",
        relation_to_head="head",
        marital_status="married",
        needs="DS-PM",
    )
    warning = page.locator('[data-member="members-0"] [data-testid="duplicate-warning"]')
    warning.wait_for()
    assert f"{earlier}/01" in warning.inner_text()
    page.screenshot(path="test-artifacts/desk-duplicate-warning.png", full_page=True)
    warning.get_by_label("Different person").check()

    # A webcam photo of the head (Chromium's synthetic camera).
    page.locator('[data-member="members-0"] [data-camera]').click()
    page.locator('[data-member="members-0"] video').evaluate(
        'v => new Promise(r => v.readyState >= 2 ? r() : v.addEventListener("loadeddata", r))'
    )
    page.locator('[data-member="members-0"] [data-capture]').click()
    assert page.locator('[data-member="members-0"] .photo-preview').is_visible()

    family = [
        dict(
            given_name="Fatima",
            given_name_orig="فاطمه",
            father_name="Rahim",
            sex="f",
            born="17.03.1984",
            relation_to_head="spouse",
            marital_status="married",
            needs="WR-LC",
        ),
        dict(given_name="Муҳаммад", father_name="Mohammad", sex="m", born="12", relation_to_head="son"),
        dict(
            given_name="Zahra",
            given_name_orig="زهرا",
            father_name="Mohammad",
            sex="f",
            born="2016",
            relation_to_head="daughter",
            needs="DS-BD",
        ),
        dict(
            given_name="Ali", given_name_orig="علی", father_name="Mohammad", sex="m", born="3", relation_to_head="son"
        ),
        dict(
            given_name="Bibi Gul",
            given_name_orig="بی بی گل",
            father_name="Nur",
            sex="f",
            born="72",
            relation_to_head="mother",
            marital_status="widowed",
            needs="ER-FR",
        ),
    ]
    for index, member in enumerate(family, start=1):
        page.keyboard.press("Alt+n") if index % 2 else page.get_by_role("button", name="Add member").click()
        page.locator(f'[name="members-{index}-given_name"]').wait_for()
        _fill(page, index, **member)

    page.get_by_role("button", name="Save household").dblclick()
    page.wait_for_url("**/households/KHR-*")
    assert page.get_by_test_id("household-size").inner_text() == "6"
    assert page.locator('tbody img[alt="Photo"]').count() == 1
    body = page.locator("main").inner_text()
    assert "Muhammad" in body and "Муҳаммад" in body and "محمد" in body and "DS-PM" in body
    page.screenshot(path="test-artifacts/desk-household-saved.png", full_page=True)
    assert _count_households(live_app) == before + 1
    assert page.console_errors == []


def test_a_mistake_at_the_desk_keeps_every_row(page):
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/register")
    page.get_by_label("Told why their data is taken, and agreed").check()
    _fill(page, 0, given_name="Nasir", given_name_orig="ناصر", sex="m", born="1970", relation_to_head="head")
    page.get_by_role("button", name="Add member").click()
    _fill(page, 1, given_name="Yaqub", sex="m", born="2999", relation_to_head="son")
    page.get_by_role("button", name="Save household").click()  # sent once drafts.js has checked the session
    page.locator('[data-field-error="members-1-born"]').wait_for()
    assert "The date of birth is in the future." in page.locator('[data-member="members-1"]').inner_text()
    assert page.locator('[name="members-0-given_name_orig"]').input_value() == "ناصر"
    assert page.locator('[name="members-1-given_name"]').input_value() == "Yaqub"
    # the desk's deferred script moves the focus once the page has loaded: wait for it, as a clerk would
    expect(page.locator('[name="members-1-born"]')).to_be_focused()
