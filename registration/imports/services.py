"""Checking a pre-registration list and saving its households as *pending* (finished later at the desk).

``validate_file`` reads the file, groups its rows by ``household_ref``, builds each household in exactly
the desk's raw format and runs the desk's own ``clean_household``: a list is held to the same rules as
the desk. Every refusal is reported against the spreadsheet row it comes from. A household with any bad
row is not importable; the others are. ``import_valid`` saves the importable households through
``register_household``, inside the caller's transaction (it flushes, never commits).

Each imported household carries a token made of the camp, the list name and its ``household_ref``, so
importing the same list twice never creates the same household twice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.audit.services import log_action
from app.errors import ValidationErrors
from app.users.actors import Actor, is_system
from camps.sites.models import Camp
from registration.dedup.models import DuplicatePair
from registration.households.desk import (
    MAX_MEMBERS,
    HouseholdData,
    TokenUsed,
    clean_household,
    clean_member,
    register_household,
)
from registration.households.models import LANGUAGES, Household, PersonKey
from registration.imports.columns import HOUSEHOLD_COLUMNS, NO, REQUIRED, YES
from registration.imports.parse import Cell, FileProblem, read_table
from registration.transliterate import suggest_latin

PROGRESS_EVERY = 50
NAME_COLUMNS = (
    "given_name",
    "given_name_orig",
    "father_name",
    "father_name_orig",
    "family_name",
    "family_name_orig",
    "grandfather_name",
    "grandfather_name_orig",
)
#: the desk's field names that differ from the list's column names
DESK_TO_COLUMN = {"relation_to_head": "relationship", "source_ref": "person_ref"}
_SEX = {"f": "f", "female": "f", "m": "m", "male": "m"}
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass
class RowProblem:
    #: the spreadsheet's row number (the header is row 1); 0 for a problem with the file as a whole
    row_number: int
    household_ref: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = _("file") if self.row_number == 0 else _("row %(n)d", n=self.row_number)
        if self.household_ref:
            where += " (" + _("household %(ref)s", ref=self.household_ref) + ")"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class ImportedHousehold(HouseholdData):
    """A checked household of the list, with what the import needs besides the desk's data."""

    household_ref: str = ""
    #: what the list says about consent: None when it does not say (the desk records it later)
    listed_consent: bool | None = None
    rows: tuple[int, ...] = ()
    #: member indexes whose Latin names were suggested from the original script (``transliterate``)
    suggested: frozenset[int] = frozenset()


@dataclass
class ImportReport:
    list_name: str
    households_ok: int = 0
    people_ok: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    #: the importable households (ImportedHousehold, a HouseholdData), in the order of the file
    valid: list[HouseholdData] = field(default_factory=list)
    camp: Camp | None = None
    #: data rows read, and households found (importable or not)
    rows: int = 0
    households: int = 0
    #: households of this list imported before (not imported again)
    already_imported: int = 0
    #: header names that are not columns of the format (shown, so that a misspelt column is noticed)
    ignored_columns: list[str] = field(default_factory=list)
    sheet: str | None = None

    @property
    def usable(self) -> bool:
        """False when the file itself could not be used (then nothing in it was checked)."""
        return not any(p.row_number == 0 for p in self.problems)

    @property
    def households_bad(self) -> int:
        """Households of the file that cannot be imported because of problems."""
        return self.households - self.households_ok - self.already_imported

    @property
    def people_suggested(self) -> int:
        """People of the importable households whose Latin names were suggested from the original script."""
        return sum(len(getattr(h, "suggested", ())) for h in self.valid)


@dataclass
class _Row:
    number: int
    ref: str
    cells: dict[str, Cell]
    member: dict = field(default_factory=dict)
    #: household column → checked value (None when empty)
    household: dict = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    #: a Latin name was suggested from the original script
    suggested: bool = False

    def add(self, column: str, message: str) -> None:
        if (column, message) not in self.problems:
            self.problems.append((column, message))


# --- validating --------------------------------------------------------------------------------


def list_name_for(filename: str, list_name: str | None = None) -> str:
    """The given list name, else the file name without folders and extension."""
    name = " ".join((list_name or "").split())
    if not name:
        base = re.split(r"[\\/]", filename or "")[-1]
        name = base.rsplit(".", 1)[0] if "." in base else base
    return name.strip()[:80] or "import"


def import_token(camp: Camp, list_name: str, household_ref: str) -> str:
    """The household's registration token: the same list row always gives the same token."""
    digest = hashlib.sha256(f"{camp.code}\n{list_name}\n{household_ref}".encode()).hexdigest()
    return "imp-" + digest[:36]


def validate_file(
    session: Session,
    actor: Actor,
    camp: Camp | str | None,
    filename: str,
    data: bytes,
    today: date,
    *,
    list_name: str | None = None,
) -> ImportReport:
    """Check a list file; nothing is saved. File-level problems have row_number 0 and stop the check."""
    report = ImportReport(list_name=list_name_for(filename, list_name))
    chosen = session.scalar(select(Camp).where(Camp.code == camp.strip().upper())) if isinstance(camp, str) else camp
    if chosen is None or (not is_system(actor) and not actor.can_access_camp(chosen.id)):
        report.problems.append(RowProblem(0, None, "camp", _("Choose one of your camps.")))
        return report
    report.camp = camp = chosen
    try:
        table = read_table(filename, data)
    except FileProblem as exc:
        report.problems.append(RowProblem(0, None, exc.field or "", exc.message))
        return report
    # a list in the original script only (given_name_orig, no given_name) gets suggested Latin names
    missing = [name for name in REQUIRED if name not in table.columns and f"{name}_orig" not in table.columns]
    for name in missing:
        report.problems.append(RowProblem(0, None, name, _("This required column is missing.")))
    if missing:
        return report
    report.rows, report.ignored_columns, report.sheet = len(table.rows), table.ignored, table.sheet

    rows = [_read_row(number, cells) for number, cells in table.rows]
    _check_person_refs(rows)
    households: dict[str, list[_Row]] = {}
    for row in rows:
        if row.ref:
            households.setdefault(row.ref, []).append(row)
        else:
            row.add("household_ref", _("Enter the household reference: all rows of a household share it."))
            _check_person(row, today)
    report.households = len(households)
    tokens = {ref: import_token(camp, report.list_name, ref) for ref in households}
    imported_before = _existing_tokens(session, tokens.values())
    for ref, members in households.items():
        if tokens[ref] in imported_before:
            report.already_imported += 1
            for row in members:
                row.add(
                    "household_ref",
                    _('This household was already imported from the list "%(name)s".', name=report.list_name),
                )
            continue
        checked = _check_household(session, actor, camp, members, tokens[ref], today)
        if checked is not None:
            report.valid.append(checked)
            report.households_ok += 1
            report.people_ok += len(checked.members)

    for row in rows:
        for column, message in row.problems:
            report.problems.append(RowProblem(row.number, row.ref or None, column, message))
    report.problems.sort(key=lambda p: p.row_number)
    return report


def _read_row(number: int, cells: dict[str, Cell]) -> _Row:
    """One person's row in the desk's member format, and its household values, checked for format."""
    row = _Row(number=number, ref=_text(cells.get("household_ref")), cells=cells)
    member: dict[str, str | None] = {name: _text(cells.get(name)) for name in NAME_COLUMNS}
    sex = _text(cells.get("sex")).lower()
    born = cells.get("born")
    member.update(
        sex=_SEX.get(sex, sex),
        born=born.strftime("%d.%m.%Y") if isinstance(born, date) else _text(born),
        relation_to_head=re.sub(r"[\s-]+", "_", _text(cells.get("relationship")).lower()),
        marital_status=_text(cells.get("marital_status")).lower() or None,
        tazkira=_text(cells.get("tazkira")) or None,
        needs=_text(cells.get("needs")),
        source_ref=_text(cells.get("person_ref")) or None,
    )
    row.member = member
    row.suggested = suggest_latin_names(member)
    if not (member["given_name"] or member["given_name_orig"] or member["born"]):
        row.add("given_name", _("Enter the given name in Latin letters."))
    for name in HOUSEHOLD_COLUMNS:
        try:
            row.household[name] = _household_value(name, cells.get(name))
        except ValueError as exc:
            row.household[name] = None
            row.add(name, str(exc))
    return row


def suggest_latin_names(member: dict) -> bool:
    """Fill the Latin names a row gives only in another script; True when any was suggested.

    A name in Arabic script or Cyrillic in a Latin column is moved to the original-script column first
    (a Dari-only list may put its names under the usual headers).
    """
    suggested = False
    for base in (name for name in NAME_COLUMNS if not name.endswith("_orig")):
        latin, orig = member.get(base), member.get(f"{base}_orig")
        if latin and not latin.isascii() and not orig:
            latin, orig = "", latin
        if orig and not latin and (spelled := suggest_latin(orig)):
            latin, suggested = spelled, True
        member[base], member[f"{base}_orig"] = latin, orig
    return suggested


def _household_value(name: str, cell: Cell | None):
    """The checked value of a household column, or None when empty; ValueError with a message if unreadable."""
    if isinstance(cell, date):
        if name == "arrival_date":
            return cell
        cell = cell.isoformat()
    text = _text(cell)
    if not text:
        return None
    if name == "arrival_date":
        return parse_date(text)
    if name in ("crossing_point", "origin_province", "origin_district"):
        return text.upper()
    if name == "languages":
        codes = list(dict.fromkeys(text.lower().replace(",", " ").split()))
        unknown = [c for c in codes if c not in LANGUAGES]
        if unknown:
            raise ValueError(
                _(
                    "Unknown language codes: %(codes)s (use %(known)s).",
                    codes=", ".join(unknown),
                    known=", ".join(LANGUAGES),
                )
            )
        return tuple(codes)
    if name == "consent":
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError(_("Write yes or no, or leave it empty if consent is recorded later at the desk."))
    return text


def parse_date(text: str) -> date:
    """2026-05-17 (also with a time after it), 17.05.2026 or 17/05/2026, or an Excel day number."""
    text = text.strip()
    try:
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if re.fullmatch(r"\d{5}", text) and 36526 <= int(text) <= 73050:  # Excel day numbers, 2000-2099
            return _EXCEL_EPOCH + timedelta(days=int(text))
    except ValueError:
        pass
    raise ValueError(_("Write the date as 2026-05-17 or 17.05.2026."))


def _check_person_refs(rows: list[_Row]) -> None:
    seen: dict[str, _Row] = {}
    for row in rows:
        ref = row.member.get("source_ref")
        if not ref:
            continue
        if ref in seen:
            first = seen[ref]
            first.add("person_ref", _("The same person reference is on row %(n)d.", n=row.number))
            row.add("person_ref", _("The same person reference is on row %(n)d.", n=first.number))
        else:
            seen[ref] = row


def _check_person(row: _Row, today: date) -> None:
    """The desk's checks of one person, for a row that belongs to no household."""
    try:
        clean_member(dict(row.member), today)
    except ValidationErrors as exc:
        for key, messages in exc.errors.items():
            for message in messages:
                row.add(DESK_TO_COLUMN.get(key, key), message)


def _check_household(
    session: Session, actor: Actor, camp: Camp, rows: list[_Row], token: str, today: date
) -> ImportedHousehold | None:
    """Run the desk's checks on one household; report refusals on its rows; return it when all is well."""
    heads = [r for r in rows if r.member["relation_to_head"] == "head"]
    if len(heads) > 1:
        numbers = ", ".join(str(r.number) for r in heads)
        for row in heads:
            row.add(
                "relationship",
                _("Exactly one member must be the head of household (rows %(rows)s are marked head).", rows=numbers),
            )
    elif not heads:
        for row in rows:
            row.add("relationship", _("No member of this household is marked head."))
    if len(rows) > MAX_MEMBERS:
        for row in rows:
            row.add("household_ref", _("A household has at most %(n)d members.", n=MAX_MEMBERS))
    head = heads[0] if heads else rows[0]
    values, sources = _household_values(rows, head)

    # Consent: the list may not say. Imported households are pending until the desk finishes them, and the
    # desk asks for consent then. The desk's checker insists on True/False, so an unsaid consent is passed
    # as True here only to satisfy it; import_valid stores the list's own answer (None when unsaid).
    listed_consent = values["consent"]
    people = [r for r in rows if r.member["given_name"] or r.member["given_name_orig"] or r.member["born"]]
    members = [dict(r.member, _index=i) for i, r in enumerate(people)]
    raw = {
        "camp_id": camp.id,
        **values,
        "languages": list(values["languages"] or ()),
        "consent": True if listed_consent is None else listed_consent,
        "token": token,
        "members": members,
    }
    data = None
    try:
        data = clean_household(session, actor, raw, today)
    except ValidationErrors as exc:
        flagged = any(p for r in rows for p in r.problems if p[0] in ("relationship", "household_ref"))
        for key, messages in exc.errors.items():
            for message in messages:
                _place(key, message, rows, people, sources, head, flagged)

    bad = [r.number for r in rows if r.problems]
    if bad or data is None:
        listed = ", ".join(str(n) for n in bad)
        for row in rows:
            if not row.problems:
                row.add("", _("Not imported: row(s) %(rows)s of this household have problems.", rows=listed))
        return None
    return ImportedHousehold(
        **vars(data),
        household_ref=head.ref,
        listed_consent=listed_consent,
        rows=tuple(r.number for r in rows),
        suggested=frozenset(i for i, r in enumerate(people) if r.suggested),
    )


def _household_values(rows: list[_Row], head: _Row) -> tuple[dict, dict[str, _Row]]:
    """Each household column's value, from the head's row (or the one row that has it); report disagreement."""
    values, sources = {}, {}
    for name in HOUSEHOLD_COLUMNS:
        given = [r for r in rows if r.household.get(name) is not None]
        source = head if head.household.get(name) is not None else (given[0] if given else head)
        value = source.household.get(name)
        for row in given:
            if row is not source and _comparable(name, row.household[name]) != _comparable(name, value):
                row.add(
                    name, _("The rows of this household disagree: row %(n)d has a different value.", n=source.number)
                )
        values[name], sources[name] = value, source
    return values, sources


def _comparable(name: str, value):
    return frozenset(value or ()) if name == "languages" else value


def _place(
    key: str, message: str, rows: list[_Row], people: list[_Row], sources: dict[str, _Row], head: _Row, flagged: bool
) -> None:
    """Put one of the desk's refusals on the row it is about."""
    if match := re.fullmatch(r"members-(\d+)-(.*)", key):
        row = people[int(match[1])]
        row.add(DESK_TO_COLUMN.get(match[2], match[2]), message)
    elif key == "members":
        if not flagged:  # the head and size checks above already said it, by row
            for row in rows:
                row.add("relationship", message)
    else:
        sources.get(key, head).add(DESK_TO_COLUMN.get(key, key), message)


def _existing_tokens(session: Session, tokens) -> set[str]:
    found: set[str] = set()
    tokens = list(tokens)
    for start in range(0, len(tokens), 500):
        found.update(
            session.scalars(
                select(Household.registration_token).where(
                    Household.registration_token.in_(tokens[start : start + 500])
                )
            )
        )
    return found


def _text(value: Cell | None) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value or "").split())


# --- importing ---------------------------------------------------------------------------------


def import_valid(
    session: Session, actor: Actor, report: ImportReport, progress: Callable[[int, int], None] | None = None
) -> list[Household]:
    """Save the report's importable households as pending, in the caller's transaction; return them.

    Likely duplicates are not asked about here: the desk service queues them for supervisors.
    """
    saved: list[Household] = []
    people = 0
    total = len(report.valid)
    for done, data in enumerate(report.valid, start=1):
        household = save_household(session, actor, report, data)
        if household is not None:
            saved.append(household)
            people += len(data.members)
        if done % PROGRESS_EVERY == 0:
            _lighten(session, saved)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    session.flush()
    saved = _reload(session, saved) if total > PROGRESS_EVERY else saved
    log_import(session, actor, report, len(saved), people)
    return saved


def save_household(session: Session, actor: Actor, report: ImportReport, data: HouseholdData) -> Household | None:
    """Save one importable household as pending; None when it was imported before (its token).

    Its likely duplicates are searched first, unless ``data``'s members carry them already.
    """
    try:
        household, created = register_household(session, actor, data, check_duplicates=False, status="pending")
    except TokenUsed:  # another user imported this row since the file was checked
        return None
    if not created:
        return None
    household.source_list = report.list_name
    _mark_suggested(household, data)
    # Consent was passed to the checker as True when the list did not say (see _check_household):
    # store what the list says, and when it says nothing, that consent is not yet recorded.
    listed = getattr(data, "listed_consent", data.consent)
    household.consent = listed
    if listed is None:
        household.consent_at = household.consent_by_id = None
    return household


def _mark_suggested(household: Household, data: HouseholdData) -> None:
    """Flag the people whose Latin names were suggested, so that the desk checks them with the person."""
    suggested = [m.names for m in data.members if m.index in getattr(data, "suggested", ())]
    for person in household.members:
        if {name: getattr(person, name) for name in NAME_COLUMNS} in suggested:
            person.latin_suggested = True


def log_import(session: Session, actor: Actor, report: ImportReport, households: int, people: int) -> None:
    """The import's one audit event besides each household's own."""
    log_action(
        session,
        actor,
        "import.commit",
        camp_id=report.camp.id if report.camp else None,
        details={
            "list": report.list_name,
            "households": households,
            "people": people,
            "already_imported": report.already_imported + len(report.valid) - households,
            "not_importable": report.households_bad,
            "problems": len(report.problems),
        },
    )


def _lighten(session: Session, households: list[Household]) -> None:
    """Let go of the rows saved so far; import_valid loads its households again at the end.

    SQLAlchemy scans every object the session holds on each bulk UPDATE/DELETE (the desk's number
    counter, the dedup keys), so without this a long import slows down with the square of its size.
    Everything is flushed first: nothing is lost, it is only no longer held in memory.
    """
    session.flush()
    for household in households:
        if household in session:
            session.expunge(household)  # with its members, their needs and photos (cascade)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, PersonKey | AuditEvent | DuplicatePair):
            session.expunge(obj)


def _reload(session: Session, households: list[Household]) -> list[Household]:
    ids = [h.id for h in households]
    found: dict[int, Household] = {}
    for start in range(0, len(ids), 500):
        found.update(
            (h.id, h) for h in session.scalars(select(Household).where(Household.id.in_(ids[start : start + 500])))
        )
    return [found[i] for i in ids]


__all__ = [
    "ImportReport",
    "ImportedHousehold",
    "RowProblem",
    "import_valid",
    "log_import",
    "save_household",
    "validate_file",
]
