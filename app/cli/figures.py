"""``panoh export stats`` and ``panoh sitrep``: figures for what runs unattended (cron, nightly reports)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.cli import cli_session
from app.errors import UserValueError
from app.users.actors import SYSTEM
from camps.figures import exports
from camps.figures.sitrep import EARLIEST_REPORT, make_sitrep, report_date_ok
from camps.sites.models import Camp
from camps.sites.services import camp_today


def _camps(session, codes: tuple[str, ...]) -> list[Camp]:
    camps = list(session.scalars(select(Camp).order_by(Camp.code)))
    if not codes:
        return camps
    wanted = {c.upper() for c in codes}
    unknown = wanted - {c.code for c in camps}
    if unknown:
        raise click.BadParameter(f"no camp {', '.join(sorted(unknown))}", param_hint="--camp")
    return [c for c in camps if c.code in wanted]


def _write(path: Path, content: bytes) -> None:
    """Write next to the target, then rename: a reader never sees half a file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content)
    partial.replace(path)


@click.group("export")
def export_group():
    """Exports that run unattended."""


@export_group.command("stats")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.csv (one table, see --table) or FILE.xlsx (every table and an About sheet).",
)
@click.option("--camp", "camps", multiple=True, help="Camp code; repeat for several (default: every camp).")
@click.option(
    "--table",
    type=click.Choice(["population", "origin"]),
    default="population",
    show_default=True,
    help="For CSV: people by camp and block, or by origin province.",
)
@with_appcontext
def export_stats(out: Path, camps: tuple[str, ...], table: str):
    """The aggregate HXL statistics, small counts suppressed: safe to publish."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in exports.FORMATS:
        raise click.BadParameter("the file name must end in .csv or .xlsx", param_hint="--out")
    with cli_session() as session:
        chosen = _camps(session, camps)
        try:
            export = exports.stats_export(session, SYSTEM, chosen, fmt=fmt, table=table, today=camp_today())
        except UserValueError as exc:
            raise click.ClickException(exc.message) from exc
    _write(out, export.content)
    click.echo(f"Wrote {out} ({len(export.content):,} bytes; camps {', '.join(c.code for c in chosen)}).")


@click.command("sitrep")
@click.option("--camp", "code", required=True, help="Camp code, e.g. KHR.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.pdf")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Report date (default: today in the camps); ages and arrival periods count to it.",
)
@with_appcontext
def sitrep(code: str, out: Path, day):
    """The one-page situation report of a camp (PDF)."""
    today = camp_today()
    report_date = day.date() if day else today
    if not report_date_ok(report_date, today):
        raise click.BadParameter(f"give a date from {EARLIEST_REPORT} to today", param_hint="--date")
    with cli_session() as session:
        camp = _camps(session, (code,))[0]
        pdf = make_sitrep(session, camp, report_date, "panoh (command line)")
    _write(out, pdf)
    click.echo(f"Wrote {out} ({camp.code}, {report_date.isoformat()}).")
