"""``panoh demo``: load the demo world (see app.demo.world)."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.cli import cli_session
from app.demo.world import DEMO_PASSWORD, STAFF, build_world
from app.users.actors import SYSTEM
from registration.dedup import review
from registration.households.models import Household

#: larger worlds (benchmarks) are not scanned for duplicates: `panoh registration duplicates` does it
SCAN_UP_TO = 20_000


@click.command("demo")
@click.option("--households", default=2000, show_default=True, type=click.IntRange(0, 1_000_000))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--if-empty", is_flag=True, help="Do nothing when households already exist.")
@with_appcontext
def demo(households, seed, if_empty):
    """Create demo camps, staff accounts for every role and realistic Afghan households."""
    started = time.perf_counter()
    with cli_session() as session:
        if if_empty and session.scalar(select(func.count()).select_from(Household)):
            click.echo("Demo data already loaded.")
            print_logins()
            return
        result = build_world(session, households=households, seed=seed)
        queued = review.scan(session, SYSTEM) if households <= SCAN_UP_TO else None
    click.echo(
        f"Loaded {result.households} households ({result.people} people) in {time.perf_counter() - started:.1f} s."
    )
    if queued is not None:
        click.echo(f"{queued} likely duplicates (people registered twice) wait for a supervisor at /duplicates.")
    print_logins()


def print_logins() -> None:
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, _name, roles, camps in STAFF:
        click.echo(f"  {username:<13} {', '.join(roles):<26} {', '.join(camps) or 'all camps'}")
