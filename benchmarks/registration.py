"""Registration scenarios (issue 3): search, duplicate check, registering a family of six,
the household page and the server's memory, at the size the run was asked for."""

from __future__ import annotations

import json
import random
import time

from app.demo import names as N
from benchmarks import measure
from benchmarks.client import BenchError, Client
from benchmarks.scenarios import Context, scenario
from registration.households.numbers import format_number

#: households of camp KHR that surely exist in any demo world of 2,000 households or more
SAMPLE_KHR = range(1, 1000)


def _post_json_ms(
    client: Client, requests: list[tuple[str, dict]], limits: measure.Limits, accept: tuple[int, ...] = (200,)
) -> tuple[list[float], dict[int, int]]:
    """Time POSTs of JSON bodies one after the other; return samples and a count per status."""
    statuses: dict[int, int] = {}
    samples: list[float] = []
    deadline = time.perf_counter() + limits.sequential_s
    for index, (path, body) in enumerate(requests):
        if time.perf_counter() > deadline:
            break
        started = time.perf_counter()
        status, _headers, data = client.request(
            "POST", path, json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        elapsed = (time.perf_counter() - started) * 1000
        if status not in accept:
            raise BenchError(f"POST {path}: {status} {data[:200]!r}")
        statuses[status] = statuses.get(status, 0) + 1
        if index >= limits.warmup:
            samples.append(elapsed)
    return samples, statuses


SYLLABLES = (
    "ba",
    "da",
    "fa",
    "ga",
    "ha",
    "ja",
    "ka",
    "la",
    "ma",
    "na",
    "pa",
    "ra",
    "sa",
    "ta",
    "wa",
    "za",
    "bi",
    "di",
    "gi",
    "ki",
    "li",
    "mi",
    "ni",
    "ri",
    "si",
    "ti",
    "zu",
    "ru",
    "nu",
    "ku",
)


def _family_name(rng: random.Random) -> str:
    """A family name no demo person has: a new family arriving, not a duplicate."""
    return "".join(rng.choice(SYLLABLES) for _ in range(4)).capitalize() + "khel"


def _person(rng: random.Random, relation: str = "head", sex: str | None = None, family: str | None = None) -> dict:
    sex = sex or rng.choice("fm")
    given = rng.choice(N.MALE_GIVEN if sex == "m" else N.FEMALE_GIVEN)
    father = rng.choice(N.MALE_GIVEN)
    person = {
        "given_name": given[0],
        "given_name_orig": given[1],
        "father_name": father[0],
        "father_name_orig": father[1],
        "sex": sex,
        "born": str(rng.randint(1950, 2024)),
        "relation_to_head": relation,
    }
    return {**person, "family_name": family} if family else person


def _queries(rng: random.Random, count: int) -> list[str]:
    """What a desk types: two names (Latin, Arabic or Cyrillic), a household number, a phone."""
    queries = []
    for i in range(count):
        given, father = rng.choice(N.MALE_GIVEN), rng.choice(N.MALE_GIVEN)
        script = i % 4
        if script == 3:
            queries.append(format_number("KHR", rng.choice(SAMPLE_KHR)))
        else:
            queries.append(f"{given[script]} {father[script]}")
    return queries


def _api_posts(ctx: Context, path: str, bodies: list[dict]) -> dict[str, float]:
    """p50/p95/max of POSTing each body to ``path`` with the clerk's token, one after the other."""
    client = ctx.api_client()
    try:
        samples, _ = _post_json_ms(client, [(path, body) for body in bodies], ctx.limits)
    finally:
        client.close()
    return measure.summary(samples)


@scenario("registration.search")
def search(ctx: Context) -> dict[str, float]:
    queries = _queries(random.Random(3), ctx.limits.requests + ctx.limits.warmup)
    return _api_posts(ctx, "/api/v1/households/search", [{"q": q} for q in queries])


@scenario("registration.dedup_check")
def dedup_check(ctx: Context) -> dict[str, float]:
    rng = random.Random(4)
    people = [_person(rng) for _ in range(ctx.limits.requests + ctx.limits.warmup)]
    for person in people:  # a person being typed in, not yet a household member
        del person["relation_to_head"]
    return _api_posts(ctx, "/api/v1/people/duplicate-check", people)


@scenario("registration.register_household")
def register_household(ctx: Context) -> dict[str, float]:
    """A new family of six through the desk's service, duplicate check included, via the API.

    Common given and father's names (so the duplicate check does its full work) with a family name
    nobody has yet, so the family is saved: this times the whole registration, not a refusal.
    """
    rng = random.Random(5)
    n = min(ctx.limits.requests, 100) + ctx.limits.warmup
    bodies = []
    for i in range(n):
        family = _family_name(rng)
        members = [_person(rng, "head", "m", family), _person(rng, "spouse", "f", family)] + [
            _person(rng, rng.choice(("son", "daughter")), family=family) for _ in range(4)
        ]
        bodies.append(
            (
                "/api/v1/households",
                {
                    "camp": "KHR",
                    "arrival_date": time.strftime("%Y-%m-%d"),
                    "consent": True,
                    "token": f"bench-{time.time_ns()}-{i}",
                    "origin_province": "AF15",
                    "members": members,
                },
            )
        )
    client = ctx.api_client()
    try:
        samples, statuses = _post_json_ms(client, bodies, ctx.limits, accept=(201, 409))
    finally:
        client.close()
    figures = measure.summary(samples)
    figures["saved_share"] = round(statuses.get(201, 0) / max(1, sum(statuses.values())), 3)
    return figures


@scenario("registration.household_page")
def household_page(ctx: Context) -> dict[str, float]:
    """A clerk opening household records (HTML page with members, needs and history)."""
    rng = random.Random(6)
    paths = [f"/households/{format_number('KHR', rng.choice(SAMPLE_KHR))}" for _ in range(200)]
    client = ctx.client("clerk")
    try:
        return measure.summary(measure.latency_ms(client, paths, ctx.limits))
    finally:
        client.close()


@scenario("registration.server_rss_mb", final=True)
def server_rss_mb(ctx: Context) -> float:
    return ctx.server.rss_mb()
