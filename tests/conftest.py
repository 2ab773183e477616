"""Shared fixtures: the app on SQLite and (with PANOH_TEST_DATABASE_URL) PostgreSQL, a per-test
transaction rolled back afterwards (SQLAlchemy's savepoint recipe), clients and ``login_as``."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, object_session

from app import create_app
from app.db import make_engine
from app.migrations import alembic_config
from tests import factories
from tests.openapi_check import DocumentedClient

os.environ["PANOH_ARGON2_PROFILE"] = "fast"  # for services called outside a request
PG_URL = os.environ.get("PANOH_TEST_DATABASE_URL")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])

pytest_plugins = ["tests.browser.fixtures", "tests.app.fresh"]


def pytest_configure(config):
    if IN_CI and not PG_URL:
        raise pytest.UsageError("CI must run the suite on PostgreSQL too: set PANOH_TEST_DATABASE_URL")


def pytest_sessionfinish(session, exitstatus):
    """Under CI a skipped test is a failure: PostgreSQL and Chromium tests must really run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if IN_CI and skipped and exitstatus == 0:
        reporter.write_line(f"FAILED: {len(skipped)} tests were skipped under CI", red=True)
        session.exitstatus = 1


def migrate(url: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory) -> str:
    if request.param == "postgresql":
        reset_postgres(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    migrate(url)
    return url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "ARGON2_PROFILE": "fast",
            "WTF_CSRF_ENABLED": False,
            "IMPORTS_INLINE": True,
            "CARD_JOBS_INLINE": True,
        }
    )
    application.test_client_class = DocumentedClient  # every API answer checked against the OpenAPI document
    yield application
    application.extensions["panoh.db"].engine.dispose()
    shutil.rmtree(instance, ignore_errors=True)


@pytest.fixture()
def connection(app):
    """One connection per test inside a transaction that is rolled back at the end."""
    engine = app.extensions["panoh.db"].engine
    conn = engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture()
def session(app, connection, monkeypatch):
    """The test's session; every request in the test gets its own session on the same connection."""

    def factory() -> Session:
        return Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)

    monkeypatch.setattr(app.extensions["panoh.db"], "session_factory", factory)
    db_session = factory()
    yield db_session
    db_session.close()


@pytest.fixture(autouse=True)
def _fresh_sign_in_limits(request):
    """Sign-in counts are kept in the database: each test's transaction is rolled back, but the live
    server of the browser tests keeps its database for the whole run, so its counts are cleared."""
    if "live_app" in request.fixturenames:
        from app import ratelimit
        from app.auth import lockout

        with request.getfixturevalue("live_app").app_context():
            ratelimit.clear(lockout.ADDRESS)
            ratelimit.clear(lockout.ACCOUNT)
    yield


@pytest.fixture()
def client(app, session):
    return app.test_client()


@pytest.fixture()
def make(session):
    """Factories bound to the test session: ``make.camp()``, ``make.user()``, ``make.household()``."""
    return factories.Factories(session)


def sign_in(client, user) -> None:
    """Give the test client ``user``'s signed-in session, as the sign-in page would."""
    from app.users.services import start_session

    with client.application.app_context():
        secret = start_session(object_session(user), user)
    with client.session_transaction() as flask_session:
        flask_session.clear()
        flask_session["_user_id"] = user.get_id()
        flask_session["_fresh"] = True
        flask_session["sid"] = secret
        flask_session["seen"] = int(time.time())


@pytest.fixture()
def login_as(client, make):
    """Sign the test client in as a new user with ``role`` in ``camp`` (a code, or None for all)."""

    def _login(role: str, camp: str | None = "KHR", **kwargs):
        user = make.user(roles=[role], camps=[camp] if camp else [], all_camps=camp is None, **kwargs)
        sign_in(client, user)
        return user

    return _login


@pytest.fixture()
def api(client, make, session):
    """Call the JSON API with a bearer token of a new user: ``api(role, camp).get(path)``."""
    from app.users.services import create_token

    class Caller:
        def __init__(self, token: str) -> None:
            self.headers = {"Authorization": f"Bearer {token}"}

        def get(self, path, **kw):
            return client.get(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)

        def post(self, path, **kw):
            return client.post(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)

        def patch(self, path, **kw):
            return client.patch(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)

        def put(self, path, **kw):
            return client.put(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)

        def delete(self, path, **kw):
            return client.delete(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def _make(role: str, camp: str | None = "KHR"):
        user = make.user(roles=[role], camps=[camp] if camp else [], all_camps=camp is None)
        _token, clear = create_token(session, None, user, "test")
        session.flush()
        return Caller(clear)

    return _make
