"""``panoh anonymise``: departed households after the retention period."""

from __future__ import annotations

from collections import Counter
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cli import cli_session
from app.db import utcnow
from app.users.actors import SYSTEM
from camps.sites.models import Camp
from camps.sites.services import camp_today
from registration.households.models import Household
from registration.subject.retention import anonymise_household, chunks, due_for_anonymisation, purge_import_files

#: households anonymised per transaction: a crash loses at most one batch, never half a household
BATCH = 500


def _by_camp(session, ids: list[int]) -> Counter:
    counts: Counter = Counter()
    for batch in chunks(ids, BATCH):
        rows = session.execute(
            select(Camp.code).join(Household, Household.camp_id == Camp.id).where(Household.id.in_(batch))
        )
        counts.update(code for (code,) in rows)
    return counts


def _anonymise_batch(ids: list[int], day: date, retention_days: int) -> int:
    """Anonymise these households in one transaction; those no longer due (reactivated, or left again
    since the run began) are skipped."""
    with cli_session() as session:
        still_due = due_for_anonymisation(session, day, retention_days, among=ids)
        households = session.scalars(
            select(Household)
            .where(Household.id.in_(still_due))
            .options(selectinload(Household.members))
            .order_by(Household.id)
        ).all()
        now = utcnow()
        return sum(anonymise_household(session, SYSTEM, household, now) for household in households)


@click.command("anonymise")
@click.option("--dry-run", is_flag=True, help="Only count the households that are due; change nothing.")
@click.option(
    "--retention-days",
    type=click.IntRange(min=0),
    help="Days after departure before anonymising (default: PANOH_RETENTION_DAYS, 730).",
)
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Count from this date (default: today).")
@with_appcontext
def anonymise(dry_run: bool, retention_days: int | None, today):
    """Remove names, photos, phone and tazkira of households departed before the retention period."""
    if retention_days is None:
        retention_days = current_app.config["RETENTION_DAYS"]
    day: date = today.date() if today else camp_today()
    with cli_session() as session:
        ids = due_for_anonymisation(session, day, retention_days)
        camps = _by_camp(session, ids)
        files = purge_import_files(session, SYSTEM, day, retention_days, dry_run=dry_run)
    if files:
        click.echo(
            _(
                "%(n)d pre-registration files uploaded more than %(days)d days ago were emptied.",
                n=files,
                days=retention_days,
            )
            if not dry_run
            else _(
                "%(n)d pre-registration files uploaded more than %(days)d days ago would be emptied.",
                n=files,
                days=retention_days,
            )
        )
    click.echo(
        _(
            "%(n)d households departed or inactive for at least %(days)d days (on %(day)s) still hold personal data.",
            n=len(ids),
            days=retention_days,
            day=day.isoformat(),
        )
    )
    for code, count in sorted(camps.items()):
        click.echo(f"  {code}: {count}")
    if dry_run or not ids:
        if dry_run:
            click.echo(_("Dry run: nothing was changed."))
        return
    done = 0
    for batch in chunks(ids, BATCH):
        done += _anonymise_batch(batch, day, retention_days)
        click.echo(_("  anonymised %(done)d of %(total)d households", done=done, total=len(ids)), err=True)
    click.echo(_("Anonymised %(n)d households: names, photos, phone and tazkira removed; counts kept.", n=done))
