"""CSRF protection is on for every form (the other tests switch it off for brevity)."""

from __future__ import annotations

import pytest


@pytest.fixture()
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def test_login_without_csrf_token_is_refused(csrf_app, session, make):
    make.user(username="zarina")
    response = csrf_app.test_client().post("/login", data={"username": "zarina", "password": "correct horse battery"})
    assert response.status_code == 400
    assert b"CSRF" in response.data


def test_every_post_form_in_pages_carries_a_csrf_token(csrf_app, session, make, login_as):
    client = csrf_app.test_client()
    make.user(username="admin.csrf", roles=["admin"], camps=[], all_camps=True)
    page = client.get("/login").data
    token = page.split(b'name="csrf_token" type="hidden" value="')[1].split(b'"')[0].decode()
    assert (
        client.post(
            "/login", data={"username": "admin.csrf", "password": "correct horse battery", "csrf_token": token}
        ).status_code
        == 302
    )
    for path in ("/", "/admin/users/new", "/account/tokens", "/account/password", "/camps/new"):
        html = client.get(path).data.decode()
        forms = html.count('<form method="post"')
        assert forms and html.count('name="csrf_token"') >= forms, path
