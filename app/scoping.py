"""The camp scope: which camps' data a staff account may see, as query filters (``app.permissions`` the roles).

Core code (users, audit) reads the ``camps`` table through :data:`CAMPS` (id, code, name) rather than the
``Camp`` model of :mod:`camps.sites`, which sits above it in the layer order (setup.cfg ``[importlinter]``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from flask import abort
from sqlalchemy import Row, Select, column, select, table
from sqlalchemy.orm import Session

#: the columns of ``camps.sites.models.Camp`` that core pages show
CAMPS = table("camps", column("id"), column("code"), column("name"))


class _Coded(Protocol):
    code: str


Coded = TypeVar("Coded", bound=_Coded)


def scope_to_user(query: Select, user, camp_column) -> Select:
    """Restrict a query to the camps the user works in (HQ accounts: all camps)."""
    if user.all_camps:
        return query
    return query.where(camp_column.in_(user.camp_ids or {-1}))


def camp_rows(session: Session, user) -> list[Row]:
    """The camps the user works in (id, code, name), by code."""
    return list(session.execute(scope_to_user(select(CAMPS).order_by(CAMPS.c.code), user, CAMPS.c.id)))


def existing_camp_ids(session: Session, camp_ids: Iterable[int]) -> set[int]:
    """Those of ``camp_ids`` that name a camp."""
    camp_ids = list(camp_ids)
    return set(session.scalars(select(CAMPS.c.id).where(CAMPS.c.id.in_(camp_ids)))) if camp_ids else set()


def chosen_camp(camps: list[Coded], code: str | None) -> Coded | None:
    """The camp of ``camps`` a filter names by code; None when no code is given.

    :raise LookupError: the code names none of ``camps``
    """
    code = (code or "").strip().upper()
    if not code:
        return None
    for camp in camps:
        if camp.code == code:
            return camp
    raise LookupError(code)


def chosen_camp_or_404(camps: list[Coded], code: str | None) -> Coded | None:
    """:func:`chosen_camp` for a page or API filter: a code of no camp of the user is not found."""
    try:
        return chosen_camp(camps, code)
    except LookupError:
        abort(404)
