"""Signing in: password check, per-account lockout and per-address throttling."""
from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.db import utcnow
from app.users.models import User


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    #: 'ok', 'invalid', 'locked', 'inactive' or 'throttled'
    outcome: str
    attempts_left: int | None = None


class Throttle:
    """At most ``limit`` attempts per key within a sliding window (per server process)."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, window: float) -> bool:
        """Record an attempt; return False when the key is over its limit."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            return True

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()


login_throttle = Throttle()


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def authenticate(session: Session, username: str, password: str, ip: str) -> LoginResult:
    """Check a login attempt and record its outcome (failures count towards the lockout)."""
    config = current_app.config
    if not login_throttle.hit(f'ip:{ip}', config['LOGIN_THROTTLE_PER_IP'], config['LOGIN_THROTTLE_WINDOW_S']):
        log_action(session, None, 'auth.login_throttled', details={'ip': ip})
        return LoginResult(None, 'throttled')
    user = find_user(session, username)
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        log_action(session, None, 'auth.login_failed', details={'reason': 'unknown_user'})
        return LoginResult(None, 'invalid')
    if user.is_locked:
        log_action(session, user, 'auth.login_refused', object_type='user', object_id=user.id,
                   details={'reason': 'locked'})
        return LoginResult(user, 'locked')
    if not password_ok:
        return _record_failure(session, user, config['LOGIN_MAX_FAILURES'])
    if not user.active:
        log_action(session, user, 'auth.login_refused', object_type='user', object_id=user.id,
                   details={'reason': 'inactive'})
        return LoginResult(user, 'inactive')
    user.failed_logins = 0
    user.last_login_at = utcnow()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    log_action(session, user, 'auth.login', object_type='user', object_id=user.id)
    return LoginResult(user, 'ok')


def _record_failure(session: Session, user: User, max_failures: int) -> LoginResult:
    user.failed_logins += 1
    if user.failed_logins >= max_failures:
        user.locked_at = utcnow()
        log_action(session, user, 'auth.account_locked', object_type='user', object_id=user.id,
                   details={'failures': user.failed_logins})
        return LoginResult(user, 'locked')
    log_action(session, user, 'auth.login_failed', object_type='user', object_id=user.id,
               details={'failures': user.failed_logins})
    return LoginResult(user, 'invalid', attempts_left=max_failures - user.failed_logins)


def logout(session: Session, user: User) -> None:
    log_action(session, user, 'auth.logout', object_type='user', object_id=user.id)
