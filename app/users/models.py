"""Staff accounts, their roles and camp scopes, and personal API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, ColumnElement, ForeignKey, Integer, String, UniqueConstraint, and_, exists, not_, true
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.db import Base, utcnow
from app.permissions import PROTECTION_OFFICER, permissions_for
from app.users.actors import SYSTEM, Actor, is_system

if TYPE_CHECKING:  # the mapper finds "Camp" by name: core does not import camps.sites (setup.cfg [importlinter])
    from camps.sites.models import Camp

#: roles that only an all-camps (headquarters) administrator gives, and whose holders only it manages
HQ_ONLY_ROLES = frozenset({PROTECTION_OFFICER})


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: deactivated accounts keep their history but cannot log in
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: headquarters accounts see every camp
    all_camps: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    #: part of the login cookie; changing it signs the user out everywhere
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    locale: Mapped[str | None] = mapped_column(String(8))
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    role_links: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    camp_links: Mapped[list[UserCamp]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    # Flask-Login
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def roles(self) -> list[str]:
        return sorted(link.role for link in self.role_links)

    @property
    def permissions(self) -> frozenset[str]:
        return permissions_for(self.roles, self.all_camps)

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def camp_ids(self) -> set[int]:
        return {link.camp_id for link in self.camp_links}

    def can_access_camp(self, camp_id: int | None) -> bool:
        return self.all_camps or (camp_id is not None and camp_id in self.camp_ids)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def is_managed_by(self, actor: Actor) -> bool:
        """Whether ``actor`` may change this account (see ``managed_by``)."""
        if is_system(actor) or actor.all_camps:
            return True
        return not self.all_camps and self.camp_ids <= actor.camp_ids and not HQ_ONLY_ROLES & set(self.roles)


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    user: Mapped[User] = relationship(back_populates="role_links")


class UserCamp(Base):
    __tablename__ = "user_camps"
    __table_args__ = (UniqueConstraint("user_id", "camp_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id", ondelete="CASCADE"), index=True)
    user: Mapped[User] = relationship(back_populates="camp_links")
    camp: Mapped[Camp] = relationship("Camp", lazy="joined")


class ApiToken(Base):
    """A personal API token; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    #: first characters of the token, shown so the owner can tell tokens apart
    prefix: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}…>"

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class UserSession(Base):
    """One signed-in browser: it ends at sign-out, ``SESSION_MAX_HOURS`` after sign-in, or when the
    password changes. The browser's signed cookie holds a secret; only its SHA-256 digest is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: when the user signed in: the absolute lifetime counts from here, whatever the activity
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<UserSession {self.id} of user {self.user_id}>"


def managed_by(actor: User) -> ColumnElement[bool]:
    """The accounts ``actor`` may see and change: every one for an all-camps administrator; for a
    camp administrator those wholly inside its camps that hold no headquarters-only role."""
    if actor.all_camps:
        return true()
    return and_(
        User.all_camps.is_(False),
        not_(exists().where(UserCamp.user_id == User.id, UserCamp.camp_id.not_in(sorted(actor.camp_ids)))),
        not_(exists().where(UserRole.user_id == User.id, UserRole.role.in_(sorted(HQ_ONLY_ROLES)))),
    )


def actor_by_id(session: Session, user_id: int | None) -> Actor:
    """The user a background job acts for, from the id it was given; ``SYSTEM`` when there is none
    (the job was started from the command line, or the account is gone)."""
    user = session.get(User, user_id) if user_id else None
    return user if user is not None else SYSTEM
