"""Accounts: create, change roles and camps, reset passwords, lock/unlock, deactivate; API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.audit.services import log_action
from app.auth import lockout
from app.auth.passwords import check_policy, hash_password
from app.db import begin_write, commit_aside, utcnow
from app.errors import UserValueError
from app.permissions import ROLES
from app.scoping import existing_camp_ids
from app.users.actors import Actor, is_system
from app.users.models import (
    HQ_ONLY_ROLES,
    ApiToken,
    User,
    UserCamp,
    UserRole,
    UserSession,
    managed_by,
    new_session_token,
)

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")
TOKEN_PREFIX = "panoh_"  # noqa: S105 - a marker, not a secret


def _check_username(session: Session, username: str, user_id: int | None = None) -> str:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise UserValueError(_("Use 3-64 lower-case letters, digits, dots, dashes or underscores."), field="username")
    clash = session.scalar(select(User.id).where(func.lower(User.username) == username))
    if clash is not None and clash != user_id:
        raise UserValueError(_("This username is taken."), field="username")
    return username


def _check_roles_and_camps(
    session: Session, roles: Iterable[str], camp_ids: Iterable[int], all_camps: bool
) -> tuple[list[str], list[int]]:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise UserValueError(_("Unknown role."), field="roles")
    if not roles:
        raise UserValueError(_("Choose at least one role."), field="roles")
    camp_ids = sorted(set(camp_ids))
    found = existing_camp_ids(session, camp_ids)
    if found != set(camp_ids):
        raise UserValueError(_("Unknown camp."), field="camps")
    if not all_camps and not camp_ids:
        raise UserValueError(_("Choose the camps this account works in, or all camps."), field="camps")
    return roles, camp_ids


def _check_grant(actor: Actor, user: User | None, roles: list[str], camp_ids: list[int], all_camps: bool) -> None:
    """An administrator gives no more than it holds: a camp admin only its camps, never all camps nor
    a headquarters-only role; nobody changes their own roles or camps."""
    if is_system(actor):  # the command line: the machine's operator
        return
    if (
        user is not None
        and user.id == actor.id
        and (roles != user.roles or set(camp_ids) != user.camp_ids or all_camps != user.all_camps)
    ):
        raise UserValueError(_("You cannot change your own roles or camps. Ask another administrator."), field="roles")
    if actor.all_camps:
        return
    if all_camps:
        raise UserValueError(_("Only a headquarters administrator can give access to all camps."), field="all_camps")
    if not set(camp_ids) <= actor.camp_ids:
        raise UserValueError(_("You can give access only to the camps you work in."), field="camps")
    if set(roles) & HQ_ONLY_ROLES:
        raise UserValueError(_("Only a headquarters administrator can give this role."), field="roles")


def _audit_protection_grant(session: Session, actor: Actor, user: User, before: Iterable[str]) -> None:
    for role in sorted(HQ_ONLY_ROLES & (set(user.roles) - set(before))):
        log_action(
            session, actor, "user.grant_protection", object_type="user", object_id=user.id, details={"role": role}
        )


def manageable_users(actor: User):
    """The accounts ``actor`` may see and change, as a query."""
    return select(User).where(managed_by(actor))


def _set_links(user: User, roles: list[str], camp_ids: list[int]) -> None:
    user.role_links = [link for link in user.role_links if link.role in roles] + [
        UserRole(role=r) for r in roles if r not in {link.role for link in user.role_links}
    ]
    user.camp_links = [link for link in user.camp_links if link.camp_id in camp_ids] + [
        UserCamp(camp_id=c) for c in camp_ids if c not in {link.camp_id for link in user.camp_links}
    ]


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    full_name: str,
    password: str,
    roles: Iterable[str],
    camp_ids: Iterable[int] = (),
    all_camps: bool = False,
    must_change_password: bool = True,
) -> User:
    """Create a staff account with its roles and camp scope."""
    username = _check_username(session, username)
    full_name = full_name.strip()
    if not full_name:
        raise UserValueError(_("Enter the person’s name."), field="full_name")
    check_policy(password, username)
    roles, camp_ids = _check_roles_and_camps(session, roles, camp_ids, all_camps)
    _check_grant(actor, None, roles, camp_ids, all_camps)
    password_hash = hash_password(password)
    begin_write(session)  # Argon2 is done: only the insert waits for SQLite's write lock
    _check_username(session, username)  # again: another admin may have taken it meanwhile
    user = User(
        username=username,
        full_name=full_name,
        password_hash=password_hash,
        all_camps=all_camps,
        must_change_password=must_change_password,
        password_changed_at=utcnow(),
        failed_logins=0,
        active=True,
        session_token=new_session_token(),
    )
    _set_links(user, roles, camp_ids)
    session.add(user)
    session.flush()
    log_action(
        session,
        actor,
        "user.create",
        object_type="user",
        object_id=user.id,
        details={"roles": roles, "camps": camp_ids, "all_camps": all_camps},
    )
    _audit_protection_grant(session, actor, user, ())
    return user


def update_user(
    session: Session,
    actor: User,
    user: User,
    *,
    full_name: str,
    roles: Iterable[str],
    camp_ids: Iterable[int],
    all_camps: bool,
) -> User:
    """Change an account's name, roles and camps."""
    full_name = full_name.strip()
    if not full_name:
        raise UserValueError(_("Enter the person’s name."), field="full_name")
    roles, camp_ids = _check_roles_and_camps(session, roles, camp_ids, all_camps)
    _check_grant(actor, user, roles, camp_ids, all_camps)
    roles_before = user.roles
    before = {"roles": roles_before, "camps": sorted(user.camp_ids), "all_camps": user.all_camps}
    user.full_name = full_name
    user.all_camps = all_camps
    _set_links(user, roles, camp_ids)
    session.flush()
    after = {"roles": roles, "camps": camp_ids, "all_camps": all_camps}
    log_action(
        session, actor, "user.update", object_type="user", object_id=user.id, details={"before": before, "after": after}
    )
    _audit_protection_grant(session, actor, user, roles_before)
    return user


def reset_password(session: Session, actor: User, user: User, new_password: str) -> None:
    """Set a temporary password that the user must change at next sign-in; also unlocks.

    Every session of the user ends and every API token is revoked. Not one's own: that changes on
    the change-password page, which asks for the current password (a stolen session cannot)."""
    if user.id == actor.id:
        raise UserValueError(_("Change your own password on the Change password page."), field="password")
    check_policy(new_password, user.username)
    password_hash = hash_password(new_password)
    begin_write(session)  # Argon2 is done: only the writes wait for SQLite's write lock
    user.password_hash = password_hash
    user.must_change_password = True
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_at = None
    user.session_token = new_session_token()
    end_sessions(session, user)
    revoke_tokens(session, actor, user, reason="password_reset")
    lockout.forget_account(session, user.username)
    log_action(session, actor, "user.password_reset", object_type="user", object_id=user.id)


def unlock_user(session: Session, actor: Actor, user: User) -> None:
    """Lift a lock and let every address try this account again."""
    user.locked_at = None
    user.failed_logins = 0
    lockout.forget_account(session, user.username)
    log_action(session, actor, "user.unlock", object_type="user", object_id=user.id)


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    """Deactivate (signing the user out everywhere, revoking tokens) or reactivate an account."""
    if user.id == actor.id and not active:
        raise UserValueError(_("You cannot deactivate your own account."))
    user.active = active
    if not active:
        user.session_token = new_session_token()
        end_sessions(session, user)
        revoke_tokens(session, actor, user, reason="deactivated")
    log_action(session, actor, "user.activate" if active else "user.deactivate", object_type="user", object_id=user.id)


def set_locale(session: Session, user: User, locale: str) -> None:
    user.locale = locale


# --- signed-in sessions ----------------------------------------------------------------------


def _lifetime() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def start_session(session: Session, user: User) -> str:
    """Record a newly signed-in browser; the secret for its cookie is returned once, never stored."""
    now = utcnow()
    session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            or_(UserSession.ended_at.is_not(None), UserSession.started_at <= now - _lifetime()),
        )
    )
    secret = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, digest=secret_digest(secret), started_at=now))
    session.flush()
    return secret


def session_state(session: Session, user: User, secret: str | None) -> str:
    """'live', 'expired' (older than SESSION_MAX_HOURS) or 'ended' (signed out, or unknown)."""
    if not secret:
        return "ended"
    found = session.scalar(select(UserSession).where(UserSession.digest == secret_digest(secret)))
    if found is None or found.user_id != user.id or found.ended_at is not None:
        return "ended"
    return "live" if found.started_at > utcnow() - _lifetime() else "expired"


def end_session(session: Session, user: User, secret: str | None) -> None:
    """End one browser's session (sign-out)."""
    if secret:
        session.execute(
            update(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.digest == secret_digest(secret),
                UserSession.ended_at.is_(None),
            )
            .values(ended_at=utcnow())
        )


def end_sessions(session: Session, user: User, keep: str | None = None) -> None:
    """End every session of ``user`` but the one whose secret is ``keep``."""
    statement = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep:
        statement = statement.where(UserSession.digest != secret_digest(keep))
    session.execute(statement.values(ended_at=utcnow()))


# --- API tokens ------------------------------------------------------------------------------


def secret_digest(token: str) -> str:
    """How bearer tokens and device secrets are stored: a SHA-256 digest, never the secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session, actor: Actor, owner: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``owner``; the clear token is returned once and never stored."""
    name = name.strip()
    if not name:
        raise UserValueError(_("Give the token a name, such as the device that uses it."), field="name")
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id, name=name[:80], prefix=clear[:12], digest=secret_digest(clear), expires_at=expires_at
    )
    session.add(token)
    session.flush()
    log_action(session, actor, "token.create", object_type="api_token", object_id=token.id, details={"owner": owner.id})
    return token, clear


def revoke_token(session: Session, actor: User, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        log_action(
            session,
            actor,
            "token.revoke",
            object_type="api_token",
            object_id=token.id,
            details={"owner": token.user_id},
        )


def revoke_tokens(session: Session, actor: Actor, user: User, *, reason: str) -> None:
    """Revoke every working token of ``user`` (password changed or reset, account deactivated)."""
    ids = session.scalars(select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))).all()
    if ids:
        session.execute(update(ApiToken).where(ApiToken.id.in_(ids)).values(revoked_at=utcnow()))
        log_action(
            session,
            actor,
            "token.revoke_all",
            object_type="user",
            object_id=user.id,
            details={"tokens": list(ids), "reason": reason},
        )


def user_for_token(session: Session, clear: str) -> User | None:
    """The active user behind a bearer token, or None; records when the token was last used."""
    if not clear.startswith(TOKEN_PREFIX):
        return None
    # one query for the token, its user, roles and camps: every API call starts here
    token = (
        session.execute(
            select(ApiToken)
            .where(ApiToken.digest == secret_digest(clear))
            .options(
                joinedload(ApiToken.user).joinedload(User.role_links),
                joinedload(ApiToken.user).joinedload(User.camp_links),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    now = utcnow()
    if token is None or not token.is_usable(now) or not token.user.active or token.user.is_locked:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token_id = token.id
        commit_aside(
            lambda aside: aside.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)),
            fail_open=f"last use of API token {token_id}",
        )
        set_committed_value(token, "last_used_at", now)  # saved aside: the request itself stays read-only
    return token.user
