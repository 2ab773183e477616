"""Distributions in the JSON API (being built)."""
from __future__ import annotations

from app.api import api_blueprint

bp = api_blueprint('distributions_api', __name__)
