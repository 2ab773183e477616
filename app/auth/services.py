"""Signing in and out, and changing one's own password.

Argon2 is slow on purpose: a password is checked (and a new one hashed) before the request takes
SQLite's write lock, and a failure is recorded in a short write of its own, so that sign-in
attempts never hold up the desks' saves. Who may try a password is decided in ``lockout``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app import ratelimit
from app.audit.services import log_action
from app.auth import lockout
from app.auth.passwords import check_policy, hash_password, needs_rehash, verify_password
from app.db import begin_write, utcnow
from app.errors import UserValueError
from app.users.models import User
from app.users.services import end_session, end_sessions, revoke_tokens, start_session


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    #: 'ok', 'invalid' (unknown account or wrong password alike), 'throttled', 'locked' or 'inactive'
    #: (the last two only after the right password)
    outcome: str
    #: the secret for the browser's session cookie, when signed in
    session_secret: str | None = None


class GuessesExhausted(UserValueError):
    """Too many wrong current passwords: the session that tried them is ended."""


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def authenticate(session: Session, username: str, password: str, ip: str) -> LoginResult:
    """Check a sign-in attempt and record its outcome; failures make this address wait, nobody else."""
    refused = ratelimit.aside(lambda aside: _admit(aside, username, ip))
    if refused:
        return LoginResult(None, "throttled")
    user = find_user(session, username)
    if not verify_password(user.password_hash if user else None, password):
        # read, then write, each in a transaction of its own (on SQLite one that read cannot write later)
        waits = ratelimit.aside(lambda aside: lockout.must_wait(aside, username, ip))
        ratelimit.aside(lambda aside: _record_failure(aside, user, waits))
        return LoginResult(None, "invalid")
    assert user is not None  # verify_password refuses a missing user
    if user.is_locked or not user.active:
        reason = "locked" if user.is_locked else "inactive"
        ratelimit.aside(
            lambda aside: log_action(
                aside, user, "auth.login_refused", object_type="user", object_id=user.id, details={"reason": reason}
            )
        )
        return LoginResult(user, reason)
    new_hash = hash_password(password) if needs_rehash(user.password_hash) else None
    begin_write(session)  # the slow part is done: only this short write waits for SQLite's write lock
    lockout.forget(session, username, ip)
    user.failed_logins = 0
    user.last_login_at = utcnow()
    if new_hash:
        user.password_hash = new_hash
    log_action(session, user, "auth.login", object_type="user", object_id=user.id)
    return LoginResult(user, "ok", start_session(session, user))


def _admit(session: Session, username: str, ip: str) -> str | None:
    reason = lockout.admit(session, username, ip)
    if reason:
        known = find_user(session, username)
        log_action(
            session,
            known,
            "auth.login_throttled",
            object_type="user" if known else None,
            object_id=known.id if known else None,
            details={"reason": reason},
        )
    return reason


def _record_failure(session: Session, user: User | None, waits: bool) -> None:
    """Audit a wrong password (it was counted when the attempt was admitted)."""
    if user is None:
        log_action(session, None, "auth.login_failed", details={"reason": "unknown_user", "waits": waits})
        return
    session.execute(update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1))
    log_action(
        session,
        user,
        "auth.login_failed",
        object_type="user",
        object_id=user.id,
        details={"reason": "wrong_password", "waits": waits},
    )


def logout(session: Session, user: User, session_secret: str | None) -> None:
    """End this browser's session (others stay signed in)."""
    end_session(session, user, session_secret)
    log_action(session, user, "auth.logout", object_type="user", object_id=user.id)


def change_own_password(
    session: Session, user: User, current: str, new: str, *, ip: str, session_secret: str | None
) -> None:
    """Change the signed-in user's password: its other sessions and every API token end.

    Wrong current passwords count towards the sign-in back-off of this account from this address
    and are audited; when the address must wait, this session ends (a stolen session cannot go on
    guessing) and ``GuessesExhausted`` is raised.
    """
    if not ratelimit.aside(lambda aside: lockout.count_guess(aside, user.username, ip)):
        ratelimit.aside(lambda aside: _end_guessing_session(aside, user, session_secret))
        raise GuessesExhausted(_("Too many wrong passwords. Sign in again in a few minutes."))
    if not verify_password(user.password_hash, current):
        if ratelimit.aside(lambda aside: _record_wrong_current(aside, user, ip, session_secret)):
            raise GuessesExhausted(_("Too many wrong passwords. Sign in again in a few minutes."))
        raise UserValueError(_("The current password is wrong."), field="current_password")
    ratelimit.aside(lambda aside: lockout.forget(aside, user.username, ip))  # it was counted before the check
    if current == new:
        raise UserValueError(_("Choose a password different from the current one."), field="password")
    check_policy(new, user.username)
    new_hash = hash_password(new)
    begin_write(session)
    user.password_hash = new_hash
    user.must_change_password = False
    user.password_changed_at = utcnow()
    end_sessions(session, user, keep=session_secret)
    revoke_tokens(session, user, user, reason="password_change")
    log_action(session, user, "user.password_change", object_type="user", object_id=user.id)


def _record_wrong_current(session: Session, user: User, ip: str, session_secret: str | None) -> bool:
    # write first, as a wrong sign-in does: on SQLite a transaction that read first cannot write later
    session.execute(update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1))
    waits = lockout.must_wait(session, user.username, ip)  # the guess was counted before it was checked
    log_action(
        session, user, "auth.password_check_failed", object_type="user", object_id=user.id, details={"waits": waits}
    )
    if waits:
        _end_guessing_session(session, user, session_secret)
    return waits


def _end_guessing_session(session: Session, user: User, session_secret: str | None) -> None:
    end_session(session, user, session_secret)
    log_action(
        session,
        user,
        "auth.session_ended",
        object_type="user",
        object_id=user.id,
        details={"reason": "password_guesses"},
    )
