"""Feedback cases in the JSON API: log a case from any desk, list and read them for case managers.

Lists carry no description or contact details; a sensitive case exists only for protection
officers (404 for everybody else), and each read of one is audited.
"""

from __future__ import annotations

from datetime import date

from flask import abort, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import permissions as P
from app.api import api_blueprint, refused
from app.api.inputs import json_body
from app.api.openapi import SCHEMAS, documented
from app.db import get_session, utcnow
from app.errors import UserValueError, ValidationErrors
from app.pagination import paginate
from app.permissions import requires
from camps.feedback import services
from camps.feedback.models import CHANNELS, LANGUAGES, SECTORS, SENSITIVE_CATEGORIES, STATUSES, TYPES, FeedbackCase
from camps.sites.models import Camp
from camps.sites.services import camp_for_user
from registration.households.models import Household, Person

bp = api_blueprint("feedback_api", __name__)

_CASE = {
    "reference": {"type": "string", "description": "FB-<camp>-<6 digits> (a sensitive case: 6 letters and digits)"},
    "camp": {"type": "string"},
    "channel": {"type": "string", "enum": list(CHANNELS)},
    "received_on": {"type": "string", "format": "date"},
    "type": {"type": "string", "enum": list(TYPES)},
    "sensitive_category": {"type": ["string", "null"], "enum": [*SENSITIVE_CATEGORIES, None]},
    "sector": {"type": "string", "enum": list(SECTORS)},
    "status": {"type": "string", "enum": list(STATUSES)},
    "due_at": {"type": "string", "format": "date-time"},
    "overdue": {"type": "boolean"},
    "owner": {"type": ["string", "null"]},
    "anonymous": {"type": "boolean"},
}
SCHEMAS.update(
    {
        "FeedbackCaseSummary": {"type": "object", "properties": _CASE},
        "FeedbackPage": {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/FeedbackCaseSummary"}},
                "page": {"type": "integer"},
                "pages": {"type": "integer"},
                "total": {"type": "integer"},
            },
        },
        "FeedbackCase": {
            "type": "object",
            "properties": {
                **_CASE,
                "description": {"type": "string"},
                "language": {"type": "string"},
                "household": {"type": ["string", "null"]},
                "person_seq": {"type": ["integer", "null"]},
                "consent_to_contact": {"type": "boolean"},
                "contact": {"type": ["string", "null"]},
                "referred_to": {"type": ["string", "null"]},
                "response": {"type": ["string", "null"]},
                "responded_at": {"type": ["string", "null"], "format": "date-time"},
                "communicated_at": {"type": ["string", "null"], "format": "date-time"},
                "communicated_how": {"type": ["string", "null"]},
                "closed_at": {"type": ["string", "null"], "format": "date-time"},
                "history": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "at": {"type": "string", "format": "date-time"},
                            "action": {"type": "string"},
                            "from_status": {"type": ["string", "null"]},
                            "to_status": {"type": ["string", "null"]},
                            "note": {"type": ["string", "null"]},
                            "by": {"type": ["string", "null"]},
                        },
                    },
                },
            },
        },
        "FeedbackInput": {
            "type": "object",
            "required": ["camp", "channel", "type", "sector", "language", "description"],
            "properties": {
                "camp": {"type": "string"},
                "channel": {"type": "string", "enum": [c for c in CHANNELS if c != "kiosk"]},
                "received_on": {"type": ["string", "null"], "format": "date", "description": "today when left out"},
                "type": {"type": "string", "enum": list(TYPES)},
                "sensitive_category": {
                    "type": ["string", "null"],
                    "enum": [*SENSITIVE_CATEGORIES, None],
                    "description": 'required for, and only for, type "sensitive"',
                },
                "sector": {"type": "string", "enum": list(SECTORS)},
                "language": {"type": "string", "enum": list(LANGUAGES)},
                "description": {"type": "string", "minLength": 2, "maxLength": 5000},
                "household": {"type": ["string", "null"]},
                "person_seq": {"type": ["integer", "null"], "minimum": 1},
                "anonymous": {"type": "boolean"},
                "consent_to_contact": {"type": "boolean"},
                "contact": {"type": ["string", "null"], "maxLength": 120, "description": "only with consent"},
            },
        },
        "FeedbackCreated": {
            "type": "object",
            "properties": {
                "reference": {"type": "string"},
                "status": {"type": "string"},
                "due_at": {"type": "string", "format": "date-time"},
            },
        },
    }
)
_FILTERS = {"status": STATUSES, "type": TYPES, "sector": SECTORS}


def _stamp(value) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def _summary(case: FeedbackCase, camps: dict[int, str], owners: dict[int, str], now) -> dict:
    return {
        "reference": case.reference,
        "camp": camps.get(case.camp_id),
        "channel": case.channel,
        "received_on": case.received_on.isoformat(),
        "type": case.type,
        "sensitive_category": case.sensitive_category,
        "sector": case.sector,
        "status": case.status,
        "due_at": _stamp(case.due_at),
        "overdue": services.is_overdue(case, now),
        "owner": None if case.owner_id is None else owners.get(case.owner_id),
        "anonymous": case.anonymous,
    }


def _detail(session: Session, case: FeedbackCase) -> dict:
    now = utcnow()
    history = services.case_history(session, case)
    names = services.user_names(session, [case.owner_id, *(e.actor_id for e in history)])
    data = _summary(case, {case.camp_id: session.get_one(Camp, case.camp_id).code}, names, now)
    household = session.get(Household, case.household_id) if case.household_id else None
    person = session.get(Person, case.person_id) if case.person_id else None
    data.update(
        description=case.description,
        language=case.language,
        household=household.number if household else None,
        person_seq=person.seq if person else None,
        consent_to_contact=case.consent_to_contact,
        contact=case.contact,
        referred_to=case.referred_to,
        response=case.response,
        responded_at=_stamp(case.responded_at),
        communicated_at=_stamp(case.communicated_at),
        communicated_how=case.communicated_how,
        closed_at=_stamp(case.closed_at),
        history=[
            {
                "at": _stamp(e.at),
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                "by": None if e.actor_id is None else names.get(e.actor_id),
            }
            for e in history
        ],
    )
    return data


def _filter(name: str) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in _FILTERS[name]:
        abort(
            400, description=_("Unknown %(name)s: use one of %(values)s.", name=name, values=", ".join(_FILTERS[name]))
        )
    return value


@bp.route("/feedback")
@documented(
    summary="Feedback cases in the caller’s camps, overdue first (no descriptions or contacts)",
    tags=["feedback"],
    response="FeedbackPage",
    query=[
        {"name": "camp", "in": "query", "schema": {"type": "string"}},
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUSES)}},
        {"name": "type", "in": "query", "schema": {"type": "string", "enum": list(TYPES)}},
        {"name": "sector", "in": "query", "schema": {"type": "string", "enum": list(SECTORS)}},
        {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    ],
)
@requires(P.FEEDBACK_MANAGE)
def list_cases():
    session = get_session()
    camp_id = None
    if request.args.get("camp"):
        camp = camp_for_user(session, current_user, request.args["camp"])
        if camp is None:
            abort(404)
        camp_id = camp.id
    overdue = {"1": True, "true": True, "0": False, "false": False}.get(request.args.get("overdue", "").lower())
    now = utcnow()
    query = services.visible_cases(
        current_user,
        camp_id=camp_id,
        status=_filter("status"),
        type=_filter("type"),
        sector=_filter("sector"),
        overdue=overdue,
        now=now,
    )
    page = paginate(session, query)
    camps = dict(session.execute(select(Camp.id, Camp.code).where(Camp.id.in_({c.camp_id for c in page.items}))).all())
    owners = services.user_names(session, [c.owner_id for c in page.items])
    return jsonify(
        items=[_summary(c, camps, owners, now) for c in page.items], page=page.page, pages=page.pages, total=page.total
    )


@bp.route("/feedback", methods=["POST"])
@documented(
    summary="Log a feedback case or complaint; the reference is given back to the person",
    tags=["feedback"],
    request="FeedbackInput",
    response="FeedbackCreated",
)
@requires(P.FEEDBACK_LOG)
def create_case():
    body = json_body()
    session = get_session()
    code = body.get("camp")
    camp = camp_for_user(session, current_user, code) if isinstance(code, str) and code else None
    if camp is None:
        return refused(UserValueError(_("Choose one of your camps."), field="camp"))
    data = {
        key: body.get(key)
        for key in (
            "channel",
            "type",
            "sensitive_category",
            "sector",
            "description",
            "language",
            "household",
            "person_seq",
            "contact",
        )
    }
    data.update(anonymous=body.get("anonymous") is True, consent_to_contact=body.get("consent_to_contact") is True)
    try:
        received = body.get("received_on")
        if received is None:
            data["received_on"] = services.camp_today()
        elif isinstance(received, str):
            data["received_on"] = date.fromisoformat(received)
        else:
            raise ValueError
    except ValueError:
        return refused(ValidationErrors({"received_on": [_("Use YYYY-MM-DD.")]}))
    try:
        case = services.intake(session, current_user, camp, data)
    except UserValueError as exc:
        return refused(exc)
    response = jsonify(reference=case.reference, status=case.status, due_at=_stamp(case.due_at))
    response.headers["Location"] = url_for("feedback_api.get_case", reference=case.reference)
    return response, 201


@bp.route("/feedback/<reference>")
@documented(
    summary="One feedback case with its history (sensitive cases: protection officers only, audited)",
    tags=["feedback"],
    response="FeedbackCase",
)
@requires(P.FEEDBACK_MANAGE)
def get_case(reference: str):
    session = get_session()
    case = services.case_for_user(session, current_user, reference)
    if case is None:
        abort(404)
    return jsonify(_detail(session, case))
