"""The column format of a pre-registration list: one table that drives parsing, the docs and the XLSForm.

One row per person; rows of one household share ``household_ref``. Household columns are read from the
head's row (other rows may leave them empty, but must not contradict it). ``markdown_table()`` renders
the table for docs/import-format.md (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from registration.gazetteer import AFGHAN_PROVINCES, BORDER_CROSSINGS
from registration.households.models import LANGUAGES, MARITAL_STATUSES, RELATIONSHIPS, SEXES

PERSON = "person"
HOUSEHOLD = "household"

#: shared by the desk's birth-date parser and the XLSForm: an age, a year, a month or a day
BORN_REGEX = (
    r"^([0-9]{1,2}|1[01][0-9]|120)$|^(19|20)[0-9]{2}$|^[0-9]{1,2}[./](19|20)[0-9]{2}$"
    r"|^[0-9]{1,2}[./][0-9]{1,2}[./](19|20)[0-9]{2}$|^(19|20)[0-9]{2}-[0-9]{1,2}(-[0-9]{1,2})?$"
)
LATIN_REGEX = r"^[A-Za-z][A-Za-z' .-]*$"
TAZKIRA_REGEX = r"^([0-9][ -]?){12}[0-9]$|^[0-9]{1,6}(/[0-9]{1,6}){2,3}$"
NEEDS_REGEX = r"^[A-Za-z]{2}-?[A-Za-z]{2}( +[A-Za-z]{2}-?[A-Za-z]{2})*$"
PHONE_REGEX = r"^\+?[0-9 ()-]{7,20}$"
DISTRICT_REGEX = r"^AF[0-9]{4}$"


@dataclass(frozen=True)
class Column:
    name: str
    level: str
    required: bool
    description: str
    example: str
    #: the XLSForm question type (``select_one sex``: the choice list is named after the column)
    xls_type: str = "text"
    #: other header names read as this column (after normalisation)
    aliases: tuple[str, ...] = ()
    #: XLSForm constraint (an XPath expression on ``.``) and its message
    constraint: str | None = None
    constraint_message: str | None = None

    @property
    def label(self) -> str:
        """A short question label for the XLSForm."""
        if self.name in LABELS:
            return str(LABELS[self.name])
        if self.name.endswith("_orig"):
            return str(_l("%(name)s (original script)", name=BY_NAME[self.name.removesuffix("_orig")].label))
        return self.name.replace("_", " ").capitalize()

    @property
    def choice_list(self) -> str | None:
        kind, _sep, name = self.xls_type.partition(" ")
        return name if kind in ("select_one", "select_multiple") else None


def _regex(pattern: str) -> str:
    quote = '"' if "'" in pattern else "'"
    return f"regex(., {quote}{pattern}{quote})"


LABELS = {
    "father_name": _l("Father's name"),
    "grandfather_name": _l("Grandfather's name"),
    "household_ref": _l("Household reference"),
    "person_ref": _l("Person reference"),
    "relationship": _l("Relationship to the head of household"),
    "born": _l("Date of birth, year or age"),
    "tazkira": _l("Tazkira number"),
    "needs": _l("Specific needs"),
    "arrival_date": _l("Date of arrival"),
    "crossing_point": _l("Border crossing point"),
    "origin_province": _l("Province of origin"),
    "origin_district": _l("District of origin (P-code)"),
    "phone": _l("Phone number"),
    "languages": _l("Languages spoken"),
    "consent": _l("Agreed to registration after being told why?"),
}
_LATIN = _l("Latin letters only; the original script goes in the next column.")
_ORIG = _l("The same name in the original script (Dari/Pashto or Cyrillic), as written by the person.")

COLUMNS: tuple[Column, ...] = (
    Column(
        "household_ref",
        PERSON,
        True,
        _l("The list's own household id: the same on every row of a household."),
        "KHR-PRE-0042",
        aliases=("household_id", "hh_ref", "hh_id", "family_ref", "family_id"),
    ),
    Column(
        "person_ref",
        PERSON,
        False,
        _l("The list's own reference of the person; kept on the person record."),
        "KHR-PRE-0042-01",
        aliases=("person_id", "individual_ref", "individual_id"),
    ),
    Column(
        "relationship",
        PERSON,
        True,
        _l("Relationship to the head of household (exactly one head per household)."),
        "head",
        "select_one relationship",
        aliases=("relation", "relation_to_head", "relationship_to_head"),
    ),
    Column(
        "given_name",
        PERSON,
        True,
        _LATIN,
        "Mohammad",
        aliases=("first_name",),
        constraint=_regex(LATIN_REGEX),
        constraint_message=_LATIN,
    ),
    Column("given_name_orig", PERSON, False, _ORIG, "محمد"),
    Column("father_name", PERSON, False, _LATIN, "Karim", constraint=_regex(LATIN_REGEX), constraint_message=_LATIN),
    Column("father_name_orig", PERSON, False, _ORIG, "کریم"),
    Column(
        "family_name",
        PERSON,
        False,
        _LATIN,
        "Ahmadi",
        aliases=("last_name", "surname"),
        constraint=_regex(LATIN_REGEX),
        constraint_message=_LATIN,
    ),
    Column("family_name_orig", PERSON, False, _ORIG, "احمدی"),
    Column(
        "grandfather_name", PERSON, False, _LATIN, "Rahim", constraint=_regex(LATIN_REGEX), constraint_message=_LATIN
    ),
    Column("grandfather_name_orig", PERSON, False, _ORIG, "رحیم"),
    Column("sex", PERSON, True, _l("f or m (female/male are read too)."), "f", "select_one sex", aliases=("gender",)),
    Column(
        "born",
        PERSON,
        True,
        _l("Date of birth as known: 17.05.1990, 1990-05-17, 05.1990, 1990, or an age (34)."),
        "17.05.1990",
        aliases=("dob", "date_of_birth", "birth_date", "birthdate", "age"),
        constraint=_regex(BORN_REGEX),
        constraint_message=_l("Write a date as 17.05.1990, a month as 05.1990, a year as 1990 or an age as 34."),
    ),
    Column(
        "marital_status",
        PERSON,
        False,
        _l("single, married, widowed, divorced or separated."),
        "married",
        "select_one marital_status",
        aliases=("marital",),
    ),
    Column(
        "tazkira",
        PERSON,
        False,
        _l("13-digit e-tazkira number, or a paper tazkira as volume/page/number."),
        "1400-0101-23456",
        aliases=("tazkira_number", "tazkira_no"),
        constraint=_regex(TAZKIRA_REGEX),
        constraint_message=_l("13 digits (dashes allowed), or volume/page/number."),
    ),
    Column(
        "needs",
        PERSON,
        False,
        _l("UNHCR specific-needs codes separated by spaces."),
        "DS-PM SM-CI",
        aliases=("specific_needs",),
        constraint=_regex(NEEDS_REGEX),
        constraint_message=_l("Codes like DS-PM, separated by spaces."),
    ),
    Column(
        "arrival_date",
        HOUSEHOLD,
        True,
        _l("Date the household arrived: 2026-05-17 or 17.05.2026."),
        "2026-05-17",
        "date",
        aliases=("date_of_arrival", "arrival"),
        constraint=". <= today()",
        constraint_message=_l("The arrival date is in the future."),
    ),
    Column(
        "crossing_point",
        HOUSEHOLD,
        False,
        _l("Code of the border crossing point."),
        "PPY",
        "select_one crossing_point",
        aliases=("crossing", "border_crossing"),
    ),
    Column(
        "origin_province",
        HOUSEHOLD,
        False,
        _l("Province of origin as a P-code."),
        "AF15",
        "select_one origin_province",
        aliases=("province",),
    ),
    Column(
        "origin_district",
        HOUSEHOLD,
        False,
        _l("District of origin as a P-code (the province code and two digits)."),
        "AF1501",
        aliases=("district",),
        constraint=_regex(DISTRICT_REGEX),
        constraint_message=_l("A district P-code is the province code and two digits, e.g. AF1501."),
    ),
    Column(
        "phone",
        HOUSEHOLD,
        False,
        _l("The household's phone number."),
        "+992 93 123 4567",
        aliases=("phone_number", "mobile"),
        constraint=_regex(PHONE_REGEX),
        constraint_message=_l("Enter a phone number with digits only, e.g. +992 93 123 4567."),
    ),
    Column(
        "languages",
        HOUSEHOLD,
        False,
        _l("Languages spoken, ISO 639-3 codes separated by spaces."),
        "prs tgk",
        "select_multiple languages",
        aliases=("language",),
    ),
    Column(
        "consent",
        HOUSEHOLD,
        False,
        _l("yes or no: agreed after being told why their data is taken. Empty: recorded later at the desk."),
        "yes",
        "select_one consent",
    ),
    Column("notes", HOUSEHOLD, False, _l("Anything the desk should know."), "", aliases=("comments", "comment")),
)

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
HOUSEHOLD_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.level == HOUSEHOLD)
ALIASES: dict[str, str] = {alias: c.name for c in COLUMNS for alias in c.aliases}

YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0")


def choices() -> dict[str, list[tuple[str, str]]]:
    """Choice lists by name: (code, label) pairs, labels translated when called."""
    return {
        "relationship": [(code, str(label)) for code, label in RELATIONSHIPS.items()],
        "sex": [(code, str(label)) for code, label in SEXES.items()],
        "marital_status": [(code, str(label)) for code, label in MARITAL_STATUSES.items()],
        "crossing_point": list(BORDER_CROSSINGS),
        "origin_province": [(code, f"{english} ({code}) — {dari}") for code, english, dari in AFGHAN_PROVINCES],
        "languages": [(code, str(label)) for code, label in LANGUAGES.items()],
        "consent": [("yes", str(_l("Yes"))), ("no", str(_l("No")))],
    }


def markdown_table() -> str:
    """The column table of docs/import-format.md."""
    lines = ["| Column | Level | Required | Description | Example | Also read as |", "|---|---|---|---|---|---|"]
    for c in COLUMNS:
        required = ("yes (head's row)" if c.level == HOUSEHOLD else "yes") if c.required else ""
        aliases = ", ".join(f"`{a}`" for a in c.aliases)
        example = f"`{c.example}`" if c.example else ""
        lines.append(f"| `{c.name}` | {c.level} | {required} | {c.description} | {example} | {aliases} |")
    return "\n".join(lines)
