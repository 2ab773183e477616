"""The demo camps' layout and who lives where.

Each demo camp gets sectors of blocks of plots from the real generator, sized to its households
(at most 5,000 / 3,000 / 2,000 plots: 10,000 at the benchmark's 100,000 households), a realistic
mix of shelters, accessible plots along the paths, and most households already housed; the
newest arrivals wait for a plot, as at a real camp.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.users.actors import SYSTEM
from camps.allocation.models import PlotAllocation
from camps.layout import standards
from camps.layout.generator import LayoutParams, generate_layout
from camps.layout.models import Plot
from camps.sites.models import Camp
from registration.households.models import Household

#: most plots a demo camp gets, by camp code
PLOT_CAPS = {"KHR": 5000, "SHR": 3000, "ISH": 2000}
#: share of plots left free for new arrivals
FREE_SHARE = 0.08
#: (shelter type, covered m², capacity, share of plots)
SHELTER_MIX = (
    ("family_tent", 18.0, 1, 0.50),
    ("transitional", 24.0, 1, 0.32),
    ("rhu", 17.5, 1, 0.16),
    ("communal", 80.0, 4, 0.02),
)
#: households that arrived in the last days before the demo's end still wait for a plot
NEWEST_DAYS = 2
CROWDED_REASON = "Emergency phase: no larger shelter was free."


def build_shelter(session: Session, seed: int = 1) -> int:
    """Lay out demo camps that have no plots yet and house waiting households; returns allocations made."""
    rng = random.Random(seed)
    made = 0
    for camp in session.scalars(select(Camp).order_by(Camp.code)):
        if camp.code not in PLOT_CAPS:
            continue
        if camp.region_code == "TJ-GB":
            camp.climate = "cold"
        if not session.scalar(select(func.count()).select_from(Plot).where(Plot.camp_id == camp.id)):
            _lay_out(session, camp, rng)
        made += _house(session, camp)
    return made


def _lay_out(session: Session, camp: Camp, rng: random.Random) -> None:
    households = session.scalar(
        select(func.count()).select_from(Household).where(Household.camp_id == camp.id, Household.status == "active")
    )
    target = min(PLOT_CAPS[camp.code], max(64, math.ceil((households or 0) * 1.1)))
    rows, columns = (10, 25) if target >= 2000 else (4, 8)
    sectors = max(1, math.ceil(target / (4 * rows * columns)))
    generate_layout(
        session,
        SYSTEM,
        camp,
        LayoutParams(
            sectors=sectors,
            blocks_per_sector=4,
            plot_rows=rows,
            plot_columns=columns,
            plot_width=10.0,
            plot_depth=12.0,
            covered_m2=18.0,
        ),
    )
    plots = session.execute(select(Plot.id, Plot.number).where(Plot.camp_id == camp.id)).all()
    changes = []
    for plot_id, number in plots:
        shelter, covered, capacity, _share = rng.choices(SHELTER_MIX, [m[3] for m in SHELTER_MIX])[0]
        features = []
        if number <= columns:  # the first row, along the path
            features.append("accessible")
        if rng.random() < 0.03:
            features.append("flood_risk")
        changes.append(
            {
                "id": plot_id,
                "shelter_type": shelter,
                "covered_m2": covered,
                "capacity": capacity,
                "features": " ".join(features),
            }
        )
    session.execute(update(Plot), changes)


def _house(session: Session, camp: Camp) -> int:
    """Pair unhoused households with free plots, the largest families with the largest shelters."""
    housed = select(PlotAllocation.household_id).where(PlotAllocation.ended_at.is_(None))
    latest = session.scalar(select(func.max(Household.arrival_date)).where(Household.camp_id == camp.id))
    if latest is None:
        return 0
    waiting = session.execute(
        select(Household.id, Household.size)
        .where(
            Household.camp_id == camp.id,
            Household.status == "active",
            Household.id.not_in(housed),
            Household.arrival_date < latest - timedelta(days=NEWEST_DAYS),
        )
        .order_by(Household.arrival_date, Household.id)
    ).all()
    plots = session.execute(
        select(Plot.id, Plot.covered_m2, Plot.capacity, Plot.household_count).where(
            Plot.camp_id == camp.id, Plot.status.in_(("vacant", "occupied")), Plot.household_count < Plot.capacity
        )
    ).all()
    places = [
        (plot_id, covered / capacity) for plot_id, covered, capacity, count in plots for _ in range(capacity - count)
    ]
    total = session.scalar(select(func.count()).select_from(Plot).where(Plot.camp_id == camp.id))
    room = max(0, len(places) - math.ceil((total or 0) * FREE_SHARE))
    earliest = sorted(waiting[:room], key=lambda h: -h.size)
    places.sort(key=lambda p: -p[1])
    threshold = standards.covered_threshold(camp.climate)
    counts: dict[int, int]
    now, rows, counts = utcnow(), [], {}
    for (household_id, size), (plot_id, covered) in zip(earliest, places, strict=False):
        crowded = covered / max(size, 1) < threshold
        rows.append(
            {
                "camp_id": camp.id,
                "plot_id": plot_id,
                "household_id": household_id,
                "started_at": now,
                "started_by_id": None,
                "warnings": "covered" if crowded else "",
                "override_reason": CROWDED_REASON if crowded else None,
            }
        )
        counts[plot_id] = counts.get(plot_id, 0) + 1
    if rows:
        session.execute(insert(PlotAllocation), rows)
        current = dict(session.execute(select(Plot.id, Plot.household_count).where(Plot.id.in_(counts))).all())
        session.execute(
            update(Plot),
            [
                {"id": plot_id, "household_count": current[plot_id] + n, "status": "occupied"}
                for plot_id, n in counts.items()
            ],
        )
    return len(rows)
