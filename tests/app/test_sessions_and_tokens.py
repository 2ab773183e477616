"""Sessions and API tokens end: at sign-out, after an absolute lifetime, when the password changes;
tokens never mint tokens; a temporary password blocks everything until it is changed (issue 12 #4)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.db import own_transaction
from app.users.models import ApiToken
from app.users.services import create_token
from tests.app.real_db import file_app, make_user  # noqa: F401 - the fixture
from tests.factories import PASSWORD

NEW_PASSWORD = "a new long passphrase"


def login(client, username, password=PASSWORD, **environ):
    return client.post("/login", data={"username": username, "password": password}, environ_base=environ or {})


def bearer(clear: str) -> dict:
    return {"Authorization": f"Bearer {clear}"}


def test_a_copied_cookie_stops_working_at_sign_out(app, client, make):
    make.user(username="zarina")
    assert login(client, "zarina").status_code == 302
    copied = client.get_cookie("panoh_session").value
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("panoh_session", copied)
    response = thief.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_signing_out_on_one_browser_leaves_the_others_signed_in(app, client, make):
    make.user(username="zarina")
    other = app.test_client()
    login(client, "zarina")
    login(other, "zarina")
    client.post("/logout")
    assert other.get("/").status_code == 200


def test_a_session_ends_after_its_absolute_lifetime_however_busy(app, client, make):
    make.user(username="zarina")
    hours = app.config.get("SESSION_MAX_HOURS", 12)
    assert hours == 12  # the default
    with freeze_time(datetime(2026, 12, 1, 6, 0)) as clock:
        login(client, "zarina")
        for _ in range(hours * 3 - 1):  # a request every 20 minutes: never idle
            clock.tick(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        clock.tick(timedelta(minutes=21))
        response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_changing_the_password_revokes_every_api_token(client, make, session):
    user = make.user(username="zarina")
    _token, clear = create_token(session, None, user, "tablet")
    assert client.get("/api/v1/me", headers=bearer(clear)).status_code == 200
    login(client, "zarina")
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=bearer(clear)).status_code == 401


def test_an_admin_reset_revokes_every_api_token(app, client, login_as, make, session):
    user = make.user(username="forgetful")
    _token, clear = create_token(session, None, user, "tablet")
    login_as("admin", None)
    response = client.post(
        f"/admin/users/{user.id}/password", data={"password": "temporary passphrase", "confirm": "temporary passphrase"}
    )
    assert response.status_code == 302
    assert app.test_client().get("/api/v1/me", headers=bearer(clear)).status_code == 401
    tokens = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    assert all(token.revoked_at is not None for token in tokens)


def test_a_token_cannot_mint_another_token(client, make, session):
    user = make.user()
    _token, clear = create_token(session, None, user, "tablet")
    response = client.post("/api/v1/tokens", json={"name": "forever"}, headers=bearer(clear))
    assert response.status_code == 403 and response.is_json
    assert session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all() == [_token]


def test_a_temporary_password_blocks_the_api_through_a_token(client, make, session):
    user = make.user(must_change_password=True)
    _token, clear = create_token(session, None, user, "tablet")
    response = client.get("/api/v1/me", headers=bearer(clear))
    assert response.status_code == 403 and response.is_json
    assert "password" in response.get_json()["error"]["detail"]


def test_a_temporary_password_blocks_the_api_through_the_cookie(client, make, session):
    user = make.user(username="newcomer", must_change_password=True)
    login(client, "newcomer")
    response = client.post("/api/v1/tokens", json={"name": "forever"})
    assert response.status_code == 403 and response.is_json
    assert client.get("/api/v1/me").status_code == 403
    assert session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all() == []


def test_an_empty_authorization_header_does_not_lift_the_temporary_password_block(client, make):
    """The API takes an empty header as "no token" and uses the cookie: the cookie's checks apply
    (a blank one is a wrong token)."""
    make.user(username="newcomer", must_change_password=True)
    login(client, "newcomer")
    assert client.get("/api/v1/me", headers={"Authorization": ""}).status_code == 403
    assert client.get("/api/v1/me", headers={"Authorization": " "}).status_code in {401, 403}


def test_an_empty_authorization_header_does_not_skip_the_idle_timeout(app, client, make):
    make.user(username="zarina")
    with freeze_time(datetime(2026, 12, 1, 6, 0)) as clock:
        login(client, "zarina")
        clock.tick(timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"] + 1))
        response = client.get("/api/v1/me", headers={"Authorization": ""})
    assert response.status_code in {302, 401}


def test_wrong_current_passwords_are_audited_and_end_the_session(file_app):  # noqa: F811
    """On a real database file: the guesses are recorded even though each answer is a refusal."""
    make_user(file_app, "zarina")
    client = file_app.test_client()
    login(client, "zarina")
    limit = file_app.config["LOGIN_MAX_FAILURES"]
    for attempt in range(limit - 1):
        response = client.post(
            "/account/password",
            data={"current_password": f"guess number {attempt}", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
        assert response.status_code == 422
    response = client.post(
        "/account/password",
        data={"current_password": "the last guess", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/").status_code == 302  # signed out
    with file_app.app_context(), own_transaction() as session:
        failures = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.password_check_failed", AuditEvent.username == "zarina")
        ).all()
    assert len(failures) == limit
    # the guesses count towards sign-in from this address: even the right password waits now
    assert login(client, "zarina").status_code == 429
    assert login(file_app.test_client(), "zarina", REMOTE_ADDR="10.1.2.3").status_code == 302


def test_concurrent_wrong_current_passwords_get_no_more_guesses(file_app, monkeypatch):  # noqa: F811
    """Guesses sent together (a stolen cookie, many connections) are counted before they are checked:
    while one guess is being checked, the others may use only what is left of the free failures."""
    from app.auth import services as auth_services

    make_user(file_app, "zarina")
    client = file_app.test_client()
    login(client, "zarina")
    other = file_app.test_client()
    other.set_cookie("panoh_session", client.get_cookie("panoh_session").value)
    checked = []
    verify = auth_services.verify_password

    def guess_on():
        for attempt in range(file_app.config["LOGIN_MAX_FAILURES"] + 2):
            other.post(
                "/account/password",
                data={"current_password": f"other guess {attempt}", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
            )

    def slow_verify(password_hash, password):
        checked.append(password)
        if len(checked) == 1:  # while the first guess is being checked, another connection guesses on
            thread = threading.Thread(target=guess_on)
            thread.start()
            thread.join(60)
        return verify(password_hash, password)

    monkeypatch.setattr(auth_services, "verify_password", slow_verify)
    client.post(
        "/account/password", data={"current_password": "first guess", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert len(checked) == file_app.config["LOGIN_MAX_FAILURES"]


def test_a_right_current_password_forgets_the_guess_counted_before_it(client, make):
    make.user(username="zarina")
    login(client, "zarina")
    for attempt in range(3):
        client.post(
            "/account/password",
            data={"current_password": f"guess {attempt}", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": "short", "confirm": "short"}
    )
    assert response.status_code == 422  # the new password is refused, the current one was right
    client.post("/logout")
    for attempt in range(4):  # the address starts again from no failures
        login(client, "zarina", password=f"wrong {attempt}")
    assert login(client, "zarina").status_code == 302
