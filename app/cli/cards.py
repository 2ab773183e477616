"""``panoh cards``: print and reprint batches of ID cards, verify a code, rotate the signing key."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.campday import camp_today
from app.cli import cli_session
from app.errors import UserValueError
from app.users.actors import SYSTEM
from camps.sites.models import Camp
from registration.cards import jobs, services
from registration.households.models import Household


@click.group("cards")
def cards_group():
    """ID cards."""


class _AllCamps:
    """The command line acts for headquarters: every camp."""

    all_camps = True
    id = None
    username = None


def _refuse(message: str) -> None:
    """One line on standard error, exit status 2, and the transaction rolled back (no card issued)."""
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(2)


def _check_out(out: Path) -> None:
    """Refuse, before any card is issued, a path the sheets could not be written to."""
    folder = out.parent
    if out.is_dir():
        _refuse(f"{out} is a folder; give a file name for the PDF.")
    if not folder.is_dir():
        _refuse(f"the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        _refuse(f"{out} cannot be written (permission denied).")


def _write_private(out: Path, data: bytes) -> None:
    """Write the sheets (personal data) readable by their owner only (0600), all or nothing: a
    temporary file in the same folder, created 0600, then renamed over ``out``."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, out)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        _refuse(f"{out} cannot be written ({exc.strerror or exc}).")


def _report(printed, out: Path, verb: str = "printed") -> None:
    click.echo(f"{printed.cards} cards {verb} on {(printed.cards + 9) // 10} sheets: {out} (batch {printed.job_id})")
    if printed.left_out:
        click.echo(f"{len(printed.left_out)} cards left out, no longer valid: {', '.join(printed.left_out)}")
    if printed.without_photo:
        click.echo(
            f"{len(printed.without_photo)} cards without a photo (households): {', '.join(printed.without_photo)}"
        )
    else:
        click.echo("Every card has a photo.")


@cards_group.command("print")
@click.option("--camp", required=True, help="Camp code, e.g. KHR.")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="PDF of A4 sheets (written 0600).")
@click.option("--limit", type=click.IntRange(1, 100_000), help="At most this many cards.")
@click.option("--block", help="Only households living in this block (e.g. B03), in plot order.")
@with_appcontext
def print_cards(camp: str, out: Path, limit: int | None, block: str | None):
    """Issue cards to the camp's households that have no valid card, and print them on A4 sheets.

    Lists the households whose card printed without a photo. A lost or jammed PDF: ``cards reprint``.
    """
    _check_out(out)
    with cli_session() as session:
        camp_id = session.scalar(select(Camp.id).where(Camp.code == camp.upper()))
        if camp_id is None:
            raise click.BadParameter(f"no camp with code {camp}", param_hint="--camp")
        query = services.print_queue(_AllCamps(), camp_id, camp_today(), block).with_only_columns(Household.id)
        ids = list(session.scalars(query.limit(limit) if limit else query))
        if not ids:
            click.echo(f"Every active household of the {'block' if block else 'camp'} has a valid card.")
            return
        try:
            printed = jobs.print_batch(session, SYSTEM, ids, camp_today(), camp_id)
        except UserValueError as exc:
            _refuse(exc.message)
        _write_private(out, printed.pdf)
    _report(printed, out)


@cards_group.command("reprint")
@click.option("--batch", "batch_id", required=True, type=int, help="The batch number that `cards print` gave.")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="PDF of A4 sheets (written 0600).")
@with_appcontext
def reprint(batch_id: int, out: Path):
    """Print a batch's cards again, unchanged (same serials and codes): after a lost or jammed PDF."""
    _check_out(out)
    with cli_session() as session:
        try:
            printed = jobs.reprint_batch(session, SYSTEM, batch_id, camp_today())
        except UserValueError as exc:
            _refuse(f"batch {batch_id}: {exc.message}")
        _write_private(out, printed.pdf)
    _report(printed, out, "reprinted")


@cards_group.command("verify")
@click.argument("code")
@with_appcontext
def verify(code: str):
    """Check a card code; exit status 0 only for a valid card."""
    with cli_session() as session:
        checked = services.check_code(session, code, camp_today())
    token = checked.verification.token
    click.echo(checked.verification.outcome + (f" {token.serial} {token.household} {token.expires}" if token else ""))
    raise SystemExit(0 if checked.verification.outcome == "valid" else 1)


@cards_group.command("rotate-key")
@with_appcontext
def rotate_key():
    """Create a new signing key for new cards; old cards stay valid until they expire."""
    with cli_session() as session:
        key, _private = services.rotate_key(session, SYSTEM)
    click.echo(f"Key {key.kid} now signs new cards.")
