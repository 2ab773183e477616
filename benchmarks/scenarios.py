"""The named scenarios. Adding one: a function taking a ``Context``, registered with ``@scenario``.

A scenario returns latency samples in milliseconds (summarised as p50/p95/max), a dict of figures
(named ``<scenario>.<metric>``) or one number (named ``<scenario>``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.demo.world import DEMO_PASSWORD
from benchmarks import measure
from benchmarks.client import Client
from benchmarks.server import HOST, Server


@dataclass
class Context:
    """What scenarios get: the running server, a token for ``clerk`` and the request limits."""

    server: Server
    token: str
    limits: measure.Limits
    _sessions: dict[str, Client] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def client(self, username: str | None = None) -> Client:
        """A new connection, signed in as the demo user ``username`` (signed in once per run)."""
        if username is None:
            return Client(HOST, self.server.port)
        if username not in self._sessions:
            signed_in = Client(HOST, self.server.port)
            signed_in.sign_in(username, DEMO_PASSWORD)
            signed_in.close()
            self._sessions[username] = signed_in
        return self._sessions[username].clone()

    def api_client(self) -> Client:
        """A new connection that sends the bearer token."""
        return Client(HOST, self.server.port, headers={"Authorization": f"Bearer {self.token}"})


@dataclass
class Scenario:
    name: str
    run: Callable[[Context], list[float] | dict[str, float] | float]
    final: bool = False  # runs after all the others (e.g. memory measured at the end)


SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str, final: bool = False):
    """Register the decorated function as the scenario ``name``."""

    def register(fn):
        SCENARIOS[name] = Scenario(name, fn, final)
        return fn

    return register


def figures_of(name: str, result: list[float] | dict[str, float] | float) -> dict[str, float]:
    """A scenario's result as figures named ``<scenario>.<metric>`` (or ``<scenario>`` for one number)."""
    if isinstance(result, int | float):
        return {name: float(result)}
    if isinstance(result, list):
        result = measure.summary(result)
    return {f"{name}.{metric}": value for metric, value in result.items()}


def selected(prefix: str | None) -> list[Scenario]:
    """Scenarios whose names start with ``prefix``, the final ones last."""
    chosen = [s for s in SCENARIOS.values() if s.name.startswith(prefix or "")]
    return sorted(chosen, key=lambda s: s.final)


def http_figures(ctx: Context, make_client: Callable[[], Client], paths: list[str]) -> dict[str, float]:
    """p50/p95/max from sequential GETs of ``paths`` and rps from concurrent ones."""
    client = make_client()
    try:
        figures = measure.summary(measure.latency_ms(client, paths, ctx.limits))
    finally:
        client.close()
    figures["rps"] = measure.throughput(make_client, paths, ctx.limits)
    return figures


@scenario("app.login_page")
def login_page(ctx: Context) -> dict[str, float]:
    return http_figures(ctx, ctx.client, ["/login"])


@scenario("app.household_list_page")
def household_list_page(ctx: Context) -> dict[str, float]:
    """A registration clerk (camp KHR) paging through the household list."""
    paths = [f"/households?page={n}" for n in range(1, 51)]
    return http_figures(ctx, lambda: ctx.client("clerk"), paths)


@scenario("app.api_call")
def api_call(ctx: Context) -> dict[str, float]:
    return http_figures(ctx, ctx.api_client, ["/api/v1/households"])


@scenario("app.server_rss_mb", final=True)
def server_rss_mb(ctx: Context) -> float:
    return ctx.server.rss_mb()


import benchmarks.camera  # noqa: E402, F401  (registers cards.camera_decode)
import benchmarks.camps  # noqa: E402, F401  (registers camps.*)
import benchmarks.cards  # noqa: E402, F401  (registers cards.*)
import benchmarks.communication  # noqa: E402, F401  (registers communication.*)
import benchmarks.dedup_quality  # noqa: E402, F401  (registers dedup.quality, .candidate_recall, .scan_570k)
import benchmarks.distribution  # noqa: E402, F401  (registers distribution.*)
import benchmarks.exports  # noqa: E402, F401  (registers figures.person_export)
import benchmarks.feedback  # noqa: E402, F401  (registers feedback.*)
import benchmarks.figures  # noqa: E402, F401  (registers figures.dashboard, figures.stats_export)
import benchmarks.registration  # noqa: E402, F401  (registers registration.*)
import benchmarks.sms  # noqa: E402, F401  (registers communication.sms_10k)
