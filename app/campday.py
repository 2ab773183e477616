"""The camp's day and time: every rule that says "today" means the day on the camp's wall clock.

Panoh stores naive UTC (``app.db.utcnow``); the camps keep Tajikistan's time (UTC+5, no daylight
saving). The zone is ``PANOH_CAMP_TIMEZONE`` (an IANA name, default ``Asia/Dushanbe``), so a server
that runs in UTC, or anywhere else, still judges "today" as the camp does. No rule asks the
server's clock for the date (``date.today()``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from app import db
from app.config import DEFAULT_CAMP_TIMEZONE, camp_timezone_name


@lru_cache(maxsize=8)
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)


def camp_zone() -> tzinfo:
    """The camps' time zone, from the app's config (outside an app, as app.config reads it)."""
    name = current_app.config.get("CAMP_TIMEZONE") if has_app_context() else camp_timezone_name()
    return _zone(name or DEFAULT_CAMP_TIMEZONE)


def camp_now(at: datetime | None = None) -> datetime:
    """The camp's wall-clock time (aware) now, or at ``at`` (naive UTC as stored, or aware)."""
    moment = at if at is not None else db.utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(camp_zone())


def camp_today(at: datetime | None = None) -> date:
    """The camp's date now, or at ``at`` (naive UTC as stored, or aware)."""
    return camp_now(at).date()


def camp_midnight_utc(day: date) -> datetime:
    """The start of a camp day as the naive UTC time it is stored as."""
    return datetime.combine(day, datetime.min.time(), camp_zone()).astimezone(UTC).replace(tzinfo=None)


def camp_time_text(at: datetime | None, with_time: bool = True) -> str:
    """A stored time as the camp's wall clock reads it (``2026-12-06 17:40``): pages never show UTC."""
    if at is None:
        return ""
    return camp_now(at).strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
