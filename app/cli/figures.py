"""``panoh export stats`` and ``panoh sitrep``: figures for what runs unattended."""
from __future__ import annotations

import click


@click.group('export')
def export_group():
    """Exports that run unattended."""


@click.command('sitrep')
def sitrep():
    """A one-page situation report of a camp."""
