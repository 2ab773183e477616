"""Distribution scenarios (issue 6): eight scanners recording collections at once against the
server started as in production, on the benchmark's SQLite database and on PostgreSQL, and the
offline package of a round of 20,000 households.

Setup (cards for the households, a round, an officer with a token) is made directly in the
benchmarked database, with the server's own instance folder so that the server knows the card key.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import statistics
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import func, insert, select, text

from benchmarks import measure
from benchmarks.client import BenchError, Client
from benchmarks.scenarios import Context, scenario
from benchmarks.server import HOST, Server

DEVICES = 8
COLLECTIONS = 2000  # 250 per device
PACKAGE_HOUSEHOLDS = 20_000
PG_URL = os.environ.get("PANOH_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
PG_SCHEMA = "panoh_bench"


def _app(env: dict):
    from app import create_app

    return create_app(
        {"DATABASE_URL": env["PANOH_DATABASE_URL"], "INSTANCE_PATH": env["PANOH_INSTANCE_PATH"], "SECRET_KEY": "bench"}
    )


def _officer_token(session) -> str:
    from app.auth.services import find_user
    from app.users.services import create_token, create_user

    user = find_user(session, "bench.officer") or create_user(
        session,
        None,
        username="bench.officer",
        full_name="Bench officer",
        password=uuid.uuid4().hex * 2,
        roles=["distribution_officer"],
        camp_ids=[],
        all_camps=True,
        must_change_password=False,
    )
    session.flush()
    return create_token(session, None, user, f"bench {uuid.uuid4().hex[:6]}")[1]


def _round(session, camp, name: str):
    from camps.distributions import rounds

    today = date.today()
    return rounds.create_round(
        session,
        None,
        camp,
        {
            "name": name,
            "starts_on": today - timedelta(days=1),
            "ends_on": today + timedelta(days=6),
            "rule": "brackets",
            "brackets": "1-3:1 4-6:2 7-:3",
            "statuses": ["active"],
            "alternates_allowed": True,
            "items": [
                {"name": "Wheat flour", "unit": "kg", "quantity": 25},
                {"name": "Oil", "unit": "l", "quantity": 2},
                {"name": "Soap", "unit": "bar", "quantity": 4},
            ],
        },
    )


def _cards_for(session, camp_id: int, count: int) -> list[str]:
    """Valid card codes for ``count`` active households of the camp (issued where missing)."""
    from registration.cards import services as cards
    from registration.cards.models import Card
    from registration.households.models import Household

    today = date.today()
    households = session.scalars(
        select(Household)
        .where(Household.camp_id == camp_id, Household.status == "active")
        .order_by(Household.id)
        .limit(count)
    ).all()
    codes = []
    for household in households:
        card = session.scalar(select(Card).where(Card.household_id == household.id, Card.status == "valid"))
        codes.append((card or cards.issue(session, None, household, today)).code)
    return codes


def _prepare_record(env: dict, camp_code: str) -> tuple[str, int, list[str]]:
    from app.db import own_transaction
    from camps.sites.models import Camp

    app = _app(env)
    with app.app_context(), own_transaction() as session:
        camp = session.scalar(select(Camp).where(Camp.code == camp_code))
        codes = _cards_for(session, camp.id, COLLECTIONS)
        round_ = _round(session, camp, f"Bench {uuid.uuid4().hex[:6]}")
        token = _officer_token(session)
        round_id = round_.id
    app.extensions["panoh.db"].engine.dispose()
    return token, round_id, codes


def _record_load(port: int, token: str, round_id: int, codes: list[str]) -> dict[str, float]:
    """Eight devices at once, each recording its share of the codes (verify + record per request)."""
    shares = [codes[i::DEVICES] for i in range(DEVICES)]
    samples: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(DEVICES + 1)

    def device(index: int) -> None:
        client = Client(HOST, port, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        mine = []
        start.wait()
        try:
            for code in shares[index]:
                body = json.dumps(
                    {
                        "id": str(uuid.uuid4()),
                        "code": code,
                        "point": f"DP-{index % 2 + 1}",
                        "collected_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    }
                ).encode()
                began = time.perf_counter()
                status, _headers, data = client.request("POST", f"/api/v1/rounds/{round_id}/collections", body)
                mine.append((time.perf_counter() - began) * 1000)
                if status != 201:
                    errors.append(f"{status} {data[:160]!r}")
        finally:
            client.close()
            with lock:
                samples.extend(mine)

    threads = [threading.Thread(target=device, args=(i,)) for i in range(DEVICES)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise BenchError(f"{len(errors)} collections refused, first: {errors[0]}")
    figures = measure.summary(samples)
    figures["per_s"] = len(samples) / elapsed
    return figures


@scenario("distribution.record")
def record(ctx: Context) -> dict[str, float]:
    """Verify + record through POST /collections, eight scanners at once, on the benchmark database."""
    token, round_id, codes = _prepare_record(ctx.server.env, "KHR")
    return _record_load(ctx.server.port, token, round_id, codes)


def _pg_ready(url: str) -> str | None:
    """A fresh schema on the local PostgreSQL for this scenario, or None when there is none."""
    from app.db import make_engine

    try:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means: no PostgreSQL to measure on
        print(f"  (no PostgreSQL at {url}: {exc.__class__.__name__}; distribution.record_pg skipped)")
        return None
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{PG_SCHEMA}"


@scenario("distribution.record_pg")
def record_pg(ctx: Context) -> dict[str, float]:
    """The same load with the server on PostgreSQL (a demo world of 5,000 households in its own schema)."""
    url = _pg_ready(PG_URL)
    if url is None:
        return {}
    from alembic import command

    from app import migrations as db_cli
    from app.db import own_transaction
    from app.demo.world import build_world

    command.upgrade(db_cli.alembic_config(url), "head")
    folder = Path(ctx.server.log_path).parent / "pg"
    folder.mkdir(exist_ok=True)
    env = {"PANOH_DATABASE_URL": url, "PANOH_INSTANCE_PATH": str(folder / "instance")}
    app = _app(env)
    with app.app_context(), own_transaction() as session:
        build_world(session, households=5000, seed=3)
    app.extensions["panoh.db"].engine.dispose()
    token, round_id, codes = _prepare_record(env, "KHR")
    try:
        with Server(url, folder) as server:
            return _record_load(server.port, token, round_id, codes)
    finally:
        from app.db import make_engine

        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        engine.dispose()


def _photo(rng: random.Random) -> bytes:
    image = Image.new("RGB", (360, 480), tuple(rng.randrange(80, 200) for _ in range(3)))
    for _ in range(60):
        x, y = rng.randrange(360), rng.randrange(480)
        image.paste(tuple(rng.randrange(256) for _ in range(3)), (x, y, min(360, x + 30), min(480, y + 30)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _package_camp(session) -> int:
    """Camp BNC with 20,000 active households, each head with a desk photo (made once per database)."""
    from app.db import advance_sequences
    from camps.sites.models import Camp
    from registration.households.models import Household, Person, PersonPhoto
    from registration.households.numbers import format_number
    from registration.photos import thumbnail

    camp = session.scalar(select(Camp).where(Camp.code == "BNC"))
    if camp is not None:
        return camp.id
    camp = Camp(
        code="BNC",
        name="Benchmark settlement",
        region_code="TJ-KT",
        status="open",
        household_counter=PACKAGE_HOUSEHOLDS,
    )
    session.add(camp)
    session.flush()
    rng = random.Random(4)
    photos = [_photo(rng) for _ in range(50)]
    thumbs = [thumbnail(p) for p in photos]
    first_hh = (session.scalar(select(func.max(Household.id))) or 0) + 1
    first_person = (session.scalar(select(func.max(Person.id))) or 0) + 1
    today = date.today()
    for start in range(0, PACKAGE_HOUSEHOLDS, 5000):
        span = range(start, min(start + 5000, PACKAGE_HOUSEHOLDS))
        session.execute(
            insert(Household),
            [
                {
                    "id": first_hh + i,
                    "number": format_number("BNC", i + 1),
                    "camp_id": camp.id,
                    "status": "active",
                    "arrival_date": today,
                    "size": rng.randint(1, 12),
                }
                for i in span
            ],
        )
        session.execute(
            insert(Person),
            [
                {
                    "id": first_person + i,
                    "household_id": first_hh + i,
                    "seq": 1,
                    "given_name": "Head",
                    "father_name": "Father",
                    "sex": "m",
                    "birth_date": date(1980, 7, 1),
                    "birth_precision": "year",
                    "relation_to_head": "head",
                    "nationality": "AFG",
                    "status": "active",
                }
                for i in span
            ],
        )
        session.execute(
            PersonPhoto.__table__.insert(),
            [{"person_id": first_person + i, "jpeg": photos[i % 50], "thumb": thumbs[i % 50]} for i in span],
        )
    advance_sequences(session, Household.__table__, Person.__table__)
    return camp.id


@scenario("distribution.offline_package")
def offline_package(ctx: Context) -> dict[str, float]:
    """The offline package of a round of 20,000 households with photos: bytes as sent (gzip) and seconds."""
    from app.db import own_transaction
    from camps.sites.models import Camp

    app = _app(ctx.server.env)
    with app.app_context(), own_transaction() as session:
        camp = session.get(Camp, _package_camp(session))
        round_id = _round(session, camp, f"Package {uuid.uuid4().hex[:6]}").id
        token = _officer_token(session)
    app.extensions["panoh.db"].engine.dispose()
    client = Client(HOST, ctx.server.port, headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"})
    timings, size, households = [], 0, 0
    try:
        for _ in range(3):
            began = time.perf_counter()
            status, headers, body = client.request("GET", f"/api/v1/rounds/{round_id}/package")
            timings.append(time.perf_counter() - began)
            if status != 200:
                raise BenchError(f"package: {status} {body[:200]!r}")
            size = len(body)
            households = len(json.loads(gzip.decompress(body))["households"])
    finally:
        client.close()
    if households != PACKAGE_HOUSEHOLDS:
        raise BenchError(f"package held {households} households, not {PACKAGE_HOUSEHOLDS}")
    return {"bytes": size, "seconds": statistics.median(timings)}
