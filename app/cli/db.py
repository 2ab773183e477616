"""``panoh db``: schema migrations with Alembic (the only way the schema is created)."""

from __future__ import annotations

import click
from alembic import command
from flask.cli import with_appcontext

from app.migrations import alembic_config, upgrade


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
