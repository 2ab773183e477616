"""Cards in real Chromium: print at the desk, then check the code on the verification page,
and the offline verifier (WebCrypto Ed25519) agrees with the server."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.demo.world import DEMO_PASSWORD
from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser


def _a_household(live_app) -> str:
    from app.cli import cli_session
    from camps.sites.models import Camp
    from registration.households.models import Household

    with live_app.app_context(), cli_session() as session:
        return session.scalar(
            select(Household.number)
            .join(Camp)
            .where(Camp.code == "KHR", Household.status == "active")
            .order_by(Household.id.desc())
            .limit(1)
        )


def _code_of(live_app, number: str) -> str:
    from app.cli import cli_session
    from registration.cards.models import Card
    from registration.households.models import Household

    with live_app.app_context(), cli_session() as session:
        return session.scalar(select(Card.code).join(Household).where(Household.number == number))


def test_print_a_card_then_check_it_online_and_offline(page, live_app):
    number = _a_household(live_app)
    sign_in(page, "clerk", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/households/{number}")
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Issue and print card").click()
    pdf = popup.value
    pdf.wait_for_load_state()
    page.reload()
    assert "printed 1 times" in page.get_by_test_id("card-section").inner_text()
    code = _code_of(live_app, number)

    page.get_by_test_id("main-menu").get_by_role("link", name="Check a card").click()
    page.get_by_label("Card code").fill(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # as a USB scanner does
    outcome = page.get_by_test_id("card-outcome")
    assert outcome.get_attribute("data-outcome") == "valid"
    forged = code[:-5] + ("AAAAA" if not code.endswith("AAAAA") else "BBBBB")
    page.get_by_label("Card code").fill(forged)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_test_id("card-outcome").get_attribute("data-outcome") == "invalid_signature"

    # The same check in the browser alone, as the distribution page will do when the link is down.
    result = page.evaluate(
        """async ([code, forged]) => {
        const keys = (await (await fetch('/api/v1/cards/keys')).json()).keys;
        const revoked = (await (await fetch('/api/v1/cards/revoked')).json()).serials;
        const good = await window.PanohCards.verify(code, keys, revoked, new Date());
        const bad = await window.PanohCards.verify(forged, keys, revoked, new Date());
        return [good.outcome, bad.outcome];
    }""",
        [code, forged],
    )
    assert result == ["valid", "invalid_signature"]
    assert page.console_errors == []


def _set_locale(live_app, username: str, locale: str) -> None:
    from app.cli import cli_session
    from app.users.models import User

    with live_app.app_context(), cli_session() as session:
        session.scalar(select(User).where(User.username == username)).locale = locale


@pytest.mark.parametrize("width, height", [(1366, 768), (800, 600)])
def test_the_print_page_warns_about_photos_then_reprints_a_batch_in_tajik(page, live_app, live_user, width, height):
    from registration.cards.models import PrintJob

    username, password = live_user("registration_clerk")
    _set_locale(live_app, username, "tg")
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, username, password)
    page.wait_for_url("**/")
    page.goto("/cards/queue")
    warning = page.get_by_test_id("no-photo-warning")
    assert "акси сардор" in warning.inner_text()  # Tajik: "no photo of the head"
    # a household number is never split over two lines (KHR-⏎000011-3 reads as two numbers)
    assert warning.locator("a").evaluate_all("links => links.every(a => a.getClientRects().length === 1)")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#limit").fill("2")
    page.get_by_role("button", name="Додан ва чоп кардан").click()
    page.get_by_test_id("job-status").filter(has_text=re.compile("^Омода аст")).wait_for()
    page.screenshot(path=f"test-artifacts/cards-batch-tg-{width}.png")
    with live_app.app_context():
        from app.cli import cli_session

        with cli_session() as session:
            batch = session.scalar(select(PrintJob.id).order_by(PrintJob.id.desc()))
    page.goto("/cards/queue")
    page.screenshot(path=f"test-artifacts/cards-queue-tg-{width}.png", full_page=True)
    page.get_by_role("button", name=f"Дастаи {batch}-ро аз нав чоп кунед").click()
    page.wait_for_url("**/cards/batches/*")
    page.get_by_test_id("job-status").filter(has_text=re.compile("^Омода аст")).wait_for()
    assert page.get_by_role("link", name="PDF").count() == 1
    with live_app.app_context():
        from app.cli import cli_session

        with cli_session() as session:
            reprint = session.scalar(select(PrintJob).where(PrintJob.reprint_of_id == batch))
            assert reprint is not None and page.url.endswith(f"/cards/batches/{reprint.id}")
    assert page.console_errors == []
