"""Small helpers shared by views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next_url(target: str | None, default_endpoint: str = "main.index") -> str:
    """Only follow a ``next`` that stays on this site (no scheme, no host, no ``//``)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for(default_endpoint)
