"""Panoh's commands (one module each), registered on the app by ``app.factory``, which also holds ``panoh``."""

from __future__ import annotations

from flask import current_app

from app.db import own_transaction

#: one transaction for one command: committed when it succeeds, rolled back otherwise
cli_session = own_transaction


__all__ = ["cli_session", "current_app"]
