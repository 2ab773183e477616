"""Alembic's configuration for this checkout's ``migrations/``: the ``panoh db`` commands, health and backup use it."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from flask import current_app

from app.config import ROOT

MIGRATIONS = ROOT / "migrations"


def alembic_config(url: str | None = None, connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    config.set_main_option("sqlalchemy.url", (url or current_app.config["DATABASE_URL"]).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)
