"""Households checked valid but not recorded: the officer scanned the next card and chose "skip it".

The scan page asks before it drops a valid check (issue 15 #7); each "skip it" is noted here, sent
with the device's collections (at once online, with the queue when the link is back), and the round
page counts them. A skip records nothing about the household's entitlement: it only says a valid
household left the counter without a recorded collection, for the supervisor to follow up.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from camps.distributions.models import Collection, DistributionRound, SkippedCheck
from camps.distributions.recording import BadCollection, parse_device_time
from registration.households.models import Household
from registration.households.numbers import is_valid, normalise

FIELDS = {"id", "household", "point", "skipped_at"}


def _refused(detail: str) -> dict:
    return {"outcome": "bad_request", "status": 400, "detail": detail}


def _uid(value) -> str | None:
    """The id as stored (lower case, dashes): ``uuid.UUID`` also reads upper case, braces, no dashes."""
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def _is_time(value) -> bool:
    try:
        parse_device_time(value)
    except BadCollection:
        return False
    return True


def note(session: Session, officer, round_: DistributionRound, payloads: list) -> list[dict]:
    """One answer per skip sent ({outcome, status[, detail]}); the same id twice is noted once, however
    it is spelt and even when two syncs send it at the same time (the insert skips an id already there)."""
    answers, fresh = [], []
    uids = {_uid(p.get("id")) for p in payloads if isinstance(p, dict)} - {None}
    known = set(session.scalars(select(SkippedCheck.uid).where(SkippedCheck.uid.in_(uids)))) if uids else set()
    for payload in payloads:
        if not isinstance(payload, dict) or set(payload) - FIELDS:
            answers.append(_refused("A skip is {id, household, point, skipped_at}."))
            continue
        uid, number = _uid(payload.get("id")), normalise(str(payload.get("household") or ""))
        if uid is None:
            answers.append(_refused("id: a UUID made on the device"))
            continue
        point, when = payload.get("point"), payload.get("skipped_at")
        if not (isinstance(point, str) and len(point.strip()) > 0 and len(point) <= 40 and _is_time(when)):
            answers.append(_refused("point (40 characters at most) and skipped_at (an ISO date and time) are needed"))
            continue
        if uid in known:
            answers.append({"outcome": "skip_noted", "status": 200, "repeat": True})
            continue
        household_id = (
            session.scalar(select(Household.id).where(Household.number == number, Household.camp_id == round_.camp_id))
            if is_valid(number)
            else None
        )
        if household_id is None:
            answers.append(
                {"outcome": "unknown_household", "status": 422, "detail": "household: a number of this round's camp"}
            )
            continue
        known.add(uid)
        fresh.append(
            {
                "uid": uid,
                "round_id": round_.id,
                "household_id": household_id,
                "point": point.strip(),
                "officer_id": officer.id if officer else None,
                "skipped_at": when,
            }
        )
        answers.append({"outcome": "skip_noted", "status": 201, "repeat": False})
    _insert_unless_taken(session, fresh)
    return answers


def _insert_unless_taken(session: Session, rows: list[dict]) -> None:
    """INSERT … ON CONFLICT DO NOTHING: a skip another sync stored meanwhile is simply there already."""
    if rows:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(SkippedCheck).on_conflict_do_nothing(), rows)


def counts(session: Session, round_: DistributionRound) -> dict[str, int]:
    """Skips in the round, and how many skipped households have still collected nothing."""
    skipped = (
        session.scalar(select(func.count()).select_from(SkippedCheck).where(SkippedCheck.round_id == round_.id)) or 0
    )
    served = select(Collection.household_id).where(Collection.round_id == round_.id, Collection.status == "ok")
    unserved = (
        session.scalar(
            select(func.count(func.distinct(SkippedCheck.household_id))).where(
                SkippedCheck.round_id == round_.id, SkippedCheck.household_id.not_in(served)
            )
        )
        or 0
    )
    return {"skipped": skipped, "unserved": unserved}
