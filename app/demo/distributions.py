"""One open distribution round per demo camp, so that a new distribution officer has something to scan
(issue 15, minor): a two-week food round from the camp's today, per person, for active households."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campday import camp_today
from app.users.actors import SYSTEM
from camps.distributions.models import DistributionRound
from camps.distributions.rounds import create_round
from camps.sites.models import Camp

ROUND_DAYS = 14
ITEMS = [
    {"name": "Wheat flour", "unit": "kg", "quantity": 3},
    {"name": "Vegetable oil", "unit": "l", "quantity": 0.5},
    {"name": "Lentils", "unit": "kg", "quantity": 1},
]


def build_rounds(session: Session) -> int:
    """Open a demo round in every camp that has no open round yet; returns how many were made."""
    today = camp_today()
    made = 0
    for camp in session.scalars(select(Camp).order_by(Camp.code)):
        if session.scalar(
            select(DistributionRound.id)
            .where(DistributionRound.camp_id == camp.id, DistributionRound.status == "open")
            .limit(1)
        ):
            continue
        create_round(
            session,
            SYSTEM,
            camp,
            {
                "name": f"Food basket, demo ({camp.code})",
                "starts_on": today,
                "ends_on": today + timedelta(days=ROUND_DAYS - 1),
                "rule": "person",
                "statuses": ["active"],
                "alternates_allowed": True,
                "items": [dict(item) for item in ITEMS],
            },
        )
        made += 1
    return made
