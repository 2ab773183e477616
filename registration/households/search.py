"""One search box for the desk: household or person number, phone, tazkira, or names in any script.

Names come from a POST (never a URL: names must not end up in logs or browser history). Every
lookup goes through an index: numbers and phone/tazkira prefixes by range, names by the stored keys of
``search_keys`` (any two names, or a family name with a birth year), in any script or keyboard.
A typed household number is read by ``numbers.read``, which forgives I/1, O/0, case and dashes.
Phones and tazkira numbers are searched only for those who may see them (``app.visibility``):
a search is a way of reading a field.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations

from flask_babel import gettext as _
from rapidfuzz import fuzz
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, lazyload, selectinload

from app import visibility
from app.db import utcnow
from app.scoping import scope_to_user
from camps.sites.services import visible_camps
from registration.households.models import Household, Person, PersonSearchKey, SavedSearch
from registration.households.numbers import corrected, looks_like_number, read, tidy
from registration.households.search_keys import Names, family_year_key, pair_key, words
from registration.names import loose_skeleton, to_ascii

PERSON_NUMBER = re.compile(r"^(.+?)\s*/\s*(\d{1,2})$")
YEAR = re.compile(r"^(19|20)\d\d$")
#: people ranked in Python at most: those sharing most keys with the query come first
MAX_NAME_CANDIDATES = 400
MAX_RESULTS = 50
MAX_QUERY_WORDS = 5
#: a typed birth year finds people born this many years either side (ages are estimates)
YEAR_WINDOW = 2


@dataclass
class SearchResult:
    households: list[Household] = field(default_factory=list)
    #: the person each household was found by (for names, phones, tazkira), by household id
    matched: dict[int, Person] = field(default_factory=dict)
    message: str | None = None
    #: the head of each household found by name, by household id (loaded without the other members)
    heads: dict[int, Person] = field(default_factory=dict)
    #: what the search understood, when it read the input differently from how it was typed
    note: str | None = None
    kind: str = "none"


def search(session: Session, user, text: str) -> SearchResult:
    """Households in the user's camps that match what was typed, best first."""
    text = " ".join((text or "").split())
    if not text:
        return SearchResult()
    if match := PERSON_NUMBER.match(text):
        return _by_number(session, user, match[1], int(match[2]))
    if looks_like_number(text):
        return _by_number(session, user, text, None)
    digits = re.sub(r"[\s()+-]", "", text)
    if digits.isdigit():
        return _by_digits(session, user, digits)
    return _by_name(session, user, text)


def _scoped(user):
    return scope_to_user(select(Household), user, Household.camp_id).options(selectinload(Household.members))


def _by_number(session: Session, user, text: str, seq: int | None) -> SearchResult:
    number = read(text)
    if number is None:
        return SearchResult(
            message=_("%(number)s is not a valid household number: check the last character.", number=tidy(text)),
            kind="number",
        )
    household = session.scalar(_scoped(user).where(Household.number == number))
    result = SearchResult(households=[household] if household else [], kind="number")
    if corrected(text, number):
        result.note = _("Showing %(number)s", number=number)
    if household and seq is not None:
        person = next((p for p in household.members if p.seq == seq), None)
        if person:
            result.matched[household.id] = person
    return result


def _prefix(column, value: str):
    """``column LIKE 'value%'`` as a range, which every database answers from an index."""
    return (column >= value) & (column < value + ":")


def _by_digits(session: Session, user, digits: str) -> SearchResult:
    phones_too = visibility.can_see(user, visibility.PHONE)
    tazkira_too = visibility.can_see(user, visibility.TAZKIRA)
    if not (phones_too or tazkira_too):
        return SearchResult(
            message=_("Search by household number or by name: phone and tazkira numbers are not shown to your role."),
            kind="digits",
        )
    if len(digits) < 6:
        return SearchResult(message=_("Type at least 6 digits of a phone or tazkira number."), kind="digits")
    local = digits.removeprefix("992") if len(digits) > 9 else digits
    phones = (
        session.scalars(
            _scoped(user)
            .where(
                or_(
                    _prefix(Household.phone_digits, digits),
                    _prefix(Household.phone_digits, "992" + local),
                    Household.phone_digits == local,
                )
            )
            .limit(MAX_RESULTS)
        ).all()
        if phones_too
        else []
    )
    result = SearchResult(households=list(phones), kind="digits")
    people = (
        session.scalars(
            select(Person)
            .where(_prefix(Person.tazkira, digits))
            .limit(MAX_RESULTS)
            .options(selectinload(Person.household))
        ).all()
        if tazkira_too
        else []
    )
    for person in people:
        if user.can_access_camp(person.household.camp_id) and person.household not in result.households:
            result.households.append(person.household)
            result.matched[person.household_id] = person
    return result


@dataclass(frozen=True)
class _Unit:
    """A skeleton typed as one word, or as two neighbouring words (a compound written apart)."""

    skeleton: str
    positions: frozenset[int]


def _units(names: list[str]) -> list[_Unit]:
    units = [_Unit(loose_skeleton(w), frozenset({i})) for i, w in enumerate(names)]
    units += [
        _Unit(loose_skeleton(a + b), frozenset({i, i + 1}))
        for i, (a, b) in enumerate(zip(names, names[1:], strict=False))
    ]
    # joined compounds first: they account for two words at once
    return sorted((u for u in units if u.skeleton), key=lambda u: -len(u.positions))


def _covered(units: list[_Unit], tokens: Set[str]) -> int:
    """How many typed words a person's name tokens account for (``units`` as ``_units`` orders them)."""
    covered: set[int] = set()
    for unit in units:
        if unit.skeleton in tokens and not unit.positions & covered:
            covered |= unit.positions
    return len(covered)


def _split_query(session: Session, user, text: str) -> tuple[list[str], int | None, int | None]:
    """(name words, birth year, camp id): a four-digit year and a camp's code or name may come with names."""
    camps = {
        key: camp.id
        for camp in visible_camps(session, user)
        for key in (camp.code.casefold(), camp.name.casefold(), *camp.name.casefold().split()[:1])
    }
    names, year, camp_id = [], None, None
    for word in text.split()[: MAX_QUERY_WORDS + 2]:
        if YEAR.match(word):
            year = int(word)
        elif word.casefold() in camps and camp_id is None:
            camp_id = camps[word.casefold()]
        elif not any(c.isdigit() for c in word):
            names.extend(words(word))
    if not names and camp_id is not None:  # a camp name that is also a person's name
        camp_id = None
        names = [w for w in text.split() if not YEAR.match(w)][:1]
    return names[:MAX_QUERY_WORDS], year, camp_id


def _by_name(session: Session, user, text: str) -> SearchResult:
    names, year, camp_id = _split_query(session, user, text)
    units = _units(names)
    if len(names) >= 2:
        keys = {pair_key(a.skeleton, b.skeleton) for a, b in combinations(units, 2) if not a.positions & b.positions}
        needed = max(2, len(names) - 1)
    elif units and (year or camp_id):
        token = units[0].skeleton
        keys = (
            {family_year_key(token, y) for y in range(year - YEAR_WINDOW, year + YEAR_WINDOW + 1)}
            if year
            else {f"f:{token}"}
        )
        needed = 1
    else:
        return SearchResult(
            message=_(
                "Type two names (given and father’s or family name), or a family name with a "
                "birth year or camp, a number, a phone or a tazkira number."
            ),
            kind="name",
        )
    query = select(PersonSearchKey.person_id).where(PersonSearchKey.key.in_(sorted(keys)))
    by_year = bool(year) and len(names) >= 2  # two common names and a year: the year narrows before the limit
    if by_year or camp_id is not None:
        query = query.join(Person, Person.id == PersonSearchKey.person_id)
    if by_year and year:
        query = query.where(
            Person.birth_date >= date(year - YEAR_WINDOW, 1, 1), Person.birth_date <= date(year + YEAR_WINDOW, 12, 31)
        )
    if camp_id is not None:
        query = query.join(Household, Household.id == Person.household_id).where(Household.camp_id == camp_id)
    # People sharing most keys first (all the typed names before any two of them).
    ids = session.scalars(
        query.group_by(PersonSearchKey.person_id).order_by(func.count().desc()).limit(MAX_NAME_CANDIDATES)
    ).all()
    # Rank plain rows (primary-key lookups), then load only the households shown.
    rows = (
        session.execute(
            select(Person.id, Person.household_id, Household.camp_id, Person.birth_date, *_NAME_COLUMNS)
            .join(Household, Household.id == Person.household_id)
            .where(Person.id.in_(ids), Person.status == "active")
        ).all()
        if ids
        else []
    )
    typed = to_ascii(" ".join(names))
    ranked = []
    for row in rows:
        if not user.can_access_camp(row.camp_id) or (camp_id is not None and row.camp_id != camp_id):
            continue
        years_off = abs(row.birth_date.year - year) if year else 0
        if years_off > YEAR_WINDOW:
            continue
        covered = _covered(units, _tokens(row))
        if covered >= min(needed, len(names)):
            ranked.append(((-covered, years_off, -_similarity(typed, row)), row))
    ranked.sort(key=lambda rank_row: rank_row[0])
    chosen: dict[int, int] = {}
    for _rank, row in ranked:
        if len(chosen) >= MAX_RESULTS:
            break
        chosen.setdefault(row.household_id, row.id)
    # Only the people the list shows (each head and the person found), never their needs: loading all of
    # fifty families was most of a search's time.
    households = {h.id: h for h in session.scalars(select(Household).where(Household.id.in_(chosen)))}
    people = session.scalars(
        select(Person)
        .where(
            or_(
                Person.id.in_(chosen.values()),
                Person.household_id.in_(chosen) & (Person.relation_to_head == "head") & (Person.status == "active"),
            )
        )
        .options(lazyload(Person.needs))
    ).all()
    by_id = {p.id: p for p in people}
    heads = {p.household_id: p for p in people if p.relation_to_head == "head" and p.status == "active"}
    matched = {hid: by_id[pid] for hid, pid in chosen.items()}
    return SearchResult(households=[households[i] for i in chosen], matched=matched, heads=heads, kind="name")


_NAME_COLUMNS = (
    Person.given_name,
    Person.father_name,
    Person.family_name,
    Person.given_name_orig,
    Person.father_name_orig,
    Person.family_name_orig,
)


def _tokens(row) -> set[str]:
    return Names(
        row.given_name,
        row.given_name_orig,
        row.father_name,
        row.father_name_orig,
        row.family_name,
        row.family_name_orig,
        row.birth_date.year,
    ).tokens()


def _similarity(query: str, row) -> float:
    names = [
        " ".join(n for n in (row.given_name, row.father_name, row.family_name) if n),
        " ".join(n for n in (row.given_name_orig, row.father_name_orig, row.family_name_orig) if n),
    ]
    return max(fuzz.token_set_ratio(query, _ascii(n)) for n in names if n) if any(names) else 0.0


_ascii = lru_cache(maxsize=65536)(to_ascii)


# ---------------------------------------------------------------------------------------------------
# Saved searches: POST-redirect-GET without names in the URL
# ---------------------------------------------------------------------------------------------------
#: how long a search's results can be shown again (Back, reload) before it must be typed again
SAVED_FOR = timedelta(minutes=30)


def save(session: Session, user, text: str) -> str:
    """Keep what the user typed under a new opaque id, for ``saved`` to find; old searches go."""
    now = utcnow()
    session.execute(delete(SavedSearch).where(SavedSearch.created_at < now - SAVED_FOR))
    search_id = secrets.token_urlsafe(16)
    session.add(SavedSearch(id=search_id, user_id=user.id, query=text[:200], created_at=now))
    return search_id


def saved(session: Session, user, search_id: str) -> str | None:
    """What the user typed under this id, if it is theirs and not expired."""
    return session.scalar(
        select(SavedSearch.query).where(
            SavedSearch.id == search_id, SavedSearch.user_id == user.id, SavedSearch.created_at >= utcnow() - SAVED_FOR
        )
    )
