"""Stored name search keys: any two of a person's names, or a family name with a birth year.

A search typed as two or three names ("Мухаммад Наби Ахмадзай", "Mohammad Nabi", "محمد نبی") must find
the person in whatever script or keyboard each side was written. Every name word becomes a
``loose_skeleton`` (consonants, one symbol per sound, Russian-keyboard letters folded), the same for
Latin, Tajik or Russian-keyboard Cyrillic and Dari/Pashto script. A compound written in several words
also gives the skeleton of the words joined (Abdul Rahman, Abdurrahman, عبدالرحمن). Stored keys:

* ``p:a|b`` every two skeletons from different fields (given and father's, given and family, ...) and
  every two words of one compound field (Mohammad Nabi): a search by any two names is one index lookup
  that returns only people who have both, however common each name is alone;
* ``f:a`` and ``y:a|year`` for the family name: one family name with a camp or a birth year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from registration.households.models import Person, PersonSearchKey
from registration.names import loose_skeleton

#: bumped whenever the keys change: ``panoh registration search-keys`` writes them again
SEARCH_KEYS_VERSION = 2
_WORD_BREAKS = re.compile(r"[\s\-\u2010-\u2015_.,/]+")
MAX_WORDS = 4


def words(text: str | None) -> list[str]:
    """The words of a name, hyphens counting as spaces (``Abdul-Rahman`` > ``['Abdul', 'Rahman']``)."""
    return [w for w in _WORD_BREAKS.split(text or "") if w][:MAX_WORDS]


@lru_cache(maxsize=65536)
def field_tokens(*spellings: str | None) -> frozenset[str]:
    """Skeletons of a name field's words in every spelling, and of each spelling's words joined."""
    tokens: set[str] = set()
    for spelling in spellings:
        parts = words(spelling)
        tokens.update(loose_skeleton(w) for w in parts)
        if len(parts) > 1:
            tokens.add(loose_skeleton("".join(parts)))
    tokens.discard("")
    return frozenset(tokens)


def pair_key(a: str, b: str) -> str:
    return "p:" + "|".join(sorted((a, b)))


def family_year_key(token: str, year: int) -> str:
    return f"y:{token}|{year}"


@dataclass(frozen=True)
class Names:
    given: str | None
    given_orig: str | None
    father: str | None
    father_orig: str | None
    family: str | None
    family_orig: str | None
    birth_year: int

    @classmethod
    def of(cls, person) -> Names:
        return cls(
            person.given_name,
            person.given_name_orig,
            person.father_name,
            person.father_name_orig,
            person.family_name,
            person.family_name_orig,
            person.birth_date.year,
        )

    def fields(self) -> list[frozenset[str]]:
        return [
            field_tokens(self.given, self.given_orig),
            field_tokens(self.father, self.father_orig),
            field_tokens(self.family, self.family_orig),
        ]

    def tokens(self) -> set[str]:
        return set().union(*self.fields())


def keys_of(names: Names) -> set[str]:
    """Every stored search key of one person (see the module docstring)."""
    fields = names.fields()
    keys = {pair_key(a, b) for first, second in combinations(fields, 2) for a in first for b in second}
    for spelling in (names.given, names.given_orig, names.father, names.father_orig, names.family, names.family_orig):
        skeletons = [s for s in (loose_skeleton(w) for w in words(spelling)) if s]
        keys.update(pair_key(a, b) for a, b in combinations(skeletons, 2))
    for token in fields[2]:
        keys |= {f"f:{token}", family_year_key(token, names.birth_year)}
    return keys


def store_search_keys(session: Session, person: Person, *, new: bool = False) -> None:
    """(Re)write a person's search keys after their names or birth date changed."""
    if not new:
        session.execute(
            delete(PersonSearchKey)
            .where(PersonSearchKey.person_id == person.id)
            .execution_options(synchronize_session=False)
        )
    session.add_all(PersonSearchKey(person_id=person.id, key=key) for key in sorted(keys_of(Names.of(person))))


def rows_for(person_id: int, names: Names) -> list[dict]:
    """Rows for a bulk insert (the demo world, the command that writes every key again)."""
    return [{"person_id": person_id, "key": key} for key in sorted(keys_of(names))]


def rewrite_all(session: Session, batch: int = 5000, progress=None) -> int:
    """Write every person's search keys again (after the keys or the name normaliser changed); return people."""
    from sqlalchemy import select

    columns = (
        Person.id,
        Person.given_name,
        Person.given_name_orig,
        Person.father_name,
        Person.father_name_orig,
        Person.family_name,
        Person.family_name_orig,
        Person.birth_date,
    )
    session.execute(delete(PersonSearchKey))
    last, done = 0, 0
    while rows := session.execute(select(*columns).where(Person.id > last).order_by(Person.id).limit(batch)).all():
        keys = [key for row in rows for key in rows_for(row.id, Names(*row[1:7], row.birth_date.year))]
        if keys:
            session.execute(PersonSearchKey.__table__.insert(), keys)  # type: ignore[attr-defined]  # a model's __table__ is a Table, typed as FromClause
        last, done = rows[-1].id, done + len(rows)
        if progress is not None:
            progress(done)
    return done
