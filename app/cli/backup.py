"""``panoh backup`` and ``panoh restore``."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app import backup as service
from app.campday import camp_now
from app.errors import UserValueError


def default_path(url: str) -> Path:
    """``<instance>/backups/panoh-YYYYMMDD-HHMMSS.<kind>`` (local time); the folder is the owner's alone."""
    folder = Path(current_app.config["INSTANCE_PATH"]) / "backups"
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True)
        os.chmod(folder, 0o700)  # whatever the umask
    return folder / f"panoh-{camp_now():%Y%m%d-%H%M%S}{service.SUFFIX[service.kind_of_url(url)]}"


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} kB"


@click.command("backup")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: instance/backups/panoh-DATE-TIME.sqlite3 or .pgdump). Never overwritten.",
)
@with_appcontext
def backup(out):
    """Copy the database consistently while the app runs."""
    url = current_app.config["DATABASE_URL"]
    try:
        info = service.backup(url, out or default_path(url))
    except UserValueError as exc:
        raise click.ClickException(f"No backup made. {exc.message}") from exc
    click.echo(
        f"Backup written to {info.path}\n"
        f"  {info.households} households, {info.persons} persons, schema revision {info.revision}, "
        f"{_size(info.size)}, {info.seconds:.1f} s.\n"
        "Copy it off this computer (an encrypted USB drive), and test a restore now and then."
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database-url", help="Empty database to restore into (default: the configured PANOH_DATABASE_URL).")
@with_appcontext
def restore(path, database_url):
    """Bring a backup back into an empty database, then migrate it to this version."""
    url = database_url or current_app.config["DATABASE_URL"]
    try:
        info = service.restore(path, url)
    except UserValueError as exc:
        raise click.ClickException(f"Nothing restored. {exc.message}") from exc
    migrated = "" if info.revision == info.backup_revision else f" (migrated from {info.backup_revision})"
    click.echo(
        f"Restored {path} into {info.target}\n"
        f"  {info.households} households, {info.persons} persons, schema revision {info.revision}"
        f"{migrated}, {info.seconds:.1f} s."
    )
