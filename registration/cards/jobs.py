"""Printing a batch of cards in the background: the sheets PDF is built in a thread and kept in
memory until it is downloaded (it holds personal data: it is never written to disk)."""
from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass, field
from datetime import date

from flask import Flask

from app.db import get_db
from app.users.models import User
from registration.cards import services
from registration.cards.pdf import render_sheets
from registration.households.models import Household

log = logging.getLogger(__name__)
_ids = itertools.count(1)


@dataclass
class PrintJob:
    id: int
    user_id: int
    total: int
    done: int = 0
    status: str = 'running'  # running, done, failed
    pdf: bytes | None = field(default=None, repr=False)


_jobs: dict[int, PrintJob] = {}
_lock = threading.Lock()


def get(job_id: int, user_id: int) -> PrintJob | None:
    with _lock:
        job = _jobs.get(job_id)
    return job if job is not None and job.user_id == user_id else None


def take_pdf(job_id: int, user_id: int) -> bytes | None:
    """Hand the PDF over once; the job is forgotten afterwards."""
    with _lock:
        job = _jobs.get(job_id)
        if job is None or job.user_id != user_id or job.pdf is None:
            return None
        return _jobs.pop(job_id).pdf


def print_batch(session, actor, household_ids: list[int], today: date, job: PrintJob | None = None) -> bytes:
    """Issue a card to each household that lacks one, render them all, record the prints."""
    cards = []
    for number, household_id in enumerate(household_ids, start=1):
        household = session.get(Household, household_id)
        card = services.current_card(session, household, today) or services.issue(session, actor, household, today)
        services.record_print(session, actor, card)
        cards.append(services.card_data(session, card))
        if job is not None:
            job.done = number
    return render_sheets(cards)


def start(app: Flask, session, actor, household_ids: list[int], today: date) -> PrintJob:
    job = PrintJob(id=next(_ids), user_id=actor.id, total=len(household_ids))
    with _lock:
        _jobs[job.id] = job
    if app.config.get('CARD_JOBS_INLINE'):
        job.pdf, job.status = print_batch(session, actor, household_ids, today, job), 'done'
        return job
    threading.Thread(target=_run, args=(app, job, household_ids, today), daemon=True,
                     name=f'cards-{job.id}').start()
    return job


def _run(app: Flask, job: PrintJob, household_ids: list[int], today: date) -> None:
    with app.app_context():
        session = get_db().session_factory()
        try:
            pdf = print_batch(session, session.get(User, job.user_id), household_ids, today, job)
            session.commit()
            job.pdf, job.status = pdf, 'done'
        except Exception:
            log.exception('card batch %s failed', job.id)
            session.rollback()
            job.status = 'failed'
        finally:
            session.close()
