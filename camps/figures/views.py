"""Pages of figures."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint('figures', __name__)
