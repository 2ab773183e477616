"""Pages of camps.occupancy (being built)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint('occupancy', __name__)
