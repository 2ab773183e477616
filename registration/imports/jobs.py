"""Importing a checked list in the background, so a large list shows its progress.

The import runs in its own thread and sessions, one short transaction per household: each
household's duplicates are searched first, without any lock, and only its write then takes
SQLite's write lock (and, on PostgreSQL, its camp's counter row) for a few milliseconds, so the
camp's desks go on registering while a long list is imported. A household saved stays saved if a
later one fails; importing the same list again saves only those it lacks (their tokens). Progress
lives in this process's memory (the production server is one multi-threaded process), the outcome
in the batch row.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask
from sqlalchemy.orm import Session

from app.campday import camp_today
from app.db import get_db, own_transaction, utcnow
from app.users.actors import Actor
from app.users.models import actor_by_id
from camps.sites.models import Camp
from registration.dedup import services as dedup
from registration.imports import services
from registration.imports.models import ImportBatch

log = logging.getLogger(__name__)
_progress: dict[int, tuple[int, int]] = {}
_lock = threading.Lock()


def progress(batch_id: int) -> tuple[int, int] | None:
    with _lock:
        return _progress.get(batch_id)


def _set(batch_id: int, done: int, total: int) -> None:
    with _lock:
        _progress[batch_id] = (done, total)


def import_batch(session, batch: ImportBatch, actor: Actor) -> None:
    """Check the stored file again and import its valid households, in the caller's transaction."""
    report = services.validate_file(
        session,
        actor,
        session.get(Camp, batch.camp_id),
        batch.filename,
        batch.content,
        camp_today(),
        list_name=batch.list_name,
    )
    _set(batch.id, 0, len(report.valid))
    saved = services.import_valid(session, actor, report, progress=lambda d, t: _set(batch.id, d, t))
    batch.status, batch.imported, batch.finished_at = "done", len(saved), utcnow()


def import_in_steps(
    reading: Session,
    actor_id: int | None,
    report: services.ImportReport,
    progress: Callable[[int, int], None] | None = None,
    saved: list[int] | None = None,
) -> list[int]:
    """Import the report's households as pending, each in a short transaction of its own; return their ids.

    ``reading`` searches each household's duplicates in a fresh snapshot (households saved a moment
    before are found too), holding no lock; then the household is written. ``saved`` collects the
    ids as they are committed, so that a caller knows them when a later household fails. (Each step
    commits: under the tests' one-connection sessions, use ``services.import_valid`` instead.)
    """
    saved = [] if saved is None else saved
    camp_id, total, people = report.camp.id if report.camp else None, len(report.valid), 0
    for done, data in enumerate(report.valid, start=1):
        reading.rollback()
        for member in data.members:
            member.matches = dedup.find_matches(reading, member.record())
        with own_transaction(write=True) as session:
            data.camp = session.get_one(Camp, camp_id)
            household = services.save_household(session, actor_by_id(session, actor_id), report, data)
            if household is not None:
                session.flush()
                people += len(data.members)
        if household is not None:
            saved.append(household.id)
        if progress is not None and (done % services.PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    reading.rollback()
    with own_transaction(write=True) as session:
        services.log_import(session, actor_by_id(session, actor_id), report, len(saved), people)
    return saved


def run(app: Flask, batch_id: int, actor_id: int | None) -> None:
    """The import thread: the file is checked again, then imported household by household; the batch
    row records the outcome, and how many were saved if it failed part of the way."""
    saved: list[int] = []
    with app.app_context():
        reading = get_db().session_factory()
        try:
            batch = reading.get_one(ImportBatch, batch_id)
            report = services.validate_file(
                reading,
                actor_by_id(reading, actor_id),
                reading.get(Camp, batch.camp_id),
                batch.filename,
                batch.content,
                camp_today(),
                list_name=batch.list_name,
            )
            _set(batch_id, 0, len(report.valid))
            import_in_steps(reading, actor_id, report, progress=lambda d, t: _set(batch_id, d, t), saved=saved)
            outcome = "done"
        except Exception:
            log.exception("import %s failed", batch_id)
            outcome = "failed"
        finally:
            reading.close()
        with own_transaction(write=True) as session:
            batch = session.get_one(ImportBatch, batch_id)
            batch.status, batch.imported, batch.finished_at = outcome, len(saved), utcnow()


def start(app: Flask, session, batch: ImportBatch, actor: Actor) -> None:
    """Run the import in a thread, or within the request when configured so (tests)."""
    _set(batch.id, 0, 0)
    if app.config.get("IMPORTS_INLINE"):
        import_batch(session, batch, actor)
        return
    session.commit()  # the thread must see the batch claimed; a second click now finds it taken
    threading.Thread(
        target=run, args=(app, batch.id, getattr(actor, "id", None)), daemon=True, name=f"import-{batch.id}"
    ).start()
