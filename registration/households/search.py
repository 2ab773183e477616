"""One search box for the desk: household or person number, phone, tazkira, or a name in any script.

Names come from a POST (never a URL: names must not end up in logs or browser history). Every
lookup goes through an index: numbers and phone/tazkira prefixes by range, names by blocking keys.
Phones and tazkira numbers are searched only for those who may see them (``app.visibility``):
a search is a way of reading a field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from rapidfuzz import fuzz
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app import visibility
from camps.sites.services import scope_to_user
from registration.dedup.matching import search_keys, to_ascii
from registration.households.models import Household, Person, PersonKey
from registration.households.numbers import NUMBER_RE, is_valid, normalise

PERSON_NUMBER = re.compile(r'^(.+?)\s*/\s*(\d{1,2})$')
MAX_NAME_CANDIDATES = 2000
MAX_RESULTS = 50


@dataclass
class SearchResult:
    households: list[Household] = field(default_factory=list)
    #: the person each household was found by (for names, phones, tazkira), by household id
    matched: dict[int, Person] = field(default_factory=dict)
    message: str | None = None
    kind: str = 'none'


def search(session: Session, user, text: str) -> SearchResult:
    """Households in the user's camps that match what was typed, best first."""
    text = ' '.join((text or '').split())
    if not text:
        return SearchResult()
    if match := PERSON_NUMBER.match(text):
        return _by_number(session, user, match[1], int(match[2]))
    compact = re.sub(r'[\s-]', '', text).upper()
    if len(compact) == 10 and compact[:3].isalpha() and compact[3:9].isdigit():
        return _by_number(session, user, text, None)
    digits = re.sub(r'[\s()+-]', '', text)
    if digits.isdigit():
        return _by_digits(session, user, digits)
    return _by_name(session, user, text)


def _scoped(user):
    return scope_to_user(select(Household), user, Household.camp_id).options(selectinload(Household.members))


def _by_number(session: Session, user, text: str, seq: int | None) -> SearchResult:
    number = normalise(text)
    if not NUMBER_RE.match(number) or not is_valid(number):
        return SearchResult(message=_('%(number)s is not a valid household number: check the last character.',
                                      number=number), kind='number')
    household = session.scalar(_scoped(user).where(Household.number == number))
    result = SearchResult(households=[household] if household else [], kind='number')
    if household and seq is not None:
        person = next((p for p in household.members if p.seq == seq), None)
        if person:
            result.matched[household.id] = person
    return result


def _prefix(column, value: str):
    """``column LIKE 'value%'`` as a range, which every database answers from an index."""
    return (column >= value) & (column < value + ':')


def _by_digits(session: Session, user, digits: str) -> SearchResult:
    phones_too = visibility.can_see(user, visibility.PHONE)
    tazkira_too = visibility.can_see(user, visibility.TAZKIRA)
    if not (phones_too or tazkira_too):
        return SearchResult(message=_('Search by household number or by name: phone and tazkira numbers are not '
                                      'shown to your role.'), kind='digits')
    if len(digits) < 6:
        return SearchResult(message=_('Type at least 6 digits of a phone or tazkira number.'), kind='digits')
    local = digits.removeprefix('992') if len(digits) > 9 else digits
    phones = session.scalars(_scoped(user).where(or_(
        _prefix(Household.phone_digits, digits), _prefix(Household.phone_digits, '992' + local),
        Household.phone_digits == local)).limit(MAX_RESULTS)).all() if phones_too else []
    result = SearchResult(households=list(phones), kind='digits')
    people = session.scalars(select(Person).where(_prefix(Person.tazkira, digits)).limit(MAX_RESULTS)
                             .options(selectinload(Person.household))).all() if tazkira_too else []
    for person in people:
        if user.can_access_camp(person.household.camp_id) and person.household not in result.households:
            result.households.append(person.household)
            result.matched[person.household_id] = person
    return result


def _by_name(session: Session, user, text: str) -> SearchResult:
    keys = sorted(search_keys(text))
    if not keys:
        return SearchResult(message=_('Type at least two names (given and father’s or family name), a number, '
                                      'a phone or a tazkira number.'), kind='name')
    # Rank people first (names only), then load just the households shown.
    # The ids first, as a list: a subquery here lets SQLite scan the whole camp instead of the keys' index.
    ids = session.scalars(select(PersonKey.person_id).where(PersonKey.key.in_(keys)).distinct()
                          .limit(MAX_NAME_CANDIDATES)).all()
    # Rank plain rows (primary-key lookups), then load only the households shown.
    rows = session.execute(select(Person.id, Person.household_id, Household.camp_id, *_NAME_COLUMNS)
                           .join(Household, Household.id == Person.household_id)
                           .where(Person.id.in_(ids), Person.status == 'active')).all() if ids else []
    typed = to_ascii(text)
    ranked = sorted(((_similarity(typed, row), row) for row in rows if user.can_access_camp(row.camp_id)),
                    key=lambda sr: -sr[0])
    chosen: dict[int, int] = {}
    for score, row in ranked:
        if score < 60 or len(chosen) >= MAX_RESULTS:
            break
        chosen.setdefault(row.household_id, row.id)
    households = {h.id: h for h in session.scalars(
        select(Household).where(Household.id.in_(chosen)).options(selectinload(Household.members)))}
    matched = {hid: next(p for p in households[hid].members if p.id == pid) for hid, pid in chosen.items()}
    return SearchResult(households=[households[i] for i in chosen], matched=matched, kind='name')


_NAME_COLUMNS = (Person.given_name, Person.father_name, Person.family_name, Person.given_name_orig,
                 Person.father_name_orig, Person.family_name_orig)


def _similarity(query: str, row) -> float:
    names = [' '.join(n for n in (row.given_name, row.father_name, row.family_name) if n),
             ' '.join(n for n in (row.given_name_orig, row.father_name_orig, row.family_name_orig) if n)]
    return max(fuzz.token_set_ratio(query, to_ascii(n)) for n in names if n) if any(names) else 0.0
