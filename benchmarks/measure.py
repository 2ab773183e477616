"""Timing: latency percentiles from sequential requests, throughput from concurrent ones."""

from __future__ import annotations

import itertools
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.client import Client


@dataclass
class Limits:
    requests: int = 200  # sequential, timed
    warmup: int = 10  # sequential, not timed
    sequential_s: float = 120  # the timed loop stops after this, whatever the count
    threads: int = 4  # concurrent clients for rps
    rps_s: float = 5  # the concurrent run lasts this long ...
    rps_requests: int = 5000  # ... or until this many requests completed


def latency_ms(client: Client, paths: Sequence[str], limits: Limits) -> list[float]:
    """Milliseconds per request, one after the other, cycling through ``paths``."""
    cycle = itertools.cycle(paths)
    for _ in range(limits.warmup):
        client.get(next(cycle))
    samples: list[float] = []
    deadline = time.perf_counter() + limits.sequential_s
    while len(samples) < limits.requests and time.perf_counter() < deadline:
        path = next(cycle)
        started = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
    if len(samples) < limits.requests:
        print(f"  time limit: {len(samples)} of {limits.requests} requests timed", file=sys.stderr)
    return samples


def throughput(make_client: Callable[[], Client], paths: Sequence[str], limits: Limits) -> float:
    """Completed requests per wall-clock second with ``limits.threads`` clients at once."""
    clients = [make_client() for _ in range(limits.threads)]
    counter = itertools.count()  # next() on it is atomic under the GIL
    errors: list[BaseException] = []
    start = threading.Barrier(limits.threads + 1)
    done = [0] * limits.threads

    def work(index: int, client: Client) -> None:
        start.wait()
        try:
            for n in counter:
                if n >= limits.rps_requests or time.perf_counter() >= deadline:
                    return
                client.get(paths[n % len(paths)])
                done[index] += 1
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, c), daemon=True) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + limits.rps_s  # set before the barrier lets the workers read it
    start.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    for client in clients:
        client.close()
    if errors:
        raise errors[0]
    return sum(done) / wall


def summary(samples: Sequence[float]) -> dict[str, float]:
    """p50, p95 and max of latency samples in milliseconds."""
    if not samples:
        raise ValueError("no latency samples")
    p95 = statistics.quantiles(samples, n=100, method="inclusive")[94] if len(samples) > 1 else samples[0]
    return {"p50_ms": statistics.median(samples), "p95_ms": p95, "max_ms": max(samples)}
