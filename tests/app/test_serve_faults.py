"""kill -9 under load (issue 14, must-show): ``panoh serve`` with 2 workers on SQLite and PostgreSQL
while desks register households, distribution points record and sync collections and the site
office allocates plots. Workers are killed one after another, then the master.

Every write that was acknowledged is there exactly once, nothing is half saved, the stored counts
equal a recount, and the server comes back by itself after each killed worker (and after the
master's death, once started again, as systemd would).
"""

from __future__ import annotations

import http.client
import itertools
import os
import random
import signal
import sys
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import create_app
from app.db import own_transaction
from tests.conftest import PG_URL, migrate
from tests.factories import Factories
from tests.serving import Serve, alive, drop_pg_schema, pg_schema_url, wait_until

pytestmark = [
    pytest.mark.serve,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kills processes (Linux)"),
]

SCHEMA = f"serve_faults_{os.getpid()}"
REGISTRATIONS, CARDS, ALLOCATIONS, BATCH = 36, 40, 30, 5
HEADS = ["Nasir", "Karim", "Rahim", "Yusuf", "Omid", "Farid", "Hamid", "Bashir", "Latif"]
#: how long a client retries one request while the server is down
RETRY_S = 60


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG_URL else []))
def database(request, tmp_path):
    url = pg_schema_url(PG_URL, SCHEMA) if request.param == "postgresql" else f"sqlite:///{tmp_path / 'faults.sqlite3'}"
    migrate(url)
    yield url
    if request.param == "postgresql":
        drop_pg_schema(PG_URL, SCHEMA)


def _app(url: str, folder):
    return create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder), "SECRET_KEY": "x", "ARGON2_PROFILE": "fast"})


def _world(url: str, folder) -> dict:
    """Camp KHR with 40 plots, 40 households with cards, a round open today and three tokens."""
    from app.users.services import create_token
    from camps.distributions.rounds import create_round
    from registration.cards.services import issue

    app = _app(url, folder)
    today = date.today()
    try:
        with app.app_context(), own_transaction() as session:
            make = Factories(session)
            camp = make.camp("KHR")
            plots = make.layout("KHR", blocks=4, plots=10)
            households = [make.household("KHR", members=2) for _ in range(CARDS)]
            cards = [issue(session, None, h, today) for h in households]
            round_ = create_round(
                session,
                None,
                camp,
                {
                    "name": "Kill round",
                    "starts_on": today - timedelta(days=1),
                    "ends_on": today + timedelta(days=6),
                    "rule": "household",
                    "statuses": ["active"],
                    "alternates_allowed": False,
                    "items": [{"name": "Wheat flour", "unit": "kg", "quantity": 25}],
                },
            )
            tokens = {}
            for role in ("registration_clerk", "distribution_officer", "site_manager"):
                user = make.user(roles=[role], camps=["KHR"], username=f"{role}.faults")
                tokens[role] = create_token(session, None, user, "faults")[1]
            return {
                "round": round_.id,
                "codes": [c.code for c in cards],
                "numbers": [h.number for h in households],
                "plots": [p.code for p in plots],
                "tokens": tokens,
            }
    finally:
        app.extensions["panoh.db"].engine.dispose()


class Load:
    """Clients that retry a request whose answer was lost (the same id or token, as the devices do)
    and remember only what the server acknowledged."""

    def __init__(self, server: Serve, world: dict) -> None:
        self.server, self.world = server, world
        self.registered: dict[str, str] = {}  # registration token -> household number
        self.collected: set[str] = set()  # collection ids acknowledged
        self.allocated: dict[str, str] = {}  # household number -> plot code
        self.lost_answers = itertools.count()
        self.errors: list[str] = []

    def send(self, method: str, path: str, body: dict, token: str) -> tuple[int, dict]:
        deadline = time.monotonic() + RETRY_S
        while True:
            try:
                status, data = self.server.request(method, path, body, token=token, timeout=30)
            except (OSError, http.client.HTTPException):
                next(self.lost_answers)
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
                continue
            if status >= 500:
                self.errors.append(f"{method} {path}: {status} {data}")
            return status, data

    def register(self) -> None:
        token = self.world["tokens"]["registration_clerk"]
        for i in range(REGISTRATIONS):
            key = f"faults-{i}-{uuid.uuid4().hex[:12]}"
            body = {
                "camp": "KHR",
                "arrival_date": date.today().isoformat(),
                "consent": True,
                "token": key,
                "skip_duplicate_check": True,
                "members": [
                    {
                        "given_name": HEADS[i % len(HEADS)],
                        "father_name": "Jalil",
                        "sex": "m",
                        "born": "1977",
                        "relation_to_head": "head",
                    },
                    {
                        "given_name": "Zahra",
                        "father_name": HEADS[i % len(HEADS)],
                        "sex": "f",
                        "born": "2015",
                        "relation_to_head": "daughter",
                    },
                ],
            }
            status, data = self.send("POST", "/api/v1/households", body, token)
            if status in (200, 201):
                self.registered[key] = data["number"]
            else:
                self.errors.append(f"registration {i}: {status} {data}")

    def collect(self) -> None:
        token, round_id = self.world["tokens"]["distribution_officer"], self.world["round"]
        codes = self.world["codes"]
        online, offline = codes[: CARDS - 2 * BATCH], codes[CARDS - 2 * BATCH :]
        for code in online:
            cid = str(uuid.uuid4())
            status, data = self.send(
                "POST", f"/api/v1/rounds/{round_id}/collections", self._collection(cid, code, offline=False), token
            )
            if status in (200, 201):
                self.collected.add(cid)
            else:
                self.errors.append(f"collection: {status} {data}")
        for start in range(0, len(offline), BATCH):  # a device that was offline syncs its queue
            batch = [self._collection(str(uuid.uuid4()), code, offline=True) for code in offline[start : start + BATCH]]
            status, data = self.send(
                "POST", f"/api/v1/rounds/{round_id}/collections/sync", {"collections": batch}, token
            )
            if status != 200:
                self.errors.append(f"sync: {status} {data}")
                continue
            for result in data["results"]:
                if result["status"] in (200, 201):
                    self.collected.add(result["id"])
                else:
                    self.errors.append(f"sync item: {result}")

    @staticmethod
    def _collection(cid: str, code: str, *, offline: bool) -> dict:
        moment = datetime.now(UTC) - timedelta(seconds=5)
        return {
            "id": cid,
            "code": code,
            "point": "DP-1",
            "offline": offline,
            "collected_at": moment.isoformat(timespec="seconds").replace("+00:00", "Z"),
        }

    def allocate(self) -> None:
        token = self.world["tokens"]["site_manager"]
        for number, plot in zip(self.world["numbers"][:ALLOCATIONS], self.world["plots"], strict=False):
            status, data = self.send("PUT", f"/api/v1/households/{number}/plot", {"plot": plot}, token)
            if status in (200, 201):
                self.allocated[number] = plot
            else:
                self.errors.append(f"allocation {number}: {status} {data}")


def _check_everything(url: str, folder, load: Load) -> None:
    from camps.allocation.models import PlotAllocation
    from camps.distributions.models import Collection
    from camps.layout.models import Plot
    from camps.sites.models import Camp
    from registration.households.models import Household, Person

    app = _app(url, folder)
    try:
        with app.app_context(), own_transaction() as session:
            # registrations: each acknowledged one exactly once, under the number it was answered with
            saved = dict(
                session.execute(
                    select(Household.registration_token, Household.number).where(
                        Household.registration_token.is_not(None)
                    )
                ).all()
            )
            for key, number in load.registered.items():
                assert saved.get(key) == number, key
            # nothing half saved: every household has the members its size says
            members = dict(
                session.execute(select(Person.household_id, func.count()).group_by(Person.household_id)).all()
            )
            for household_id, size in session.execute(select(Household.id, Household.size)):
                assert members.get(household_id, 0) == size == 2, household_id
            camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
            assert camp.household_counter == session.scalar(
                select(func.count()).select_from(Household).where(Household.camp_id == camp.id)
            )

            # collections: each acknowledged one exactly once; one that counts per household
            rows = session.execute(
                select(Collection.uid, Collection.household_id, Collection.status).where(
                    Collection.round_id == load.world["round"]
                )
            ).all()
            uids = [r.uid for r in rows]
            assert len(uids) == len(set(uids))
            assert load.collected <= set(uids)
            ok = [r.household_id for r in rows if r.status == "ok"]
            assert len(ok) == len(set(ok)) == len(load.collected)

            # allocations: each acknowledged one is the household's one open stay; plot counts recount
            open_stays = session.execute(
                select(Household.number, Plot.code)
                .join(PlotAllocation, PlotAllocation.household_id == Household.id)
                .join(Plot, Plot.id == PlotAllocation.plot_id)
                .where(PlotAllocation.ended_at.is_(None))
            ).all()
            assert len(open_stays) == len({n for n, _ in open_stays})
            assert dict(open_stays) == load.allocated
            recount = dict(
                session.execute(
                    select(PlotAllocation.plot_id, func.count())
                    .where(PlotAllocation.ended_at.is_(None))
                    .group_by(PlotAllocation.plot_id)
                ).all()
            )
            for plot in session.scalars(select(Plot)):
                assert plot.household_count == recount.get(plot.id, 0), plot.code
                assert (plot.status == "occupied") == (plot.household_count > 0), plot.code
    finally:
        app.extensions["panoh.db"].engine.dispose()


def test_kill_9_under_mixed_load_loses_and_doubles_nothing(database, tmp_path):
    world = _world(database, tmp_path)
    rng = random.Random(14)
    server = Serve(database, tmp_path, workers=2, threads=4)
    try:
        server.start()
        server.wait_workers()
        load = Load(server, world)
        clients = [threading.Thread(target=work, daemon=True) for work in (load.register, load.collect, load.allocate)]
        for client in clients:
            client.start()

        # Workers killed one after another while the load runs: the server comes back by itself.
        for _ in range(4):
            time.sleep(rng.uniform(0.3, 0.9))
            victims = server.worker_pids()
            if victims:
                os.kill(rng.choice(victims), signal.SIGKILL)
            wait_until(
                lambda: len(server.worker_pids()) == 2 and server.healthy(),
                30,
                "the server serving with two workers again",
            )
        assert server.process.poll() is None

        # Then the master: its workers stop, and a server started again (as systemd does) carries on.
        time.sleep(rng.uniform(0.2, 0.6))
        workers = server.worker_pids()
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
        wait_until(lambda: not any(alive(pid) for pid in workers), 30, "the orphaned workers stopping")
        server.start()

        for client in clients:
            client.join(RETRY_S * 3)
            assert not client.is_alive()
        assert load.errors == []
        assert len(load.registered) == REGISTRATIONS
        assert len(load.collected) == CARDS
        assert len(load.allocated) == ALLOCATIONS
    finally:
        server.stop()
    _check_everything(database, tmp_path, load)
