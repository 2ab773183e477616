"""Browser tests: Debian's Chromium driven by Playwright against a live server thread.

The live server has its own SQLite database (a thread cannot share the per-test connection),
migrated and loaded with a small demo world.
"""
from __future__ import annotations

import os
import shutil
import threading

import pytest

CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync',
                 '--disable-dev-shm-usage']


@pytest.fixture(scope='session')
def live_app(tmp_path_factory):
    from app import create_app
    from app.cli import cli_session
    from app.demo.world import build_world
    from tests.conftest import migrate

    instance = tmp_path_factory.mktemp('live')
    url = f"sqlite:///{instance / 'live.sqlite3'}"
    migrate(url)
    application = create_app({'DATABASE_URL': url, 'INSTANCE_PATH': str(instance), 'SECRET_KEY': 'live-secret',
                              'ARGON2_PROFILE': 'fast', 'LOGIN_MAX_FAILURES': 3})
    with application.app_context(), cli_session() as session:
        build_world(session, households=40, seed=7)
    yield application
    shutil.rmtree(instance, ignore_errors=True)


@pytest.fixture(scope='session')
def live_server(live_app):
    from werkzeug.serving import make_server

    server = make_server('127.0.0.1', 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f'http://127.0.0.1:{server.server_port}'
    server.shutdown()


@pytest.fixture(scope='session')
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get('CI'):
            pytest.fail(f'{CHROMIUM} is missing: browser tests must run under CI')
        pytest.skip('Debian chromium is not installed (make test installs it)')
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={'width': 1366, 'height': 768})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on('console', lambda msg: errors.append(msg.text) if msg.type == 'error' else None)
    page.console_errors = errors
    yield page
    context.close()
