"""``/healthz`` is ok only when the schema is at head, a write can be made and the disk has room."""

from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest
from sqlalchemy import text

from app.db import make_engine
from tests.app.faults import fill, small_disk
from tests.app.fresh import app_on, fresh_url
from tests.conftest import PG_URL, migrate

OK = {"status": "ok", "database": "ok", "schema": "ok", "write": "ok", "disk": "ok"}


def health(application):
    response = application.test_client().get("/healthz")
    return response.status_code, response.get_json()


def test_healthz_reports_every_check_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == OK


def test_login_page_has_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_wrong_sqlite_path_is_unhealthy_and_never_creates_a_database(tmp_path):
    """SQLite silently created a new, empty database at a mistyped path, and health said ok."""
    path = tmp_path / "typo.sqlite3"
    application = app_on(f"sqlite:///{path}", tmp_path, HEALTH_CACHE_SECONDS=0)
    status, body = health(application)
    assert (status, body["status"], body["database"]) == (503, "error", "missing")
    assert application.test_client().get("/api/v1/me", headers={"Authorization": "Bearer panoh_x"}).status_code in (
        401,
        503,
    )
    assert not path.exists()
    result = application.test_cli_runner().invoke(args=["db", "upgrade"])  # the one way to create it
    assert result.exit_code == 0, result.output
    assert path.exists()
    assert health(application) == (200, OK)
    application.extensions["panoh.db"].engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite"] + (["postgresql"] if PG_URL else []))
def test_an_empty_or_older_database_is_unhealthy(kind, tmp_path):
    """An empty re-created database (or one not upgraded) was reported healthy."""
    with fresh_url(kind, tmp_path, migrated=False) as url:
        if kind == "sqlite":  # an empty file: what a restore or a mistaken copy may leave
            make_engine(url).dispose()
            (tmp_path / url.rsplit("/", 1)[1]).touch()
        application = app_on(url, tmp_path, HEALTH_CACHE_SECONDS=0)
        status, body = health(application)
        assert (status, body["schema"]) == (503, "missing")
        from alembic import command

        from app.migrations import alembic_config

        command.upgrade(alembic_config(url), "0007")
        status, body = health(application)
        assert (status, body["schema"]) == (503, "behind")
        migrate(url)
        assert health(application) == (200, OK)
        application.extensions["panoh.db"].engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL: set PANOH_TEST_DATABASE_URL")
def test_a_read_only_database_is_unhealthy(tmp_path):
    """A database that refuses every write (a read-only server) was reported healthy."""
    with fresh_url("postgresql", tmp_path) as url:
        read_only = url.replace("options=", "options=" + quote("-cdefault_transaction_read_only=on ", safe="="))
        application = app_on(read_only, tmp_path, HEALTH_CACHE_SECONDS=0)
        with application.extensions["panoh.db"].engine.connect() as conn:
            assert conn.execute(text("SHOW default_transaction_read_only")).scalar() == "on"
        status, body = health(application)
        assert (status, body["schema"], body["write"]) == (503, "ok", "failed")
        application.extensions["panoh.db"].engine.dispose()


def test_a_full_disk_is_unhealthy_until_room_is_made(tmp_path):
    """A full disk was reported healthy."""
    source = tmp_path / "made.sqlite3"
    migrate(f"sqlite:///{source}")
    with small_disk(tmp_path / "disk", source.stat().st_size // 1024 + 512) as disk:
        shutil.copy(source, disk / "panoh.sqlite3")
        application = app_on(
            f"sqlite:///{disk / 'panoh.sqlite3'}", tmp_path, HEALTH_CACHE_SECONDS=0, MIN_FREE_DISK_MB=0
        )
        assert health(application) == (200, OK)
        filler = fill(disk)
        status, body = health(application)
        assert (status, body["disk"]) == (503, "full")
        filler.unlink()
        assert health(application) == (200, OK)
        application.extensions["panoh.db"].engine.dispose()
