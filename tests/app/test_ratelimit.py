"""Limits kept in the database: the same count for every worker process (issue 12 #11, issue 14 #8)."""

from __future__ import annotations

import os
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from app import create_app
from app.db import make_engine, own_transaction
from tests.app.real_db import file_app, in_another_process  # noqa: F401 - the fixture
from tests.conftest import PG_URL, migrate

T0 = datetime(2026, 12, 1, 8, 0)
TEN_MINUTES = ((timedelta(minutes=10), 3),)


@pytest.fixture()
def ratelimit(app):
    from app import ratelimit

    with app.app_context():
        yield ratelimit


def test_a_sliding_window_counts_only_what_it_allowed(ratelimit, session):
    allowed = [ratelimit.hit("test", "k", TEN_MINUTES, now=T0 + timedelta(minutes=n)) for n in range(5)]
    assert allowed == [True, True, True, False, False]
    assert ratelimit.hit("test", "other", TEN_MINUTES, now=T0)  # another key
    assert ratelimit.hit("other", "k", TEN_MINUTES, now=T0)  # another scope
    assert ratelimit.hit("test", "k", TEN_MINUTES, now=T0 + timedelta(minutes=10, seconds=1))


def test_keys_are_stored_as_keyed_digests_only(ratelimit, session):
    ratelimit.hit("login.address", "10.9.8.7", TEN_MINUTES, now=T0)
    keys = session.scalars(select(ratelimit.RateLimitHit.key)).all()
    assert keys and all("10.9.8.7" not in key and len(key) == 64 for key in keys)


def test_old_hits_are_forgotten(ratelimit, session):
    ratelimit.hit("test", "old", TEN_MINUTES, now=T0)
    ratelimit.hit("test", "new", TEN_MINUTES, now=T0 + ratelimit.KEEP + timedelta(minutes=1))
    assert session.scalar(select(func.count()).where(ratelimit.RateLimitHit.scope == "test")) == 1


def test_back_off_doubles_after_the_free_failures(ratelimit, session):
    rule = ratelimit.BackOff(free=2, first=timedelta(minutes=1), longest=timedelta(minutes=5))
    for n in range(2):
        assert ratelimit.waiting_until("login", "k", rule, now=T0 + timedelta(seconds=n)) is None
        ratelimit.record("login", "k", now=T0 + timedelta(seconds=n))
    assert ratelimit.waiting_until("login", "k", rule, now=T0 + timedelta(seconds=2)) == T0 + timedelta(seconds=61)
    ratelimit.record("login", "k", now=T0 + timedelta(minutes=2))
    assert ratelimit.waiting_until("login", "k", rule, now=T0 + timedelta(minutes=3)) == T0 + timedelta(minutes=4)
    for n in range(5):
        ratelimit.record("login", "k", now=T0 + timedelta(minutes=10 + n))
    assert ratelimit.waiting_until("login", "k", rule, now=T0 + timedelta(minutes=15)) == T0 + timedelta(
        minutes=19
    )  # at most five minutes after the last failure
    ratelimit.clear("login", "k")
    assert ratelimit.waiting_until("login", "k", rule, now=T0 + timedelta(minutes=15)) is None


# --- the help-desk tablet, across processes ------------------------------------------------------


def _kiosk(app) -> str:
    from camps.feedback.services import create_kiosk
    from camps.sites.models import Camp

    with app.app_context(), own_transaction() as session:
        camp = Camp(code="KHR", name="K", region_code="TJ-KT", status="open", household_counter=0)
        session.add(camp)
        session.flush()
        return create_kiosk(session, None, camp, "Help desk")[1]


MESSAGE = {"type": "thanks", "sector": "other", "description": "Thank you"}


def test_a_kiosk_limit_holds_across_worker_processes(file_app):  # noqa: F811
    secret = _kiosk(file_app)

    def five_messages(app) -> None:
        client = app.test_client()
        for _ in range(5):
            assert client.post(f"/kiosk/{secret}?lang=ru", data=MESSAGE).status_code == 302

    in_another_process(file_app, five_messages)
    assert file_app.test_client().post(f"/kiosk/{secret}?lang=ru", data=MESSAGE).status_code == 429


# --- many workers at once, on real transactions ------------------------------------------------


@pytest.fixture(params=["sqlite-file"] + (["postgresql"] if PG_URL else []))
def real_app(request, tmp_path):
    """An app on a database of its own (a file SQLite, or a fresh PostgreSQL schema): commits are real."""
    schema = f"ratelimit_test_{os.getpid()}"
    url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    if request.param == "postgresql":
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        url = PG_URL + ("&" if "?" in PG_URL else "?") + f"options=-csearch_path%3D{schema}"
    migrate(url)
    application = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    yield application
    application.extensions["panoh.db"].engine.dispose()
    if request.param == "postgresql":
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def test_workers_hitting_one_key_at_once_never_pass_the_limit(real_app):
    from app import ratelimit

    workers, tries, most = 6, 4, 10
    start = threading.Barrier(workers)
    allowed: list[bool] = []

    def worker() -> None:
        with real_app.app_context():
            start.wait()
            for _ in range(tries):
                allowed.append(ratelimit.hit("test", "shared", ((timedelta(minutes=10), most),)))

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == most and len(allowed) == workers * tries
