"""Argon2id password hashing (argon2-cffi) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import gettext as _

from app.config import argon2_profile
from app.errors import UserValueError

_HASHERS = {
    # argon2-cffi's defaults follow RFC 9106's low-memory recommendation (Argon2id, 64 MiB).
    "standard": PasswordHasher(),
    # For the test suite only: same algorithm, tiny cost.
    "fast": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}
#: verified against when the username is unknown, so that the answer takes the same time
_DUMMY = {name: hasher.hash("not a real password") for name, hasher in _HASHERS.items()}


def _profile() -> str:
    if has_app_context():
        return current_app.config.get("ARGON2_PROFILE", "standard")
    return argon2_profile()


def hash_password(password: str) -> str:
    return _HASHERS[_profile()].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _HASHERS[_profile()]
    try:
        return hasher.verify(password_hash or _DUMMY[_profile()], password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _HASHERS[_profile()].check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def check_policy(password: str, username: str = "") -> None:
    """Raise UserValueError when the password is too weak to protect refugees' data."""
    minimum = current_app.config.get("PASSWORD_MIN_LENGTH", 10) if has_app_context() else 10
    if len(password) < minimum:
        raise UserValueError(_("Use at least %(n)d characters.", n=minimum), field="password")
    if username and username.lower() in password.lower():
        raise UserValueError(_("The password must not contain the username."), field="password")
    if len(set(password)) < 4:
        raise UserValueError(_("The password is too simple."), field="password")
