"""Pages of subject."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint('subject', __name__)
