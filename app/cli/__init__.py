"""The ``panoh`` command: Flask's CLI group with Panoh's own commands."""

from __future__ import annotations

from flask import Flask, current_app

from app.db import own_transaction

#: one transaction for one command: committed when it succeeds, rolled back otherwise
cli_session = own_transaction


def register_commands(app: Flask) -> None:
    from app.cli import backup, cards, db, demo, figures, registration, retention, serve, sms, users

    for command in (
        db.db_group,
        users.users_group,
        users.tokens_group,
        demo.demo,
        serve.serve,
        registration.registration_group,
        cards.cards_group,
        backup.backup,
        backup.restore,
        retention.anonymise,
        figures.export_group,
        figures.sitrep,
        sms.sms_group,
    ):
        app.cli.add_command(command)


__all__ = ["cli_session", "current_app", "register_commands"]
