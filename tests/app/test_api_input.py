"""Malformed input to the JSON API: a 4xx with a message naming the field, never a 500 (issue 12, finding 14)."""

from __future__ import annotations

import inspect
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.api.openapi import operation_of
from camps.distributions import rounds
from camps.feedback.models import FeedbackCase
from registration.households.models import Household

TODAY = date.today()
MEMBER = {"given_name": "Mohammad", "sex": "m", "born": "1985", "relation_to_head": "head"}
HOUSEHOLD = {"camp": "KHR", "arrival_date": TODAY.isoformat(), "consent": True, "members": [MEMBER]}
FEEDBACK = {
    "camp": "KHR",
    "channel": "hotline",
    "type": "complaint",
    "sector": "shelter",
    "language": "fa",
    "description": "The tent leaks.",
}


@pytest.fixture(autouse=True)
def _keys_in_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "KEYS_PATH", str(tmp_path / "keys"))


@pytest.fixture()
def round_(session, make):
    return rounds.create_round(
        session,
        None,
        make.camp("KHR"),
        {
            "name": "Food",
            "starts_on": TODAY - timedelta(days=1),
            "ends_on": TODAY + timedelta(days=5),
            "rule": "person",
            "statuses": ["active"],
            "alternates_allowed": True,
            "items": [{"name": "Wheat flour", "unit": "kg", "quantity": 12.5}],
        },
    )


def _collection(**fields):
    return {
        "id": "7f0c2a55-8a0b-4a8e-9d55-0d1f3b7c9a11",
        "collected_at": f"{TODAY}T08:00:00Z",
        "point": "DP-1",
        "household": "KHR-000001-X",
        **fields,
    }


# Each: role, method, path ('{n}' is a household number, '{r}' a round id), body, the field named in the answer.
WRONG_TYPES = [
    ("registration_clerk", "post", "/api/v1/households", {**HOUSEHOLD, "languages": 5}, "languages"),
    (
        "registration_clerk",
        "post",
        "/api/v1/households",
        {**HOUSEHOLD, "members": [{**MEMBER, "needs": [1, 2]}]},
        "members-0-needs-0",
    ),
    (
        "registration_clerk",
        "post",
        "/api/v1/households",
        {**HOUSEHOLD, "members": [{**MEMBER, "sex": ["m"]}]},
        "members-0-sex",
    ),
    ("registration_clerk", "post", "/api/v1/households", {**HOUSEHOLD, "crossing_point": {}}, "crossing_point"),
    ("registration_supervisor", "patch", "/api/v1/households/{n}", {"languages": 5}, "languages"),
    ("registration_supervisor", "patch", "/api/v1/households/{n}", {"origin_province": {}}, "origin_province"),
    ("registration_supervisor", "patch", "/api/v1/households/{n}/members/1", {"needs": [7]}, "needs-0"),
    ("registration_supervisor", "patch", "/api/v1/households/{n}/members/1", {"sex": {}}, "sex"),
    ("registration_clerk", "post", "/api/v1/people/duplicate-check", {**MEMBER, "sex": {}}, "sex"),
    ("registration_clerk", "post", "/api/v1/households/search", {"q": ["x"]}, "q"),
    ("registration_clerk", "post", "/api/v1/feedback", {**FEEDBACK, "channel": ["hotline"]}, "channel"),
    ("registration_clerk", "post", "/api/v1/feedback", {**FEEDBACK, "person_seq": "one"}, "person_seq"),
    (
        "site_manager",
        "put",
        "/api/v1/households/{n}/plot",
        {"plot": "KHR-B01-001", "override_reason": 5},
        "override_reason",
    ),
    ("registration_clerk", "post", "/api/v1/cards/verify", {"code": 5}, "code"),
    ("distribution_officer", "post", "/api/v1/rounds/{r}/check", {"household": 5}, "household"),
    (
        "distribution_officer",
        "post",
        "/api/v1/rounds/{r}/collections",
        _collection(collected_by=["head"]),
        "collected_by",
    ),
    ("distribution_officer", "post", "/api/v1/rounds/{r}/collections", _collection(alternate_id="x"), "alternate_id"),
    ("distribution_officer", "post", "/api/v1/rounds/{r}/collections", _collection(point=None), "point"),
    ("distribution_officer", "post", "/api/v1/rounds/{r}/collections/sync", {"collections": "all"}, "collections"),
]


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "field"), WRONG_TYPES, ids=[f"{m} {p} {f}" for _r, m, p, _b, f in WRONG_TYPES]
)
def test_a_field_of_the_wrong_type_is_400_naming_it(api, make, session, round_, role, method, path, body, field):
    household = make.household("KHR")
    make.layout("KHR", blocks=1, plots=1)
    path = path.format(n=household.number, r=round_.id)
    response = getattr(api(role, "KHR"), method)(path, json=body)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert field in error["fields"] and field in error["detail"]


def test_a_token_name_of_the_wrong_type_is_400(client, login_as):
    login_as("registration_clerk")  # tokens are made signed in, never with a token
    response = client.post("/api/v1/tokens", json={"name": 5})
    assert response.status_code == 400 and "name" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("body", [["x"], "x", 5, None])
def test_a_body_that_is_no_object_is_400(api, make, body):
    make.camp("KHR")
    response = api("registration_clerk").post("/api/v1/households", json=body)
    assert response.status_code == 400 and "JSON object" in response.get_json()["error"]["detail"]


def test_a_missing_required_field_is_400_naming_it(api, make):
    make.camp("KHR")
    response = api("registration_clerk").post("/api/v1/cards/verify", json={"kode": "x"})
    assert response.status_code == 400 and response.get_json()["error"]["fields"] == {
        "code": ["code: required."],
        "kode": ["kode: not a field of this request."],
    }


def test_a_field_the_document_does_not_declare_is_400_naming_it(api, make, session):
    """Desk-only member keys (a photo it already checked, an internal index) never reach the services."""
    make.camp("KHR")
    body = {**HOUSEHOLD, "members": [{**MEMBER, "photo": "not a picture", "photo_ready": True, "_index": "x"}]}
    response = api("registration_clerk").post("/api/v1/households", json=body)
    assert response.status_code == 400
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"members-0-photo", "members-0-photo_ready", "members-0-_index"}
    assert fields["members-0-_index"] == ["members-0-_index: not a field of this request."]
    assert session.scalar(select(func.count()).select_from(Household)) == 0


def test_a_province_with_pattern_characters_is_refused_not_a_crash(api, make):
    make.camp("KHR")
    response = api("registration_clerk").post(
        "/api/v1/households", json={**HOUSEHOLD, "origin_province": "AF[", "origin_district": "AF[01"}
    )
    assert response.status_code == 422 and "origin_province" in response.get_json()["error"]["fields"]


def test_text_no_database_can_store_is_refused(api, make, session):
    make.camp("KHR")
    caller = api("registration_clerk")
    response = caller.post("/api/v1/feedback", json={**FEEDBACK, "description": "leaks\x00"})
    assert response.status_code == 400 and "description" in response.get_json()["error"]["fields"]
    lone_surrogate = b'{"camp": "KHR", "q": "\\ud800"}'
    response = caller.post("/api/v1/households/search", data=lone_surrogate, content_type="application/json")
    assert response.status_code == 400 and "q" in response.get_json()["error"]["fields"]
    assert caller.get("/api/v1/households/KHR%00").status_code == 404
    assert caller.get("/api/v1/households?status=a%00").status_code == 400
    assert session.scalar(select(func.count()).select_from(FeedbackCase)) == 0


def test_an_id_beyond_the_database_range_is_404(api, make, round_):
    household = make.household("KHR")
    assert api("distribution_officer").get(f"/api/v1/rounds/{2**63}/package").status_code == 404
    assert api("distribution_officer").get(f"/api/v1/rounds/{2**31}/package").status_code == 404
    assert api("registration_clerk").get(f"/api/v1/households/{household.number}/members/{10**30}").status_code == 404
    assert api("registration_clerk").delete(f"/api/v1/tokens/{10**30}").status_code == 404


def test_page_and_limit_in_non_ascii_digits_are_no_crash(api, make):
    household = make.household("KHR")
    assert api("registration_clerk").get("/api/v1/households?page=²").status_code == 200
    response = api("site_manager").get(f"/api/v1/households/{household.number}/plot-suggestions?limit=²")
    assert response.status_code == 422 and "limit" in response.get_json()["error"]["fields"]


def test_a_malformed_collection_in_a_batch_is_answered_on_its_own(api, make, round_):
    collections = [{"id": "a\x00b", "point": "DP-1"}, {"id": ["x"]}, "x", _collection(alternate_id="x")]
    response = api("distribution_officer").post(
        f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": collections}
    )
    assert response.status_code == 200
    assert [(r["outcome"], r["status"]) for r in response.get_json()["results"]] == [("bad_request", 400)] * 4


def test_a_body_nested_too_deep_to_parse_is_400(api, make):
    make.camp("KHR")
    deep = '{"q": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = api("registration_clerk").post("/api/v1/households/search", data=deep, content_type="application/json")
    assert response.status_code == 400


def test_the_document_declares_every_body_and_query_parameter_a_view_reads(app):
    """The fuzz and the body check both trust the OpenAPI document: it must name what each view reads."""
    reads_query = re.compile(r"""request\.args(?:\.get\(|\[)["'](\w+)["']|_filter\(["'](\w+)["']\)""")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        view = app.view_functions[rule.endpoint]
        source = inspect.getsource(inspect.unwrap(view))
        declared = operation_of(view)
        assert ("json_body()" in source) == (declared.request is not None), rule.endpoint
        read = {a or b for a, b in reads_query.findall(source)} | (
            {"page"} if "paginate(" in source or "page_number(" in source else set()
        )
        assert read == set(declared.query.model_fields if declared.query else ()), rule.endpoint


def test_a_collection_time_before_year_one_in_utc_is_400_not_a_crash(api, make, round_):
    """0001-01-01T00:00+01:00 is a valid ISO time that no UTC datetime can hold."""
    officer = api("distribution_officer")
    body = _collection(collected_at="0001-01-01T00:00:00+01:00")
    response = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=body)
    assert response.status_code == 400 and "collected_at" in response.get_json()["error"]["fields"]
    response = officer.post(f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": [body]})
    assert [(r["outcome"], r["status"]) for r in response.get_json()["results"]] == [("bad_request", 400)]
