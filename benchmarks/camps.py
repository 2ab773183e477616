"""Camps and shelter scenarios (issue 5), read by the site manager ``site`` (camps KHR and SHR).

At 100,000 households the demo world has 10,000 plots; camp KHR has 5,000 of them, most taken,
so suggestions rank the free ones for households that wait, and the plan draws 5,000 plots.
"""

from __future__ import annotations

import random

from benchmarks import measure
from benchmarks.registration import SAMPLE_KHR
from benchmarks.scenarios import Context, scenario
from registration.households.numbers import format_number


def _latency(ctx: Context, paths: list[str]) -> dict[str, float]:
    client = ctx.client("site")
    try:
        return measure.summary(measure.latency_ms(client, paths, ctx.limits))
    finally:
        client.close()


@scenario("camps.suggest")
def suggest(ctx: Context) -> dict[str, float]:
    """Ranked plots for a household; a third ask to live near relatives or among people from home."""
    rng = random.Random(5)
    paths = []
    for i in range(ctx.limits.requests + ctx.limits.warmup):
        path = f"/api/v1/households/{format_number('KHR', rng.choice(SAMPLE_KHR))}/plot-suggestions"
        if i % 3 == 1:
            path += f"?near={format_number('KHR', rng.choice(SAMPLE_KHR))}"
        elif i % 3 == 2:
            path += "?same_origin=true"
        paths.append(path)
    return _latency(ctx, paths)


@scenario("camps.site_plan")
def site_plan(ctx: Context) -> dict[str, float]:
    """The site plan page of camp KHR (the server draws every plot in SVG) and its size in bytes."""
    client = ctx.client("site")
    try:
        size = len(client.get("/camps/KHR/plan"))
    finally:
        client.close()
    figures = _latency(ctx, ["/camps/KHR/plan"] * 40)
    figures["bytes"] = size
    return figures


@scenario("camps.indicators")
def indicators(ctx: Context) -> dict[str, float]:
    """Occupancy and Sphere indicators of camp KHR per camp, sector and block."""
    return _latency(ctx, ["/camps/KHR/indicators"] * 60)
