"""The camp's day and time: what every rule means by "today" and "now".

The camps are in Tajikistan (UTC+5 all year). The server may keep UTC or any other zone, and a
device its own, so no rule asks the server's clock for the date (``date.today()``): a handout at
04:30 in the camp is on the camp's day, though it is still yesterday in UTC. The zone is
``PANOH_CAMP_TIMEZONE`` (an IANA name, default Asia/Dushanbe).
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from app import db
from app.config import DEFAULT_CAMP_TIMEZONE, camp_timezone_name


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def camp_zone() -> ZoneInfo:
    """The camps' time zone, from the app's configuration (outside an app, from the environment)."""
    name = current_app.config.get('CAMP_TIMEZONE') if has_app_context() else None
    return _zone(name or camp_timezone_name() or DEFAULT_CAMP_TIMEZONE)


def camp_now(now: datetime | None = None) -> datetime:
    """The camp's wall-clock time, naive; ``now`` is a naive UTC time (as stored) or an aware one."""
    moment = now if now is not None else db.utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(camp_zone()).replace(tzinfo=None)


def camp_today(now: datetime | None = None) -> date:
    """The camp's date (at ``now``, a naive UTC or an aware time; by default the present)."""
    return camp_now(now).date()


def camp_time_to_utc(local: datetime) -> datetime:
    """A naive camp wall-clock time as the naive UTC time it is stored as."""
    return local.replace(tzinfo=camp_zone()).astimezone(UTC).replace(tzinfo=None)
