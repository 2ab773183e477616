"""Output: a table on stdout and ``benchmarks/results/latest.json`` (one flat object of figures)."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
COLUMNS = ("p50_ms", "p95_ms", "max_ms", "rps")


def table(figures: dict[str, float]) -> str:
    """Latency scenarios as rows of p50/p95/max/rps; any other figure on a line of its own."""
    rows, others = {}, []
    for key, value in figures.items():
        name, _dot, metric = key.rpartition(".")
        if metric in COLUMNS:
            rows.setdefault(name, {})[metric] = value
        else:
            others.append((key, value))
    width = max([len("scenario"), *map(len, rows), *(len(k) for k, _v in others)])
    lines = [f"{'scenario':<{width}}" + "".join(f"{c:>10}" for c in ("p50 ms", "p95 ms", "max ms", "rps"))]
    for name, metrics in rows.items():
        lines.append(f"{name:<{width}}" + "".join(_cell(metrics.get(c)) for c in COLUMNS))
    lines += [f"{key:<{width}}{value:>10.2f}" for key, value in others]
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    return f"{value:>10.2f}" if value is not None else f"{'-':>10}"


def meta(database: str, size: int) -> dict[str, object]:
    return {
        "meta.commit": _commit(),
        "meta.database": database,
        "meta.size": size,
        "meta.date": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def write_json(figures: dict[str, float], meta_fields: dict[str, object]) -> Path:
    """Write the figures (rounded to 2 decimals) and the meta fields; returns the file's path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {key: round(value, 2) for key, value in figures.items()} | meta_fields
    path = RESULTS / "latest.json"
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data, indent=2) + "\n")
    partial.replace(path)
    return path


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip()
