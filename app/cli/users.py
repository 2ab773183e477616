"""``panoh users`` and ``panoh tokens``: the same services the admin pages use."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.auth.services import find_user
from app.cli import cli_session
from app.errors import UserValueError
from app.permissions import ROLES
from app.users import services
from app.users.actors import SYSTEM
from camps.sites.models import Camp


@click.group("users")
def users_group():
    """Staff accounts."""


@users_group.command("create")
@click.option("--username", required=True)
@click.option("--full-name", required=True)
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--camp", "camps", multiple=True, help="Camp code; repeat for several camps.")
@click.option("--all-camps", is_flag=True, help="Headquarters account that sees every camp.")
@click.password_option(help="Asked for when not given.")
@click.option("--no-password-change", is_flag=True, help="Do not ask for a new password at first sign-in.")
@with_appcontext
def create_user(username, full_name, roles, camps, all_camps, password, no_password_change):
    """Create a staff account."""
    with cli_session() as session:
        camp_ids = []
        for code in camps:
            camp_id = session.scalar(select(Camp.id).where(Camp.code == code.upper()))
            if camp_id is None:
                raise click.BadParameter(f"no camp with code {code}", param_hint="--camp")
            camp_ids.append(camp_id)
        try:
            user = services.create_user(
                session,
                SYSTEM,
                username=username,
                full_name=full_name,
                password=password,
                roles=roles,
                camp_ids=camp_ids,
                all_camps=all_camps,
                must_change_password=not no_password_change,
            )
        except UserValueError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(f"Created {user.username} ({', '.join(user.roles)}).")


@users_group.command("unlock")
@click.argument("username")
@with_appcontext
def unlock_user(username):
    """Unlock an account locked after failed sign-ins."""
    with cli_session() as session:
        user = find_user(session, username)
        if user is None:
            raise click.ClickException(f"no user {username}")
        services.unlock_user(session, SYSTEM, user)
        click.echo(f"Unlocked {user.username}.")


@click.group("tokens")
def tokens_group():
    """Personal API tokens."""


@tokens_group.command("create")
@click.option("--user", "username", required=True)
@click.option("--name", required=True, help='What uses the token, e.g. "scanner tablet 2".')
@with_appcontext
def create_token(username, name):
    """Create an API token and print it once."""
    with cli_session() as session:
        user = find_user(session, username)
        if user is None or not user.active:
            raise click.ClickException(f"no active user {username}")
        try:
            _token, clear = services.create_token(session, SYSTEM, user, name)
        except UserValueError as exc:
            raise click.ClickException(exc.message) from exc
    click.echo(clear)
