"""Importing a checked list in the background, so a large list shows its progress.

The import is one transaction in its own thread and session; progress lives in this process's
memory (the production server is one multi-threaded process), the outcome in the batch row.
"""
from __future__ import annotations

import logging
import threading
from datetime import date

from flask import Flask

from app.db import get_db, utcnow
from app.users.models import User
from camps.sites.models import Camp
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


def import_batch(session, batch: ImportBatch, actor) -> None:
    """Check the stored file again and import its valid households, in the caller's transaction."""
    report = services.validate_file(session, actor, session.get(Camp, batch.camp_id), batch.filename,
                                    batch.content, date.today(), list_name=batch.list_name)
    _set(batch.id, 0, len(report.valid))
    saved = services.import_valid(session, actor, report, progress=lambda d, t: _set(batch.id, d, t))
    batch.status, batch.imported, batch.finished_at = 'done', len(saved), utcnow()


def run(app: Flask, batch_id: int, actor_id: int | None) -> None:
    """The import thread: its own session and one transaction; the batch row records the outcome."""
    with app.app_context():
        session = get_db().session_factory()
        try:
            actor = session.get(User, actor_id) if actor_id else None
            import_batch(session, session.get(ImportBatch, batch_id), actor)
            session.commit()
        except Exception:
            log.exception('import %s failed', batch_id)
            session.rollback()
            failed = session.get(ImportBatch, batch_id)
            failed.status, failed.finished_at = 'failed', utcnow()
            session.commit()
        finally:
            session.close()


def start(app: Flask, session, batch: ImportBatch, actor) -> None:
    """Run the import in a thread, or within the request when configured so (tests)."""
    _set(batch.id, 0, 0)
    if app.config.get('IMPORTS_INLINE'):
        import_batch(session, batch, actor)
        return
    session.commit()  # the thread must see the batch claimed; a second click now finds it taken
    threading.Thread(target=run, args=(app, batch.id, getattr(actor, 'id', None)), daemon=True,
                     name=f'import-{batch.id}').start()
