"""Household (the registration unit) and its members."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, one_of, utcnow
from camps.sites.models import Camp

#: a person's names in Latin letters; each has its ``<name>_orig``, as written in Dari, Pashto or Tajik
NAME_FIELDS = ("given_name", "father_name", "grandfather_name", "family_name")
#: the name columns in both scripts
NAME_COLUMNS = (*NAME_FIELDS, *(f"{name}_orig" for name in NAME_FIELDS))

HOUSEHOLD_STATUSES = {
    "pending": _l("Pre-registered, to finish at the desk"),
    "active": _l("Active"),
    "moved": _l("Moved to another camp"),
    "departed": _l("Departed"),
    "inactive": _l("Inactive"),
}
PERSON_STATUSES = {
    "active": _l("Active"),
    "departed": _l("Departed"),
    "deceased": _l("Deceased"),
    "moved": _l("Moved to another household"),
    "merged": _l("Merged duplicate"),
}
SEXES = {"f": _l("Female"), "m": _l("Male")}
#: how much of a date of birth is known (standards.md §2.4): estimates are shown as "≈1990"
BIRTH_PRECISIONS = {
    "day": _l("Exact date"),
    "month": _l("Month and year"),
    "year": _l("Year only"),
    "age": _l("Age only"),
}
RELATIONSHIPS = {
    "head": _l("Head of household"),
    "spouse": _l("Spouse"),
    "son": _l("Son"),
    "daughter": _l("Daughter"),
    "father": _l("Father"),
    "mother": _l("Mother"),
    "brother": _l("Brother"),
    "sister": _l("Sister"),
    "grandchild": _l("Grandchild"),
    "grandparent": _l("Grandparent"),
    "child_in_law": _l("Son/daughter-in-law"),
    "nephew_niece": _l("Nephew/niece"),
    "uncle_aunt": _l("Uncle/aunt"),
    "cousin": _l("Cousin"),
    "other_relative": _l("Other relative"),
    "not_related": _l("Not related"),
}
#: languages a household speaks (ISO 639-3)
LANGUAGES = {
    "prs": _l("Dari"),
    "pus": _l("Pashto"),
    "tgk": _l("Tajik"),
    "uzb": _l("Uzbek"),
    "tuk": _l("Turkmen"),
    "rus": _l("Russian"),
    "eng": _l("English"),
}
MARITAL_STATUSES = {
    "single": _l("Single"),
    "married": _l("Married"),
    "widowed": _l("Widowed"),
    "divorced": _l("Divorced"),
    "separated": _l("Separated"),
}


class Household(Base):
    __tablename__ = "households"
    __table_args__ = (
        one_of("status", HOUSEHOLD_STATUSES),
        # the figures read households by status and arrival day from these indexes alone
        Index("ix_households_camp_status", "camp_id", "status", "size"),
        Index("ix_households_camp_arrival", "camp_id", "arrival_date", "status", "arrival_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``KHR-000123-X``; never changes, even when the household moves camp
    number: Mapped[str] = mapped_column(String(12), unique=True)
    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    #: when the household departed or became inactive (starts the retention period)
    status_date: Mapped[date | None] = mapped_column(Date)
    #: when names, photos, phone and tazkira were removed after the retention period
    anonymised_at: Mapped[datetime | None]
    arrival_date: Mapped[date] = mapped_column(Date, index=True)
    crossing_point: Mapped[str | None] = mapped_column(String(8))
    #: Afghan province P-code (``AF15``) and district P-code (``AF1501``)
    origin_province: Mapped[str | None] = mapped_column(String(4), index=True)
    origin_district: Mapped[str | None] = mapped_column(String(6))
    phone: Mapped[str | None] = mapped_column(String(32))
    #: digits of the phone number, for search
    phone_digits: Mapped[str | None] = mapped_column(String(20), index=True)
    #: ISO 639-3 codes separated by spaces
    languages: Mapped[str | None] = mapped_column(String(64))
    #: informed of the purpose of registration and agreed; refusing never blocks assistance
    consent: Mapped[bool | None]
    consent_at: Mapped[datetime | None]
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: agreed to receive SMS from the camp (asked apart from the registration consent); None: not asked
    sms_consent: Mapped[bool | None]
    sms_consent_at: Mapped[datetime | None]
    #: the language SMS are written in for this household (``camps.communication.sms.LANGUAGES``)
    sms_language: Mapped[str | None] = mapped_column(String(2))
    #: never contacted, for protection reasons: set and seen by protection staff only (``app.visibility``)
    do_not_contact: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    do_not_contact_at: Mapped[datetime | None]
    #: when the household answered an SMS with STOP (or the same word in its language): no SMS since
    sms_opted_out_at: Mapped[datetime | None]
    #: the desk form's one-time token: a retried or double-clicked save finds this household
    registration_token: Mapped[str | None] = mapped_column(String(40), unique=True)
    #: the pre-registration list a pending household came from
    source_list: Mapped[str | None] = mapped_column(String(80))
    #: number of active members, kept in step by the registration services
    size: Mapped[int] = mapped_column(Integer, default=0)
    #: people who arrived with the household (its members when first saved; 0 for a household split
    #: off another): arrival figures stay as they were when members later leave or move
    arrival_size: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(Text)

    camp: Mapped[Camp] = relationship(lazy="joined")
    members: Mapped[list[Person]] = relationship(
        back_populates="household", order_by="Person.seq", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Household {self.number}>"

    @property
    def head(self) -> Person | None:
        return next((p for p in self.members if p.relation_to_head == "head" and p.status == "active"), None)

    @property
    def active_members(self) -> list[Person]:
        return [p for p in self.members if p.status == "active"]

    @property
    def language_list(self) -> list[str]:
        return (self.languages or "").split()


class Person(Base):
    __tablename__ = "persons"
    __table_args__ = (
        UniqueConstraint("household_id", "seq"),
        one_of("sex", SEXES),
        one_of("birth_precision", BIRTH_PRECISIONS),
        one_of("status", PERSON_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    #: member number within the household: the person is ``<household number>/<seq:02d>``
    seq: Mapped[int] = mapped_column(Integer)
    given_name: Mapped[str] = mapped_column(String(80))
    given_name_orig: Mapped[str | None] = mapped_column(String(80))
    father_name: Mapped[str | None] = mapped_column(String(80))
    father_name_orig: Mapped[str | None] = mapped_column(String(80))
    grandfather_name: Mapped[str | None] = mapped_column(String(80))
    grandfather_name_orig: Mapped[str | None] = mapped_column(String(80))
    family_name: Mapped[str | None] = mapped_column(String(80))
    family_name_orig: Mapped[str | None] = mapped_column(String(80))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    birth_precision: Mapped[str] = mapped_column(String(8), default="day")
    relation_to_head: Mapped[str] = mapped_column(String(16))
    marital_status: Mapped[str | None] = mapped_column(String(16))
    nationality: Mapped[str] = mapped_column(String(3), default="AFG")
    #: Afghan tazkira number, digits only; never printed on a card
    tazkira: Mapped[str | None] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    #: when the person departed, died, moved out or was merged
    status_date: Mapped[date | None] = mapped_column(Date)
    #: after a merge of duplicates: the record that was kept
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    #: the reference this person had on an imported pre-registration list
    source_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    registered_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    #: the Latin names were transliterated from the original script on import, not given by the person
    latin_suggested: Mapped[bool] = mapped_column(default=False, server_default=text("false"))

    household: Mapped[Household] = relationship(back_populates="members")
    needs: Mapped[list[PersonNeed]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    photo: Mapped[PersonPhoto | None] = relationship(cascade="all, delete-orphan", uselist=False)
    keys: Mapped[list[PersonKey]] = relationship(cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Person {self.id}>"

    @property
    def number(self) -> str:
        return f"{self.household.number}/{self.seq:02d}"

    @property
    def need_codes(self) -> list[str]:
        return sorted(n.code for n in self.needs)

    @property
    def latin_name(self) -> str:
        return " ".join(n for n in (self.given_name, self.family_name) if n)

    @property
    def original_name(self) -> str:
        return " ".join(n for n in (self.given_name_orig, self.family_name_orig) if n)

    @property
    def birth_display(self) -> str:
        if self.birth_precision == "day":
            return self.birth_date.isoformat()
        if self.birth_precision == "month":
            return f"≈{self.birth_date:%Y-%m}"
        return f"≈{self.birth_date.year}"


class PersonNeed(Base):
    """A UNHCR specific-needs code (``DS-PM``) held by a person."""

    __tablename__ = "person_needs"
    __table_args__ = (UniqueConstraint("person_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(8), index=True)


class PersonPhoto(Base):
    """A small JPEG (about 30-60 KB), kept apart so that lists never load it."""

    __tablename__ = "person_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), unique=True)
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    #: a stamp-sized copy for the distribution points' offline package (set on save)
    thumb: Mapped[bytes | None] = mapped_column(LargeBinary)
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)


class PersonKey(Base):
    """A blocking key of a person's names (registration.dedup.matching): finds candidates fast."""

    __tablename__ = "person_keys"
    __table_args__ = (UniqueConstraint("person_id", "key"), Index("ix_person_keys_key", "key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(48))


class PersonSearchKey(Base):
    """A name search key of a person (registration.households.search_keys): two names, or a family name and year."""

    __tablename__ = "person_search_keys"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True)


class SavedSearch(Base):
    """What one user typed in the search box, kept for a short while under an opaque id.

    Searches are POSTed (names never in URLs) and answered by a redirect to ``/households/search/<id>``,
    so that Back and reload show the results again without resubmitting a form.
    """

    __tablename__ = "saved_searches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    query: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


@event.listens_for(Household, "before_insert")
def _arrival_size(_mapper, _connection, household: Household) -> None:
    if household.arrival_size is None:
        household.arrival_size = sum(1 for p in household.members if p.status in (None, "active"))


@event.listens_for(PersonPhoto, "before_insert")
@event.listens_for(PersonPhoto, "before_update")
def _make_thumbnail(_mapper, _connection, photo: PersonPhoto) -> None:
    from registration.photos import thumbnail

    if photo.thumb is None or "jpeg" in inspect(photo).committed_state:
        photo.thumb = thumbnail(photo.jpeg)
