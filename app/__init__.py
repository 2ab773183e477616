"""Panoh: the application factory (:mod:`app.factory`) only assembles configuration, extensions and blueprints."""

from app.factory import create_app

__all__ = ["create_app"]
