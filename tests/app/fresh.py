"""Apps on databases of their own (a SQLite file, or a fresh schema in the PostgreSQL test database),
for tests whose commits must be real: loaders, several server processes, a database that goes away."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from app import create_app
from app.db import make_engine
from tests.conftest import PG_URL, migrate

KINDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pg_admin(sql: str) -> None:
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


@contextmanager
def fresh_url(kind: str, tmp_path, *, migrated: bool = True):
    """The URL of an empty database of ``kind``, migrated to head unless ``migrated`` is False."""
    if kind == "postgresql":
        schema = f"fresh_{uuid.uuid4().hex[:10]}"
        pg_admin(f"CREATE SCHEMA {schema}")
        url = PG_URL + ("&" if "?" in PG_URL else "?") + f"options=-csearch_path%3D{schema}"
    else:
        schema, url = None, f"sqlite:///{tmp_path / f'fresh-{uuid.uuid4().hex[:6]}.sqlite3'}"
    try:
        if migrated:
            migrate(url)
        yield url
    finally:
        if schema:
            pg_admin(f"DROP SCHEMA {schema} CASCADE")


def app_on(url: str, tmp_path, **overrides):
    return create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "x",
            "ARGON2_PROFILE": "fast",
            "WTF_CSRF_ENABLED": False,
            **overrides,
        }
    )


@pytest.fixture(params=KINDS)
def fresh_app(request, tmp_path):
    """An app on a database of its own, migrated to head; commits are real."""
    with fresh_url(request.param, tmp_path) as url:
        application = app_on(url, tmp_path)
        application.kind = request.param
        yield application
        application.extensions["panoh.db"].engine.dispose()
