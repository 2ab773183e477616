"""Name spellings the registry already knows: the other script's form of a name being typed at the desk.

Only spellings and how often they were seen are returned (never a person or a household), counted
over the people of the camps the clerk works in: the registry's own Latin ↔ original-script pairs
(Dari/Pashto in Arabic script, or Tajik Cyrillic) are the house style that clerks follow.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.scoping import scope_to_user
from registration.households.models import Household, Person

#: how many spellings are offered, most frequent first
LIMIT = 3
_LATIN = re.compile(r"^[A-Za-z][A-Za-z' .-]*$")
_PAIRS = (
    (Person.given_name, Person.given_name_orig),
    (Person.father_name, Person.father_name_orig),
    (Person.grandfather_name, Person.grandfather_name_orig),
    (Person.family_name, Person.family_name_orig),
)


def counterparts(session: Session, user, name: str) -> list[dict]:
    """Spellings of ``name`` in the other script, most frequent first: ``[{'name': 'محمد', 'count': 41}]``.

    A Latin name gets its original-script forms (Arabic or Cyrillic); a name in another script its
    Latin forms. Names are compared whole, ignoring case and repeated spaces.
    """
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        return []
    latin = bool(_LATIN.match(name))
    counts: dict[str, int] = {}
    for latin_column, orig_column in _PAIRS:
        typed, other = (latin_column, orig_column) if latin else (orig_column, latin_column)
        query = (
            select(other, func.count())
            .join(Household, Household.id == Person.household_id)
            .where(func.lower(typed) == name.lower(), other.is_not(None), other != "")
            .group_by(other)
        )
        for spelling, count in session.execute(scope_to_user(query, user, Household.camp_id)):
            counts[spelling] = counts.get(spelling, 0) + count
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"name": spelling, "count": count} for spelling, count in ranked[:LIMIT]]
