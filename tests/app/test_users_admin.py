"""The admin's account pages: create, edit roles and camps, reset, unlock, deactivate."""

from __future__ import annotations

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.users.models import ApiToken, User
from tests.factories import PASSWORD


def user_count(session) -> int:
    return session.scalar(select(func.count()).select_from(User))


def test_admin_creates_a_clerk_scoped_to_one_camp(client, login_as, make, session):
    login_as("admin", None)
    camp = make.camp("KHR")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "new.clerk",
            "full_name": "Zarina Rahimova",
            "password": "temporary passphrase",
            "roles": ["registration_clerk"],
            "camps": [str(camp.id)],
        },
    )
    assert response.status_code == 302
    user = session.scalar(select(User).where(User.username == "new.clerk"))
    assert user.roles == ["registration_clerk"] and user.camp_ids == {camp.id}
    assert user.must_change_password and not user.all_camps
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.create", AuditEvent.object_id == str(user.id))
    )
    assert event is not None and "Zarina" not in str(event.details)


def test_bad_new_user_input_keeps_what_was_typed_and_saves_nothing(client, login_as, make, session):
    login_as("admin", None)
    make.camp("KHR")
    before = user_count(session)
    response = client.post(
        "/admin/users/new",
        data={
            "username": "Bad Name!",
            "full_name": "Zarina Rahimova",
            "password": "temporary passphrase",
            "roles": ["registration_clerk"],
            "all_camps": "y",
        },
    )
    assert response.status_code == 422
    assert b"Use 3-64 lower-case letters" in response.data
    assert b'value="Zarina Rahimova"' in response.data
    assert user_count(session) == before


def test_new_user_needs_a_role_and_a_camp(client, login_as, session):
    login_as("admin", None)
    before = user_count(session)
    response = client.post(
        "/admin/users/new", data={"username": "someone", "full_name": "Some One", "password": "temporary passphrase"}
    )
    assert response.status_code == 422 and b"Choose at least one role." in response.data
    response = client.post(
        "/admin/users/new",
        data={"username": "someone", "full_name": "Some One", "password": "temporary passphrase", "roles": ["viewer"]},
    )
    assert response.status_code == 422 and b"Choose the camps this account works in" in response.data
    assert user_count(session) == before


def test_duplicate_username_is_refused(client, login_as, make):
    login_as("admin", None)
    make.user(username="taken")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "Taken",
            "full_name": "X",
            "password": "temporary passphrase",
            "roles": ["viewer"],
            "all_camps": "y",
        },
    )
    assert response.status_code == 422 and b"This username is taken." in response.data


def test_admin_changes_roles_and_camps(client, login_as, make, session):
    login_as("admin", None)
    user = make.user(roles=["registration_clerk"], camps=["KHR"])
    other = make.camp("SHR")
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "full_name": "Renamed",
            "roles": ["registration_supervisor", "feedback_officer"],
            "camps": [str(other.id)],
        },
    )
    assert response.status_code == 302
    session.refresh(user)
    assert user.roles == ["feedback_officer", "registration_supervisor"]
    assert user.camp_ids == {other.id} and user.full_name == "Renamed"


def test_admin_cannot_remove_own_admin_role(client, login_as, session):
    admin = login_as("admin", None)
    response = client.post(f"/admin/users/{admin.id}", data={"full_name": "Me", "roles": ["viewer"], "all_camps": "y"})
    assert response.status_code == 422
    session.refresh(admin)
    assert admin.roles == ["admin"]


def test_admin_unlocks_an_account_that_an_address_must_wait_for(app, client, login_as, make, session):
    """Was: failures locked the account itself; now the address that failed waits (issue 12 #11), and
    the admin sees it and can lift the wait."""
    user = make.user(username="locked.user")
    other = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        other.post("/login", data={"username": "locked.user", "password": "wrong password x"})
    assert other.post("/login", data={"username": "locked.user", "password": PASSWORD}).status_code == 429
    login_as("admin", None)
    assert b'data-testid="locked-badge"' in client.get(f"/admin/users/{user.id}").data
    assert client.post(f"/admin/users/{user.id}/unlock").status_code == 302
    assert other.post("/login", data={"username": "locked.user", "password": PASSWORD}).status_code == 302


def test_admin_unlocks_a_locked_account(client, login_as, make, session):
    from app.db import utcnow

    user = make.user(username="locked.user")
    user.locked_at = utcnow()
    session.flush()
    login_as("admin", None)
    assert b'data-testid="locked-badge"' in client.get(f"/admin/users/{user.id}").data
    assert client.post(f"/admin/users/{user.id}/unlock").status_code == 302
    session.refresh(user)
    assert not user.is_locked


def test_admin_resets_password_and_user_must_change_it(app, client, login_as, make, session):
    user = make.user(username="forgetful")
    login_as("admin", None)
    response = client.post(
        f"/admin/users/{user.id}/password", data={"password": "temporary passphrase", "confirm": "temporary passphrase"}
    )
    assert response.status_code == 302
    other = app.test_client()
    other.post("/login", data={"username": "forgetful", "password": "temporary passphrase"})
    assert other.get("/camps").headers["Location"] == "/account/password"


def test_reset_password_refuses_weak_password(client, login_as, make):
    user = make.user()
    login_as("admin", None)
    response = client.post(f"/admin/users/{user.id}/password", data={"password": "short", "confirm": "short"})
    assert response.status_code == 422 and b"Use at least 10 characters." in response.data


def test_deactivation_signs_user_out_and_revokes_tokens(app, client, login_as, make, session):
    from app.users.services import create_token

    user = make.user(username="leaving")
    create_token(session, None, user, "tablet")
    other = app.test_client()
    other.post("/login", data={"username": "leaving", "password": PASSWORD})
    assert other.get("/").status_code == 200
    login_as("admin", None)
    assert client.post(f"/admin/users/{user.id}/active", data={"active": "0"}).status_code == 302
    assert other.get("/").status_code == 302
    tokens = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    assert tokens and all(t.revoked_at is not None for t in tokens)


def test_admin_cannot_deactivate_self(client, login_as, session):
    admin = login_as("admin", None)
    client.post(f"/admin/users/{admin.id}/active", data={"active": "0"})
    session.refresh(admin)
    assert admin.active


def test_user_list_searches(client, login_as, make):
    login_as("admin", None)
    make.user(username="findme", full_name="Nigina Karimova")
    make.user(username="other", full_name="Someone Else")
    page = client.get("/admin/users?q=nigina").data
    assert b"findme" in page and b">other<" not in page


def test_user_creates_and_revokes_own_token(client, login_as, session):
    user = login_as("distribution_officer")
    response = client.post("/account/tokens", data={"name": "scanner tablet 2"})
    assert response.status_code == 200
    clear = response.data.split(b'data-testid="new-token">')[1].split(b"<")[0].decode()
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert clear.startswith("panoh_") and token.digest != clear and clear not in token.digest
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {clear}"}).status_code == 200
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {clear}"}).status_code == 401


def test_user_cannot_revoke_someone_elses_token(client, login_as, make, session):
    from app.users.services import create_token

    owner = make.user()
    token, _clear = create_token(session, None, owner, "tablet")
    login_as("registration_clerk")
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    session.refresh(token)
    assert token.revoked_at is None
