"""Cards in real Chromium: print at the desk, then check the code on the verification page,
and the offline verifier (WebCrypto Ed25519) agrees with the server."""
from __future__ import annotations

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
        return session.scalar(select(Household.number).join(Camp).where(
            Camp.code == 'KHR', Household.status == 'active').order_by(Household.id.desc()).limit(1))


def _code_of(live_app, number: str) -> str:
    from app.cli import cli_session
    from registration.cards.models import Card
    from registration.households.models import Household
    with live_app.app_context(), cli_session() as session:
        return session.scalar(select(Card.code).join(Household).where(Household.number == number))


def test_print_a_card_then_check_it_online_and_offline(page, live_app):
    number = _a_household(live_app)
    sign_in(page, 'clerk', DEMO_PASSWORD)
    page.wait_for_url('**/')
    page.goto(f'/households/{number}')
    with page.expect_popup() as popup:
        page.get_by_role('button', name='Issue and print card').click()
    pdf = popup.value
    pdf.wait_for_load_state()
    page.reload()
    assert 'printed 1 times' in page.get_by_test_id('card-section').inner_text()
    code = _code_of(live_app, number)

    page.get_by_test_id('main-menu').get_by_role('link', name='Check a card').click()
    page.get_by_label('Card code').fill(code)
    with page.expect_navigation():
        page.keyboard.press('Enter')  # as a USB scanner does
    outcome = page.get_by_test_id('card-outcome')
    assert outcome.get_attribute('data-outcome') == 'valid'
    forged = code[:-5] + ('AAAAA' if not code.endswith('AAAAA') else 'BBBBB')
    page.get_by_label('Card code').fill(forged)
    with page.expect_navigation():
        page.keyboard.press('Enter')
    assert page.get_by_test_id('card-outcome').get_attribute('data-outcome') == 'invalid_signature'

    # The same check in the browser alone, as the distribution page will do when the link is down.
    result = page.evaluate('''async ([code, forged]) => {
        const keys = (await (await fetch('/api/v1/cards/keys')).json()).keys;
        const revoked = (await (await fetch('/api/v1/cards/revoked')).json()).serials;
        const good = await window.PanohCards.verify(code, keys, revoked, new Date());
        const bad = await window.PanohCards.verify(forged, keys, revoked, new Date());
        return [good.outcome, bad.outcome];
    }''', [code, forged])
    assert result == ['valid', 'invalid_signature']
    assert page.console_errors == []
