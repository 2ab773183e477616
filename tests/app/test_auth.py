"""Signing in and out: back-off, throttling, idle expiry, forced password change, redirects."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.users.models import User
from tests.factories import PASSWORD


def login(client, username, password, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


def test_login_with_right_password_signs_in_and_is_audited(client, make, session):
    user = make.user(username="zarina")
    response = login(client, "Zarina", PASSWORD)  # usernames are case-insensitive
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id)).all()
    assert "auth.login" in actions


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make):
    make.user(username="zarina")
    response = login(client, "zarina", "wrong password!")
    assert response.status_code == 200
    assert b"Wrong username or password." in response.data
    unknown = login(client, "nobody", "wrong password!")
    assert b"Wrong username or password." in unknown.data


def test_failures_make_this_address_wait_without_locking_the_account(app, client, make, session):
    """Was: the account locked after the configured failures (anyone could lock anyone out, issue 12 #11).
    Now only the address that failed waits for this account, and hears why."""
    user = make.user(username="zarina")
    limit = app.config["LOGIN_MAX_FAILURES"]
    for attempt in range(limit):
        response = login(client, "zarina", f"wrong-{attempt}-password")
        assert b"Wrong username or password." in response.data and b"locked" not in response.data.lower()
    session.refresh(user)
    assert not user.is_locked and user.failed_logins == limit
    response = login(client, "zarina", PASSWORD)
    assert response.status_code == 429 and b"Too many sign-in attempts" in response.data
    assert client.get("/").status_code == 302


def test_no_answer_counts_the_attempts_left(client, make):
    """Was: "2 attempts left", which told an existing account from an unknown one (issue 12 #11)."""
    make.user(username="zarina")
    for _ in range(2):
        login(client, "zarina", "wrong password here")
    response = login(client, "zarina", "wrong password here")
    assert b"attempts left" not in response.data and b"Wrong username or password." in response.data


def test_successful_login_resets_failure_count(client, make, session):
    user = make.user(username="zarina")
    login(client, "zarina", "bad password one")
    login(client, "zarina", PASSWORD)
    session.refresh(user)
    assert user.failed_logins == 0


def test_deactivated_user_cannot_sign_in(client, make, session):
    user = make.user(username="zarina")
    user.active = False
    session.flush()
    response = login(client, "zarina", PASSWORD)
    assert b"deactivated" in response.data
    assert client.get("/").status_code == 302


def test_login_is_throttled_per_address(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_THROTTLE_PER_IP", 3)
    for _ in range(3):
        login(client, "nobody", "whatever password")
    response = login(client, "nobody", "whatever password")
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.data


def test_empty_login_form_shows_errors_next_to_fields(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 422
    assert response.data.count(b"data-field-error") == 2


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_next_parameter_never_leaves_the_site(client, make, target):
    make.user(username="zarina")
    response = login(client, "zarina", PASSWORD, next=target)
    assert response.headers["Location"] == "/"


def test_next_parameter_returns_to_the_page_asked_for(client, make):
    make.user(username="zarina")
    response = login(client, "zarina", PASSWORD, next="/camps")
    assert response.headers["Location"] == "/camps"


def test_pages_redirect_anonymous_users_to_login(client):
    response = client.get("/camps")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_idle_session_expires(app, client, login_as, monkeypatch):
    login_as("registration_clerk")
    assert client.get("/").status_code == 200
    with client.session_transaction() as flask_session:
        flask_session["seen"] = int(time.time()) - 60 * app.config["IDLE_TIMEOUT_MINUTES"] - 5
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_after_the_idle_timeout_signing_in_again_speaks_the_users_language(app, client, make, session):
    """Regression: the expired session was cleared with its language, so a Tajik clerk's sign-in page
    (and the refusal in drafts.js's sign-in dialog, on a page still in Tajik) came back in English."""
    make.user(username="farzona").locale = "tg"
    session.flush()
    login(client, "farzona", PASSWORD)
    with client.session_transaction() as flask_session:
        flask_session["seen"] = int(time.time()) - 60 * app.config["IDLE_TIMEOUT_MINUTES"] - 5
    assert client.get("/session/status").get_json()["signed_in"] is False
    refused = client.post(
        "/login", data={"username": "farzona", "password": "not it"}, headers={"Accept-Language": "en"}
    )
    assert "Номи корбар ё парол нодуруст аст" in refused.get_data(as_text=True)


def test_logout_needs_post_and_ends_the_session(client, login_as):
    login_as("viewer", None)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_user_must_change_temporary_password_before_anything_else(client, make):
    make.user(username="zarina", must_change_password=True)
    login(client, "zarina", PASSWORD)
    response = client.get("/camps")
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"


def test_change_own_password(client, make, session):
    user = make.user(username="zarina")
    login(client, "zarina", PASSWORD)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a new long passphrase", "confirm": "a new long passphrase"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # still signed in on this browser
    client.post("/logout")
    assert b"Wrong username" in login(client, "zarina", PASSWORD).data
    assert login(client, "zarina", "a new long passphrase").status_code == 302
    session.refresh(user)
    assert not user.must_change_password


@pytest.mark.parametrize(
    "current,new,confirm,message",
    [
        ("wrong current pw", "a new long passphrase", "a new long passphrase", b"The current password is wrong."),
        (PASSWORD, "short", "short", b"Use at least 10 characters."),
        (PASSWORD, "a new long passphrase", "another passphrase", b"The passwords differ."),
        (PASSWORD, "zarina-is-my-password", "zarina-is-my-password", b"must not contain the username"),
    ],
)
def test_change_password_refusals_show_next_to_the_field(client, make, session, current, new, confirm, message):
    user = make.user(username="zarina")
    old_hash = user.password_hash
    login(client, "zarina", PASSWORD)
    response = client.post("/account/password", data={"current_password": current, "password": new, "confirm": confirm})
    assert response.status_code == 422
    assert message in response.data
    assert session.scalar(select(User.password_hash).where(User.id == user.id)) == old_hash


def test_password_change_signs_out_other_browsers(app, client, make):
    make.user(username="zarina")
    other = app.test_client()
    login(client, "zarina", PASSWORD)
    login(other, "zarina", PASSWORD)
    client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a new long passphrase", "confirm": "a new long passphrase"},
    )
    assert other.get("/").status_code == 302


def test_passwords_are_hashed_with_argon2id(make):
    user = make.user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
