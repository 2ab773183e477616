"""Households and people in the JSON API: the same services and rules as the desk.

What a response shows follows the caller's role through ``app.visibility``: tazkira numbers and
phones only to those who register or correct records (and protection officers), protection-only
needs codes only to protection officers. A correction keeps the codes its sender cannot see.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from flask import abort, jsonify, request
from flask_login import current_user
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import permissions as P
from app import visibility
from app.api import api_blueprint, refused
from app.api.inputs import json_body
from app.api.openapi import Error, api_operation
from app.api.schema import ABSENT, Answer, Body, DateString, DateText, Documented, Page, PositiveInt, Query, Text
from app.campday import camp_today
from app.db import get_session, writes_late
from app.errors import UserValueError, ValidationErrors
from app.pagination import paginate
from app.permissions import requires
from camps.sites.models import Camp
from registration import births, needs
from registration.dedup import services as dedup
from registration.households import desk, lifecycle, search, services
from registration.households.models import Household as HouseholdRow
from registration.households.models import Person as PersonRow

bp = api_blueprint("households_api", __name__)

Sex = Annotated[Text, Documented(enum=["f", "m"])]
RegistrationToken = Annotated[Text, Documented(minLength=1, maxLength=desk.TOKEN_MAX, pattern="^[!-~]+$")]
_NEED_CODES = "specific-needs codes; the protection-only ones only to protection officers"


class PersonNames(Body):
    """A person's four names as the desk types them, each also as written in the original script (``_orig``); the
    base of a member, a person's correction and the duplicate check's draft (``registration.dedup.api``)."""

    given_name: Text | None = None
    given_name_orig: Text | None = None
    father_name: Text | None = None
    father_name_orig: Text | None = None
    grandfather_name: Text | None = None
    grandfather_name_orig: Text | None = None
    family_name: Text | None = None
    family_name_orig: Text | None = None


class Member(PersonNames):
    """One member as the desk registers them."""

    tazkira: Text | None = None
    source_ref: Text | None = None
    marital_status: Text | None = None
    sex: Sex = ABSENT
    born: Text = ABSENT
    relation_to_head: Text = ABSENT
    needs: list[Text] = ABSENT
    not_duplicates: list[PositiveInt] = Field(
        ABSENT, description="ids of people shown as likely duplicates that are someone else"
    )


class HouseholdInput(Body):
    camp: Text
    arrival_date: DateText
    crossing_point: Text | None = None
    origin_province: Text | None = None
    origin_district: Text | None = None
    phone: Text | None = None
    languages: list[Text] = ABSENT
    consent: bool
    token: RegistrationToken = Field(
        ABSENT,
        description="one-time token: a retried request by the same user for the same camp returns "
        "the same household; another user or camp sending it gets 409",
    )
    skip_duplicate_check: bool = Field(
        ABSENT,
        description="register although members look like people already registered (a supervisor reviews them)",
    )
    members: list[Member]


class HouseholdPatch(Body):
    arrival_date: DateText = ABSENT
    crossing_point: Text | None = None
    origin_province: Text | None = None
    origin_district: Text | None = None
    phone: Text | None = None
    notes: Text | None = None
    languages: list[Text] = ABSENT


class PersonPatch(PersonNames):
    """Only the fields to change."""

    sex: Sex = ABSENT
    born: Text = ABSENT
    relation_to_head: Text = ABSENT
    marital_status: Text | None = None
    nationality: Text | None = None
    tazkira: Text | None = None
    needs: list[Text] = ABSENT


class SearchRequest(Body):
    q: Text = ABSENT


class Person(Answer):
    id: str = Field(description="<household number>/<2 digits>")
    seq: int
    given_name: str
    given_name_orig: str | None
    father_name: str | None
    father_name_orig: str | None
    grandfather_name: str | None
    grandfather_name_orig: str | None
    family_name: str | None
    family_name_orig: str | None
    sex: Literal["f", "m"]
    birth_date: DateString
    birth_precision: Literal["day", "month", "year", "age"]
    born: str = Field(description="as pages show it: the ISO date, or ≈1990 / ≈1990-05 for an estimate")
    relationship: str
    marital_status: str | None
    nationality: str | None
    status: str
    source_ref: str | None
    needs: list[str] = Field(description=_NEED_CODES)
    tazkira: str | None = Field(None, description="only to callers who may see tazkira numbers")


class Household(Answer):
    number: str
    camp: str
    status: str
    arrival_date: DateString
    size: int
    crossing_point: str | None
    origin_province: str | None
    origin_district: str | None
    languages: list[str]
    phone: str | None = Field(None, description="only to callers who may see phones")
    members: list[Person] = Field(ABSENT, description="with one household, not in lists")


class HouseholdPage(Page, Answer):
    items: list[Household]
    message: str | None = Field(None, description="the search's word on what it found (search only)")


class HouseholdFilter(Query):
    camp: str = Field(ABSENT, description="camp code")
    status: str = ABSENT
    page: int = Field(ABSENT, ge=1)


class DuplicateMatch(Answer):
    id: int
    number: str
    score: float
    reasons: list[str]


class PersonDuplicates(Answer):
    matches: list[DuplicateMatch]
    other_camps: int = Field(description="likely matches outside the caller’s camps")


def person_json(household: HouseholdRow, person: PersonRow, user=None) -> dict:
    user = user or current_user
    data = {
        "id": f"{household.number}/{person.seq:02d}",
        "seq": person.seq,
        "given_name": person.given_name,
        "given_name_orig": person.given_name_orig,
        "father_name": person.father_name,
        "father_name_orig": person.father_name_orig,
        "grandfather_name": person.grandfather_name,
        "grandfather_name_orig": person.grandfather_name_orig,
        "family_name": person.family_name,
        "family_name_orig": person.family_name_orig,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "birth_precision": person.birth_precision,
        "born": births.display(person.birth_date, person.birth_precision),
        "relationship": person.relation_to_head,
        "marital_status": person.marital_status,
        "nationality": person.nationality,
        "status": person.status,
        "source_ref": person.source_ref,
        "needs": needs.shown_to(user, person.need_codes),
    }
    if visibility.can_see(user, visibility.TAZKIRA):
        data["tazkira"] = person.tazkira
    return data


def household_json(household: HouseholdRow, *, members: bool = False, user=None) -> dict:
    user = user or current_user
    data = {
        "number": household.number,
        "camp": household.camp.code,
        "status": household.status,
        "arrival_date": household.arrival_date.isoformat(),
        "size": household.size,
        "crossing_point": household.crossing_point,
        "origin_province": household.origin_province,
        "origin_district": household.origin_district,
        "languages": household.language_list,
    }
    if visibility.can_see(user, visibility.PHONE):
        data["phone"] = household.phone
    if members:
        data["members"] = [person_json(household, p, user) for p in household.members]
    return data


def _parse_date(value, field: str):
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        raise ValidationErrors({field: ["Use YYYY-MM-DD."]}) from None


@bp.route("/households")
@api_operation(
    summary="Households in the caller’s camps, newest first",
    tags=["households"],
    query=HouseholdFilter,
    response=HouseholdPage,
)
@requires(P.HOUSEHOLDS_VIEW)
def list_households():
    query = services.household_query(
        current_user, camp_code=request.args.get("camp") or None, status=request.args.get("status") or None
    )
    page = paginate(get_session(), query.options(selectinload(HouseholdRow.camp)))
    return jsonify(items=[household_json(h) for h in page.items], page=page.page, pages=page.pages, total=page.total)


@bp.route("/households/<number>")
@api_operation(summary="One household with its members", tags=["households"], response=Household)
@requires(P.HOUSEHOLDS_VIEW)
def get_household(number: str):
    household = services.household_for_user(get_session(), current_user, number)
    if household is None:
        abort(404)
    return jsonify(household_json(household, members=True))


@bp.route("/households", methods=["POST"])
@api_operation(
    summary="Register a household with its members (same checks as the desk; idempotent by token)",
    tags=["households"],
    request=HouseholdInput,
    response=Household,
    responses={201: Household, 409: Error},
)
@requires(P.HOUSEHOLDS_REGISTER)
@writes_late  # checks and the duplicate search first; the desk service takes the write lock to save
def create_household():
    body = json_body()
    session = get_session()
    camp = session.scalar(select(Camp).where(Camp.code == str(body.get("camp", "")).upper()))
    try:
        raw = {
            **body,
            "camp_id": camp.id if camp else None,
            "arrival_date": _parse_date(body.get("arrival_date"), "arrival_date"),
            "members": [m for m in body.get("members") or [] if isinstance(m, dict)],
        }
        data = desk.clean_household(session, current_user, raw, camp_today())
        household, created = desk.register_household(
            session, current_user, data, check_duplicates=not body.get("skip_duplicate_check")
        )
    except desk.DuplicatesFound as exc:
        return jsonify(
            error={
                "status": 409,
                "title": "Likely duplicates",
                "detail": exc.message,
                "matches": {str(i): [c.person.number for c in check.visible] for i, check in exc.checks.items()},
            }
        ), 409
    except desk.TokenUsed as exc:
        return refused(exc, 409)
    except UserValueError as exc:
        return refused(exc)
    return jsonify(household_json(household, members=True)), 201 if created else 200


@bp.route("/households/<number>", methods=["PATCH"])
@api_operation(
    summary="Correct a household’s own fields", tags=["households"], request=HouseholdPatch, response=Household
)
@requires(P.HOUSEHOLDS_EDIT)
def update_household(number: str):
    household = services.household_for_user(get_session(), current_user, number, audit=False)
    if household is None:
        abort(404)
    body = json_body()
    current = {
        "arrival_date": household.arrival_date,
        "crossing_point": household.crossing_point,
        "origin_province": household.origin_province,
        "origin_district": household.origin_district,
        "phone": household.phone,
        "languages": household.language_list,
        "notes": household.notes,
    }
    try:
        if "arrival_date" in body:
            body["arrival_date"] = _parse_date(body["arrival_date"], "arrival_date")
        lifecycle.update_household(get_session(), current_user, household, {**current, **body}, camp_today())
    except UserValueError as exc:
        return refused(exc)
    return jsonify(household_json(household, members=True))


def _person_or_404(number: str, seq: int) -> PersonRow:
    household = services.household_for_user(get_session(), current_user, number)
    person = next((p for p in household.members if p.seq == seq), None) if household else None
    if person is None:
        abort(404)
    return person


@bp.route("/households/<number>/members/<int:seq>")
@api_operation(summary="One person", tags=["people"], response=Person)
@requires(P.HOUSEHOLDS_VIEW)
def get_person(number: str, seq: int):
    person = _person_or_404(number, seq)
    return jsonify(person_json(person.household, person))


@bp.route("/households/<number>/members/<int:seq>", methods=["PATCH"])
@api_operation(
    summary="Correct a person (names, birth, needs, tazkira...)",
    tags=["people"],
    request=PersonPatch,
    response=Person,
)
@requires(P.HOUSEHOLDS_EDIT)
def update_person(number: str, seq: int):
    person = _person_or_404(number, seq)
    body = json_body()
    current = {
        **{k: getattr(person, k) for k in desk.NAME_FIELDS},
        **{k + "_orig": getattr(person, k + "_orig") for k in desk.NAME_FIELDS},
        "sex": person.sex,
        "born": births.format_born(person.birth_date, person.birth_precision),
        "relation_to_head": person.relation_to_head,
        "marital_status": person.marital_status,
        "nationality": person.nationality,
        "tazkira": person.tazkira,
        "needs": needs.shown_to(current_user, person.need_codes),
    }
    try:
        lifecycle.update_person(get_session(), current_user, person, {**current, **body}, camp_today())
    except UserValueError as exc:
        return refused(exc)
    return jsonify(person_json(person.household, person))


@bp.route("/households/<number>/members/<int:seq>/duplicates")
@api_operation(
    summary="Likely duplicates of a registered person (in the caller’s camps; a count elsewhere)",
    tags=["people"],
    response=PersonDuplicates,
)
@requires(P.HOUSEHOLDS_REGISTER)
def person_duplicates(number: str, seq: int):
    person = _person_or_404(number, seq)
    result = dedup.check(get_session(), current_user, dedup.record_of(person), exclude={person.id})
    return jsonify(
        matches=[
            {
                "id": c.person.id,
                "number": c.person.number,
                "score": round(c.comparison.score, 3),
                "reasons": list(c.comparison.reasons),
            }
            for c in result.visible
        ],
        other_camps=result.other_camps,
    )


@bp.route("/households/search", methods=["POST"])
@api_operation(
    summary="Search by household or person number, name in any script, phone or tazkira (POST: no names in URLs)",
    tags=["households"],
    request=SearchRequest,
    response=HouseholdPage,
)
@requires(P.HOUSEHOLDS_VIEW)
def search_households():
    body = json_body()
    found = search.search(get_session(), current_user, str(body.get("q") or ""))
    return jsonify(
        items=[household_json(h) for h in found.households],
        message=found.message,
        page=1,
        pages=1,
        total=len(found.households),
    )
