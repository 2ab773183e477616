"""Rounds, reconciliation and alternate collectors (being built)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint('distributions', __name__)
