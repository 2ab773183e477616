"""On a real SQLite file (separate connections, as the server has), requests that write and requests
that read and audit never lock each other out."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, select

from app import create_app
from app.db import own_transaction
from app.users.models import ApiToken
from tests.conftest import migrate


@pytest.fixture()
def file_app(tmp_path):
    url = f"sqlite:///{tmp_path / 'real.sqlite3'}"
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


def _setup(app):
    from app.users.services import create_token, create_user
    from camps.sites.models import Camp

    with app.app_context(), own_transaction() as session:
        camp = Camp(code="KHR", name="K", region_code="TJ-KT", status="open", household_counter=0)
        session.add(camp)
        session.flush()
        user = create_user(
            session,
            None,
            username="clerk.real",
            full_name="C",
            password="a long passphrase",
            roles=["registration_supervisor"],
            camp_ids=[camp.id],
            must_change_password=False,
        )
        return create_token(session, None, user, "desk")[1]


BODY = {
    "camp": "KHR",
    "arrival_date": "2026-11-01",
    "consent": True,
    "members": [
        {
            "given_name": "Nasir",
            "given_name_orig": "ناصر",
            "father_name": "Jalil",
            "sex": "m",
            "born": "1977",
            "relation_to_head": "head",
        }
    ],
}


def test_a_token_used_for_a_write_is_recorded_without_locking_the_database(file_app):
    token = _setup(file_app)
    client = file_app.test_client()
    engine = file_app.extensions["panoh.db"].engine

    def impatient(dbapi_connection, *_args) -> None:  # a wait for any lock fails at once instead
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    def patient(dbapi_connection, *_args) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=10000")

    event.listen(engine, "checkout", impatient)
    event.listen(engine, "checkin", patient)
    try:
        response = client.post(
            "/api/v1/households", json={**BODY, "token": "t-1"}, headers={"Authorization": f"Bearer {token}"}
        )
    finally:
        event.remove(engine, "checkout", impatient)
        event.remove(engine, "checkin", patient)
    assert response.status_code == 201, response.data
    # nothing in the request waited for a lock (the request's own, least of all), and the token's last
    # use was saved: it is written aside, so a wait there would have lost it ("NOT SAVED" in the log)
    with file_app.app_context(), own_transaction() as session:
        assert session.scalar(select(ApiToken.last_used_at)) is not None
    number = response.get_json()["number"]
    patched = client.patch(
        f"/api/v1/households/{number}/members/1",
        json={"given_name": "Naser"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert patched.status_code == 200, patched.data


def test_reading_and_writing_requests_at_once(file_app):
    token = _setup(file_app)
    headers = {"Authorization": f"Bearer {token}"}
    number = (
        file_app.test_client()
        .post("/api/v1/households", json={**BODY, "token": "t-0"}, headers=headers)
        .get_json()["number"]
    )
    failures: list[int] = []

    def writer(i: int) -> None:
        response = file_app.test_client().post(
            "/api/v1/households", json={**BODY, "token": f"t-{i + 1}", "skip_duplicate_check": True}, headers=headers
        )
        if response.status_code != 201:
            failures.append(response.status_code)

    def reader() -> None:
        for _ in range(5):
            response = file_app.test_client().get(f"/api/v1/households/{number}", headers=headers)
            if response.status_code != 200:
                failures.append(response.status_code)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)] + [
        threading.Thread(target=reader) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    from app.audit.models import AuditEvent

    with file_app.app_context(), own_transaction() as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.action == "household.view")).all()
    assert len(views) == 10
