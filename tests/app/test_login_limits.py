"""Sign-in refusals tell nothing about accounts, nobody can lock another person out, and the limits
hold across the server's worker processes (issue 12 #5, #11; issue 14 #8)."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.audit.models import AuditEvent
from tests.app.real_db import file_app, in_another_process, make_user  # noqa: F401 - the fixture
from tests.factories import PASSWORD

ATTACKER = {"REMOTE_ADDR": "10.66.6.6"}
DESK = {"REMOTE_ADDR": "10.0.0.21"}


def login(client, username, password, environ=None):
    return client.post("/login", data={"username": username, "password": password}, environ_base=environ or {})


def refusal(response) -> str:
    found = re.search(rb'data-testid="login-refusal">([^<]*)<', response.data)
    return found.group(1).decode() if found else ""


def test_the_answer_is_the_same_for_unknown_and_existing_accounts(app, client, make):
    make.user(username="zarina")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 2):
        known = login(client, "zarina", "wrong password here", ATTACKER)
        unknown = login(client, "nobody.here", "wrong password here", ATTACKER)
        assert (known.status_code, refusal(known)) == (unknown.status_code, refusal(unknown))
        assert "attempts left" not in refusal(known) and "locked" not in refusal(known)


def test_an_attacker_cannot_lock_the_admin_out(app, client, make, session):
    admin = make.user(username="admin.hq", roles=["admin"], camps=[], all_camps=True)
    for attempt in range(3 * app.config["LOGIN_MAX_FAILURES"]):
        login(client, "admin.hq", f"guess number {attempt}", ATTACKER)
    session.refresh(admin)
    assert not admin.is_locked
    desk = app.test_client()
    assert login(desk, "admin.hq", PASSWORD, DESK).status_code == 302
    assert desk.get("/").status_code == 200


def test_the_guessing_address_must_wait_even_with_the_right_password(app, client, make, session):
    make.user(username="zarina")
    for attempt in range(app.config["LOGIN_MAX_FAILURES"]):
        assert login(client, "zarina", f"guess number {attempt}", ATTACKER).status_code == 200
    response = login(client, "zarina", PASSWORD, ATTACKER)
    assert response.status_code == 429 and "Too many sign-in attempts" in refusal(response)
    assert client.get("/").status_code == 302
    assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "auth.login_throttled")) is not None


def test_the_password_is_checked_outside_the_write_lock(file_app, monkeypatch):  # noqa: F811
    """Argon2 takes a tenth of a second: a desk's save must not queue behind a failed sign-in."""
    from app.auth import services
    from app.db import _WRITERS

    engine = file_app.extensions["panoh.db"].engine
    held: list[bool] = []
    real_verify = services.verify_password

    def verify(password_hash, password):
        held.append(_WRITERS[engine]._thread.locked())
        return real_verify(password_hash, password)

    monkeypatch.setattr(services, "verify_password", verify)
    make_user(file_app, "zarina")
    client = file_app.test_client()
    assert login(client, "zarina", "wrong password here").status_code == 200
    assert login(client, "nobody", "wrong password here").status_code == 200
    assert login(client, "zarina", PASSWORD).status_code == 302
    assert held == [False, False, False]


# --- across processes -------------------------------------------------------------------------


def _four_attempts(app) -> None:
    client = app.test_client()
    for _ in range(4):
        assert login(client, "nobody", "wrong password here").status_code == 200


def test_the_address_limit_holds_across_worker_processes(file_app):  # noqa: F811
    file_app.config["LOGIN_THROTTLE_PER_IP"] = 4
    in_another_process(file_app, _four_attempts)
    response = login(file_app.test_client(), "nobody", "wrong password here")
    assert response.status_code == 429


def _four_failures_for_zarina(app) -> None:
    client = app.test_client()
    for attempt in range(4):
        login(client, "zarina", f"guess number {attempt}", ATTACKER)


def test_the_account_back_off_holds_across_worker_processes(file_app):  # noqa: F811
    file_app.config["LOGIN_THROTTLE_PER_IP"] = 100
    make_user(file_app, "zarina")
    in_another_process(file_app, _four_failures_for_zarina)
    client = file_app.test_client()
    assert login(client, "zarina", "the fifth guess", ATTACKER).status_code == 200
    assert login(client, "zarina", PASSWORD, ATTACKER).status_code == 429
    assert login(client, "zarina", PASSWORD, DESK).status_code == 302


def test_concurrent_guesses_at_one_account_get_no_more_than_the_free_failures(file_app, monkeypatch):  # noqa: F811
    """Guesses sent together from one address are counted before the password is checked: while one
    is being checked, the others may use only what is left of the free failures."""
    import threading

    from app.auth import services as auth_services

    file_app.config["LOGIN_THROTTLE_PER_IP"] = 100
    make_user(file_app, "zarina")
    checked = []
    verify = auth_services.verify_password

    def guess_on():
        client = file_app.test_client()
        for attempt in range(file_app.config["LOGIN_MAX_FAILURES"] + 2):
            login(client, "zarina", f"other guess {attempt}", ATTACKER)

    def slow_verify(password_hash, password):
        checked.append(password)
        if len(checked) == 1:  # while the first guess is being checked, another connection guesses on
            thread = threading.Thread(target=guess_on)
            thread.start()
            thread.join(60)
        return verify(password_hash, password)

    monkeypatch.setattr(auth_services, "verify_password", slow_verify)
    login(file_app.test_client(), "zarina", "first guess", ATTACKER)
    assert len(checked) == file_app.config["LOGIN_MAX_FAILURES"]
