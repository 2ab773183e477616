"""``panoh anonymise``: departed households after the retention period."""
from __future__ import annotations

import click


@click.command('anonymise')
def anonymise():
    """Remove names, photos, phone and tazkira of households departed before the retention period."""
