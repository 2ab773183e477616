"""The JSON API: bearer tokens, JSON errors, camp scopes, the OpenAPI document."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from app.db import utcnow


def test_api_without_token_is_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["status"] == 401


def test_api_with_malformed_or_unknown_token_is_401(client):
    for header in ("Bearer nope", "Basic abc", "Bearer panoh_unknown"):
        assert client.get("/api/v1/me", headers={"Authorization": header}).status_code == 401


def test_me_describes_the_token_owner(api):
    body = api("registration_clerk", "KHR").get("/api/v1/me").get_json()
    assert body["roles"] == ["registration_clerk"] and body["camps"] == ["KHR"]
    assert "households.register" in body["permissions"] and "users.manage" not in body["permissions"]


def test_missing_permission_is_403_json(api):
    response = api("viewer", None).get("/api/v1/households")
    assert response.status_code == 403
    assert response.is_json


def test_unknown_route_is_404_json(api):
    response = api("viewer", None).get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.is_json


def test_expired_token_is_refused(client, make, session):
    from app.users.services import create_token

    user = make.user()
    _token, clear = create_token(session, None, user, "old", expires_at=utcnow() - timedelta(days=1))
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {clear}"}).status_code == 401


def test_token_of_locked_user_is_refused(client, make, session):
    from app.users.services import create_token

    user = make.user()
    _token, clear = create_token(session, None, user, "tablet")
    user.locked_at = utcnow()
    session.flush()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {clear}"}).status_code == 401


def test_api_post_with_session_cookie_needs_csrf(app, make, session):
    """Pages may call the API with their cookie, but never without the CSRF token."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        make.user(username="cookie.user")
        login_page = client.get("/login")
        token = login_page.data.split(b'name="csrf_token" type="hidden" value="')[1].split(b'"')[0].decode()
        client.post(
            "/login", data={"username": "cookie.user", "password": "correct horse battery", "csrf_token": token}
        )
        assert client.post("/api/v1/tokens", json={"name": "x"}).status_code == 400
        page = client.get("/account/tokens").data  # sign-in starts a new session, with a new CSRF token
        token = page.split(b'name="csrf_token" type="hidden" value="')[1].split(b'"')[0].decode()
        response = client.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRFToken": token})
        assert response.status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_openapi_documents_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method.lower()) in documented, rule.rule
    households = document["paths"]["/api/v1/households"]["get"]
    assert households["x-permission"] == "households.view"
    assert "403" in households["responses"]


def test_api_token_last_use_is_recorded(api, session):
    from app.users.models import ApiToken

    api("viewer", None).get("/api/v1/me")
    token = session.query(ApiToken).one()
    assert token.last_used_at is not None


def test_token_created_and_revoked_through_the_api(client, login_as):
    """Created signed in (was: with another token; a token never mints tokens, issue 12 #4)."""
    login_as("distribution_officer")
    created = client.post("/api/v1/tokens", json={"name": "tablet 3"})
    assert created.status_code == 201
    body = created.get_json()
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.delete(f"/api/v1/tokens/{body['id']}", headers=headers).get_json()["revoked"] is True
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_token_creation_validates_its_body(client, login_as):
    login_as("viewer", None)
    assert client.post("/api/v1/tokens", json=["x"]).status_code == 400
    response = client.post("/api/v1/tokens", json={"name": "   "})
    assert response.status_code == 400 and "name" in response.get_json()["error"]["detail"]


def test_token_user_with_two_roles_and_camps_keeps_all(app, make, session):
    """The token's user comes with its roles and camps in one query, none of them lost."""
    from app.users.services import create_token, user_for_token

    user = make.user(roles=["registration_clerk", "site_manager"], camps=["KHR", "SHR", "ISH"])
    _t, clear = create_token(session, None, user, "t")
    session.flush()
    session.expire_all()
    with app.test_request_context("/api/v1/me"):
        found = user_for_token(session, clear)
    assert sorted(found.roles) == ["registration_clerk", "site_manager"]
    assert len(found.camp_links) == 3


def test_an_answer_the_document_does_not_declare_fails_the_api_tests(app):
    """The check every API test runs (tests/openapi_check.py) sees an undeclared status, a body that does not fit
    its schema, and a field the document does not name."""
    from flask import Response

    from tests.openapi_check import problems

    me = {
        "username": "z",
        "full_name": "Z",
        "roles": [],
        "permissions": [],
        "all_camps": False,
        "camps": [],
    }

    def answer(body, status=200):
        return Response(json.dumps(body), status=status, mimetype="application/json")

    assert problems(app, "GET", "/api/v1/me", answer(me)) == []
    assert problems(app, "GET", "/api/v1/me", answer(me, 418))
    assert problems(app, "GET", "/api/v1/me", answer({**me, "camps": "KHR"}))
    assert problems(app, "GET", "/api/v1/me", answer({**me, "secret": 1}))
    assert problems(app, "GET", "/api/v1/me", answer({"error": {"status": 404}}, 404))
    assert problems(app, "GET", "/api/v1/nothing-here", answer(me, 200))


def test_answers_keyed_by_the_codes_lists_declare_every_key():
    """Some answers are keyed by a list of the code (age bands, plot statuses): the document follows it."""
    from camps.figures.api import AgeSex
    from camps.figures.population import AGE_SEX_KEYS
    from camps.layout.api import ByStatus
    from camps.layout.models import PLOT_STATUSES

    assert list(AgeSex.model_fields) == list(AGE_SEX_KEYS)
    assert list(ByStatus.model_fields) == list(PLOT_STATUSES)
