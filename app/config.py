"""Configuration read from the environment (``PANOH_*``), with safe defaults for a camp laptop."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = ROOT / "instance"
#: the camps' time zone: Tajikistan, UTC+5 all year (see app.campday)
DEFAULT_CAMP_TIMEZONE = "Asia/Dushanbe"


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance: Path) -> str:
    """Return PANOH_SECRET_KEY, else a random key created once and kept in the instance folder."""
    key = os.environ.get("PANOH_SECRET_KEY")
    if key:
        return key
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def _hours_by_type(text: str | None) -> dict[str, int]:
    hours = {}
    for part in (text or "").split(","):
        if part.strip():
            name, _sep, value = part.partition("=")
            if not value.strip().isdigit() or int(value) < 1:
                raise ValueError(f'PANOH_FEEDBACK_DUE_HOURS: "{part.strip()}" is not type=hours')
            hours[name.strip()] = int(value)
    return hours


#: bounds on uploads, each read from ``PANOH_<NAME>``: rows of a list (pre-registration or camp layout),
#: megabytes an XLSX workbook may unpack to, megapixels of a photo (a JPEG is decoded at a reduced scale),
#: megabytes of a recording for a spoken announcement
UPLOAD_LIMITS = {
    "IMPORT_MAX_ROWS": 20_000,
    "IMPORT_MAX_UNZIPPED_MB": 50,
    "PHOTO_MAX_MEGAPIXELS": 40,
    "AUDIO_MAX_MB": 10,
}


def upload_limit(name: str) -> int:
    """One of UPLOAD_LIMITS as the running app is configured, else its default (outside an app)."""
    from flask import current_app, has_app_context

    if has_app_context():
        return int(current_app.config.get(name, UPLOAD_LIMITS[name]))
    return UPLOAD_LIMITS[name]


def camp_timezone_name() -> str:
    """PANOH_CAMP_TIMEZONE, checked: an IANA zone name such as Asia/Dushanbe."""
    name = os.environ.get("PANOH_CAMP_TIMEZONE") or DEFAULT_CAMP_TIMEZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f'PANOH_CAMP_TIMEZONE: "{name}" is not a time zone name such as Asia/Dushanbe') from exc
    return name


def argon2_profile() -> str:
    """PANOH_ARGON2_PROFILE: 'standard', or 'fast' for test suites only (see app.auth.passwords)."""
    return os.environ.get("PANOH_ARGON2_PROFILE", "standard")


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping; ``overrides`` win over the environment."""
    overrides = dict(overrides or {})
    env = os.environ.get
    instance = Path(overrides.get("INSTANCE_PATH") or env("PANOH_INSTANCE_PATH") or DEFAULT_INSTANCE)
    config: dict[str, Any] = {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": env("PANOH_DATABASE_URL") or f"sqlite:///{instance / 'panoh.sqlite3'}",
        # wrong passwords for one account from one address before that address must wait (back-off)
        "LOGIN_MAX_FAILURES": int(env("PANOH_LOGIN_MAX_FAILURES", "5")),
        # the first wait in seconds, doubled with each further failure up to the longest
        "LOGIN_BACKOFF_S": int(env("PANOH_LOGIN_BACKOFF_S", "60")),
        "LOGIN_BACKOFF_MAX_S": int(env("PANOH_LOGIN_BACKOFF_MAX_S", "3600")),
        # sign-in attempts from one address, whatever the account, per window
        "LOGIN_THROTTLE_PER_IP": int(env("PANOH_LOGIN_THROTTLE_PER_IP", "30")),
        "LOGIN_THROTTLE_WINDOW_S": int(env("PANOH_LOGIN_THROTTLE_WINDOW_S", "300")),
        "IDLE_TIMEOUT_MINUTES": int(env("PANOH_IDLE_TIMEOUT_MINUTES", "30")),
        # a signed-in session ends this long after sign-in, however active
        "SESSION_MAX_HOURS": int(env("PANOH_SESSION_MAX_HOURS", "12")),
        # "auto": the cookie is Secure whenever the request came over HTTPS.
        "COOKIE_SECURE": env("PANOH_COOKIE_SECURE", "auto"),
        "PASSWORD_MIN_LENGTH": int(env("PANOH_PASSWORD_MIN_LENGTH", "10")),
        "ARGON2_PROFILE": argon2_profile(),
        "PAGE_SIZE": int(env("PANOH_PAGE_SIZE", "50")),
        "BABEL_DEFAULT_LOCALE": "en",
        # the .po catalogues; create_app compiles them (app.i18n.catalogues) and points Flask-Babel at the .mo
        "TRANSLATIONS_SOURCE": str(ROOT / "app" / "i18n" / "translations"),
        "LANGUAGES": ("en", "ru", "tg"),
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "panoh_session",
        # a desk form may carry several photos; pre-registration lists are limited to 10 MB by their page
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
        "JSON_SORT_KEYS": False,
        "TESTING": _bool(env("PANOH_TESTING"), False),
        # feedback response targets in hours by case type, e.g. "sensitive=48,complaint=336"
        "FEEDBACK_DUE_HOURS": _hours_by_type(env("PANOH_FEEDBACK_DUE_HOURS")),
        # days after a household departed or became inactive before ``panoh anonymise`` removes its names
        "RETENTION_DAYS": int(env("PANOH_RETENTION_DAYS", "730")),
        **{name: int(env(f"PANOH_{name}", str(default))) for name, default in UPLOAD_LIMITS.items()},
        # the folder of the card signing keys (default: <instance>/keys)
        "KEYS_PATH": env("PANOH_KEYS_PATH") or None,
        # the camps' time zone: what every rule means by "today" (app.campday)
        "CAMP_TIMEZONE": camp_timezone_name(),
        # /healthz fails when a folder Panoh writes to (instance, SQLite database) has this little room
        "MIN_FREE_DISK_MB": int(env("PANOH_MIN_FREE_DISK_MB", "100")),
        # the operator's SMPP account for SMS (camps.communication.sms; README "SMS")
        "SMPP_HOST": env("PANOH_SMPP_HOST", "127.0.0.1"),
        "SMPP_PORT": int(env("PANOH_SMPP_PORT", "2775")),
        "SMPP_SYSTEM_ID": env("PANOH_SMPP_SYSTEM_ID", ""),
        "SMPP_PASSWORD": env("PANOH_SMPP_PASSWORD", ""),
        "SMPP_SOURCE_ADDR": env("PANOH_SMPP_SOURCE_ADDR", "PANOH"),
        # submit_sm a second (the operator's contract), submits awaiting answers, retries after a refusal
        "SMS_RATE": float(env("PANOH_SMS_RATE", "20")),
        "SMS_WINDOW": int(env("PANOH_SMS_WINDOW", "10")),
        "SMS_RETRY_BASE_S": float(env("PANOH_SMS_RETRY_BASE_S", "30")),
        "SMS_RETRY_MAX_S": float(env("PANOH_SMS_RETRY_MAX_S", "3600")),
        "SMS_MAX_ATTEMPTS": int(env("PANOH_SMS_MAX_ATTEMPTS", "10")),
        # a health answer is reused this long, so that a busy monitor does not write each time
        "HEALTH_CACHE_SECONDS": 5,
    }
    config.update(overrides)
    config["INSTANCE_PATH"] = str(Path(config["INSTANCE_PATH"]))
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = _secret_key(Path(config["INSTANCE_PATH"]))
    return config
