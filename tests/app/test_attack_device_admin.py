"""Attack on the shared device admin pages (app/secret_link_views.py): forged requests from another camp."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from camps.communication.models import NoticeBoard
from camps.communication.noticeboard import create_board
from camps.feedback.kiosks import create_kiosk
from camps.feedback.models import Kiosk

PAGES = [
    ("/admin/kiosks", "admin", Kiosk, create_kiosk, "kiosk"),
    ("/admin/notice-boards", "communication_officer", NoticeBoard, create_board, "noticeboard"),
]


@pytest.mark.parametrize(("path", "role", "model", "create", "kind"), PAGES)
def test_devices_of_another_camp_are_neither_revoked_nor_added(
    client, login_as, session, make, path, role, model, create, kind
):
    make.camp("KHR")
    shr = make.camp("SHR")
    other, _secret = create(session, None, shr, "SHR secret place")
    session.flush()
    login_as(role, "KHR")
    assert client.post(f"{path}/{other.id}/revoke").status_code == 404
    assert client.post(f"{path}/999999/revoke").status_code == 404
    assert client.get(f"{path}/{other.id}/revoke").status_code == 405
    response = client.post(path, data={"camp": "SHR", "name": "Mine now"})
    assert response.status_code == 422 and b"SHR secret place" not in response.data
    session.refresh(other)
    assert other.revoked_at is None
    assert session.scalar(select(func.count()).select_from(model)) == 1
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like(f"{kind}.%"))) == 1


@pytest.mark.parametrize(("path", "role", "model", "create", "kind"), PAGES)
def test_a_refused_name_keeps_what_was_typed_and_saves_nothing(
    client, login_as, session, make, path, role, model, create, kind
):
    make.camp("KHR")
    login_as(role, "KHR")
    typed = "<b>" + "x" * 80
    response = client.post(path, data={"camp": "KHR", "name": typed})
    page = response.data.decode()
    assert response.status_code == 422
    assert f'value="{html.escape(typed)}"' in page and "<b>xxx" not in page
    assert 'data-field-error="name"' in page
    for name in ("", "   "):
        assert client.post(path, data={"camp": "KHR", "name": name}).status_code == 422
    assert session.scalar(select(func.count()).select_from(model)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like(f"{kind}.%"))) == 0


@pytest.mark.parametrize(("path", "role", "model", "create", "kind"), PAGES)
def test_adding_and_revoking_a_device_is_audited_as_before(
    client, login_as, session, make, path, role, model, create, kind
):
    khr = make.camp("KHR")
    user = login_as(role, "KHR")
    assert client.post(path, data={"camp": "KHR", "name": "Block 3"}).status_code == 200
    device = session.scalar(select(model))
    assert client.post(f"{path}/{device.id}/revoke").status_code == 302
    assert client.post(f"{path}/{device.id}/revoke").status_code == 302  # twice: nothing more
    events = session.execute(
        select(AuditEvent.action, AuditEvent.object_type, AuditEvent.object_id, AuditEvent.camp_id, AuditEvent.user_id)
        .where(AuditEvent.action.like(f"{kind}.%"))
        .order_by(AuditEvent.id)
    ).all()
    ids = {str(device.id), device.id}
    assert [(a, t, c, u) for a, t, _i, c, u in events] == [
        (f"{kind}.create", kind, khr.id, user.id),
        (f"{kind}.revoke", kind, khr.id, user.id),
    ]
    assert all(i in ids for _a, _t, i, _c, _u in events)


@pytest.mark.parametrize(("path", "role", "model", "create", "kind"), PAGES)
def test_a_device_is_not_added_or_revoked_without_the_csrf_token(app, session, make, path, role, model, create, kind):
    from tests.conftest import sign_in

    khr = make.camp("KHR")
    device, _secret = create(session, None, khr, "Block 3")
    session.flush()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        sign_in(client, make.user(roles=[role], camps=["KHR"]))
        assert client.post(path, data={"camp": "KHR", "name": "Forged"}).status_code == 400
        assert client.post(f"{path}/{device.id}/revoke").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    session.refresh(device)
    assert device.revoked_at is None and session.scalar(select(func.count()).select_from(model)) == 1
