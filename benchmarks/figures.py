"""Figures scenarios (issue 8): the dashboard as headquarters and a site manager see it, and the
aggregate HXL statistics export, on the whole bench database (100,000 households, about 570,000 people)."""

from __future__ import annotations

import time

from benchmarks import measure
from benchmarks.client import BenchError
from benchmarks.scenarios import Context, scenario


@scenario("figures.dashboard")
def dashboard(ctx: Context) -> dict[str, float]:
    """``viewer`` (every camp) on /figures: the headline p95; then one camp, and the site manager's two camps."""
    figures: dict[str, float] = {}
    for name, username, path in (
        ("viewer", "viewer", "/figures"),
        ("viewer_khr", "viewer", "/figures?camp=KHR"),
        ("site", "site", "/figures"),
    ):
        client = ctx.client(username)
        try:
            result = measure.summary(measure.latency_ms(client, [path], ctx.limits))
        finally:
            client.close()
        figures.update(result if name == "viewer" else {f"{name}_{metric}": value for metric, value in result.items()})
    return figures


@scenario("figures.stats_export")
def stats_export(ctx: Context) -> dict[str, float]:
    """The viewer downloads the XLSX (every table, every camp) and the CSV; ``seconds`` is the slower of the
    XLSX runs (three of each)."""
    client = ctx.client("viewer")
    timings: dict[str, list[float]] = {"xlsx": [], "csv": []}
    sizes: dict[str, int] = {}
    try:
        for _ in range(3):
            for fmt in timings:
                started = time.perf_counter()
                body = client.get(f"/figures/stats.{fmt}")
                timings[fmt].append(time.perf_counter() - started)
                sizes[fmt] = len(body)
                if fmt == "csv" and not body.startswith(b"Date reported,"):
                    raise BenchError(f"unexpected stats export: {body[:80]!r}")
    finally:
        client.close()
    return {
        "seconds": round(max(timings["xlsx"]), 3),
        "csv_seconds": round(max(timings["csv"]), 3),
        "xlsx_bytes": sizes["xlsx"],
    }
