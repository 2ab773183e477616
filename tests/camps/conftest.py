"""Fixtures for tests that need real, separate transactions (races between desks)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from app import create_app
from app.db import make_engine
from tests.conftest import PG_URL, migrate

SCHEMA = f"race_test_{os.getpid()}"


def _pg_url() -> str:
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    return PG_URL + ("&" if "?" in PG_URL else "?") + f"options=-csearch_path%3D{SCHEMA}"


@pytest.fixture(params=["sqlite-file"] + (["postgresql"] if PG_URL else []))
def race_app(request, tmp_path):
    """An app on its own database (a file SQLite, or a fresh PostgreSQL schema): commits are real."""
    url = _pg_url() if request.param == "postgresql" else f"sqlite:///{tmp_path / 'race.sqlite3'}"
    migrate(url)
    application = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "ARGON2_PROFILE": "fast",
            "WTF_CSRF_ENABLED": False,
        }
    )
    yield application
    application.extensions["panoh.db"].engine.dispose()
    if request.param == "postgresql":
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
        engine.dispose()
