"""The schema comes only from migrations, and they agree with the models on every database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import app.models  # noqa: F401
from app.db import Base


def test_models_and_migrations_agree(app):
    engine = app.extensions["panoh.db"].engine
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    from app.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET action = :x", "DELETE FROM audit_events"])
def test_audit_log_is_append_only_in_the_database(session, make, statement):
    from app.audit.services import log_action

    log_action(session, None, "test.event")
    session.flush()
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text(statement), {"x": "tampered"})


def test_downgrade_and_upgrade_round_trip(tmp_path):
    from alembic import command

    from app.migrations import alembic_config

    url = f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}"
    command.upgrade(alembic_config(url), "head")
    command.downgrade(alembic_config(url), "base")
    command.upgrade(alembic_config(url), "head")


def test_upgrading_a_database_with_data_keeps_every_row(tmp_path):
    """SQLite batch migrations rebuild tables: rows that refer to them must survive."""
    from alembic import command
    from sqlalchemy import create_engine

    from app.migrations import alembic_config

    url = f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
    command.upgrade(alembic_config(url), "0001")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO camps (id, code, name, region_code, status, household_counter, created_at) "
                "VALUES (1, 'KHR', 'K', 'TJ-KT', 'open', 1, '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO households (id, number, camp_id, status, arrival_date, size, registered_at) "
                "VALUES (1, 'KHR-000001-7', 1, 'active', '2026-01-01', 1, '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO persons (id, household_id, seq, given_name, sex, birth_date, birth_precision, "
                "relation_to_head, nationality, status) VALUES (1, 1, 1, 'A', 'm', '1990-07-01', 'year', "
                "'head', 'AFG', 'active')"
            )
        )
        conn.execute(text("INSERT INTO person_needs (id, person_id, code) VALUES (1, 1, 'DS-PM')"))
    engine.dispose()
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person_needs")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM persons")).scalar() == 1
    engine.dispose()
