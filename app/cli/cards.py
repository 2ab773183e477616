"""``panoh cards``: print batches of ID cards, verify a code, rotate the signing key."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.campday import camp_today
from app.cli import cli_session
from camps.sites.models import Camp
from registration.cards import jobs, services
from registration.households.models import Household


@click.group('cards')
def cards_group():
    """ID cards."""


class _AllCamps:
    """The command line acts for headquarters: every camp."""

    all_camps = True
    id = None
    username = None


@cards_group.command('print')
@click.option('--camp', required=True, help='Camp code, e.g. KHR.')
@click.option('--out', required=True, type=click.Path(dir_okay=False, path_type=Path), help='PDF of A4 sheets.')
@click.option('--limit', type=click.IntRange(1, 100_000), help='At most this many cards.')
@click.option('--block', help='Only households living in this block (e.g. B03), in plot order.')
@with_appcontext
def print_cards(camp: str, out: Path, limit: int | None, block: str | None):
    """Issue cards to the camp's households that have no valid card, and print them on A4 sheets."""
    with cli_session() as session:
        camp_id = session.scalar(select(Camp.id).where(Camp.code == camp.upper()))
        if camp_id is None:
            raise click.BadParameter(f'no camp with code {camp}', param_hint='--camp')
        query = services.print_queue(_AllCamps(), camp_id, camp_today(), block).with_only_columns(Household.id)
        ids = list(session.scalars(query.limit(limit) if limit else query))
        if not ids:
            click.echo(f'Every active household of the {"block" if block else "camp"} has a valid card.')
            return
        out.write_bytes(jobs.print_batch(session, None, ids, camp_today()))
    click.echo(f'{len(ids)} cards on {(len(ids) + 9) // 10} sheets: {out}')


@cards_group.command('verify')
@click.argument('code')
@with_appcontext
def verify(code: str):
    """Check a card code; exit status 0 only for a valid card."""
    with cli_session() as session:
        checked = services.check_code(session, code, camp_today())
    token = checked.verification.token
    click.echo(checked.verification.outcome + (f' {token.serial} {token.household} {token.expires}' if token else ''))
    raise SystemExit(0 if checked.verification.outcome == 'valid' else 1)


@cards_group.command('rotate-key')
@with_appcontext
def rotate_key():
    """Create a new signing key for new cards; old cards stay valid until they expire."""
    with cli_session() as session:
        key, _private = services.rotate_key(session, None)
    click.echo(f'Key {key.kid} now signs new cards.')
