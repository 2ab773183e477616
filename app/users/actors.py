"""Who acts: a signed-in ``User``, or ``SYSTEM`` for the command line, imports and background jobs.

Every service takes an ``actor``. The command line, the importers and the worker threads have no
signed-in user: they pass ``SYSTEM`` instead of ``None``. ``SYSTEM`` holds no roles and no camps; the
few services that let the machine's operator do more than a camp's staff (grant any role, reach every
camp) ask ``is_system(actor)`` and say so where they do. The audit log records it as before: no
``user_id``, and the username ``cli`` outside a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from app.users.models import User


@dataclass(frozen=True)
class SystemActor:
    """The machine itself: the command line's operator, an import, a background job."""

    id: None = None
    username: str = "system"
    display_name: str = "Panoh (command line and background jobs)"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()

Actor: TypeAlias = "User | SystemActor"


def is_system(actor: Actor | None) -> TypeIs[SystemActor | None]:
    """Whether no signed-in user acts. ``None`` still counts, for callers written before ``SYSTEM``."""
    return actor is None or isinstance(actor, SystemActor)
