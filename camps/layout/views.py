"""Pages of camps.layout (being built)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint('layout', __name__)
