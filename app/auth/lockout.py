"""Who may try a password now: a throttle per address and a back-off per account and address.

Nobody can lock another person out: wrong passwords make only the address they came from wait
for that account (``LOGIN_MAX_FAILURES`` free, then ``LOGIN_BACKOFF_S`` doubling up to
``LOGIN_BACKOFF_MAX_S``); the owner signs in from their own desk meanwhile. Unknown accounts are
counted exactly like known ones, so the answers tell nothing about which accounts exist. Counts
are kept in the database (``app.ratelimit``), so they hold across worker processes.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy.orm import Session

from app import ratelimit

ADDRESS = "login.address"
ACCOUNT = "login.account"


def _name(username: str) -> str:
    return username.strip().lower()


def _key(username: str, address: str) -> str:
    return f"{_name(username)}\x00{address}"


def back_off() -> ratelimit.BackOff:
    config = current_app.config
    return ratelimit.BackOff(
        free=config["LOGIN_MAX_FAILURES"],
        first=timedelta(seconds=config["LOGIN_BACKOFF_S"]),
        longest=timedelta(seconds=config["LOGIN_BACKOFF_MAX_S"]),
    )


def admit(session: Session, username: str, address: str) -> str | None:
    """Count a sign-in attempt; the reason it must wait ('address' or 'account'), or None.

    An admitted attempt is counted as a wrong password in advance (``count_guess``): a right one
    is forgotten."""
    config = current_app.config
    window = timedelta(seconds=config["LOGIN_THROTTLE_WINDOW_S"])
    if not ratelimit.hit(ADDRESS, address, ((window, config["LOGIN_THROTTLE_PER_IP"]),), session=session):
        return "address"
    return None if count_guess(session, username, address) else "account"


def must_wait(session: Session, username: str, address: str) -> bool:
    """Whether this address is waiting after too many wrong passwords for this account."""
    return ratelimit.waiting_until(ACCOUNT, _key(username, address), back_off(), session=session) is not None


def count_guess(session: Session, username: str, address: str) -> bool:
    """Before a password is checked: count it as a wrong one already, unless this address waits for
    this account (then False). Concurrent guesses cannot all pass the check; ``forget`` a right one."""
    return ratelimit.record_unless_waiting(
        ACCOUNT, _key(username, address), back_off(), subject=_name(username), session=session
    )


def forget(session: Session, username: str, address: str) -> None:
    """A right password: this address starts again from no failures."""
    ratelimit.clear(ACCOUNT, _key(username, address), session=session)


def forget_account(session: Session, username: str) -> None:
    """An administrator's unlock: every address may try this account again."""
    ratelimit.clear(ACCOUNT, subject=_name(username), session=session)


def addresses_waiting(session: Session, username: str) -> int:
    """How many addresses wait before they may try this account again (shown to administrators)."""
    return ratelimit.waiting_subject(ACCOUNT, _name(username), back_off(), session=session)
