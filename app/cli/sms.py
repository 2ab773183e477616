"""``panoh sms send``: the worker that hands queued SMS to the operator's SMSC."""

from __future__ import annotations

import signal

import click
from flask import current_app
from flask.cli import with_appcontext

from camps.communication.sms import worker
from camps.communication.sms.link import LinkDown


@click.group("sms")
def sms_group():
    """SMS through the operator's SMPP account."""


@sms_group.command("send")
@click.option("--once", is_flag=True, help="Send what is due, wait for receipts, and stop (else: run until stopped).")
@click.option(
    "--receipt-wait",
    type=click.FloatRange(0, 3600),
    default=10.0,
    show_default=True,
    help="With --once: seconds to wait for delivery receipts after the last SMS.",
)
@with_appcontext
def send(once: bool, receipt_wait: float):
    """Drain the SMS outbox at the configured rate; delivery receipts and STOP replies are recorded."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_a: stopping.append(True))
    settings = worker.Settings.from_config(current_app.config)
    try:
        stats = worker.run(settings, once=once, receipt_wait=receipt_wait, should_stop=lambda: bool(stopping))
    except LinkDown as exc:
        raise click.ClickException(
            f"the SMSC {settings.host}:{settings.port} cannot be reached ({exc}); queued SMS stay queued"
        ) from exc
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(stats.items())) or "nothing to send")
