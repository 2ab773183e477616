"""``panoh backup`` and ``panoh restore``."""
from __future__ import annotations

import click


@click.command('backup')
def backup():
    """Copy the database consistently while the app runs."""


@click.command('restore')
def restore():
    """Bring a backup back into an empty database."""
