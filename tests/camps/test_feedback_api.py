"""Feedback cases through the API: logging, lists without personal details, sensitive cases hidden."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from camps.feedback import services
from camps.feedback.models import FeedbackCase


def _body(**overrides) -> dict:
    body = {
        "camp": "KHR",
        "channel": "hotline",
        "type": "assistance_request",
        "sector": "shelter",
        "language": "tg",
        "description": "Our tent leaks when it rains.",
        "consent_to_contact": True,
        "contact": "+992 90 123 4567",
    }
    body.update(overrides)
    return body


@pytest.fixture()
def cases(app, session, make):
    """One plain and one sensitive case in KHR, one plain case in DSH."""
    with app.app_context():
        camp = make.camp("KHR")
        plain = services.intake(
            session,
            None,
            camp,
            {
                "channel": "help_desk",
                "received_on": services.camp_today(),
                "type": "complaint",
                "sector": "food",
                "language": "fa",
                "description": "Short ration.",
                "consent_to_contact": True,
                "contact": "0901",
            },
        )
        secret = services.intake(
            session,
            None,
            camp,
            {
                "channel": "hotline",
                "received_on": services.camp_today(),
                "type": "sensitive",
                "sensitive_category": "misconduct",
                "sector": "protection",
                "language": "ps",
                "description": "A guard asked for money.",
            },
        )
        other = services.intake(
            session,
            None,
            make.camp("DSH"),
            {
                "channel": "help_desk",
                "received_on": services.camp_today(),
                "type": "suggestion",
                "sector": "wash",
                "language": "ru",
                "description": "More latrines, please.",
            },
        )
    return plain, secret, other


def test_a_clerk_logs_a_case_and_gets_its_reference(api, session):
    response = api("registration_clerk").post("/api/v1/feedback", json=_body())
    assert response.status_code == 201, response.json
    case = session.scalar(select(FeedbackCase).where(FeedbackCase.reference == response.json["reference"]))
    assert case.reference.startswith("FB-KHR-") and response.json["status"] == "new"
    assert response.headers["Location"].endswith(f"/api/v1/feedback/{case.reference}")
    assert (case.channel, case.received_on, case.contact) == ("hotline", services.camp_today(), "+992 90 123 4567")


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(api, session):
    response = api("distribution_officer").post(
        "/api/v1/feedback", json=_body(description="", type="sensitive", received_on="2020-13-01")
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"received_on": ["Use YYYY-MM-DD."]}
    response = api("distribution_officer").post("/api/v1/feedback", json=_body(description=" ", type="sensitive"))
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"description", "sensitive_category"}
    response = api("registration_clerk").post("/api/v1/feedback", json=_body(camp="DSH"))
    assert response.status_code == 422 and "camp" in response.json["error"]["fields"]
    assert api("registration_clerk").post("/api/v1/feedback", json=["x"]).status_code == 400
    assert session.scalar(select(FeedbackCase.id)) is None


def test_the_list_hides_sensitive_cases_from_feedback_officers(api, cases):
    plain, secret, _other = cases
    response = api("feedback_officer").get("/api/v1/feedback")
    assert response.status_code == 200
    assert [c["reference"] for c in response.json["items"]] == [plain.reference]
    assert response.json["total"] == 1
    item = response.json["items"][0]
    assert "description" not in item and "contact" not in item
    assert api("feedback_officer").get("/api/v1/feedback?type=sensitive").json["items"] == []


def test_protection_officers_list_sensitive_cases_without_their_text(api, cases):
    plain, secret, _other = cases
    items = api("protection_officer").get("/api/v1/feedback").json["items"]
    assert {c["reference"] for c in items} == {plain.reference, secret.reference}
    assert all("description" not in c for c in items)


def test_the_list_filters(api, cases, session):
    plain, _secret, other = cases
    caller = api("feedback_officer", None)
    assert [c["reference"] for c in caller.get("/api/v1/feedback?camp=dsh").json["items"]] == [other.reference]
    assert caller.get("/api/v1/feedback?status=closed").json["items"] == []
    assert len(caller.get("/api/v1/feedback?sector=food&status=new").json["items"]) == 1
    assert caller.get("/api/v1/feedback?overdue=1").json["items"] == []
    plain.due_at = services.utcnow() - timedelta(hours=1)
    session.flush()
    overdue = caller.get("/api/v1/feedback?overdue=true").json["items"]
    assert [(c["reference"], c["overdue"]) for c in overdue] == [(plain.reference, True)]
    assert caller.get("/api/v1/feedback?status=lost").status_code == 400
    assert api("feedback_officer").get("/api/v1/feedback?camp=DSH").status_code == 404


def test_one_case_with_its_history(api, cases, session):
    plain, _secret, other = cases
    response = api("feedback_officer").get(f"/api/v1/feedback/{plain.reference}")
    assert response.status_code == 200
    data = response.json
    assert (data["description"], data["contact"], data["camp"]) == ("Short ration.", "0901", "KHR")
    assert [e["action"] for e in data["history"]] == ["created"]
    assert api("feedback_officer").get(f"/api/v1/feedback/{other.reference}").status_code == 404
    assert session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == plain.reference).order_by(AuditEvent.id)
    ).all() == ["feedback.create", "feedback.view"]


def test_a_sensitive_case_is_404_except_for_protection_and_each_read_is_audited(api, cases, session):
    _plain, secret, _other = cases
    assert api("feedback_officer").get(f"/api/v1/feedback/{secret.reference}").status_code == 404
    protection = api("protection_officer")
    for _n in range(2):
        response = protection.get(f"/api/v1/feedback/{secret.reference}")
        assert response.status_code == 200
        assert response.json["sensitive_category"] == "misconduct"
    reads = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "feedback.view_sensitive", AuditEvent.object_id == secret.reference
        )
    ).all()
    assert len(reads) == 2


def test_the_api_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/feedback"])
    assert paths["/api/v1/feedback/{reference}"]["get"]["x-permission"] == "feedback.manage"
