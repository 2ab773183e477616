"""Registering a household at the desk: one transaction for the whole family.

The same functions serve the desk page, the API and imports: ``clean_household`` turns raw input
into checked data (every refusal named by field, all at once), ``register_household`` saves it.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import phones
from app.audit.services import log_action
from app.campday import camp_today
from app.db import begin_write, utcnow
from app.errors import UserValueError, ValidationErrors
from app.users.actors import Actor, is_system
from camps.sites.models import Camp
from registration import births, needs
from registration.dedup import services as dedup
from registration.dedup.matching import NameRecord, normalise_tazkira
from registration.gazetteer import CROSSING_NAMES, PROVINCE_NAMES
from registration.households import contact
from registration.households.models import (
    LANGUAGES,
    MARITAL_STATUSES,
    NAME_FIELDS,
    RELATIONSHIPS,
    SEXES,
    Household,
    Person,
    PersonNeed,
    PersonPhoto,
)
from registration.households.numbers import format_number
from registration.photos import process_photo

MAX_MEMBERS = 40
_LATIN = re.compile(r"^[A-Za-z][A-Za-z' .-]*$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: the one-time token's largest size (the column's width): a longer one is refused, never cut
TOKEN_MAX = 40
_TOKEN = re.compile(rf"[!-~]{{1,{TOKEN_MAX}}}")  # visible ASCII, no spaces


@dataclass
class MemberData:
    names: dict[str, str | None]
    sex: str
    birth_date: date
    birth_precision: str
    relation_to_head: str
    marital_status: str | None
    nationality: str
    tazkira: str | None
    needs: list[str]
    photo: bytes | None = None
    #: people the clerk confirmed this member is not (remembered as decisions)
    not_duplicates: set[int] = field(default_factory=set)
    source_ref: str | None = None
    #: position of the member's row in the form, so refusals land next to the right row
    index: int = 0
    #: the pre-registered person this row finishes (pending households only)
    person_id: int | None = None
    #: likely matches found by the duplicate check, kept so that saving does not search twice
    matches: list | None = None

    def record(self) -> NameRecord:
        return NameRecord.of(self.names, self.sex, self.birth_date, self.birth_precision, self.tazkira)


@dataclass
class HouseholdData:
    camp: Camp
    arrival_date: date
    crossing_point: str | None
    origin_province: str | None
    origin_district: str | None
    phone: str | None
    languages: list[str]
    consent: bool
    notes: str | None
    token: str | None
    members: list[MemberData]
    #: agreed to SMS (None: not asked) and their language (``registration.households.contact``)
    sms_consent: bool | None = None
    sms_language: str | None = None


class TokenUsed(UserValueError):
    """The one-time token belongs to a household another user (or another camp) registered."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This form’s one-time token was already used by someone else, so nothing was saved. "
                "Save again to register this household with a new token."
            ),
            field="token",
        )


class DuplicatesFound(UserValueError):
    """Likely matches the clerk has not yet answered, by member index."""

    def __init__(self, checks: dict[int, dedup.DuplicateCheck]) -> None:
        super().__init__(_("Some people may already be registered. Check each match below."))
        self.checks = checks


# --- cleaning ----------------------------------------------------------------------------------


def _text(raw: dict, key: str, limit: int = 80) -> str | None:
    value = " ".join(str(raw.get(key) or "").split())
    return value[:limit] or None


def clean_names(raw: dict) -> dict[str, str | None]:
    """Latin and original-script names. Cyrillic typed in a Latin field is moved and transliterated."""
    from registration.dedup.matching import to_ascii

    names: dict[str, str | None] = {}
    for base in NAME_FIELDS:
        latin, orig = _text(raw, base), _text(raw, base + "_orig")
        if latin and _CYRILLIC.search(latin):
            orig = orig or latin
            latin = " ".join(w.capitalize() for w in to_ascii(latin).split())
        if latin and not _LATIN.match(latin):
            raise UserValueError(_("Use Latin letters here; the original script goes in the next field."), field=base)
        names[base], names[base + "_orig"] = latin, orig
    if not names["given_name"]:
        raise UserValueError(_("Enter the given name in Latin letters."), field="given_name")
    return names


def clean_token(value) -> str | None:
    """The one-time token exactly as sent: 1 to 40 visible characters, or none."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _TOKEN.fullmatch(value):
        raise UserValueError(
            _(
                "The one-time token must be 1 to %(n)d letters, digits or signs without spaces: reload the form.",
                n=TOKEN_MAX,
            ),
            field="token",
        )
    return value


def clean_tazkira(value: str | None) -> str | None:
    """13-digit e-tazkira (dashes allowed) or a paper tazkira as volume/page/number."""
    value = (value or "").strip()
    if not value:
        return None
    compact = normalise_tazkira(value) or ""
    if re.fullmatch(r"\d{13}", compact) and re.fullmatch(r"[\d\s-]+", value):
        return compact
    if re.fullmatch(r"\d{1,6}(/\d{1,6}){2,3}", value.replace(" ", "")):
        return value.replace(" ", "")
    raise UserValueError(
        _("Enter the 13-digit e-tazkira number, or a paper tazkira as volume/page/number."), field="tazkira"
    )


def clean_member(raw: dict, today: date) -> MemberData:
    errors = ValidationErrors.collect()
    names = errors.check("", clean_names, raw) or {}
    born = errors.check("", births.parse_born, str(raw.get("born") or ""), today)
    sex = raw.get("sex")
    if sex not in SEXES:
        errors.add("sex", _("Choose female or male."))
    relation = raw.get("relation_to_head") or ""
    if relation not in RELATIONSHIPS:
        errors.add("relation_to_head", _("Choose the relationship to the head of household."))
    marital = raw.get("marital_status") or None
    if marital is not None and marital not in MARITAL_STATUSES:
        errors.add("marital_status", _("Choose a marital status."))
    tazkira = errors.check("", clean_tazkira, raw.get("tazkira"))
    codes = raw.get("needs") or []
    known, unknown = needs.parse_codes(codes if isinstance(codes, str) else ",".join(codes))
    if unknown:
        errors.add("needs", _("Unknown specific-needs codes: %(codes)s", codes=", ".join(unknown)))
    photo = raw.get("photo")
    if photo and not isinstance(photo, bytes):  # a JSON body: photos come only through the desk's forms
        errors.add("photo", _("This file is not a picture we can read."))
        photo = None
    elif photo and not raw.get("photo_ready"):  # ready: the desk form checked it already (desk_form.raw_input)
        photo = errors.check("", process_photo, photo)
    errors.raise_if_any()
    assert sex is not None  # refused above when missing
    return MemberData(
        names=names,
        sex=sex,
        birth_date=born[0],
        birth_precision=born[1],
        relation_to_head=relation,
        marital_status=marital,
        nationality=(_text(raw, "nationality", 3) or "AFG").upper(),
        tazkira=tazkira,
        needs=known,
        photo=photo,
        not_duplicates={int(i) for i in raw.get("not_duplicates") or () if str(i).isdigit()},
        source_ref=_text(raw, "source_ref", 64),
        index=int(raw.get("_index") or 0),
        person_id=int(raw["person_id"]) if str(raw.get("person_id") or "").isdigit() else None,
    )


def clean_household(session: Session, actor: Actor, raw: dict, today: date) -> HouseholdData:
    """Check everything typed for a household and its members; raise ValidationErrors listing all refusals."""
    errors = ValidationErrors.collect()
    camp = session.get(Camp, raw.get("camp_id") or 0)
    if camp is None or (not is_system(actor) and not actor.can_access_camp(camp.id)):
        errors.add("camp_id", _("Choose one of your camps."))
    fields = household_fields(errors, raw, today)
    fields.update(contact.clean(errors, raw))
    consent = raw.get("consent")
    if consent not in (True, False):
        errors.add("consent", _("Record whether the family agreed after being told why their data is taken."))
    token = errors.check("", clean_token, raw.get("token"))
    members = _clean_members(errors, raw.get("members") or [], today)
    errors.raise_if_any()
    assert camp is not None and isinstance(consent, bool)  # refused above when missing
    return HouseholdData(camp=camp, consent=consent, token=token, members=members, **fields)


def household_fields(errors, raw: dict, today: date) -> dict:
    """The household's own fields, checked; refusals go into ``errors``."""
    arrival = raw.get("arrival_date")
    if not isinstance(arrival, date):
        errors.add("arrival_date", _("Enter the date of arrival."))
    elif arrival > today:
        errors.add("arrival_date", _("The arrival date is in the future."))
    crossing = raw.get("crossing_point") or None
    if crossing is not None and crossing not in CROSSING_NAMES:
        errors.add("crossing_point", _("Choose a border crossing point."))
    province = raw.get("origin_province") or None
    if province is not None and province not in PROVINCE_NAMES:
        errors.add("origin_province", _("Choose a province."))
    district = _text(raw, "origin_district", 6)
    if district and not (province and re.fullmatch(re.escape(province) + "[0-9]{2}", district)):
        errors.add("origin_district", _("A district P-code is the province code and two digits, e.g. AF1501."))
    phone = errors.check("", phones.normalise, _text(raw, "phone", 32))
    return {
        "arrival_date": arrival,
        "crossing_point": crossing,
        "origin_province": province,
        "origin_district": district,
        "phone": phone,
        "notes": _text(raw, "notes", 2000),
        "languages": [code for code in raw.get("languages") or [] if code in LANGUAGES],
    }


def _clean_members(errors, rows: list[dict], today: date) -> list[MemberData]:
    rows = [r for r in rows if any(str(r.get(k) or "").strip() for k in ("given_name", "given_name_orig", "born"))]
    if not rows:
        errors.add("members", _("Register at least the head of household."))
        return []
    if len(rows) > MAX_MEMBERS:
        errors.add("members", _("A household has at most %(n)d members.", n=MAX_MEMBERS))
    members = []
    for index, row in enumerate(rows):
        row.setdefault("_index", index)
        member = errors.check(f"members-{row['_index']}-", clean_member, row, today)
        if member is not None:
            members.append(member)
    heads = sum(1 for r in rows if r.get("relation_to_head") == "head")
    if heads != 1:
        errors.add("members", _("Exactly one member must be the head of household."))
    return members


# --- saving ------------------------------------------------------------------------------------


def allocate_number(session: Session, camp: Camp) -> str:
    """The camp's next household number; the counter row is updated in place (safe under concurrency)."""
    sequence = session.execute(
        update(Camp)
        .where(Camp.id == camp.id)
        .values(household_counter=Camp.household_counter + 1)
        .returning(Camp.household_counter)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    camp.household_counter = sequence
    return format_number(camp.code, sequence)


def existing_for_token(session: Session, actor: Actor, data: HouseholdData) -> Household | None:
    """The household this user already saved with this token in this camp (a retried or double-clicked save).

    The token is bound to the user and camp that used it: anyone else sending it is refused
    (``TokenUsed``) and learns nothing about that household.
    """
    if not data.token:
        return None
    household = session.scalar(select(Household).where(Household.registration_token == data.token))
    if household is None:
        return None
    if household.registered_by_id != getattr(actor, "id", None) or household.camp_id != data.camp.id:
        raise TokenUsed()
    return household


def find_duplicates(
    session: Session, actor: Actor, data: HouseholdData, exclude: Set[int] = frozenset()
) -> dict[int, dedup.DuplicateCheck]:
    """Per member index: likely matches not yet answered by the clerk or decided before."""
    unanswered = {}
    for member in data.members:
        member.matches = dedup.find_matches(session, member.record(), exclude=exclude)
        result = dedup.split(member.matches, actor)
        result.matches = [c for c in result.matches if c.person.id not in member.not_duplicates]
        if result.visible:
            unanswered[member.index] = result
    return unanswered


def row_checks(session: Session, actor: Actor, rows: list[dict], today: date) -> dict[int, dedup.DuplicateCheck]:
    """Per member index, the likely matches of each row typed well enough to check, when the form comes
    back for another mistake: the warning stays on screen, with the clerk's "different person" answers
    (``answered``) still ticked."""
    checks = {}
    for row in rows:
        try:
            member = clean_member(row, today)
        except UserValueError:
            continue
        result = dedup.check(session, actor, member.record())
        result.answered = member.not_duplicates
        if result.visible or result.other_camps:
            checks[member.index] = result
    return checks


def register_household(
    session: Session, actor: Actor, data: HouseholdData, *, check_duplicates: bool = True, status: str = "active"
) -> tuple[Household, bool]:
    """Save the household and its members; return (household, created).

    A repeated submission with the same token by the same user for the same camp returns the
    household saved the first time; anyone else's raises TokenUsed.
    Raises DuplicatesFound when a member likely matches someone the clerk has not yet ruled out.
    """
    existing = existing_for_token(session, actor, data)
    if existing is not None:
        return existing, False
    if check_duplicates:
        unanswered = find_duplicates(session, actor, data)
        if unanswered:
            raise DuplicatesFound(unanswered)
    else:  # not asked, but the likely pairs are still queued for review: matched now, before the write
        for member in data.members:
            if member.matches is None:  # (an import's step may have searched already, before its write)
                member.matches = dedup.find_matches(session, member.record())
    # The slow parts are done: only the short write waits for SQLite's write lock, and the camp's
    # counter row (PostgreSQL) is held from the number to the commit, never during a search.
    begin_write(session)
    try:
        with session.begin_nested():
            household = _create(session, actor, data, status)
    except IntegrityError:
        # Another request saved the same form first (a double click): answer with its household.
        existing = existing_for_token(session, actor, data)
        if existing is None:
            raise
        return existing, False
    _record_duplicates(session, actor, household, data, shown=check_duplicates)
    log_action(
        session,
        actor,
        "household.register",
        object_type="household",
        object_id=household.id,
        camp_id=household.camp_id,
        details={"members": len(data.members), "status": status},
    )
    return household, True


def _head_first(members: list[MemberData]) -> list[MemberData]:
    """Members in the order they are numbered: the head is /01."""
    return sorted(members, key=lambda m: m.relation_to_head != "head")


def _create(session: Session, actor: Actor, data: HouseholdData, status: str) -> Household:
    now = utcnow()
    household = Household(
        camp_id=data.camp.id,
        status=status,
        arrival_date=data.arrival_date,
        crossing_point=data.crossing_point,
        origin_province=data.origin_province,
        origin_district=data.origin_district,
        phone=data.phone,
        phone_digits=re.sub(r"\D", "", data.phone or "") or None,
        languages=" ".join(data.languages) or None,
        consent=data.consent,
        consent_at=now,
        consent_by_id=getattr(actor, "id", None),
        notes=data.notes,
        registration_token=data.token,
        registered_by_id=getattr(actor, "id", None),
        registered_at=now,
        size=len(data.members),
    )
    contact.apply(household, {"sms_consent": data.sms_consent, "sms_language": data.sms_language})
    for seq, member in enumerate(_head_first(data.members), start=1):
        household.members.append(build_person(seq, member))
    household.number = allocate_number(session, data.camp)  # the camp's counter row last, just before the insert
    session.add(household)
    session.flush()
    for person in household.members:
        dedup.store_keys(session, person, new=True)
    session.flush()
    return household


def build_person(seq: int, member: MemberData) -> Person:
    """A new Person (with needs and photo) from checked member data; the caller adds it to a household."""
    person = Person(
        seq=seq,
        **member.names,
        sex=member.sex,
        birth_date=member.birth_date,
        birth_precision=member.birth_precision,
        relation_to_head=member.relation_to_head,
        marital_status=member.marital_status,
        nationality=member.nationality,
        tazkira=member.tazkira,
        status="active",
        source_ref=member.source_ref,
        needs=[PersonNeed(code=code) for code in member.needs],
    )
    if member.photo:
        person.photo = PersonPhoto(jpeg=member.photo)
    return person


def finish_pending(session: Session, actor: Actor, household: Household, data: HouseholdData) -> Household:
    """Complete a pre-registered household at the desk: its rows are corrected, photos and consent
    added, people not present any more are marked departed; then it is active. Needs codes hidden
    from ``actor`` (protection codes from the list) are kept."""
    if household.status != "pending":
        raise UserValueError(_("This household was already finished."))
    own = {p.id for p in household.members}
    unanswered = find_duplicates(session, actor, data, exclude=own)
    if unanswered:
        raise DuplicatesFound(unanswered)
    begin_write(session)
    for key in ("arrival_date", "crossing_point", "origin_province", "origin_district", "phone", "notes"):
        setattr(household, key, getattr(data, key))
    household.phone_digits = re.sub(r"\D", "", data.phone or "") or None
    household.languages = " ".join(data.languages) or None
    household.consent, household.consent_at = data.consent, utcnow()
    contact.apply(household, {"sms_consent": data.sms_consent, "sms_language": data.sms_language})
    household.consent_by_id = getattr(actor, "id", None)
    by_id = {p.id: p for p in household.members}
    kept, placed = set(), []
    next_seq = max((p.seq for p in household.members), default=0) + 1
    for member in data.members:
        person = None if member.person_id is None else by_id.get(member.person_id)
        if person is None:
            person = build_person(next_seq, member)
            household.members.append(person)
            next_seq += 1
        else:
            _apply(actor, person, member)
        kept.add(id(person))
        placed.append((person, member))
    for person in household.members:
        if id(person) not in kept:
            person.status, person.status_date = "departed", camp_today()
    household.status = "active"
    household.size = sum(1 for p in household.members if p.status == "active")
    session.flush()
    for person in household.members:
        dedup.store_keys(session, person)
    session.flush()
    _record_duplicates(session, actor, household, data, shown=True, people=placed)
    log_action(
        session,
        actor,
        "household.finish",
        object_type="household",
        object_id=household.id,
        camp_id=household.camp_id,
        details={"members": household.size},
    )
    return household


def _apply(actor: Actor, person: Person, member: MemberData) -> None:
    for key, value in member.names.items():
        setattr(person, key, value)
    person.sex, person.birth_date, person.birth_precision = member.sex, member.birth_date, member.birth_precision
    person.relation_to_head, person.marital_status = member.relation_to_head, member.marital_status
    person.nationality, person.tazkira = member.nationality, member.tazkira
    set_needs(person, needs.merge_codes(actor, person.need_codes, member.needs))
    if member.photo:
        person.photo = PersonPhoto(jpeg=member.photo)


def set_needs(person: Person, codes: list[str]) -> None:
    """Make the person's needs exactly ``codes``: rows no longer wanted go, missing ones are added
    (replacing the whole list would insert a kept code again before deleting it)."""
    wanted = set(codes)
    for need in [n for n in person.needs if n.code not in wanted]:
        person.needs.remove(need)
    held = {n.code for n in person.needs}
    person.needs.extend(PersonNeed(code=code) for code in sorted(wanted - held))


def _record_duplicates(
    session: Session,
    actor: Actor,
    household: Household,
    data: HouseholdData,
    *,
    shown: bool,
    people: list[tuple[Person, MemberData]] | None = None,
) -> None:
    """Remember the clerk's "different person" answers and queue every other match for a supervisor.

    The candidates are the ones found here, on the server (never ids sent by the client): an
    answer counts only for a match the duplicate check showed the clerk (``shown``) in the
    household's own camp. Matches in another camp always go to a supervisor. ``people`` pairs each
    saved person with its form row (a finished pending household); by default the new members in order.
    """
    own = {p.id for p in household.members}
    if people is None:
        people = list(zip(sorted(household.members, key=lambda p: p.seq), _head_first(data.members), strict=True))
    for person, member in people:
        matches = member.matches if member.matches is not None else dedup.find_matches(session, member.record())
        for person_b, comparison in matches:
            if person_b.id in own:
                continue
            different = (
                shown and person_b.id in member.not_duplicates and person_b.household.camp_id == household.camp_id
            )
            dedup.record_pair(session, actor, person, person_b, comparison, "different" if different else "open")


__all__ = ["DuplicatesFound", "HouseholdData", "MemberData", "TokenUsed", "clean_household", "register_household"]
