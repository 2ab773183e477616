"""Feedback cases in the JSON API: log a case from any desk, list and read them for case managers.

Lists carry no description or contact details; a sensitive case exists only for protection
officers (404 for everybody else), and each read of one is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from flask import abort, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import permissions as P
from app.api import api_blueprint, refused
from app.api.inputs import json_body
from app.api.openapi import api_operation
from app.api.schema import (
    ABSENT,
    Answer,
    Body,
    DateString,
    DateText,
    DateTimeString,
    Documented,
    Page,
    PositiveInt,
    Query,
    Text,
)
from app.db import get_session, utcnow
from app.errors import UserValueError, ValidationErrors
from app.pagination import paginate
from app.permissions import requires
from camps.feedback import services
from camps.feedback.models import CHANNELS, LANGUAGES, SECTORS, SENSITIVE_CATEGORIES, STATUSES, TYPES
from camps.feedback.models import FeedbackCase as CaseRow
from camps.sites.models import Camp
from camps.sites.services import camp_for_user
from registration.households.models import Household, Person

bp = api_blueprint("feedback_api", __name__)

Channel = Annotated[Text, Documented(enum=list(CHANNELS))]
IntakeChannel = Annotated[Text, Documented(enum=[c for c in CHANNELS if c != "kiosk"])]
Type = Annotated[Text, Documented(enum=list(TYPES))]
Category = Annotated[Text | None, Documented(enum=list(SENSITIVE_CATEGORIES))]
Sector = Annotated[Text, Documented(enum=list(SECTORS))]
Status = Annotated[Text, Documented(enum=list(STATUSES))]
Language = Annotated[Text, Documented(enum=list(LANGUAGES))]
Description = Annotated[Text, Documented(minLength=2, maxLength=5000)]
Contact = Annotated[Text | None, Documented(maxLength=120)]


class FeedbackCaseSummary(Answer):
    reference: str = Field(description="FB-<camp>-<6 digits> (a sensitive case: 6 letters and digits)")
    camp: str
    channel: Channel
    received_on: DateString
    type: Type
    sensitive_category: Category
    sector: Sector
    status: Status
    due_at: DateTimeString
    overdue: bool
    owner: str | None
    anonymous: bool


class FeedbackPage(Page, Answer):
    items: list[FeedbackCaseSummary]


class CaseEvent(Answer):
    at: DateTimeString
    action: str
    from_status: str | None
    to_status: str | None
    note: str | None
    by: str | None


class FeedbackCase(FeedbackCaseSummary):
    description: str
    language: str
    household: str | None
    person_seq: int | None
    consent_to_contact: bool
    contact: str | None
    referred_to: str | None
    response: str | None
    responded_at: DateTimeString | None
    communicated_at: DateTimeString | None
    communicated_how: str | None
    closed_at: DateTimeString | None
    history: list[CaseEvent]


class FeedbackInput(Body):
    camp: Text
    channel: IntakeChannel
    received_on: DateText | None = Field(None, description="today when left out")
    type: Type
    sensitive_category: Category = Field(ABSENT, description='required for, and only for, type "sensitive"')
    sector: Sector
    language: Language
    description: Description
    household: Text | None = None
    person_seq: PositiveInt | None = None
    anonymous: bool = ABSENT
    consent_to_contact: bool = ABSENT
    contact: Contact = Field(ABSENT, description="only with consent")


class FeedbackCreated(Answer):
    reference: str
    status: str
    due_at: DateTimeString


class FeedbackFilter(Query):
    camp: str = ABSENT
    status: Status = ABSENT
    type: Type = ABSENT
    sector: Sector = ABSENT
    overdue: bool = ABSENT
    page: int = Field(ABSENT, ge=1)


_FILTERS = {"status": STATUSES, "type": TYPES, "sector": SECTORS}


def _stamp(value) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def _summary(case: CaseRow, camps: dict[int, str], owners: dict[int, str], now) -> dict:
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


def _detail(session: Session, case: CaseRow) -> dict:
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
@api_operation(
    summary="Feedback cases in the caller’s camps, overdue first (no descriptions or contacts)",
    tags=["feedback"],
    query=FeedbackFilter,
    response=FeedbackPage,
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
@api_operation(
    summary="Log a feedback case or complaint; the reference is given back to the person",
    tags=["feedback"],
    request=FeedbackInput,
    responses={201: FeedbackCreated},
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
@api_operation(
    summary="One feedback case with its history (sensitive cases: protection officers only, audited)",
    tags=["feedback"],
    response=FeedbackCase,
)
@requires(P.FEEDBACK_MANAGE)
def get_case(reference: str):
    session = get_session()
    case = services.case_for_user(session, current_user, reference)
    if case is None:
        abort(404)
    return jsonify(_detail(session, case))
