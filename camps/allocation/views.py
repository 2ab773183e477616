"""Pages of camps.allocation (being built)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint('allocation', __name__)
