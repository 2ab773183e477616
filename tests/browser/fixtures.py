"""Browser tests: Debian's Chromium driven by Playwright against a live server thread.

The live server has its own SQLite database (a thread cannot share the per-test connection),
migrated and loaded with a small demo world.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading

import pytest

CHROMIUM = "/usr/bin/chromium"
#: numbers for the accounts tests create, unique for the whole session
_USER_NUMBERS = itertools.count(1)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # a synthetic camera, accepted without a prompt (the desk's webcam photo)
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    from app import create_app
    from app.cli import cli_session
    from app.demo.world import build_world
    from tests.conftest import migrate

    instance = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{instance / 'live.sqlite3'}"
    migrate(url)
    application = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "live-secret",
            "ARGON2_PROFILE": "fast",
            "LOGIN_MAX_FAILURES": 3,
        }
    )
    with application.app_context(), cli_session() as session:
        build_world(session, households=40, seed=7)
    yield application
    shutil.rmtree(instance, ignore_errors=True)


@pytest.fixture(scope="session")
def live_server(live_app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: browser tests must run under CI")
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1366, "height": 768})
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []

    def record(message) -> None:
        # A refused form answers 422 on purpose; any other error (CSP, script, missing file) counts.
        if message.type == "error" and "status of 422" not in message.text:
            errors.append(message.text)

    page.on("console", record)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture()
def live_user(live_app):
    """Create an account in the live server's database: ``live_user('viewer', ['KHR'])``."""
    from app.cli import cli_session
    from app.users.services import create_user
    from camps.sites.models import Camp

    counter = _USER_NUMBERS

    def _create(role: str, camps=("KHR",), password: str = "browser test passphrase", **kwargs):
        username = f"{role.split('_')[0]}.b{next(counter)}.{os.getpid()}.{threading.get_ident() % 1000}"
        with live_app.app_context(), cli_session() as session:
            from sqlalchemy import select

            camp_ids = [session.scalar(select(Camp.id).where(Camp.code == c)) for c in camps]
            create_user(
                session,
                None,
                username=username,
                full_name=kwargs.get("full_name", "Browser Test"),
                password=password,
                roles=[role],
                camp_ids=camp_ids,
                all_camps=not camps,
                must_change_password=kwargs.get("must_change_password", False),
            )
        return username, password

    return _create


def sign_in(page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
