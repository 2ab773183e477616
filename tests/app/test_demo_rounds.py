"""The demo gives a new distribution officer something to scan: one open round per camp (issue 15, minor)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.campday import camp_today
from app.demo.world import build_world
from camps.distributions.models import DistributionRound
from camps.distributions.rounds import is_open_on
from camps.sites.models import Camp


def test_the_demo_opens_one_round_per_camp_open_today_and_not_twice(session):
    build_world(session, households=30, seed=2)
    camps = session.scalars(select(Camp)).all()
    rounds = session.scalars(select(DistributionRound)).all()
    assert sorted(r.camp_id for r in rounds) == sorted(c.id for c in camps)
    assert all(is_open_on(r, camp_today()) and r.items for r in rounds)
    build_world(session, households=5, seed=3)
    assert session.scalar(select(func.count()).select_from(DistributionRound)) == len(camps)
