"""Eight distribution devices recording collections for the same households at once, through the
real API and real transactions: exactly one collection per household and round survives."""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from app.db import own_transaction
from camps.distributions.models import Collection

#: PostgreSQL gets the issue's full size; the SQLite file, where writers queue anyway, a smaller one
SIZES = {"postgresql": (8, 500), "sqlite": (4, 100)}


def _setup(app, households: int) -> tuple[str, int, list[str]]:
    from app.users.services import create_token, create_user
    from camps.distributions import rounds
    from camps.sites.models import Camp
    from registration.cards import services as cards
    from registration.households.models import Household, Person
    from registration.households.numbers import format_number

    today = date.today()
    with app.app_context(), own_transaction() as session:
        camp = Camp(code="KHR", name="K", region_code="TJ-KT", status="open", household_counter=households)
        session.add(camp)
        session.flush()
        codes = []
        for n in range(1, households + 1):
            household = Household(
                number=format_number("KHR", n), camp_id=camp.id, arrival_date=today, status="active", size=1
            )
            household.members.append(
                Person(
                    seq=1,
                    given_name="A",
                    father_name="B",
                    sex="m",
                    relation_to_head="head",
                    birth_date=date(1990, 1, 1),
                    birth_precision="year",
                    nationality="AFG",
                    status="active",
                )
            )
            session.add(household)
            session.flush()
            codes.append(cards.issue(session, None, household, today).code)
        round_ = rounds.create_round(
            session,
            None,
            camp,
            {
                "name": "Kits",
                "starts_on": today,
                "ends_on": today + timedelta(days=1),
                "rule": "household",
                "statuses": ["active"],
                "items": [{"name": "Hygiene kit", "unit": "kit", "quantity": 1}],
            },
        )
        user = create_user(
            session,
            None,
            username="officer.real",
            full_name="O",
            password="a long passphrase",
            roles=["distribution_officer"],
            camp_ids=[camp.id],
            must_change_password=False,
        )
        return create_token(session, None, user, "scanner")[1], round_.id, codes


def test_eight_devices_recording_the_same_households_leave_one_collection_each(race_app):
    dialect = race_app.extensions["panoh.db"].engine.dialect.name
    devices, households = SIZES[dialect]
    token, round_id, codes = _setup(race_app, households)
    headers = {"Authorization": f"Bearer {token}"}
    statuses: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(devices)

    def device(seed: int) -> None:
        order = codes[:]
        random.Random(seed).shuffle(order)
        client = race_app.test_client()
        start.wait()
        for code in order:
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # an online device stamps when it records
            response = client.post(
                f"/api/v1/rounds/{round_id}/collections",
                headers=headers,
                json={"id": str(uuid.uuid4()), "code": code, "collected_at": now, "point": f"DP-{seed}"},
            )
            with lock:
                statuses[response.status_code] += 1

    threads = [threading.Thread(target=device, args=(seed,)) for seed in range(devices)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == {201: households, 409: households * (devices - 1)}, statuses
    with race_app.app_context(), own_transaction() as session:
        per_household = session.execute(
            select(Collection.household_id, func.count())
            .where(Collection.round_id == round_id)
            .group_by(Collection.household_id)
        ).all()
        assert len(per_household) == households and all(count == 1 for _h, count in per_household)
        counted = select(func.count()).select_from(Collection).where(Collection.status == "ok")
        assert session.scalar(counted) == households


def _more_tokens(app, n: int) -> list[str]:
    from app.users.models import User
    from app.users.services import create_token

    with app.app_context(), own_transaction() as session:
        user = session.scalar(select(User).where(User.username == "officer.real"))
        return [create_token(session, None, user, f"device {i}")[1] for i in range(n)]


def test_offline_devices_syncing_doubles_at_once_all_get_answers_and_nothing_is_lost(race_app):
    """Issue 14 #4: three devices that served the same households offline sync at the same moment, each in
    its own order. Every batch is answered (no 500), every collection stored, one counts per household."""
    devices, households = 3, 60
    _token, round_id, codes = _setup(race_app, households)
    tokens = _more_tokens(race_app, devices)  # a device of its own each: one token's use would queue them
    now = datetime.now(UTC)
    batches = []
    for seed in range(devices):
        order, rng = codes[:], random.Random(seed)
        rng.shuffle(order)
        batches.append(
            [
                {
                    "id": str(uuid.uuid4()),
                    "code": code,
                    "point": f"DP-{seed}",
                    "offline": True,
                    "collected_at": f"{now - timedelta(minutes=rng.randrange(30, 300)):%Y-%m-%dT%H:%M:%SZ}",
                }
                for code in order
            ]
        )
    answers: list = []
    lock = threading.Lock()
    start = threading.Barrier(devices)

    def device(batch: list, token: str) -> None:
        client = race_app.test_client()
        start.wait()
        response = client.post(
            f"/api/v1/rounds/{round_id}/collections/sync",
            headers={"Authorization": f"Bearer {token}"},
            json={"collections": batch},
        )
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=device, args=pair) for pair in zip(batches, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(a.status_code for a in answers) == [200] * devices, [a.get_data(as_text=True)[:300] for a in answers]
    outcomes = Counter(r["outcome"] for a in answers for r in a.json["results"])
    assert outcomes == {"recorded": households, "flagged_double": households * (devices - 1)}, outcomes
    with race_app.app_context(), own_transaction() as session:
        statuses = Counter(session.scalars(select(Collection.status).where(Collection.round_id == round_id)))
        assert statuses == {"ok": households, "double": households * (devices - 1)}
