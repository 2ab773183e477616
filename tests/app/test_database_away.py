"""While the database is away, or cannot write, pages and the API answer 503 with a clear
message, reading a household still works where the database can read, and the app recovers by
itself when the database is back."""

from __future__ import annotations

import logging
import shutil
import time
from urllib.parse import quote

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.db import own_transaction
from app.users.services import create_token, start_session
from tests.app.faults import TcpProxy, fill, read_only_view, small_disk
from tests.app.fresh import app_on, fresh_url
from tests.conftest import PG_URL, migrate
from tests.factories import Factories

needs_pg = pytest.mark.skipif(not PG_URL, reason="PostgreSQL: set PANOH_TEST_DATABASE_URL")


def _people(application) -> dict:
    """A clerk with a session and an API token, and a household of their camp."""
    with application.app_context(), own_transaction() as session:
        make = Factories(session)
        household = make.household("KHR")
        clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
        _token, clear = create_token(session, None, clerk, "test")
        people = {"number": household.number, "user_id": clerk.get_id(), "sid": start_session(session, clerk)}
    client = application.test_client()
    _sign_in(client, people)
    return {**people, "client": client, "api": {"Authorization": f"Bearer {clear}"}}


def _sign_in(client, people) -> None:
    with client.session_transaction() as flask_session:
        flask_session.update(
            {"_user_id": people["user_id"], "_fresh": True, "sid": people["sid"], "seen": int(time.time())}
        )


def _answers(people) -> dict[str, tuple[int, str]]:
    client, number = people["client"], people["number"]
    page = client.get(f"/households/{number}")
    api = client.get(f"/api/v1/households/{number}", headers=people["api"])
    health = client.get("/healthz")
    return {
        "page": (page.status_code, page.mimetype),
        "api": (api.status_code, api.mimetype),
        "health": (health.status_code, health.mimetype),
    }


@needs_pg
def test_postgresql_away_answers_503_and_the_app_recovers_by_itself(tmp_path):
    """Signed-in pages answered an empty text/plain 500 and the API 500 while PostgreSQL was away."""
    with fresh_url("postgresql", tmp_path) as url:
        target = make_url(url)
        proxy = TcpProxy((target.host, target.port or 5432))
        proxy.start()
        application = app_on(
            url.replace(f"{target.host}:{target.port}", f"127.0.0.1:{proxy.port}"), tmp_path, HEALTH_CACHE_SECONDS=0
        )
        try:
            people = _people(application)
            up = {"page": (200, "text/html"), "api": (200, "application/json"), "health": (200, "application/json")}
            assert _answers(people) == up
            proxy.stop()
            assert _answers(people) == {
                "page": (503, "text/html"),
                "api": (503, "application/json"),
                "health": (503, "application/json"),
            }
            page = people["client"].get(f"/households/{people['number']}")
            assert "The database cannot be reached" in page.text and "Mohammad" not in page.text
            assert page.headers["Retry-After"]
            api = people["client"].get(f"/api/v1/households/{people['number']}", headers=people["api"]).get_json()
            assert api["error"]["status"] == 503 and "database" in api["error"]["detail"]
            proxy.start()
            assert _answers(people) == up  # no restart needed
        finally:
            proxy.stop()
            application.extensions["panoh.db"].engine.dispose()


@needs_pg
def test_a_read_only_postgresql_still_shows_a_household_and_refuses_saving_clearly(tmp_path, caplog):
    """The audit write of a view turned every read into a 500 when the database could not write."""
    with fresh_url("postgresql", tmp_path) as url:
        made = app_on(url, tmp_path)
        people = _people(made)
        made.extensions["panoh.db"].engine.dispose()
        read_only = url.replace("options=", "options=" + quote("-cdefault_transaction_read_only=on ", safe="="))
        application = app_on(read_only, tmp_path, HEALTH_CACHE_SECONDS=0)
        client = application.test_client()
        _sign_in(client, people)
        people["client"] = client
        with caplog.at_level(logging.WARNING):
            answers = _answers(people)
        assert answers == {
            "page": (200, "text/html"),
            "api": (200, "application/json"),
            "health": (503, "application/json"),
        }
        assert "household.view" in caplog.text  # the read is in the log, since the audit could not be written
        saved = client.post("/language", data={"language": "ru"})
        assert saved.status_code == 503 and "could not be saved" in saved.text
        application.extensions["panoh.db"].engine.dispose()


def test_a_full_disk_still_shows_a_household(tmp_path):
    """SQLite on a full disk: the audit write of a view turned the read into a 500."""
    source = tmp_path / "made.sqlite3"
    migrate(f"sqlite:///{source}")
    made = app_on(f"sqlite:///{source}", tmp_path)
    people = _people(made)
    made.extensions["panoh.db"].engine.dispose()  # its log is written into the file: the copy is whole
    with small_disk(tmp_path / "disk", source.stat().st_size // 1024 + 512) as disk:
        shutil.copy(source, disk / "panoh.sqlite3")
        application = app_on(f"sqlite:///{disk / 'panoh.sqlite3'}", tmp_path, HEALTH_CACHE_SECONDS=0)
        client = application.test_client()
        _sign_in(client, people)
        people["client"] = client
        engine = application.extensions["panoh.db"].engine
        with engine.connect() as conn:  # open the database while there is room, then leave its log empty
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        fill(disk)
        assert _answers(people) == {
            "page": (200, "text/html"),
            "api": (200, "application/json"),
            "health": (503, "application/json"),
        }
        engine.dispose()


def test_a_read_only_sqlite_folder_still_shows_a_household_and_refuses_saving_clearly(tmp_path):
    """SQLite in a folder that turned read-only while Panoh ran (a failing disk the kernel remounted
    read-only): every save answered 500 "Something went wrong", as the writers' lock file beside
    the database could not be opened."""
    folder = tmp_path / "data"
    folder.mkdir()
    migrate(f"sqlite:///{folder / 'panoh.sqlite3'}")
    made = app_on(f"sqlite:///{folder / 'panoh.sqlite3'}", tmp_path)
    people = _people(made)  # its open connections keep the -wal and -shm files, as a running server's do
    with read_only_view(folder, tmp_path / "read-only") as view:
        application = app_on(f"sqlite:///{view / 'panoh.sqlite3'}", tmp_path, HEALTH_CACHE_SECONDS=0)
        client = application.test_client()
        _sign_in(client, people)
        people["client"] = client
        try:
            assert _answers(people) == {
                "page": (200, "text/html"),
                "api": (200, "application/json"),
                "health": (503, "application/json"),
            }
            saved = client.post(
                "/api/v1/households",
                headers=people["api"],
                json={
                    "camp": "KHR",
                    "arrival_date": "2026-11-01",
                    "consent": True,
                    "skip_duplicate_check": True,
                    "members": [
                        {
                            "given_name": "Nasir",
                            "father_name": "Jalil",
                            "sex": "m",
                            "born": "1977",
                            "relation_to_head": "head",
                        }
                    ],
                },
            )
            assert saved.status_code == 503, saved.get_data(as_text=True)
            assert "could not be saved" in saved.get_json()["error"]["detail"]
            assert client.get("/healthz").get_json()["write"] == "failed"
        finally:
            application.extensions["panoh.db"].engine.dispose()
            made.extensions["panoh.db"].engine.dispose()


def test_a_missing_sqlite_database_answers_503(tmp_path):
    application = app_on(f"sqlite:///{tmp_path / 'moved-away.sqlite3'}", tmp_path)
    client = application.test_client()
    with client.session_transaction() as flask_session:
        flask_session.update({"_user_id": "1:x", "_fresh": True, "seen": int(time.time())})
    page = client.get("/households")
    assert (page.status_code, page.mimetype) == (503, "text/html")
    assert "The database cannot be reached" in page.text
    assert not (tmp_path / "moved-away.sqlite3").exists()


@needs_pg
def test_postgresql_ends_a_transaction_whose_client_vanished_within_minutes():
    """Fails on main before this change: a client lost with a transaction open (power cut at the app server) kept
    the camp's counter row locked for TCP's default 2 hours of keepalive, and every desk of the camp waited."""
    from app.db import make_engine

    engine = make_engine(PG_URL, create=False)
    try:
        with engine.connect() as conn:
            settings = {
                name: conn.exec_driver_sql(f"SHOW {name}").scalar()
                for name in ("tcp_keepalives_idle", "idle_in_transaction_session_timeout")
            }
            conn.rollback()
            # still set after a rolled-back transaction: the pool hands the connection out again
            assert conn.exec_driver_sql("SHOW idle_in_transaction_session_timeout").scalar() == "5min"
    finally:
        engine.dispose()
    assert settings == {"tcp_keepalives_idle": "30", "idle_in_transaction_session_timeout": "5min"}
