"""Admins are scoped too: a camp admin manages only its camps' accounts and audit, never grants more
than it holds, never changes its own roles; sensitive-case audit is for protection officers only
(issue 12 #3, #7)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.audit.services import log_action
from app.users.models import User
from tests.conftest import sign_in


@pytest.fixture()
def camps(make):
    return make.camp("KHR"), make.camp("SHR")


def _form(user: User, **changes) -> dict:
    data = {"full_name": user.full_name, "roles": user.roles, "camps": [str(c) for c in sorted(user.camp_ids)]}
    if user.all_camps:
        data["all_camps"] = "y"
    data.update(changes)
    return data


def test_a_camp_admin_cannot_make_itself_all_camps_or_protection(client, login_as, session, camps):
    admin = login_as("admin", "KHR")
    for changes in (
        {"all_camps": "y"},
        {"roles": ["admin", "protection_officer"]},
        {"camps": [str(camps[0].id), str(camps[1].id)]},
    ):
        response = client.post(f"/admin/users/{admin.id}", data=_form(admin, **changes))
        assert response.status_code == 422, changes
    session.refresh(admin)
    assert (admin.all_camps, admin.roles, admin.camp_ids) == (False, ["admin"], {camps[0].id})


def test_no_admin_changes_its_own_roles_or_scope(client, login_as, session, camps):
    admin = login_as("admin", None)
    response = client.post(f"/admin/users/{admin.id}", data=_form(admin, roles=["admin", "protection_officer"]))
    assert response.status_code == 422
    response = client.post(f"/admin/users/{admin.id}", data=_form(admin, full_name="New Name"))
    assert response.status_code == 302
    session.refresh(admin)
    assert admin.roles == ["admin"] and admin.full_name == "New Name"


def test_a_camp_admin_grants_only_its_camps_and_no_protection_role(client, login_as, make, session, camps):
    login_as("admin", "KHR")
    khr, shr = camps
    base = {"username": "new.one", "full_name": "New One", "password": "temporary passphrase"}
    refused = [
        {"roles": ["registration_clerk"], "camps": [str(shr.id)]},
        {"roles": ["registration_clerk"], "all_camps": "y"},
        {"roles": ["protection_officer"], "camps": [str(khr.id)]},
    ]
    for extra in refused:
        assert client.post("/admin/users/new", data={**base, **extra}).status_code == 422, extra
    assert session.scalar(select(User).where(User.username == "new.one")) is None
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    for changes in ({"camps": [str(shr.id)]}, {"all_camps": "y"}, {"roles": ["protection_officer"]}):
        assert client.post(f"/admin/users/{clerk.id}", data=_form(clerk, **changes)).status_code == 422, changes
    # what it holds, it may give
    created = client.post(
        "/admin/users/new", data={**base, "roles": ["registration_clerk", "admin"], "camps": [str(khr.id)]}
    )
    assert created.status_code == 302


@pytest.mark.parametrize("target", ["other_camp", "both_camps", "all_camps", "protection", "admin_hq"])
def test_a_camp_admin_cannot_touch_accounts_outside_its_camps(app, client, login_as, make, session, camps, target):
    user = {
        "other_camp": lambda: make.user(roles=["registration_clerk"], camps=["SHR"]),
        "both_camps": lambda: make.user(roles=["registration_clerk"], camps=["KHR", "SHR"]),
        "all_camps": lambda: make.user(roles=["viewer"], camps=[], all_camps=True),
        "protection": lambda: make.user(roles=["protection_officer"], camps=["KHR"]),
        "admin_hq": lambda: make.user(roles=["admin"], camps=[], all_camps=True),
    }[target]()
    old_hash = user.password_hash
    login_as("admin", "KHR")
    assert client.get(f"/admin/users/{user.id}").status_code == 404
    assert (
        client.post(
            f"/admin/users/{user.id}/password",
            data={"password": "temporary passphrase", "confirm": "temporary passphrase"},
        ).status_code
        == 404
    )
    assert client.post(f"/admin/users/{user.id}/active", data={"active": "0"}).status_code == 404
    assert client.post(f"/admin/users/{user.id}", data=_form(user, full_name="Taken Over")).status_code == 404
    assert user.username.encode() not in client.get("/admin/users").data
    session.refresh(user)
    assert user.password_hash == old_hash and user.active and user.full_name != "Taken Over"


def test_a_camp_admin_manages_the_accounts_of_its_camp(client, login_as, make, session, camps):
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    login_as("admin", "KHR")
    assert clerk.username.encode() in client.get("/admin/users").data
    assert (
        client.post(
            f"/admin/users/{clerk.id}/password",
            data={"password": "temporary passphrase", "confirm": "temporary passphrase"},
        ).status_code
        == 302
    )


def test_granting_the_protection_role_is_audited(client, login_as, make, session, camps):
    hq = login_as("admin", None)
    officer = make.user(roles=["feedback_officer"], camps=["KHR"])
    response = client.post(
        f"/admin/users/{officer.id}", data=_form(officer, roles=["feedback_officer", "protection_officer"])
    )
    assert response.status_code == 302
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.grant_protection", AuditEvent.object_id == str(officer.id))
    )
    assert event is not None and event.user_id == hq.id


def test_a_camp_admin_reads_only_its_camps_audit(client, login_as, make, session, camps):
    khr, shr = camps
    log_action(session, None, "test.in_khr", camp_id=khr.id, object_type="household", object_id=1)
    log_action(session, None, "test.in_shr", camp_id=shr.id, object_type="household", object_id=2)
    log_action(session, None, "test.nowhere")
    session.flush()
    login_as("admin", "KHR")
    page = client.get("/admin/audit").data
    assert b"test.in_khr" in page and b"test.in_shr" not in page and b"test.nowhere" not in page
    assert b"test.in_shr" not in client.get(f"/admin/audit?camp={shr.id}").data
    login_as("admin", None)
    page = client.get("/admin/audit").data
    assert b"test.in_khr" in page and b"test.in_shr" in page and b"test.nowhere" in page


def test_sensitive_case_audit_is_for_protection_officers_only(client, login_as, make, session, camps):
    from camps.feedback import services as feedback

    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    data = {
        "channel": "help_desk",
        "received_on": date(2026, 11, 30),
        "sector": "protection",
        "description": "A guard asked for money.",
        "language": "fa",
        "household": "",
        "person_seq": None,
        "anonymous": True,
        "consent_to_contact": False,
        "contact": "",
    }
    sensitive = feedback.intake(session, clerk, camps[0], {**data, "type": "sensitive", "sensitive_category": "fraud"})
    ordinary = feedback.intake(session, clerk, camps[0], {**data, "type": "complaint", "sensitive_category": ""})
    session.flush()
    login_as("admin", None)
    page = client.get("/admin/audit?object_type=feedback_case").data
    assert ordinary.reference.encode() in page
    assert sensitive.reference.encode() not in page and b"sensitive" not in page
    sign_in(client, make.user(roles=["admin", "protection_officer"], camps=[], all_camps=True))
    page = client.get("/admin/audit?object_type=feedback_case").data
    assert sensitive.reference.encode() in page and ordinary.reference.encode() in page
