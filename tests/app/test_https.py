"""Forms work over HTTPS and stay protected (issue 12, finding 2); the browser test over the real
``panoh serve --tls`` is tests/browser/test_tls_browser.py."""

from __future__ import annotations

import pytest

BASE = "https://panoh.camp.lan"


@pytest.fixture()
def csrf_client(app, session):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False


def _login_form(client) -> str:
    page = client.get("/login", base_url=BASE).data
    return page.split(b'name="csrf_token" type="hidden" value="')[1].split(b'"')[0].decode()


def test_pages_let_same_origin_requests_carry_the_referrer_and_nothing_else(client):
    response = client.get("/login", base_url=BASE)
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_a_sign_in_posted_from_the_page_over_https_is_accepted(csrf_client, make):
    make.user(username="zarina.tls")
    token = _login_form(csrf_client)
    response = csrf_client.post(
        "/login",
        base_url=BASE,
        data={"username": "zarina.tls", "password": "correct horse battery", "csrf_token": token},
        headers={"Referer": f"{BASE}/login", "Origin": BASE},
    )
    assert response.status_code == 302


def test_the_referrer_check_stays_on_over_https(csrf_client, make):
    make.user(username="zarina.noref")
    token = _login_form(csrf_client)
    response = csrf_client.post(
        "/login",
        base_url=BASE,
        data={"username": "zarina.noref", "password": "correct horse battery", "csrf_token": token},
    )
    assert response.status_code == 400
    assert b"referrer" in response.data


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://panoh.camp.lan.evil.example"])
def test_a_post_that_the_browser_says_came_from_another_site_is_refused(csrf_client, make, origin):
    make.user(username="zarina.origin")
    token = _login_form(csrf_client)
    response = csrf_client.post(
        "/login",
        base_url="http://panoh.camp.lan",
        data={"username": "zarina.origin", "password": "correct horse battery", "csrf_token": token},
        headers={"Origin": origin},
    )
    assert response.status_code == 400
    assert b"another site" in response.data


def test_api_calls_with_a_bearer_token_are_not_held_to_the_origin(csrf_client, api):
    caller = api("registration_clerk")
    response = csrf_client.post(
        "/api/v1/households/search", json={"q": "x"}, headers={**caller.headers, "Origin": "https://tool.example"}
    )
    assert response.status_code != 400


def test_an_authorization_header_on_a_page_does_not_lift_the_origin_check(csrf_client, make):
    """Browsers add Authorization by themselves behind an HTTP Basic proxy; pages do not use it, so
    only the API's bearer-token calls are left out of the Origin check."""
    make.user(username="zarina.basic")
    token = _login_form(csrf_client)
    response = csrf_client.post(
        "/login",
        base_url="http://panoh.camp.lan",
        data={"username": "zarina.basic", "password": "correct horse battery", "csrf_token": token},
        headers={"Origin": "https://evil.example", "Authorization": "Basic Y2FtcDpsYW4="},
    )
    assert response.status_code == 400
    assert b"another site" in response.data
