"""The columns of the person and household lists, and who may receive each of them.

A column is given to a user holding any of its permissions. ``exports.personal`` gives the base
columns; phone and tazkira go only to those ``app.visibility`` lets export them (supervisors and
protection officers). Photos are never exported. The needs column is given with the base columns,
but restricted codes (SV, TR and some LP) are only written for those ``app.visibility`` lets see
them (protection officers).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app import permissions as P
from app import visibility
from camps.figures import population

PERSONS = "persons"
HOUSEHOLDS = "households"
KINDS = {PERSONS: _l("Person list (one row per person)"), HOUSEHOLDS: _l("Household list (one row per household)")}

BASE = (P.EXPORT_PERSONAL,)

#: UNHCR age bands (standards.md §2.3): (key suffix, lowest age, highest age or None)
AGE_BANDS = tuple((key, first, last) for key, first, last, _title in population.AGE_BANDS)


@dataclass(frozen=True)
class Column:
    key: str
    title: object  # a lazy translated string
    permissions: tuple[str, ...] = BASE
    #: the personal field (``app.visibility``) whose export rule also applies
    field: str | None = None

    def allowed(self, user) -> bool:
        return any(user.can(p) for p in self.permissions) and (
            self.field is None or visibility.can_see(user, self.field, bulk=True)
        )


NAMES = (
    Column("given_name", _l("Given name (Latin)")),
    Column("father_name", _l("Father’s name (Latin)")),
    Column("grandfather_name", _l("Grandfather’s name (Latin)")),
    Column("family_name", _l("Family name (Latin)")),
    Column("given_name_orig", _l("Given name (original script)")),
    Column("father_name_orig", _l("Father’s name (original)")),
    Column("grandfather_name_orig", _l("Grandfather’s name (original)")),
    Column("family_name_orig", _l("Family name (original)")),
)
HEAD_NAMES = (
    Column("head_given_name", _l("Head: given name (Latin)")),
    Column("head_father_name", _l("Head: father’s name (Latin)")),
    Column("head_family_name", _l("Head: family name (Latin)")),
    Column("head_given_name_orig", _l("Head: given name (original script)")),
    Column("head_father_name_orig", _l("Head: father’s name (original)")),
    Column("head_family_name_orig", _l("Head: family name (original)")),
)


def _band_title(sex: str, low: int, high: int | None) -> object:
    band = f"{low}–{high}" if high is not None else f"{low}+"
    return _l("Females aged %(band)s", band=band) if sex == "f" else _l("Males aged %(band)s", band=band)


PERSON_COLUMNS = (
    Column("household_number", _l("Household number")),
    Column("person_number", _l("Person number")),
    *NAMES,
    Column("sex", _l("Sex")),
    Column("birth_date", _l("Born (≈ estimated)")),
    Column("age", _l("Age")),
    Column("relationship", _l("Relationship to head")),
    Column("person_status", _l("Person status")),
    Column("household_status", _l("Household status")),
    Column("camp", _l("Camp")),
    Column("plot", _l("Plot")),
    Column("arrival_date", _l("Arrived on")),
    Column("origin_province", _l("Province of origin (P-code)")),
    Column("household_size", _l("Household size")),
    Column("needs", _l("Specific needs codes")),
    Column("phone", _l("Phone"), field=visibility.PHONE),
    Column("tazkira", _l("Tazkira number"), field=visibility.TAZKIRA),
)

HOUSEHOLD_COLUMNS = (
    Column("household_number", _l("Household number")),
    Column("camp", _l("Camp")),
    Column("household_status", _l("Household status")),
    Column("household_size", _l("Household size")),
    Column("arrival_date", _l("Arrived on")),
    Column("origin_province", _l("Province of origin (P-code)")),
    *HEAD_NAMES,
    Column("plot", _l("Plot")),
    Column("phone", _l("Phone"), field=visibility.PHONE),
    *(Column(f"{sex}_{band}", _band_title(sex, low, high)) for sex in ("f", "m") for band, low, high in AGE_BANDS),
)

COLUMNS = {PERSONS: PERSON_COLUMNS, HOUSEHOLDS: HOUSEHOLD_COLUMNS}


def columns_for(user, kind: str) -> tuple[Column, ...]:
    """The columns of the list ``kind`` this user may receive, in file order."""
    return tuple(c for c in COLUMNS[kind] if c.allowed(user))
