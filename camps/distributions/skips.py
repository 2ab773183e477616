"""Households checked valid but not recorded: the officer scanned the next card and chose "skip it".

The scan page asks before it drops a valid check (issue 15 #7); each "skip it" is noted here, sent
with the device's collections (at once online, with the queue when the link is back), and the round
page counts them. A skip records nothing about the household's entitlement: it only says a valid
household left the counter without a recorded collection, for the supervisor to follow up.
"""
from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camps.distributions.models import Collection, DistributionRound, SkippedCheck
from registration.households.models import Household
from registration.households.numbers import is_valid, normalise

FIELDS = {'id', 'household', 'point', 'skipped_at'}


def _refused(detail: str) -> dict:
    return {'outcome': 'bad_request', 'status': 400, 'detail': detail}


def note(session: Session, officer, round_: DistributionRound, payloads: list) -> list[dict]:
    """One answer per skip sent ({outcome, status[, detail]}); the same id twice is noted once."""
    answers, fresh = [], []
    uids = {p.get('id') for p in payloads if isinstance(p, dict) and isinstance(p.get('id'), str)}
    known = set(session.scalars(select(SkippedCheck.uid).where(SkippedCheck.uid.in_(uids)))) if uids else set()
    for payload in payloads:
        if not isinstance(payload, dict) or set(payload) - FIELDS:
            answers.append(_refused('A skip is {id, household, point, skipped_at}.'))
            continue
        uid, number = payload.get('id'), normalise(str(payload.get('household') or ''))
        try:
            uid = str(uuid.UUID(str(uid)))
        except ValueError:
            answers.append(_refused('id: a UUID made on the device'))
            continue
        point, when = payload.get('point'), payload.get('skipped_at')
        if not (isinstance(point, str) and 0 < len(point) <= 40 and isinstance(when, str) and len(when) <= 40):
            answers.append(_refused('point (40 characters at most) and skipped_at are needed'))
            continue
        if uid in known:
            answers.append({'outcome': 'skip_noted', 'status': 200, 'repeat': True})
            continue
        household_id = session.scalar(select(Household.id).where(
            Household.number == number, Household.camp_id == round_.camp_id)) if is_valid(number) else None
        if household_id is None:
            answers.append({'outcome': 'unknown_household', 'status': 422,
                            'detail': 'household: a number of this round\'s camp'})
            continue
        known.add(uid)
        fresh.append(SkippedCheck(uid=uid, round_id=round_.id, household_id=household_id, point=point.strip(),
                                  officer_id=officer.id if officer else None, skipped_at=when))
        answers.append({'outcome': 'skip_noted', 'status': 201, 'repeat': False})
    session.add_all(fresh)
    session.flush()
    return answers


def counts(session: Session, round_: DistributionRound) -> dict[str, int]:
    """Skips in the round, and how many skipped households have still collected nothing."""
    skipped = session.scalar(select(func.count()).select_from(SkippedCheck).where(
        SkippedCheck.round_id == round_.id)) or 0
    served = select(Collection.household_id).where(Collection.round_id == round_.id, Collection.status == 'ok')
    unserved = session.scalar(select(func.count(func.distinct(SkippedCheck.household_id))).where(
        SkippedCheck.round_id == round_.id, SkippedCheck.household_id.not_in(served))) or 0
    return {'skipped': skipped, 'unserved': unserved}
