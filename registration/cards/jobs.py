"""Printing a batch of cards in the background.

A job is a row of ``print_jobs``, so every server process answers for it. The worker thread
claims it, then works in three short transactions: issue the cards the households lack (the
only part that holds SQLite's write lock), draw the sheets outside any write (reporting its
progress now and then), and finally store the PDF, mark the job done and record the prints
together. A job that failed, or whose process died (it stopped reporting), can be run again:
households that got their card on the first try get the same card, never a second one.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.campday import camp_today
from app.db import commit_aside, get_db, own_transaction, utcnow
from app.errors import UserValueError
from app.users.actors import Actor
from app.users.models import actor_by_id
from registration.cards import services
from registration.cards.models import Card, PrintJob
from registration.cards.pdf import CardData, render_sheets
from registration.households.models import Household

log = logging.getLogger(__name__)

#: a running job that has not reported for this long lost its worker (a process killed or restarted)
STALE_AFTER = timedelta(minutes=5)
#: a finished sheets PDF nobody collected is removed after this long
PDF_KEPT = timedelta(days=2)
#: how often, at most, a worker reports its progress
BEAT_SECONDS = 1.0
ACTIVE = ("queued", "running")


@dataclass(frozen=True)
class JobState:
    """What a poll is told about a job."""

    id: int
    status: str
    done: int
    total: int
    has_pdf: bool
    #: the job was queued or running, but its worker stopped reporting
    lost: bool = False


def create(session: Session, actor: Actor, camp_id: int | None, household_ids: list[int]) -> PrintJob:
    """Queue a batch for ``household_ids`` (in printing order); run it with :func:`start`."""
    session.execute(
        update(PrintJob).where(PrintJob.finished_at < utcnow() - PDF_KEPT, PrintJob.pdf.is_not(None)).values(pdf=None)
    )
    job = PrintJob(
        status="queued",
        requested_by_id=actor.id,
        camp_id=camp_id,
        household_ids=list(household_ids),
        total=len(household_ids),
        done=0,
        created_at=utcnow(),
    )
    session.add(job)
    session.flush()
    return job


def state(session: Session, job_id: int, user_id: int) -> JobState | None:
    """The job as its requester sees it; None for anyone else or no such job."""
    row = session.execute(
        select(
            PrintJob.id,
            PrintJob.status,
            PrintJob.done,
            PrintJob.total,
            PrintJob.created_at,
            PrintJob.heartbeat_at,
            PrintJob.pdf.is_not(None),
        ).where(PrintJob.id == job_id, PrintJob.requested_by_id == user_id)
    ).one_or_none()
    if row is None:
        return None
    ident, status, done, total, created, beat, has_pdf = row
    lost = status in ACTIVE and (beat or created) < utcnow() - STALE_AFTER
    return JobState(ident, "failed" if lost else status, done, total, has_pdf, lost)


def take_pdf(job_id: int, user_id: int) -> bytes | None:
    """Hand the sheets over once (in a transaction of its own); None when there is nothing to take."""
    taken: list[bytes] = []

    def take(session: Session) -> None:
        # the write comes first, so that on SQLite this transaction holds the write lock from the start
        claimed = session.execute(
            update(PrintJob)
            .where(
                PrintJob.id == job_id,
                PrintJob.requested_by_id == user_id,
                PrintJob.status == "done",
                PrintJob.collected_at.is_(None),
                PrintJob.pdf.is_not(None),
            )
            .values(collected_at=utcnow())
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
            taken.append(session.scalar(select(PrintJob.pdf).where(PrintJob.id == job_id)))
            session.execute(update(PrintJob).where(PrintJob.id == job_id).values(pdf=None))

    commit_aside(take)
    return taken[0] if taken else None


def requeue(session: Session, job_id: int, user_id: int) -> bool:
    """Queue a failed (or lost) job again; False when it is not the user's or not failed."""
    current = state(session, job_id, user_id)
    if current is None or current.status != "failed":
        return False
    lost = PrintJob.status.in_(ACTIVE) & (
        func.coalesce(PrintJob.heartbeat_at, PrintJob.created_at) < utcnow() - STALE_AFTER
    )
    changed = session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, (PrintJob.status == "failed") | lost)
        .values(
            status="queued",
            worker=None,
            done=0,
            error=None,
            created_at=utcnow(),
            started_at=None,
            heartbeat_at=None,
            finished_at=None,
        )
    )
    return changed.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult


def start(app: Flask, session: Session, job_id: int) -> None:
    """Run the job in a thread, once the request's transaction is committed; or at once in the
    caller's transaction when configured so (tests: ``CARD_JOBS_INLINE``)."""
    if app.config.get("CARD_JOBS_INLINE"):
        run_inline(session, job_id)
        return
    session.commit()  # the worker must see the job
    threading.Thread(target=run, args=(app, job_id), daemon=True, name=f"cards-{job_id}").start()


# --- the work ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """A batch printed in the caller's transaction (the command line)."""

    pdf: bytes
    #: the batch, to reprint it with ``panoh cards reprint --batch``
    job_id: int
    cards: int
    #: household numbers whose card printed with the placeholder (the head has no photo)
    without_photo: list[str]
    #: serials of a reprinted batch left out: no longer valid (replaced, lost, revoked or expired)
    left_out: Sequence[str] = ()


def print_batch(
    session: Session, actor: Actor, household_ids: list[int], today: date, camp_id: int | None = None
) -> Printed:
    """Issue a card to each household that lacks one, render them all, record the prints and the
    batch: in the caller's transaction (the command line)."""
    card_ids = issue_cards(session, actor, household_ids, today)
    without_photo: list[str] = []
    pdf = render_sheets(_noting_photos(_card_data(session, card_ids), without_photo))
    record_prints(session, actor, card_ids)
    job = _finished_job(session, actor, camp_id, household_ids, card_ids)
    return Printed(pdf, job.id, len(card_ids), without_photo)


def reprint_batch(session: Session, actor: Actor, job_id: int, today: date) -> Printed:
    """Print a batch's cards again, unchanged (same serials and codes), for a jammed or lost PDF.

    Cards that are no longer valid are left out and named; nothing is issued. Audited as
    ``card_batch.reprint`` and, per card, ``card.reprint``.
    """
    source = session.get(PrintJob, job_id)
    card_ids, left_out = reprint_cards(session, source, today)
    assert source is not None  # reprint_cards refused a missing batch
    without_photo: list[str] = []
    pdf = render_sheets(_noting_photos(_card_data(session, card_ids), without_photo))
    record_prints(session, actor, card_ids)
    job = _finished_job(session, actor, source.camp_id, source.household_ids, card_ids, reprint_of=source.id)
    _log_reprint(session, actor, source, job, len(card_ids), len(left_out))
    return Printed(pdf, job.id, len(card_ids), without_photo, left_out)


def reprint_cards(session: Session, source: PrintJob | None, today: date) -> tuple[list[int], list[str]]:
    """The cards of a finished batch that are still valid (in order), and the serials of the others.

    A batch from before batches kept their cards: its households' current cards.
    UserValueError when there is no such batch or nothing of it to print.
    """
    if source is None or source.status != "done":
        raise UserValueError(_("There is no finished batch with this number."))
    if source.card_ids is not None:
        by_id = {card.id: card for card in session.scalars(select(Card).where(Card.id.in_(source.card_ids)))}
        cards = [by_id[card_id] for card_id in source.card_ids if card_id in by_id]
    else:
        cards = [
            card
            for household_id in source.household_ids
            if (card := services.current_card(session, session.get_one(Household, household_id), today))
        ]
    valid = [card.id for card in cards if card.is_current(today)]
    if not valid:
        raise UserValueError(_("No card of this batch is still valid: nothing to reprint."))
    return valid, [card.serial for card in cards if not card.is_current(today)]


def may_reprint(session: Session, user, source: PrintJob | None) -> bool:
    """Whether ``user`` may see and reprint the batch: every one of its households is in their camps."""
    if source is None:
        return False
    camps = set(session.scalars(select(Household.camp_id).where(Household.id.in_(source.household_ids))))
    return bool(camps) and all(user.can_access_camp(camp_id) for camp_id in camps)


def recent_batches(session: Session, user, camp_ids: list[int], limit: int = 10) -> list[PrintJob]:
    """The last finished batches of the user's camps (or the user's own), newest first, to reprint."""
    mine = PrintJob.requested_by_id == user.id
    where = mine if not camp_ids else mine | PrintJob.camp_id.in_(camp_ids)
    return list(
        session.scalars(
            select(PrintJob).where(PrintJob.status == "done", where).order_by(PrintJob.id.desc()).limit(limit)
        )
    )


def queue_reprint(session: Session, actor: Actor, job_id: int, today: date) -> tuple[PrintJob, list[str]]:
    """A background job that prints a finished batch's cards again (the print page), and the serials
    left out (no longer valid); audited now.

    A second click while the first reprint is still being prepared gets that one, not another: the
    batch is locked, so a click at the same moment waits for the first to commit (PostgreSQL).
    """
    source = session.get(PrintJob, job_id, with_for_update=True)
    pending = session.scalar(
        select(PrintJob).where(
            PrintJob.reprint_of_id == job_id, PrintJob.status.in_(ACTIVE), PrintJob.requested_by_id == actor.id
        )
    )
    if pending is not None:
        return pending, []
    card_ids, left_out = reprint_cards(session, source, today)
    assert source is not None  # reprint_cards refused a missing batch
    job = create(session, actor, source.camp_id, list(source.household_ids))
    job.card_ids, job.reprint_of_id, job.total = card_ids, source.id, len(card_ids)
    _log_reprint(session, actor, source, job, len(card_ids), len(left_out))
    return job, left_out


def still_valid(session: Session, card_ids: list[int], today: date) -> list[int]:
    """Those of ``card_ids`` still valid, in order: a queued (or retried) reprint runs after the cards
    were chosen, and a card revoked meanwhile must not come off the printer."""
    cards = {card.id: card for card in session.scalars(select(Card).where(Card.id.in_(card_ids)))}
    return [card_id for card_id in card_ids if card_id in cards and cards[card_id].is_current(today)]


def _log_reprint(session: Session, actor: Actor, source: PrintJob, job: PrintJob, cards: int, left_out: int) -> None:
    log_action(
        session,
        actor,
        "card_batch.reprint",
        object_type="print_job",
        object_id=source.id,
        camp_id=source.camp_id,
        details={"reprint": job.id, "cards": cards, "left_out": left_out},
    )


def _finished_job(
    session: Session,
    actor: Actor,
    camp_id: int | None,
    household_ids: list[int],
    card_ids: list[int],
    reprint_of: int | None = None,
) -> PrintJob:
    """The record of a batch printed on the command line: its PDF went straight to a file."""
    now = utcnow()
    job = PrintJob(
        status="done",
        requested_by_id=getattr(actor, "id", None),
        camp_id=camp_id,
        household_ids=list(household_ids),
        card_ids=list(card_ids),
        reprint_of_id=reprint_of,
        total=len(card_ids),
        done=len(card_ids),
        created_at=now,
        started_at=now,
        finished_at=now,
        collected_at=now,
    )
    session.add(job)
    session.flush()
    return job


def _noting_photos(cards: Iterator[CardData], without_photo: list[str]) -> Iterator[CardData]:
    for card in cards:
        if card.photo is None:
            without_photo.append(card.household_number)
        yield card


def issue_cards(session: Session, actor: Actor, household_ids: list[int], today: date) -> list[int]:
    """The current card of each household, issued now where it has none; their ids, in order."""
    card_ids = []
    for household_id in household_ids:
        services.hold_household(session, household_id)  # another batch issuing for it goes first, or waits
        household = session.get_one(Household, household_id)
        card = services.current_card(session, household, today) or services.issue(session, actor, household, today)
        card_ids.append(card.id)
    return card_ids


def record_prints(session: Session, actor: Actor, card_ids: list[int]) -> None:
    cards = {card.id: card for card in session.scalars(select(Card).where(Card.id.in_(card_ids)))}
    for card_id in card_ids:
        services.record_print(session, actor, cards[card_id])


def _card_data(session: Session, card_ids: list[int], progress: Callable[[int], None] | None = None) -> Iterator:
    for number, card_id in enumerate(card_ids, start=1):
        yield services.card_data(session, session.get_one(Card, card_id))
        if progress is not None:
            progress(number)


def run_inline(session: Session, job_id: int) -> None:
    """The whole job in the caller's transaction."""
    job = session.get_one(PrintJob, job_id)
    actor = actor_by_id(session, job.requested_by_id)
    job.status, job.started_at, job.heartbeat_at = "running", utcnow(), utcnow()
    if job.reprint_of_id:
        assert job.card_ids is not None  # a reprint names its cards (queue_reprint)
        card_ids = still_valid(session, job.card_ids, camp_today())
    else:
        card_ids = issue_cards(session, actor, job.household_ids, camp_today())
    pdf = render_sheets(_card_data(session, card_ids, progress=lambda n: setattr(job, "done", n)))
    record_prints(session, actor, card_ids)
    job.status, job.pdf, job.finished_at, job.card_ids = "done", pdf, utcnow(), card_ids


def run(app: Flask, job_id: int) -> None:
    """The worker thread: claim the job, issue, render, finish; a failure is recorded on the job."""
    worker = f"{socket.gethostname()[:60]}:{os.getpid()}"
    with app.app_context():
        with own_transaction() as session:
            if not _claim(session, job_id, worker):
                return
            job = session.get_one(PrintJob, job_id)
            household_ids, user_id = list(job.household_ids), job.requested_by_id
            reprint = None
            if job.reprint_of_id:
                assert job.card_ids is not None  # a reprint names its cards (queue_reprint)
                reprint = still_valid(session, job.card_ids, camp_today())
        try:
            if reprint is not None:  # the same cards again: nothing to issue
                card_ids = reprint
            else:
                with own_transaction(write=True) as session:  # it reads before it writes
                    card_ids = issue_cards(session, actor_by_id(session, user_id), household_ids, camp_today())
            beat = _Beat(job_id, worker)
            session = get_db().session_factory()
            try:
                pdf = render_sheets(_card_data(session, card_ids, progress=beat))
            finally:
                session.rollback()
                session.close()
            with own_transaction() as session:
                _finish(session, job_id, worker, user_id, card_ids, pdf)
        except Exception:
            log.exception("card batch %s failed", job_id)
            with own_transaction() as session:
                session.execute(
                    update(PrintJob)
                    .where(PrintJob.id == job_id, PrintJob.worker == worker, PrintJob.status == "running")
                    .values(status="failed", finished_at=utcnow(), error="error")
                )


def _claim(session: Session, job_id: int, worker: str) -> bool:
    now = utcnow()
    claimed = session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, PrintJob.status == "queued")
        .values(status="running", worker=worker, started_at=now, heartbeat_at=now, done=0)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult


def _finish(session: Session, job_id: int, worker: str, user_id: int | None, card_ids: list[int], pdf: bytes) -> None:
    """Store the sheets and record the prints, unless the job was meanwhile given to another worker."""
    finished = session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, PrintJob.worker == worker, PrintJob.status == "running")
        .values(
            status="done", pdf=pdf, done=len(card_ids), card_ids=card_ids, finished_at=utcnow(), heartbeat_at=utcnow()
        )
    )
    if finished.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
        log.warning("card batch %s was taken over by another worker; this result is dropped", job_id)
        return
    record_prints(session, actor_by_id(session, user_id), card_ids)


class _Beat:
    """Reports a worker's progress (and that it is alive), at most once a second."""

    def __init__(self, job_id: int, worker: str) -> None:
        self.job_id, self.worker, self.last = job_id, worker, 0.0

    def __call__(self, done: int) -> None:
        if time.monotonic() - self.last < BEAT_SECONDS:
            return
        self.last = time.monotonic()
        commit_aside(
            lambda session: session.execute(
                update(PrintJob)
                .where(PrintJob.id == self.job_id, PrintJob.worker == self.worker, PrintJob.status == "running")
                .values(done=done, heartbeat_at=utcnow())
            )
        )
