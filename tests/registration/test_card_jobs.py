"""Card print jobs live in the database: any server process answers for them, and a job whose
worker died is reported failed instead of running for ever."""

from __future__ import annotations

import json
import time

from app.db import own_transaction
from tests.app.live import Browser, serve
from tests.factories import PASSWORD, Factories


def test_every_server_process_answers_for_a_print_job(fresh_app, tmp_path):
    """With the jobs in one process's memory, about half the polls of two workers answered 404."""
    with fresh_app.app_context(), own_transaction() as session:
        make = Factories(session)
        for _ in range(4):
            make.household("KHR")
        make.user(roles=["registration_clerk"], camps=["KHR"], username="desk1")
    url = fresh_app.config["DATABASE_URL"]
    fresh_app.extensions["panoh.db"].engine.dispose()
    with serve(url, tmp_path, workers=2) as base:
        browser = Browser(base)
        browser.login("desk1", PASSWORD)
        status, headers, _body = browser.post_form("/cards/queue", "/cards/queue", {"limit": "3"})
        assert status == 302, status
        job = headers["Location"].removeprefix(base)
        answers, states = [], []
        for _ in range(30):
            status, _headers, body = browser.get(job + "?format=json")
            answers.append(status)
            if status == 200:
                states.append(json.loads(body)["status"])
        assert answers == [200] * 30
        deadline = time.monotonic() + 60
        while states[-1] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.2)
            states.append(json.loads(browser.get(job + "?format=json")[2])["status"])
        assert states[-1] == "done"
        status, _headers, pdf = browser.get(job + "/sheets.pdf")
        assert status == 200 and pdf.startswith(b"%PDF")
        assert browser.get(job + "/sheets.pdf")[0] == 404  # handed over once, whichever process is asked


def _queue(client, login_as, make, count=2):
    households = [make.household("KHR") for _ in range(count)]
    user = login_as("registration_clerk")
    return households, user


def test_a_job_whose_worker_died_is_reported_failed_and_runs_again(app, client, login_as, make, session):
    from datetime import timedelta

    from sqlalchemy import func, select

    from app.db import utcnow
    from registration.cards import jobs, services
    from registration.cards.models import Card

    households, user = _queue(client, login_as, make)
    # the first try issued the cards, then its process was killed while drawing the sheets
    with app.app_context():
        for household in households:
            services.issue(session, user, household, household.arrival_date)
        job = jobs.create(session, user, None, [h.id for h in households])
    job.status, job.worker = "running", "laptop:4242"
    job.started_at = job.heartbeat_at = utcnow() - jobs.STALE_AFTER - timedelta(seconds=1)
    session.flush()
    assert client.get(f"/cards/batches/{job.id}?format=json").get_json()["status"] == "failed"
    page = client.get(f"/cards/batches/{job.id}").data.decode()
    assert "Try again" in page and "data-failed-form" in page
    assert client.post(f"/cards/batches/{job.id}/retry").status_code == 302
    assert client.get(f"/cards/batches/{job.id}?format=json").get_json() == {"status": "done", "done": 2, "total": 2}
    assert client.get(f"/cards/batches/{job.id}/sheets.pdf").data.startswith(b"%PDF")
    for household in households:  # the same cards, printed once each: no second card
        cards = session.scalars(select(Card).where(Card.household_id == household.id)).all()
        assert [c.print_count for c in cards] == [1]
    assert session.scalar(select(func.count()).select_from(Card)) == 2


def test_a_running_job_is_not_run_twice(app, client, login_as, make, session):
    from app.db import utcnow
    from registration.cards import jobs

    households, user = _queue(client, login_as, make)
    with app.app_context():
        job = jobs.create(session, user, None, [h.id for h in households])
    job.status, job.worker, job.heartbeat_at = "running", "laptop:4242", utcnow()
    session.flush()
    assert client.get(f"/cards/batches/{job.id}?format=json").get_json()["status"] == "running"
    assert client.post(f"/cards/batches/{job.id}/retry").status_code == 404


def test_a_batch_that_fails_is_recorded_as_failed_and_prints_on_the_next_try(app, make, session, monkeypatch):
    from registration.cards import jobs
    from registration.cards.models import PrintJob

    households = [make.household("KHR") for _ in range(2)]
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    with app.app_context():
        job = jobs.create(session, clerk, None, [h.id for h in households])
    session.flush()

    def broken(cards):
        list(cards)
        raise OSError("No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(jobs, "render_sheets", broken)
        jobs.run(app, job.id)  # the worker, here in the test's thread
    session.expire_all()
    job = session.get(PrintJob, job.id)
    assert (job.status, job.error, job.pdf) == ("failed", "error", None)
    with app.app_context():
        assert jobs.requeue(session, job.id, clerk.id)
    session.flush()
    jobs.run(app, job.id)
    session.expire_all()
    assert session.get(PrintJob, job.id).status == "done"
    with app.test_request_context():
        assert jobs.take_pdf(job.id, clerk.id).startswith(b"%PDF")
        assert jobs.take_pdf(job.id, clerk.id) is None


def test_someone_else_s_job_is_not_found(app, client, login_as, make, session):
    from registration.cards import jobs

    households = [make.household("KHR")]
    owner = make.user(roles=["registration_clerk"], camps=["KHR"])
    with app.app_context():
        job = jobs.create(session, owner, None, [h.id for h in households])
    session.flush()
    login_as("registration_clerk")
    assert client.get(f"/cards/batches/{job.id}?format=json").status_code == 404
    assert client.get(f"/cards/batches/{job.id}/sheets.pdf").status_code == 404
    assert client.post(f"/cards/batches/{job.id}/retry").status_code == 404


def test_two_batches_issuing_for_the_same_household_at_once_give_it_one_card(fresh_app):
    """Two print batches (two desks, or a batch retried while the first still ran) issue for the
    same households at the same moment. On PostgreSQL both saw no card and each issued one: the
    household held two valid cards. The second batch must wait for the first and print its card."""
    import threading

    from sqlalchemy import func, select

    from app.campday import camp_today
    from registration.cards import jobs
    from registration.cards.models import Card
    from registration.cards.services import signing_key

    with fresh_app.app_context(), own_transaction() as session:
        household_id = Factories(session).household("KHR").id
        signing_key(session, None)  # the camp's key exists before the race (as on a working server)
    second_done, issued = threading.Event(), {}

    def second_batch():
        with fresh_app.app_context(), own_transaction(write=True) as session:
            issued["second"] = jobs.issue_cards(session, None, [household_id], camp_today())
        second_done.set()

    with fresh_app.app_context():
        with own_transaction(write=True) as session:
            issued["first"] = jobs.issue_cards(session, None, [household_id], camp_today())
            other = threading.Thread(target=second_batch)
            other.start()
            second_done.wait(3)  # with the household held, the second batch waits for this commit
        other.join(30)
        with own_transaction() as session:
            valid = session.scalar(
                select(func.count()).select_from(Card).where(Card.household_id == household_id, Card.status == "valid")
            )
    assert valid == 1
    assert issued["second"] == issued["first"]
