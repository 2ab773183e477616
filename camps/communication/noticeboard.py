"""The public notice board: a camp's current notices for the help-desk screen and phones on the camp Wi-Fi.

A board opens with a secret link per screen (like the feedback kiosks: only the secret's digest is
stored, and revoking the link stops it at once). A notice's own page, which the poster's QR code
opens, needs no secret: it shows only that notice, only while it is current, and says nothing
about anyone. Notices for one household never show on the board.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app import secret_links
from app.scoping import scope_to_user
from app.users.actors import Actor
from camps.communication.models import Message, NoticeBoard
from camps.sites.models import Camp

BOARDS = secret_links.DeviceLinks(
    NoticeBoard, "noticeboard", _l("Name the screen (at most 80 characters), e.g. “Help desk screen”.")
)


def create_board(session: Session, actor: Actor, camp: Camp, name: str) -> tuple[NoticeBoard, str]:
    """Open a board link for a screen of ``camp``; the clear secret is returned once and never stored."""
    return BOARDS.open(session, actor, camp, name)


def revoke_board(session: Session, actor: Actor, board: NoticeBoard) -> None:
    BOARDS.revoke(session, actor, board)


def board_for_secret(session: Session, secret: str | None) -> NoticeBoard | None:
    return BOARDS.for_secret(session, secret)


def visible_boards(user) -> Select:
    return BOARDS.working_first(scope_to_user(select(NoticeBoard), user, NoticeBoard.camp_id))


def _current(today: date | None = None):
    today = today or date.today()
    return (
        Message.status == "approved",
        Message.audience != "household",
        or_(Message.expires_on.is_(None), Message.expires_on >= today),
    )


def current_notices(session: Session, camp_id: int, today: date | None = None) -> list[Message]:
    """Approved, not expired notices of the camp, newest approval first."""
    return list(
        session.scalars(
            select(Message)
            .where(Message.camp_id == camp_id, *_current(today))
            .order_by(Message.approved_at.desc(), Message.id.desc())
            .limit(100)
        )
    )


def current_notice(session: Session, public_id: str, today: date | None = None) -> Message | None:
    if not public_id or len(public_id) > 24:
        return None
    return session.scalar(select(Message).where(Message.public_id == public_id, *_current(today)))


def languages_on(notices: list[Message]) -> list[str]:
    """The languages the page can be read in: those of any notice shown, in the standard order."""
    from camps.communication.models import MESSAGE_LANGUAGES

    present = {code for notice in notices for code in notice.languages}
    return [code for code in MESSAGE_LANGUAGES if code in present]
