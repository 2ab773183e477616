"""The distribution point's scan page (being built)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint('scan', __name__)
