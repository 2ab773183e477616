"""What ``/healthz`` checks: the database answers, its schema is at head, a write is really made
and the disks have room. Each check answers one word; details go to the server log only."""

from __future__ import annotations

import logging
import shutil
import time
from datetime import datetime
from functools import cache
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import insert, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, get_db, own_transaction, sqlite_file, utcnow

log = logging.getLogger(__name__)
CHECKS = ("database", "schema", "write", "disk")


class HealthCheck(Base):
    """One row the health check updates, so that "healthy" means a write was committed."""

    __tablename__ = "health_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[datetime]


@cache
def schema_heads() -> frozenset[str]:
    from app.migrations import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


@cache
def _known_revisions() -> frozenset[str]:
    from app.migrations import alembic_config

    return frozenset(rev.revision for rev in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions())


def check() -> dict[str, str]:
    """``{'status': 'ok' or 'error', 'database': ..., 'schema': ..., 'write': ..., 'disk': ...}``;
    the result is kept for HEALTH_CACHE_SECONDS so that a busy monitor does not write each time."""
    config = current_app.config
    cached = current_app.extensions.get("panoh.health")
    if cached and time.monotonic() - cached[0] < config.get("HEALTH_CACHE_SECONDS", 5):
        return cached[1]
    result = dict.fromkeys(CHECKS, "unknown")
    result["disk"] = _disk(config)
    result.update(_database())
    result = {"status": "ok" if all(result[c] == "ok" for c in CHECKS) else "error", **result}
    if result["status"] != "ok":
        log.warning("health check failed: %s", ", ".join(f"{c} {result[c]}" for c in CHECKS if result[c] != "ok"))
    current_app.extensions["panoh.health"] = (time.monotonic(), result)
    return result


def _folders(config) -> list[Path]:
    folders = [Path(config["INSTANCE_PATH"])]
    database = _sqlite_database()
    if database:
        folders.append(Path(database).resolve().parent)
    return folders


def _disk(config) -> str:
    """'full' when a folder Panoh writes to has MIN_FREE_DISK_MB or less free."""
    least = config.get("MIN_FREE_DISK_MB", 100) * 1024 * 1024
    for folder in _folders(config):
        while not folder.exists() and folder.parent != folder:  # not made yet: its disk is the parent's
            folder = folder.parent
        try:
            free = shutil.disk_usage(folder).free
        except OSError:
            log.warning("health check: cannot read the free space of %s", folder)
            return "unknown"
        if free <= least:
            log.warning("health check: %s has %d MB free", folder, free // (1024 * 1024))
            return "full"
    return "ok"


def _sqlite_database() -> str | None:
    engine = get_db().engine
    return sqlite_file(engine.url.database) if engine.dialect.name == "sqlite" else None


def _database() -> dict[str, str]:
    database = _sqlite_database()
    if database and not Path(database).exists():
        log.warning("health check: there is no database file at %s (create it with panoh db upgrade)", database)
        return {"database": "missing"}
    try:
        with own_transaction() as session:
            revisions = {row[0] for row in session.execute(text("SELECT version_num FROM alembic_version"))}
    except SQLAlchemyError as exc:
        if _no_table(exc):
            return {"database": "ok", "schema": "missing"}
        log.warning("health check: the database cannot be read (%s)", type(getattr(exc, "orig", None) or exc).__name__)
        return {"database": "unreachable"}
    if revisions != schema_heads():
        state = "missing" if not revisions else ("behind" if revisions <= _known_revisions() else "ahead")
        return {"database": "ok", "schema": state}
    return {"database": "ok", "schema": "ok", "write": _write()}


def _write() -> str:
    try:
        with own_transaction() as session:
            now = utcnow()
            if not session.execute(update(HealthCheck).where(HealthCheck.id == 1).values(checked_at=now)).rowcount:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
                session.execute(insert(HealthCheck).values(id=1, checked_at=now))
    except SQLAlchemyError as exc:
        log.warning("health check: the database refused a write (%s)", type(getattr(exc, "orig", None) or exc).__name__)
        return "failed"
    return "ok"


def _no_table(exc: SQLAlchemyError) -> bool:
    message = str(getattr(exc, "orig", exc)).lower()
    return "no such table" in message or ("relation" in message and "does not exist" in message)
