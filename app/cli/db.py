"""``panoh db``: schema migrations with Alembic (the only way the schema is created)."""

from __future__ import annotations

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import with_appcontext

from app.config import ROOT

MIGRATIONS = ROOT / "migrations"


def alembic_config(url: str | None = None, connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    config.set_main_option("sqlalchemy.url", (url or current_app.config["DATABASE_URL"]).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


@click.group("db")
def db_group():
    """Database schema migrations."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def upgrade_command(revision):
    """Apply migrations up to REVISION (default: the newest)."""
    upgrade(revision=revision)
    click.echo(f"Database at {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def downgrade_command(revision):
    """Revert migrations down to REVISION."""
    command.downgrade(alembic_config(), revision)


@db_group.command("current")
@with_appcontext
def current_command():
    """Show the database's migration revision."""
    command.current(alembic_config())
