"""``panoh registration``: pre-registration lists (``import``, ``xlsform``) and other registration tasks.

Add further commands with ``@registration_group.command(...)``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.campday import camp_today
from app.cli import cli_session
from app.users.actors import SYSTEM
from registration.imports import services
from registration.imports.parse import MAX_BYTES


@click.group("registration")
def registration_group():
    """Registration: pre-registration lists and related tasks."""


@registration_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--camp", required=True, help="Code of the camp the households go to, e.g. KHR.")
@click.option("--commit", is_flag=True, help="Save the valid households (without it: a dry run).")
@click.option("--list-name", help="Name the households keep as their source list (default: the file name).")
@with_appcontext
def import_list(file: Path, camp: str, commit: bool, list_name: str | None):
    """Check a pre-registration list (CSV or XLSX) and, with --commit, import it as pending households."""
    with file.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    with cli_session() as session:
        report = services.validate_file(session, SYSTEM, camp, file.name, data, camp_today(), list_name=list_name)
        print_report(report)
        if not report.usable:
            raise click.exceptions.Exit(1)
        if not commit:
            click.echo(_("Dry run: nothing was saved. Run again with --commit to import the valid households."))
            return
        households = services.import_valid(session, SYSTEM, report, progress=_progress)
        people = sum(h.size for h in households)
        click.echo(
            _(
                'Imported %(h)d households (%(p)d people) as pending, from the list "%(name)s".',
                h=len(households),
                p=people,
                name=report.list_name,
            )
        )


def _progress(done: int, total: int) -> None:
    click.echo(_("  saved %(done)d of %(total)d households", done=done, total=total), err=True)


def print_report(report: services.ImportReport) -> None:
    camp = report.camp.code if report.camp else "?"
    click.echo(
        _(
            'List "%(name)s" for camp %(camp)s: %(rows)d rows, %(households)d households.',
            name=report.list_name,
            camp=camp,
            rows=report.rows,
            households=report.households,
        )
    )
    if report.usable:
        click.echo(
            _(
                "Ready to import: %(h)d households (%(p)d people). Not importable: %(bad)d households.",
                h=report.households_ok,
                p=report.people_ok,
                bad=report.households_bad,
            )
        )
        if report.already_imported:
            click.echo(_("Already imported before: %(n)d households.", n=report.already_imported))
        if report.people_suggested:
            click.echo(
                _(
                    "Latin names suggested from the original script for %(n)d people: the desk checks them "
                    "with each person.",
                    n=report.people_suggested,
                )
            )
        if report.ignored_columns:
            click.echo(_("Columns not used: %(names)s", names=", ".join(report.ignored_columns)))
    else:
        click.echo(_("The file cannot be used:"))
    if report.problems:
        click.echo(_("Problems (%(n)d):", n=len(report.problems)))
        for problem in report.problems:
            click.echo(f"  {problem}")


@registration_group.command("search-keys")
@with_appcontext
def search_keys():
    """Write every person's name search keys again (after an upgrade changed how names are folded)."""
    from registration.households.search_keys import rewrite_all

    with cli_session() as session:
        people = rewrite_all(session, progress=lambda done: click.echo(f"  {done} people", err=True))
    click.echo(f"Search keys written for {people} people.")


@registration_group.command("xlsform")
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def xlsform(out: Path):
    """Write the XLSForm for KoboToolbox / ODK Collect whose exports import as they are."""
    from registration.imports.xlsform import write_xlsform

    write_xlsform(out)
    click.echo(_("Wrote %(path)s.", path=str(out)))


class _ScanProgress:
    """A progress bar per phase of the scan (re-keying, then pairs), on stderr."""

    def __init__(self) -> None:
        self.phase: str | None = None
        self.bar: ProgressBar[int] | None = None
        self.done = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.__exit__()
            label = "Updating match keys" if phase == "keys" else "Scanning for duplicates"
            self.phase, self.done = phase, 0
            self.bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
            self.bar.__enter__()
        assert self.bar is not None  # opened for this phase above
        self.bar.update(done - self.done)
        self.done = done

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@registration_group.command("duplicates")
@click.option("--camp", help="Only people of this camp (default: the whole registry).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the open pairs as CSV.")
@click.option("--all", "include_decided", is_flag=True, help="In the CSV, also pairs already decided.")
@with_appcontext
def duplicates(camp: str | None, out: Path | None, include_decided: bool):
    """Scan for people registered twice, queue new pairs for supervisors and write the pairs as CSV.

    Resumable: the scan commits as it goes; stopped (Ctrl+C), it continues where it was when run again.
    """
    from sqlalchemy import select

    from camps.sites.models import Camp
    from registration.dedup import review
    from registration.dedup.models import DuplicatePair

    with cli_session() as session:
        camp_id = None
        if camp:
            camp_id = session.scalar(select(Camp.id).where(Camp.code == camp.upper()))
            if camp_id is None:
                raise click.BadParameter(f"no camp with code {camp}", param_hint="--camp")
        with _ScanProgress() as progress:
            queued = review.scan(session, SYSTEM, camp_id, progress=progress, commit=True)
        click.echo(f"{queued} new pairs queued for review.")
        if out is not None:
            query = select(DuplicatePair).order_by(DuplicatePair.score.desc(), DuplicatePair.id)
            if not include_decided:
                query = query.where(DuplicatePair.status == "open")
            with out.open("w", newline="", encoding="utf-8") as handle:
                rows = review.write_csv(session, handle, query)
            click.echo(f"{rows} pairs written to {out}.")
