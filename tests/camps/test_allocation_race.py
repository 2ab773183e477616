"""Two desks allocating the same plots at the same moment, through the real API and real
transactions: on PostgreSQL (row locks) and on an SQLite file (BEGIN IMMEDIATE)."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select

from app.db import own_transaction
from camps.allocation.models import PlotAllocation
from camps.layout.models import Block, Plot, Sector
from camps.sites.models import Camp
from registration.households.models import Household

ATTEMPTS = 200
SINGLE_PLOTS, HALLS, HALL_CAPACITY = 90, 10, 3


def _setup(app) -> tuple[str, list[str], list[str]]:
    from app.users.services import create_token, create_user
    from registration.households.models import Person

    with app.app_context(), own_transaction() as session:
        camp = Camp(code="KHR", name="K", region_code="TJ-KT", status="open", household_counter=0)
        session.add(camp)
        session.flush()
        sector = Sector(camp_id=camp.id, code="S1")
        session.add(sector)
        session.flush()
        block = Block(camp_id=camp.id, sector_id=sector.id, code="B01", area_m2=100_000.0)
        session.add(block)
        session.flush()
        for n in range(1, SINGLE_PLOTS + HALLS + 1):
            hall = n > SINGLE_PLOTS
            session.add(
                Plot(
                    camp_id=camp.id,
                    block_id=block.id,
                    code=f"KHR-B01-{n:03d}",
                    number=n,
                    area_m2=300.0 if hall else 100.0,
                    covered_m2=200.0 if hall else 40.0,
                    shelter_type="communal" if hall else "family_tent",
                    capacity=HALL_CAPACITY if hall else 1,
                    status="vacant",
                    household_count=0,
                    features="",
                    x=n * 11.0,
                    y=0.0,
                    width=10.0,
                    depth=10.0,
                )
            )
        numbers = []
        for n in range(1, ATTEMPTS + 1):
            household = Household(
                number=f"KHR-{n:06d}-X",
                camp_id=camp.id,
                arrival_date=__import__("datetime").date(2026, 11, 1),
                status="active",
                size=1,
            )
            household.members.append(
                Person(
                    seq=1,
                    given_name="A",
                    father_name="B",
                    sex="m",
                    relation_to_head="head",
                    birth_date=__import__("datetime").date(1990, 1, 1),
                    birth_precision="year",
                    nationality="AFG",
                    status="active",
                )
            )
            session.add(household)
            numbers.append(household.number)
        user = create_user(
            session,
            None,
            username="site.real",
            full_name="S",
            password="a long passphrase",
            roles=["site_manager"],
            camp_ids=[camp.id],
            must_change_password=False,
        )
        token = create_token(session, None, user, "desk")[1]
    plots = [f"KHR-B01-{n:03d}" for n in range(1, SINGLE_PLOTS + HALLS + 1)]
    return token, numbers, plots


def test_two_desks_allocating_the_same_plots_at_once_never_overfill_or_double_house(race_app):
    token, numbers, plots = _setup(race_app)
    headers = {"Authorization": f"Bearer {token}"}
    statuses: Counter = Counter()
    refusals: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(2)

    def desk(pairs):
        client = race_app.test_client()
        start.wait()
        for number, plot in pairs:
            response = client.put(f"/api/v1/households/{number}/plot", json={"plot": plot}, headers=headers)
            with lock:
                statuses[response.status_code] += 1
                if response.status_code == 422:
                    detail = response.get_json()["error"]["detail"]
                    refusals[
                        "taken"
                        if "was just taken" in detail
                        else "housed"
                        if "already lives on plot" in detail
                        else detail
                    ] += 1

    # Desk A goes forwards, desk B backwards over the same households, both onto the same plots.
    first = [(numbers[i], plots[i % len(plots)]) for i in range(ATTEMPTS)]
    second = [(numbers[-1 - i], plots[(i * 7) % len(plots)]) for i in range(ATTEMPTS)]
    threads = [threading.Thread(target=desk, args=(pairs,)) for pairs in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(statuses) - {200, 201, 422} == set(), statuses  # no error, no 500, no deadlock
    with race_app.app_context(), own_transaction() as session:
        current = session.execute(
            select(PlotAllocation.plot_id, func.count())
            .where(PlotAllocation.ended_at.is_(None))
            .group_by(PlotAllocation.plot_id)
        ).all()
        by_plot = dict(current)
        for plot in session.scalars(select(Plot)):
            assert by_plot.get(plot.id, 0) == plot.household_count <= plot.capacity, plot.code
            assert plot.status == ("occupied" if plot.household_count else "vacant")
        per_household = session.execute(
            select(PlotAllocation.household_id, func.count())
            .where(PlotAllocation.ended_at.is_(None))
            .group_by(PlotAllocation.household_id)
        ).all()
        assert all(count == 1 for _household, count in per_household)
        assert session.scalar(select(func.count()).select_from(PlotAllocation)) == statuses[201]
        assert len(per_household) == statuses[201] <= SINGLE_PLOTS + HALLS * HALL_CAPACITY
    # the losers were told why, in words
    assert set(refusals) == {"taken", "housed"} and sum(refusals.values()) == statuses[422] > 0
