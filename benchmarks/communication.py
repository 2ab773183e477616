"""Communication scenario (issue 17): resolving "households of a round not yet served" at 100,000 households.

A camp of its own (BNA) holds 100,000 active households, and a round of it 40,000 counted collections
(made once per benchmark database). Each sample resolves the audience of a reminder message in the
database, as the message page's count and the SMS channel's ``IN (audience)`` do: ``p95_ms``.
``ids_p95_ms`` also brings every one of the 60,000 ids into Python (the worst case, not the usual path).
"""

from __future__ import annotations

import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from benchmarks.scenarios import Context, scenario

HOUSEHOLDS = 100_000
SERVED = 40_000
SAMPLES = 30


def _app(env: dict):
    from app import create_app

    return create_app(
        {"DATABASE_URL": env["PANOH_DATABASE_URL"], "INSTANCE_PATH": env["PANOH_INSTANCE_PATH"], "SECRET_KEY": "bench"}
    )


def _camp_with_round(session) -> tuple[int, int]:
    """Camp BNA, its 100,000 households and a round with 40,000 served (made once per database)."""
    from app.db import advance_sequences
    from camps.distributions.models import Collection, DistributionRound
    from camps.sites.models import Camp
    from registration.households.models import Household
    from registration.households.numbers import format_number

    camp = session.scalar(select(Camp).where(Camp.code == "BNA"))
    if camp is not None:
        round_id = session.scalar(select(DistributionRound.id).where(DistributionRound.camp_id == camp.id))
        return camp.id, round_id
    camp = Camp(
        code="BNA", name="Benchmark audience camp", region_code="TJ-KT", status="open", household_counter=HOUSEHOLDS
    )
    session.add(camp)
    session.flush()
    today = date.today()
    round_ = DistributionRound(
        camp_id=camp.id, name="Audience round", starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=6)
    )
    session.add(round_)
    session.flush()
    first = (session.scalar(select(func.max(Household.id))) or 0) + 1
    for start in range(0, HOUSEHOLDS, 10_000):
        session.execute(
            insert(Household),
            [
                {
                    "id": first + i,
                    "number": format_number("BNA", i + 1),
                    "camp_id": camp.id,
                    "status": "active",
                    "arrival_date": today,
                    "size": 1 + i % 9,
                    "languages": "prs" if i % 3 else "tgk",
                }
                for i in range(start, min(start + 10_000, HOUSEHOLDS))
            ],
        )
    advance_sequences(session, Household.__table__)
    now = datetime.now(UTC).replace(tzinfo=None)
    for start in range(0, SERVED, 10_000):
        session.execute(
            insert(Collection),
            [
                {
                    "uid": str(uuid.UUID(int=10**12 + i)),
                    "round_id": round_.id,
                    "household_id": first + i * 2,
                    "point": "DP-1",
                    "collected_at": now,
                    "recorded_at": now,
                    "status": "ok",
                    "collected_by": "head",
                    "offline": False,
                }
                for i in range(start, min(start + 10_000, SERVED))
            ],
        )
    return camp.id, round_.id


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


@scenario("communication.audience")
def audience_of_round(ctx: Context) -> dict[str, float]:
    """Resolve the not-yet-served audience of a 100,000-household round, 30 times (count, then every id)."""
    from app.db import own_transaction
    from camps.communication import audience
    from camps.communication.models import Message

    app = _app(ctx.server.env)
    samples, id_samples = [], []
    with app.app_context():
        with own_transaction(write=True) as session:
            camp_id, round_id = _camp_with_round(session)
        with own_transaction() as session:
            message = Message(camp_id=camp_id, audience="round_not_served", round_id=round_id)
            for _ in range(SAMPLES):
                began = time.perf_counter()
                size = audience.count(session, message)
                samples.append((time.perf_counter() - began) * 1000)
                began = time.perf_counter()
                ids = session.execute(audience.household_ids(session, message)).scalars().all()
                id_samples.append((time.perf_counter() - began) * 1000)
            if size != HOUSEHOLDS - SERVED or len(ids) != size:
                raise RuntimeError(f"audience held {size} households, not {HOUSEHOLDS - SERVED}")
    app.extensions["panoh.db"].engine.dispose()
    return {
        "p50_ms": statistics.median(samples),
        "p95_ms": _p95(samples),
        "max_ms": max(samples),
        "ids_p95_ms": _p95(id_samples),
    }
