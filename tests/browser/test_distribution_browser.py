"""The distribution point's scan page in real Chromium: a card read by the camera, cards typed by a
USB scanner, the same card twice, three collections while offline, a revoked card refused offline,
and the queue synced when the link is back (issue 6, Must-show). Signing out leaves no package or
cached page behind but keeps collections not yet sent, an old package expires, and a device clock
that is off is shown (issues 12 #10, 14 #1)."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.fixtures import CHROMIUM, CHROMIUM_ARGS, sign_in

pytestmark = pytest.mark.browser

POINT = "DP-1"
#: console errors the offline steps cause on purpose (a request that fails while the link is down)
EXPECTED_ERRORS = ("ERR_INTERNET_DISCONNECTED", "net::ERR_FAILED")


@pytest.fixture(scope="module")
def world(live_app):
    """A round open today in KHR, cards for seven active households of KHR, the last one reported lost."""
    from app.cli import cli_session
    from camps.distributions.alternates import add_alternate
    from camps.distributions.rounds import create_round
    from camps.sites.models import Camp
    from registration.cards.models import Card
    from registration.cards.services import issue, report_lost
    from registration.households.models import Household

    today = date.today()
    with live_app.app_context(), cli_session() as session:
        camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
        carded = select(Card.household_id).where(Card.status == "valid")
        candidates = session.scalars(
            select(Household)
            .where(Household.camp_id == camp.id, Household.status == "active", Household.id.not_in(carded))
            .order_by(Household.id)
        ).all()
        households = [h for h in candidates if h.head is not None][:7]
        assert len(households) == 7, "the demo world has too few active households in KHR"
        round_ = create_round(
            session,
            None,
            camp,
            {
                "name": "Browser round",
                "starts_on": today - timedelta(days=1),
                "ends_on": today + timedelta(days=6),
                "rule": "person",
                "statuses": ["active"],
                "alternates_allowed": True,
                "items": [
                    {"name": "Wheat flour", "unit": "kg", "quantity": 3},
                    {"name": "Oil", "unit": "l", "quantity": 0.5},
                ],
            },
        )
        cards = [issue(session, None, h, today) for h in households]
        add_alternate(
            session, None, households[3], {"name": "Neighbour Karimov", "name_orig": "Каримов", "relation": "neighbour"}
        )
        report_lost(session, None, cards[-1])
        # For the offline check against the server: a card of another camp, a household that left, an old card.
        elsewhere = session.scalars(
            select(Household)
            .where(Household.camp_id != camp.id, Household.status == "active", Household.id.not_in(carded))
            .order_by(Household.id)
        ).first()
        departed, old, twice, late = [h for h in candidates if h.head is not None][7:11]
        others = {
            "other_camp": issue(session, None, elsewhere, today).code,
            "twice": issue(session, None, twice, today).code,
            "twice_number": twice.number,
            "late": issue(session, None, late, today).code,
            "late_number": late.number,
            "departed": issue(session, None, departed, today).code,
            "expired": issue(session, None, old, date(2020, 1, 1)).code,
            "other_camp_number": elsewhere.number,
        }
        departed.status = "departed"
        return {
            "round_id": round_.id,
            "codes": [c.code for c in cards],
            "numbers": [h.number for h in households],
            "sizes": [h.size for h in households],
            **others,
        }


@pytest.fixture(scope="module")
def officer(live_app):
    """A distribution officer of KHR, made once for this module (as live_user does, but live_user's
    names repeat from one test to the next)."""
    import os

    from app.cli import cli_session
    from app.users.services import create_user
    from camps.sites.models import Camp

    username, password = f"distribution.scan.{os.getpid()}", "browser test passphrase"
    with live_app.app_context(), cli_session() as session:
        camp_id = session.scalar(select(Camp.id).where(Camp.code == "KHR"))
        create_user(
            session,
            None,
            username=username,
            full_name="Browser Test",
            password=password,
            roles=["distribution_officer"],
            camp_ids=[camp_id],
            all_camps=False,
            must_change_password=False,
        )
    return username, password


def _collections(live_app, round_id: int) -> list:
    from app.cli import cli_session
    from camps.distributions.models import Collection
    from registration.households.models import Household

    with live_app.app_context(), cli_session() as session:
        return session.execute(
            select(
                Household.number,
                Collection.uid,
                Collection.status,
                Collection.offline,
                Collection.point,
                Collection.collected_by,
            )
            .join(Household, Household.id == Collection.household_id)
            .where(Collection.round_id == round_id)
            .order_by(Collection.id)
        ).all()


def _mjpeg_of(code: str, path) -> None:
    """A fake camera: 30 frames of 640x480 with the card's QR large in the middle (MJPEG = JPEGs in a row)."""
    from PIL import Image

    from registration.cards.qr import rows

    symbol = rows(code)
    qr = Image.frombytes("L", (len(symbol[0]), len(symbol)), b"".join(symbol))
    scale = 420 // qr.width
    qr = qr.resize((qr.width * scale, qr.height * scale), Image.NEAREST)
    frame = Image.new("L", (640, 480), 255)
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    buffer = io.BytesIO()
    frame.convert("RGB").save(buffer, "JPEG", quality=92)
    path.write_bytes(buffer.getvalue() * 30)


def _open_scan_page(page, world) -> None:
    page.goto("/distributions")
    page.get_by_role("link", name="Scan cards for Browser round").click()
    page.wait_for_url(f"**/distributions/rounds/{world['round_id']}/scan")
    expect(page.get_by_test_id("net-state")).not_to_have_text("…")  # the page's script has started
    if page.get_by_test_id("point-name").is_hidden():  # chosen once on a device
        page.get_by_label("Distribution point").fill(POINT)
        page.get_by_role("button", name="Save point").click()
    expect(page.get_by_test_id("point-name")).to_contain_text(POINT)
    expect(page.get_by_test_id("package-state")).to_contain_text("Data loaded")


def _scan(page, code: str) -> None:
    """What a USB or Bluetooth scanner does: type the code into the focused field, then Enter."""
    field = page.get_by_label("Card code or household number")
    field.click()
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def _unexpected(errors: list[str]) -> list[str]:
    return [e for e in errors if not any(expected in e for expected in EXPECTED_ERRORS)]


def test_scan_page_camera_usb_offline_queue_and_sync(page, browser, live_server, live_app, officer, world, tmp_path):
    username, password = officer
    codes, numbers = world["codes"], world["numbers"]

    # a. The camera reads the first card (a separate Chromium whose fake camera shows the card's QR).
    video = tmp_path / "card.mjpeg"
    _mjpeg_of(codes[0], video)
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={video}"]
    )
    try:
        context = camera_browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 768})
        context.set_default_timeout(20_000)
        camera_page = context.new_page()
        sign_in(camera_page, username, password)
        camera_page.wait_for_url("**/")
        _open_scan_page(camera_page, world)
        camera_page.get_by_role("button", name="Camera").click()
        outcome = camera_page.get_by_test_id("scan-outcome")
        expect(outcome).to_have_attribute("data-outcome", "valid")
        expect(outcome).to_have_attribute("data-source", "server")
        expect(camera_page.get_by_test_id("outcome-number")).to_have_text(numbers[0])
        expect(camera_page.get_by_test_id("outcome-entitlement")).to_contain_text("Wheat flour")
        expect(camera_page.get_by_role("button", name="Stop camera")).to_be_visible()  # still running
        camera_page.get_by_role("button", name="Record collection").click()
        expect(outcome).to_have_attribute("data-outcome", "recorded")
        expect(camera_page.get_by_test_id("waiting-count")).to_have_text("0")
        context.close()
    finally:
        camera_browser.close()

    sign_in(page, username, password)
    page.wait_for_url("**/")
    _open_scan_page(page, world)
    outcome = page.get_by_test_id("scan-outcome")
    waiting = page.get_by_test_id("waiting-count")

    # b. A USB scanner types the second card's code and Enter; Enter on the empty field records it.
    _scan(page, codes[1])
    expect(outcome).to_have_attribute("data-outcome", "valid")
    expect(page.get_by_test_id("outcome-title")).to_have_text("Valid: hand out")
    expect(page.get_by_test_id("outcome-size")).to_have_text(str(world["sizes"][1]))
    expect(page.get_by_test_id("outcome-entitlement")).to_contain_text(f"Wheat flour: {3 * world['sizes'][1]} kg")
    page.keyboard.press("Enter")
    expect(outcome).to_have_attribute("data-outcome", "recorded")

    # c. The same card again: already collected, with when and where.
    _scan(page, codes[1])
    expect(outcome).to_have_attribute("data-outcome", "already_collected")
    expect(page.get_by_test_id("outcome-title")).to_have_text("Already collected")
    expect(page.get_by_test_id("outcome-detail")).to_contain_text(f"at {POINT} by Browser Test")
    expect(page.get_by_role("button", name="Record collection")).to_be_hidden()

    # The service worker holds the page and its files before the link drops.
    expect(page.locator("#scan-app")).to_have_attribute("data-offline-ready", "1")

    # d. Offline: three cards checked on the device and queued; the revoked card refused.
    page.context.set_offline(True)
    expect(page.get_by_test_id("net-state")).to_have_text("Offline")
    for count, code in enumerate(codes[2:5], start=1):
        _scan(page, code)
        expect(outcome).to_have_attribute("data-outcome", "valid")
        expect(outcome).to_have_attribute("data-source", "local")
        if count == 2:  # this household named an alternate collector, who comes today
            page.get_by_label("Registered alternate collector").check()
            expect(page.get_by_label("Alternate collector", exact=True)).to_contain_text("Neighbour Karimov")
        page.get_by_role("button", name="Record collection").click()
        expect(outcome).to_have_attribute("data-outcome", "queued")
        expect(waiting).to_have_text(str(count))
    _scan(page, codes[6])
    expect(outcome).to_have_attribute("data-outcome", "revoked")
    expect(page.get_by_test_id("outcome-title")).to_have_text("Revoked card: reported lost or replaced")
    expect(page.get_by_role("button", name="Record collection")).to_be_hidden()
    # A card already queued on this device is already collected, even offline.
    _scan(page, codes[2])
    expect(outcome).to_have_attribute("data-outcome", "already_collected")

    # The page reloads without a link (service worker) and still has its data and its queue.
    page.reload()
    expect(page.get_by_test_id("package-state")).to_contain_text("Offline: using the data loaded")
    expect(waiting).to_have_text("3")
    assert _collections(live_app, world["round_id"])[2:] == []  # nothing reached the server

    # e. Back online: the queue is sent.
    page.context.set_offline(False)
    expect(waiting).to_have_text("0")
    expect(page.get_by_test_id("sync-state")).to_contain_text("3 sent")
    expect(page.get_by_test_id("scan-problems")).to_be_hidden()

    # f. In the database: five collections that count, one per household, the offline ones marked.
    rows = _collections(live_app, world["round_id"])
    assert [r.status for r in rows] == ["ok"] * 5
    assert sorted(r.number for r in rows) == sorted(numbers[:5])
    assert len({r.uid for r in rows}) == 5
    assert {r.number: r.offline for r in rows} == {
        numbers[0]: False,
        numbers[1]: False,
        numbers[2]: True,
        numbers[3]: True,
        numbers[4]: True,
    }
    assert {r.point for r in rows} == {POINT}
    assert {r.number: r.collected_by for r in rows}[numbers[3]] == "alternate"
    assert numbers[6] not in {r.number for r in rows}
    assert _unexpected(page.console_errors) == []


def test_a_mistyped_household_number_is_refused_clearly(page, live_app, officer, world):
    from registration.households.numbers import ALPHABET

    username, password = officer
    sign_in(page, username, password)
    page.wait_for_url("**/")
    _open_scan_page(page, world)
    before = len(_collections(live_app, world["round_id"]))
    number = world["numbers"][5]
    wrong = number[:-1] + next(c for c in ALPHABET if c != number[-1])

    _scan(page, wrong)
    error = page.get_by_test_id("scan-input-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("the last character does not match")
    expect(page.get_by_test_id("scan-outcome")).to_have_attribute("data-outcome", "bad_check")
    expect(page.get_by_role("button", name="Record collection")).to_be_hidden()
    page.keyboard.press("Enter")  # nothing to record

    # Typed correctly (without dashes, as people do), the same household checks out.
    _scan(page, number.replace("-", "").lower())
    expect(error).to_be_hidden()
    expect(page.get_by_test_id("scan-outcome")).to_have_attribute("data-outcome", "valid")
    expect(page.get_by_test_id("outcome-number")).to_have_text(number)
    assert len(_collections(live_app, world["round_id"])) == before
    assert page.console_errors == []


def test_the_offline_check_gives_the_same_outcomes_as_the_server(page, officer, world):
    from registration.households.numbers import format_number

    sign_in(page, *officer)
    page.wait_for_url("**/")
    _open_scan_page(page, world)
    code = world["codes"][5]
    parts = code.split("/")
    inputs = {
        "a valid card": code,
        "a revoked card": world["codes"][6],
        "a forged signature": code[:-5] + ("AAAAA" if not code.endswith("AAAAA") else "BBBBB"),
        "an unknown key": "/".join([parts[0], "ZZ9", *parts[2:]]),
        "not a card": "HELLO WORLD",
        "an expired card": world["expired"],
        "a card of another camp": world["other_camp"],
        "a household that left": world["departed"],
        "a typed number": world["numbers"][5],
        "a typed number of another camp": world["other_camp_number"],
        "a typed number nobody has": format_number("KHR", 999_999),
    }
    outcome = page.get_by_test_id("scan-outcome")

    def outcomes(source: str) -> dict[str, str]:
        found = {}
        for what, text in inputs.items():
            before = outcome.get_attribute("data-seq") or ""
            valid_before = outcome.get_attribute("data-outcome") == "valid"
            _scan(page, text)
            if valid_before:  # a valid household not recorded is never dropped silently (issue 15 #7)
                page.get_by_role("button", name="Skip it").click()
            expect(outcome).not_to_have_attribute("data-seq", before)
            expect(outcome).to_have_attribute("data-source", source)
            found[what] = outcome.get_attribute("data-outcome")
        return found

    online = outcomes("server")
    assert online == {
        "a valid card": "valid",
        "a revoked card": "revoked",
        "a forged signature": "invalid_signature",
        "an unknown key": "unknown_key",
        "not a card": "malformed",
        "an expired card": "expired",
        "a card of another camp": "wrong_camp",
        "a household that left": "not_eligible",
        "a typed number": "valid",
        "a typed number of another camp": "unknown_household",
        "a typed number nobody has": "unknown_household",
    }
    page.context.set_offline(True)
    expect(page.get_by_test_id("net-state")).to_have_text("Offline")
    assert outcomes("local") == online
    page.context.set_offline(False)
    assert _unexpected(page.console_errors) == []


def test_refusals_at_sync_and_doubles_are_listed_not_dropped(page, browser, live_server, live_app, officer, world):
    """Two devices offline serve the same household; one card is reported lost before the device syncs."""
    from app.cli import cli_session
    from registration.cards.models import Card
    from registration.cards.services import report_lost

    sign_in(page, *officer)
    page.wait_for_url("**/")
    _open_scan_page(page, world)
    other_context = browser.new_context(base_url=live_server, viewport={"width": 800, "height": 1000})
    other_context.set_default_timeout(20_000)
    other = other_context.new_page()
    try:
        sign_in(other, *officer)
        other.wait_for_url("**/")
        _open_scan_page(other, world)
        for device in (page, other):
            device.context.set_offline(True)
            expect(device.get_by_test_id("net-state")).to_have_text("Offline")
        for device, codes in ((page, [world["twice"], world["late"]]), (other, [world["twice"]])):
            for count, code in enumerate(codes, start=1):
                _scan(device, code)
                expect(device.get_by_test_id("scan-outcome")).to_have_attribute("data-outcome", "valid")
                device.get_by_role("button", name="Record collection").click()
                expect(device.get_by_test_id("waiting-count")).to_have_text(str(count))
        with live_app.app_context(), cli_session() as session:
            card = session.scalar(select(Card).where(Card.code == world["late"]))
            report_lost(session, None, card)

        page.context.set_offline(False)
        expect(page.get_by_test_id("waiting-count")).to_have_text("0")
        problems = page.get_by_test_id("scan-problems")
        expect(problems).to_be_visible()
        expect(problems.locator("li")).to_have_count(1)
        expect(problems).to_contain_text(world["late_number"])
        expect(problems).to_contain_text("Revoked card")

        other.context.set_offline(False)
        expect(other.get_by_test_id("waiting-count")).to_have_text("0")
        expect(other.get_by_test_id("scan-problems")).to_contain_text(world["twice_number"])
        expect(other.get_by_test_id("scan-problems")).to_contain_text("Flagged for review")
        # Still listed after a reload: the queue in IndexedDB keeps them.
        other.reload()
        expect(other.get_by_test_id("scan-problems")).to_contain_text("Flagged for review")
    finally:
        other_context.close()

    rows = [
        r
        for r in _collections(live_app, world["round_id"])
        if r.number in (world["twice_number"], world["late_number"])
    ]
    assert sorted((r.number, r.status) for r in rows) == [
        (world["twice_number"], "double"),
        (world["twice_number"], "ok"),
    ]


@pytest.fixture(scope="module")
def spare(live_app, world):
    """Cards for four more active households of KHR, for the sign-out and clock flows."""
    from app.cli import cli_session
    from camps.sites.models import Camp
    from registration.cards.models import Card
    from registration.cards.services import issue
    from registration.households.models import Household

    today = date.today()
    with live_app.app_context(), cli_session() as session:
        camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
        carded = select(Card.household_id).where(Card.status == "valid")
        households = [
            h
            for h in session.scalars(
                select(Household)
                .where(Household.camp_id == camp.id, Household.status == "active", Household.id.not_in(carded))
                .order_by(Household.id)
            )
            if h.head is not None
        ][:4]
        assert len(households) == 4, "the demo world has too few active households in KHR"
        return [(issue(session, None, h, today).code, h.number) for h in households]


#: what this browser keeps for distributions: packages and waiting collections in IndexedDB, cached pages
STORED = """async () => {
  const found = {packages: 0, waiting: 0, caches: 0, workers: 0};
  const names = (await indexedDB.databases()).map((d) => d.name);
  if (names.includes('panoh-distribution')) {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('panoh-distribution');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = (store) => new Promise((resolve) => {
      if (!db.objectStoreNames.contains(store)) { resolve([]); return; }
      const request = db.transaction(store).objectStore(store).getAll();
      request.onsuccess = () => resolve(request.result);
    });
    found.packages = (await all('packages')).length;
    found.waiting = (await all('queue')).filter((item) => item.state === 'waiting').length;
    db.close();
  }
  found.caches = (await caches.keys()).filter((name) => name.startsWith('panoh-distribution-')).length;
  found.workers = (await navigator.serviceWorker.getRegistrations()).length;
  return found;
}"""


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-offline-cleared", "1")


def test_signing_out_leaves_no_package_or_cached_page(page, officer, world):
    sign_in(page, *officer)
    page.wait_for_url("**/")
    _open_scan_page(page, world)
    expect(page.locator("#scan-app")).to_have_attribute("data-offline-ready", "1")
    assert page.evaluate(STORED) == {"packages": 1, "waiting": 0, "caches": 1, "workers": 1}

    _sign_out(page)
    assert page.evaluate(STORED) == {"packages": 0, "waiting": 0, "caches": 0, "workers": 0}
    page.context.set_offline(True)  # the scan page is not kept for anyone to open
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(f"/distributions/rounds/{world['round_id']}/scan")
    page.context.set_offline(False)


def test_collections_not_yet_sent_survive_signing_out_and_go_at_the_next_sign_in(page, live_app, officer, world, spare):
    code, number = spare[0]
    sign_in(page, *officer)
    page.wait_for_url("**/")
    _open_scan_page(page, world)
    expect(page.locator("#scan-app")).to_have_attribute("data-offline-ready", "1")
    cut = re.compile(r"/collections(/sync)?$")
    page.route(cut, lambda route: route.abort())  # the server cannot be reached for recording
    _scan(page, code)
    expect(page.get_by_test_id("scan-outcome")).to_have_attribute("data-outcome", "valid")
    page.get_by_role("button", name="Record collection").click()
    expect(page.get_by_test_id("waiting-count")).to_have_text("1")

    _sign_out(page)
    assert page.evaluate(STORED) == {"packages": 0, "waiting": 1, "caches": 0, "workers": 0}
    page.unroute(cut)
    sign_in(page, *officer)
    page.wait_for_url("**/")
    _open_scan_page(page, world)
    expect(page.get_by_test_id("waiting-count")).to_have_text("0")
    assert [r.number for r in _collections(live_app, world["round_id"])].count(number) == 1
    assert _unexpected(page.console_errors) == []


def test_a_package_too_old_is_not_used(page, officer, world, spare):
    sign_in(page, *officer)
    page.wait_for_url("**/")
    _open_scan_page(page, world)
    expect(page.locator("#scan-app")).to_have_attribute("data-offline-ready", "1")
    page.evaluate(
        """(roundId) => new Promise((resolve) => {
      const request = indexedDB.open('panoh-distribution');
      request.onsuccess = () => {
        const store = request.result.transaction('packages', 'readwrite').objectStore('packages');
        store.get(roundId).onsuccess = (event) => {
          const record = event.target.result;
          record.loaded_at = new Date(Date.now() - 2 * 86400000).toISOString();
          store.put(record).onsuccess = () => resolve(true);
        };
      };
    })""",
        world["round_id"],
    )
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_test_id("package-state")).to_contain_text("too old")
    _scan(page, spare[1][0])
    expect(page.get_by_test_id("scan-outcome")).to_have_attribute("data-outcome", "no_package")
    assert page.evaluate(STORED)["packages"] == 0
    page.context.set_offline(False)


def test_a_device_clock_that_is_off_is_shown_and_its_collections_flagged(page, live_app, officer, world, spare):
    from app.cli import cli_session
    from camps.distributions.models import Collection

    code, number = spare[2]
    page.clock.install(time=datetime.now(UTC) + timedelta(hours=1))
    sign_in(page, *officer)
    page.wait_for_url("**/")
    _open_scan_page(page, world)
    warning = page.get_by_test_id("clock-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("60 minutes ahead")
    _scan(page, code)
    page.get_by_role("button", name="Record collection").click()
    expect(page.get_by_test_id("scan-outcome")).to_have_attribute("data-outcome", "flagged")
    expect(page.get_by_test_id("scan-problems")).to_contain_text("this device’s clock was wrong")
    with live_app.app_context(), cli_session() as session:
        flags = session.scalars(
            select(Collection.flags).where(
                Collection.round_id == world["round_id"], Collection.card_serial == code.split("/")[2]
            )
        ).all()
    assert flags == ["clock"]
