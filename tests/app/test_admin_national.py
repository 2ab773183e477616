"""National acts are for all-camps administrators: a camp admin rotates no card key, creates no camp and
manages nothing of another camp; account pages tell it nothing about accounts outside its camps, and
slow password hashing never runs inside SQLite's write lock (issue 12 #3, #5)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.users.models import ApiToken, User
from registration.cards.models import SigningKey
from tests.app.real_db import file_app  # noqa: F401 - the fixture
from tests.factories import PASSWORD

NEW_CAMP = {"code": "NEW", "name": "New camp", "region_code": "TJ-KT", "status": "open", "climate": ""}


@pytest.fixture()
def camps(make):
    return make.camp("KHR"), make.camp("SHR")


def _keys(session) -> int:
    return session.scalar(select(func.count()).select_from(SigningKey))


def test_a_camp_admin_cannot_rotate_the_card_signing_key(client, login_as, session, camps):
    login_as("admin", "KHR")
    before = _keys(session)
    assert client.get("/admin/keys").status_code == 403
    assert client.post("/admin/keys").status_code == 403
    assert _keys(session) == before
    assert b"/admin/keys" not in client.get("/").data  # no menu entry either


def test_an_all_camps_admin_rotates_the_key_and_it_is_audited(client, login_as, session, camps):
    hq = login_as("admin", None)
    assert b"/admin/keys" in client.get("/").data
    assert client.post("/admin/keys").status_code == 302
    key = session.scalar(select(SigningKey).where(SigningKey.retired_at.is_(None)))
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "card_key.create", AuditEvent.object_id == key.kid)
    )
    assert event is not None and event.user_id == hq.id


def test_a_camp_admin_cannot_create_camps(client, login_as, session, camps):
    login_as("admin", "KHR")
    assert client.get("/camps/new").status_code == 403
    assert client.post("/camps/new", data=NEW_CAMP).status_code == 403
    assert b"/camps/new" not in client.get("/camps").data
    login_as("admin", None)
    assert b"/camps/new" in client.get("/camps").data
    assert client.post("/camps/new", data=NEW_CAMP).status_code == 302
    assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "camp.create")) is not None


def test_national_permissions_are_not_listed_for_a_camp_admin(api):
    permissions = api("admin", "KHR").get("/api/v1/me").get_json()["permissions"]
    assert "keys.manage" not in permissions and "camps.create" not in permissions
    assert "users.manage" in permissions and "camps.manage" in permissions
    permissions = api("admin", None).get("/api/v1/me").get_json()["permissions"]
    assert "keys.manage" in permissions and "camps.create" in permissions


def test_a_camp_admin_edits_only_its_own_camps_and_kiosks(client, login_as, session, camps):
    from camps.feedback.kiosks import create_kiosk

    khr, shr = camps
    kiosk, _secret = create_kiosk(session, None, shr, "SHR help desk")
    session.flush()
    login_as("admin", "KHR")
    assert client.get("/camps/KHR/edit").status_code == 200
    assert client.get("/camps/SHR/edit").status_code == 404
    assert client.post("/camps/SHR/edit", data={**NEW_CAMP, "code": "SHR", "name": "Taken"}).status_code == 404
    assert client.post("/admin/kiosks", data={"camp": "SHR", "name": "Mine now"}).status_code == 422
    assert client.post(f"/admin/kiosks/{kiosk.id}/revoke").status_code == 404
    assert b"SHR help desk" not in client.get("/admin/kiosks").data
    session.refresh(shr)
    session.refresh(kiosk)
    assert shr.name != "Taken" and kiosk.revoked_at is None


# --- accounts outside the camp admin's scope: as good as absent ---------------------------------


def _page(response, ident: int) -> tuple[int, bytes]:
    """Status and body, less what changes on every answer (CSRF tokens, script nonce, the id asked for)."""
    body = re.sub(rb'(csrf-token" content|csrf_token" value|nonce)="[^"]*"', b"", response.data)
    return response.status_code, re.sub(rb"/%d\b" % ident, b"/ID", body)


def test_accounts_outside_the_scope_answer_like_missing_ones(app, client, login_as, make, session, camps):
    from app.users.services import create_token

    outsider = make.user(roles=["registration_clerk"], camps=["SHR"], username="shr.clerk")
    token, _clear = create_token(session, None, outsider, "phone")
    session.flush()
    login_as("admin", "KHR")
    missing = 10**6
    outside, absent = client.get(f"/admin/users/{outsider.id}"), client.get(f"/admin/users/{missing}")
    assert _page(outside, outsider.id) == _page(absent, missing) and absent.status_code == 404
    for path in (
        "/admin/users/{}/unlock",
        "/admin/users/{}/active",
        "/admin/users/{}/password",
        "/admin/users/{}",
        "/account/tokens/{}/revoke",
    ):
        ident = token.id if "tokens" in path else outsider.id
        outside, absent = client.post(path.format(ident)), client.post(path.format(missing))
        assert _page(outside, ident) == _page(absent, missing) and absent.status_code == 404, path
    outside = client.delete(f"/api/v1/tokens/{token.id}")
    absent = client.delete(f"/api/v1/tokens/{missing}")
    assert outside.status_code == absent.status_code == 404 and outside.get_json() == absent.get_json()
    assert b"shr.clerk" not in client.get("/admin/users?q=shr").data
    assert session.get(ApiToken, token.id).revoked_at is None


def test_no_hand_built_post_gives_more_than_the_camp_admin_holds(client, login_as, make, session, camps):
    khr, shr = camps
    login_as("admin", "KHR")
    base = {
        "username": "made.up",
        "full_name": "Made Up",
        "password": "temporary passphrase",
        "roles": ["registration_clerk"],
    }
    refused = [
        {"camps": [str(khr.id), str(shr.id)]},
        {"camps": [str(khr.id)], "all_camps": "on"},
        {"camps": [str(khr.id)], "roles": ["registration_clerk", "protection_officer"]},
        {"camps": [str(khr.id)], "roles": ["superuser"]},
        {"camps": ["999999"]},
    ]
    for extra in refused:
        assert client.post("/admin/users/new", data={**base, **extra}).status_code == 422, extra
    assert session.scalar(select(User).where(User.username == "made.up")) is None
    assert client.post("/api/v1/users", json={**base, "all_camps": True}).status_code == 404


@pytest.mark.parametrize("camp", ["KHR", None], ids=["camp_admin", "hq_admin"])
def test_no_admin_resets_its_own_password_without_the_current_one(client, login_as, make, session, camps, camp):
    """A stolen admin session must not take the account over by the reset route, which asks for no
    current password: one's own password changes on the change-password page only."""
    admin = login_as("admin", camp)
    old_hash = admin.password_hash
    response = client.post(
        f"/admin/users/{admin.id}/password",
        data={"password": "taken over passphrase", "confirm": "taken over passphrase"},
    )
    assert response.status_code == 422 and b"Change your own password on the Change password page" in response.data
    session.refresh(admin)
    assert admin.password_hash == old_hash and not admin.must_change_password
    assert client.get("/").status_code == 200  # still signed in: nothing was reset
    assert b'data-testid="reset-password"' not in client.get(f"/admin/users/{admin.id}").data
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    assert b'data-testid="reset-password"' in client.get(f"/admin/users/{clerk.id}").data


# --- Argon2 outside the write lock ---------------------------------------------------------------


def _hq_admin(app) -> int:
    from app.db import own_transaction
    from app.users.services import create_user
    from camps.sites.models import Camp

    with app.app_context(), own_transaction() as session:
        camp = Camp(code="KHR", name="K", region_code="TJ-KT", status="open", household_counter=0)
        session.add(camp)
        session.flush()
        create_user(
            session,
            None,
            username="hq.admin",
            full_name="HQ",
            password=PASSWORD,
            roles=["admin"],
            all_camps=True,
            must_change_password=False,
        )
        return camp.id


def test_admin_create_and_reset_hash_outside_the_write_lock(file_app, monkeypatch):  # noqa: F811
    """Argon2 takes a tenth of a second: desks' saves must not queue behind an account being made."""
    from app.auth import passwords
    from app.db import _WRITERS
    from app.users import services

    camp_id = _hq_admin(file_app)
    engine = file_app.extensions["panoh.db"].engine
    held: list[bool] = []
    real_hash = passwords.hash_password

    def hash_password(password):
        held.append(_WRITERS[engine]._thread.locked())
        return real_hash(password)

    monkeypatch.setattr(services, "hash_password", hash_password)
    client = file_app.test_client()
    assert client.post("/login", data={"username": "hq.admin", "password": PASSWORD}).status_code == 302
    response = client.post(
        "/admin/users/new",
        data={
            "username": "new.clerk",
            "full_name": "New Clerk",
            "password": "temporary passphrase",
            "roles": ["registration_clerk"],
            "camps": [str(camp_id)],
        },
    )
    assert response.status_code == 302
    user_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    response = client.post(
        f"/admin/users/{user_id}/password", data={"password": "another passphrase", "confirm": "another passphrase"}
    )
    assert response.status_code == 302
    assert held == [False, False]
    with file_app.app_context():
        from app.auth.passwords import verify_password
        from app.db import own_transaction

        with own_transaction() as session:
            user = session.get(User, user_id)
            assert user.must_change_password and verify_password(user.password_hash, "another passphrase")
            actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(user_id))))
            assert {"user.create", "user.password_reset"} <= actions
