"""Duplicate candidates for a person being typed at the desk (and for API clients)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field

from app import permissions as P
from app.api import api_blueprint
from app.api.inputs import json_body
from app.api.openapi import api_operation
from app.api.schema import Answer, Text
from app.campday import camp_today
from app.db import get_session
from app.errors import UserValueError
from app.permissions import requires
from registration import births
from registration.dedup import services
from registration.dedup.matching import NameRecord
from registration.households.api import PersonNames, Sex
from registration.households.desk import clean_names, clean_tazkira
from registration.households.models import SEXES

bp = api_blueprint("dedup_api", __name__)


class PersonDraft(PersonNames):
    tazkira: Text | None = None
    sex: Sex
    born: Text = Field(description="a date (17.05.1990), month (05.1990), year (1990) or age (34)")


class DuplicateCandidate(Answer):
    id: int
    number: str = Field(description="<household number>/<2 digits>")
    score: float
    reasons: list[str]
    name: str
    name_orig: str
    details: str
    household_url: str
    photo_url: str | None


class DuplicateCheck(Answer):
    matches: list[DuplicateCandidate]
    other_camps: int = Field(description="likely matches outside the caller’s camps")
    title: str
    labels: dict[str, str] = Field(description="the desk's button texts: same, different")
    other_camps_text: str


def _record(body: dict[str, Any]) -> NameRecord:
    names = clean_names(body)
    if body.get("sex") not in SEXES:
        raise UserValueError(_("Choose female or male."), field="sex")
    born, precision = births.parse_born(str(body.get("born") or ""), camp_today())
    return NameRecord.of(names, body["sex"], born, precision, clean_tazkira(body.get("tazkira")))


def _match_json(candidate: services.Candidate) -> dict[str, Any]:
    person = candidate.person
    household = person.household
    return {
        "id": person.id,
        "number": f"{household.number}/{person.seq:02d}",
        "score": round(candidate.comparison.score, 3),
        "reasons": list(candidate.comparison.reasons),
        "name": " ".join(n for n in (person.given_name, person.family_name) if n),
        "name_orig": " ".join(n for n in (person.given_name_orig, person.family_name_orig) if n),
        "details": _(
            "Father: %(father)s · born %(born)s",
            father=person.father_name or "—",
            born=births.display(person.birth_date, person.birth_precision),
        ),
        "household_url": url_for("households.view_household", number=household.number),
        "photo_url": url_for("households.person_photo", number=household.number, seq=person.seq)
        if person.photo is not None
        else None,
    }


@bp.route("/people/duplicate-check", methods=["POST"])
@api_operation(
    summary="Likely matches for a person not yet saved (POST: names never go in URLs)",
    tags=["people"],
    request=PersonDraft,
    response=DuplicateCheck,
)
@requires(P.HOUSEHOLDS_REGISTER)
def check_duplicates() -> ResponseReturnValue:
    body = json_body()
    try:
        record = _record(body)
    except UserValueError as exc:
        return jsonify(
            error={"status": 422, "title": _("Check the input"), "detail": exc.message, "field": exc.field}
        ), 422
    result = services.check(get_session(), current_user, record)
    return jsonify(
        matches=[_match_json(c) for c in result.visible],
        other_camps=result.other_camps,
        title=_("This person may already be registered:"),
        labels={"same": _("Same person: open household"), "different": _("Different person")},
        other_camps_text=_(
            "%(n)d possible matches in other camps will go to a supervisor for review.", n=result.other_camps
        )
        if result.other_camps
        else "",
    )
