"""A labelled, deterministic set of person records for the duplicate-detection benchmark.

Built from the demo name lists (app/demo/names.py), recorded the way clerks record people:

* ``base`` people, in households (siblings share a father and a family name), about 4,000;
* ``duplicate`` records, a second registration of a base person with one to three changes: another
  Latin spelling, the original script in Arabic instead of Cyrillic (or back), no Latin or no original
  script, given and family name swapped, a one-letter typo, the birth date exact instead of estimated
  (or estimated, or the age one year off), the family name left out; about 1,200;
* ``hard`` negatives, other people easily taken for a base person: a similar given name (Mahmood or
  Ahmad for Mohammad), a sibling, a son named after his father, a cousin with the same given name;
  about 600.

``truth`` holds every pair of records of one person. Nothing here looks at the matcher.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import combinations

from app.demo import names as N
from registration.dedup.matching import NameRecord

REFERENCE = date(2026, 11, 20)
PRECISIONS = ("day", "month", "year", "age")
PRECISION_WEIGHTS = (35, 10, 30, 25)  # as in the demo world
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
SIZE_WEIGHTS = (5, 8, 10, 13, 14, 14, 11, 9, 6, 4)
VARIATIONS = ("spelling", "script", "latin_missing", "orig_missing", "swap", "typo", "date", "family_dropped")
#: pairs of changes that exclude each other (a typo needs a Latin spelling; a swap needs the family name)
CONFLICTS = {
    frozenset(pair)
    for pair in (
        ("spelling", "latin_missing"),
        ("typo", "latin_missing"),
        ("script", "orig_missing"),
        ("latin_missing", "orig_missing"),
        ("swap", "family_dropped"),
    )
}
#: well-known confusions between different names (the first pair's skeletons are identical)
CONFUSABLE = {"Mohammad": ("Mahmood", "Ahmad"), "Mahmood": ("Mohammad",), "Ahmad": ("Mohammad", "Mahmood")}

#: kinds of hard negatives; two in five similar names are the confusions above
HARD_SHARES = {"similar_name": 1 / 3, "sibling": 1 / 4, "father_son": 1 / 6, "cousin": 1 / 4}

Name = tuple[str, str, str]  # (latin, arabic, tajik_cyrillic) as in app/demo/names.py


@dataclass(frozen=True)
class Person:
    """The truth about someone: names as entries of the name lists, sex, real birth date."""

    given: Name
    father: Name
    family: Name | None
    sex: str
    born: date
    tazkira: str | None


@dataclass
class LabelledSet:
    records: dict[int, NameRecord]
    person_of: dict[int, int]  # record id -> person id
    kind: dict[int, str]  # record id -> 'base', 'duplicate' or 'hard:<what>'

    @property
    def truth(self) -> set[tuple[int, int]]:
        """Pairs (smaller id, larger id) of records of one person."""
        groups: dict[int, list[int]] = {}
        for record_id, person in self.person_of.items():
            groups.setdefault(person, []).append(record_id)
        return {pair for ids in groups.values() for pair in combinations(sorted(ids), 2)}


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people: list[Person] = []
        self.identities: set[tuple] = set()  # (given, father, family) of hard negatives and everyone they come from
        self.data = LabelledSet({}, {}, {})

    # -- people -------------------------------------------------------------------------------------
    def household(self) -> None:
        rng = self.rng
        size = rng.choices(HOUSEHOLD_SIZES, SIZE_WEIGHTS)[0]
        family = rng.choice(N.FAMILY_NAMES) if rng.random() < 0.45 else None
        head_age = rng.randint(18, 70)
        head = self.person("m" if size > 1 or rng.random() < 0.5 else "f", head_age, rng.choice(N.MALE_GIVEN), family)
        members = [head]
        if size > 1:
            members.append(self.person("f", max(16, head_age - rng.randint(0, 10)), rng.choice(N.MALE_GIVEN), family))
        taken = {head.given}
        for _ in range(size - len(members)):
            sex = rng.choice("fm")
            given = self.given_name(sex, taken)
            taken.add(given)
            age = rng.randint(0, max(0, min(head_age - 16, 30)))
            members.append(self.person(sex, age, head.given, family, given=given))
        self.people.extend(members)

    def given_name(self, sex: str, taken=()) -> Name:
        pool = N.MALE_GIVEN if sex == "m" else N.FEMALE_GIVEN
        while (name := self.rng.choice(pool)) in taken:
            pass
        return name

    def person(
        self, sex: str, age: int, father: Name, family: Name | None, given: Name | None = None, born: date | None = None
    ) -> Person:
        rng = self.rng
        if born is None:
            born = date(REFERENCE.year - age - 1, 12, 1) + timedelta(days=rng.randrange(365))
        tazkira = "".join(str(rng.randrange(10)) for _ in range(13)) if age >= 18 and rng.random() < 0.3 else None
        return Person(given or self.given_name(sex), father, family, sex, min(born, REFERENCE), tazkira)

    # -- records ------------------------------------------------------------------------------------
    def record(self, person: Person) -> NameRecord:
        """The person as a clerk types them in: sometimes another spelling, script, an estimated birth date."""
        rng = self.rng
        script = rng.choices((1, 2, None), (93, 4, 3))[0]
        fields = {}
        for field in ("given", "father", "family"):
            name = getattr(person, field)
            fields[field] = self.spelling(name) if name and rng.random() < 0.08 else (name[0] if name else None)
            fields[f"{field}_orig"] = name[script] if name and script else None
        born, precision = self.birth(person.born)
        tazkira = self.tazkira(person.tazkira) if person.tazkira and rng.random() < 0.7 else None
        return NameRecord(**fields, sex=person.sex, birth_date=born, birth_precision=precision, tazkira=tazkira)

    def spelling(self, name: Name, avoid: str | None = None) -> str:
        spellings = [s for s in (name[0], *N.LATIN_VARIANTS.get(name[0], ())) if s != avoid]
        return self.rng.choice(spellings) if spellings else name[0]

    def birth(self, born: date, avoid: str | None = None) -> tuple[date, str]:
        precision = self.rng.choices(PRECISIONS, PRECISION_WEIGHTS)[0]
        while precision == avoid or (
            avoid in ("year", "age") and precision in ("year", "age") and self.rng.random() < 0.5
        ):
            precision = self.rng.choices(PRECISIONS, PRECISION_WEIGHTS)[0]
        if precision == "day":
            return born, precision
        if precision == "month":
            return born.replace(day=1), precision
        year = born.year
        if precision == "age":  # people round their age: one year off now and then
            year += self.rng.choices((-1, 0, 1), (15, 70, 15))[0]
        return date(year, 7, 1), precision

    def tazkira(self, number: str) -> str:
        return f"{number[:4]}-{number[4:8]}-{number[8:]}" if self.rng.random() < 0.5 else number

    def add(self, record: NameRecord, person: int, kind: str) -> None:
        record_id = len(self.data.records) + 1
        self.data.records[record_id] = record
        self.data.person_of[record_id] = person
        self.data.kind[record_id] = kind

    # -- duplicates ---------------------------------------------------------------------------------
    def duplicate(self, person: Person, base: NameRecord) -> NameRecord:
        rng = self.rng
        chosen: list[str] = []
        for _ in range(rng.choices((1, 2, 3), (40, 40, 20))[0]):
            options = [
                v
                for v in VARIATIONS
                if v not in chosen
                and self.applies(v, person, base)
                and not any(frozenset((v, c)) in CONFLICTS for c in chosen)
            ]
            if options:
                chosen.append(rng.choice(options))
        record = base
        for variation in sorted(chosen, key=VARIATIONS.index):
            record = getattr(self, f"vary_{variation}")(person, record)
        tazkira = self.tazkira(person.tazkira) if person.tazkira and rng.random() < 0.5 else None
        return replace(record, tazkira=tazkira)

    def applies(self, variation: str, person: Person, rec: NameRecord) -> bool:
        if variation == "spelling":
            return any(n and n[0] in N.LATIN_VARIANTS for n in (person.given, person.father, person.family))
        if variation in ("script", "latin_missing"):
            return rec.given_orig is not None
        if variation in ("swap", "family_dropped"):
            return person.family is not None and rec.family is not None
        return True

    def vary_spelling(self, person: Person, rec: NameRecord) -> NameRecord:
        field = self.rng.choice(
            [
                f
                for f in ("given", "father", "family")
                if getattr(person, f) and getattr(person, f)[0] in N.LATIN_VARIANTS
            ]
        )
        return replace(rec, **{field: self.spelling(getattr(person, field), avoid=getattr(rec, field))})

    def vary_script(self, person: Person, rec: NameRecord) -> NameRecord:
        script = 2 if rec.given_orig == person.given[1] else 1
        return replace(
            rec,
            **{
                f"{f}_orig": getattr(person, f)[script] if getattr(person, f) else None
                for f in ("given", "father", "family")
            },
        )

    def vary_latin_missing(self, person: Person, rec: NameRecord) -> NameRecord:
        return replace(rec, given=None, father=None, family=None)

    def vary_orig_missing(self, person: Person, rec: NameRecord) -> NameRecord:
        return replace(rec, given_orig=None, father_orig=None, family_orig=None)

    def vary_swap(self, person: Person, rec: NameRecord) -> NameRecord:
        return replace(rec, given=rec.family, given_orig=rec.family_orig, family=rec.given, family_orig=rec.given_orig)

    def vary_typo(self, person: Person, rec: NameRecord) -> NameRecord:
        fields = [
            f for f, share in (("given", 5), ("father", 3), ("family", 2)) for _ in range(share) if getattr(rec, f)
        ]
        if not fields:
            return rec
        field = self.rng.choice(fields)
        return replace(rec, **{field: self.typo(getattr(rec, field))})

    def typo(self, text: str) -> str:
        rng = self.rng
        while True:
            i = rng.randrange(len(text))
            how = rng.choice(("substitute", "delete", "insert", "transpose"))
            letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
            if how == "substitute":
                typed = text[:i] + letter + text[i + 1 :]
            elif how == "delete":
                typed = text[:i] + text[i + 1 :]
            elif how == "insert":
                typed = text[:i] + letter + text[i:]
            else:
                typed = text[:i] + text[i + 1 : i + 2] + text[i] + text[i + 2 :]
            if typed != text and typed.strip() and " " not in (typed[0], typed[-1]):
                return typed

    def vary_date(self, person: Person, rec: NameRecord) -> NameRecord:
        born, precision = self.birth(person.born, avoid=rec.birth_precision)
        return replace(rec, birth_date=born, birth_precision=precision)

    def vary_family_dropped(self, person: Person, rec: NameRecord) -> NameRecord:
        return replace(rec, family=None, family_orig=None)

    # -- hard negatives -----------------------------------------------------------------------------
    def hard_negative(self, person: Person, what: str) -> Person | None:
        rng = self.rng
        if what == "similar_name":
            similar = self.similar_names(person)
            if not similar:
                return None
            given = rng.choice(similar)
            if rng.random() < 0.5:  # a brother or sister, born some years apart
                return self.person(
                    person.sex, 0, person.father, person.family, given=given, born=self.apart(person.born, 1, 12)
                )
            return self.person(
                person.sex,
                0,
                rng.choice(N.MALE_GIVEN),
                rng.choice((person.family, None)),
                given=given,
                born=self.apart(person.born, 0, 1),
            )
        if what == "sibling":
            sex = rng.choice("fm")
            return self.person(
                sex,
                0,
                person.father,
                person.family,
                given=self.given_name(sex, {person.given}),
                born=self.apart(person.born, 1, 15),
            )
        if what == "father_son":
            if person.sex != "m" or person.born.year > REFERENCE.year - 36:
                return None
            return self.person(
                "m",
                0,
                person.given,
                person.family,
                given=person.given,
                born=self.apart(person.born, 18, 35, later=True),
            )
        # a cousin: the same given name, the father's brother as father, born around the same time
        uncle = self.given_name("m", {person.father})
        return self.person(person.sex, 0, uncle, person.family, given=person.given, born=self.apart(person.born, 0, 5))

    def similar_names(self, person: Person) -> list[Name]:
        pool = N.MALE_GIVEN if person.sex == "m" else N.FEMALE_GIVEN
        if person.given[0] in CONFUSABLE:
            return [n for n in pool if n[0] in CONFUSABLE[person.given[0]]]
        return [n for n in pool if n != person.given and _one_letter_apart(n[0], person.given[0])]

    def apart(self, born: date, low: int, high: int, later: bool = False) -> date:
        """A birth date ``low``..``high`` years (and at least ten months) away from ``born``."""
        days = self.rng.randint(max(300, low * 365 - 65) if low else 0, high * 365 + 180)
        sign = 1 if later or self.rng.random() < 0.5 else -1
        return min(born + timedelta(days=sign * days), REFERENCE)


def _one_letter_apart(a: str, b: str) -> bool:
    """Latin names of the same length differing in one letter, or one letter longer (Hamid, Wahid, Majid)."""
    a, b = a.lower(), b.lower()
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return len(long_) - len(short) == 1 and any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def build(seed: int = 20261127, base_people: int = 4000, duplicates: int = 1200, hard: int = 600) -> LabelledSet:
    """The labelled set; the same seed always gives the same records."""
    builder = _Builder(seed)
    rng = builder.rng
    while len(builder.people) < base_people:
        builder.household()
    people = builder.people[:base_people]
    base_records = []
    for index, person in enumerate(people):
        record = builder.record(person)
        base_records.append(record)
        builder.add(record, index, "base")
    for index in sorted(rng.sample(range(len(people)), int(duplicates * 0.9))):
        copies = 2 if rng.random() < 0.11 else 1
        for _ in range(copies):
            builder.add(builder.duplicate(people[index], base_records[index]), index, "duplicate")
    builder.identities = {(p.given, p.father, p.family) for p in people}
    confusable = [p for p in people if p.given[0] in CONFUSABLE]
    for what, share in HARD_SHARES.items():
        made = 0
        while made < round(hard * share):
            pool = confusable if what == "similar_name" and made % 5 < 2 else people
            other = builder.hard_negative(rng.choice(pool), what)
            # a new person: not a second child of the same parents with the same name
            if other is not None and (identity := (other.given, other.father, other.family)) not in builder.identities:
                builder.identities.add(identity)
                builder.people.append(other)
                builder.add(builder.record(other), len(builder.people) - 1, f"hard:{what}")
                made += 1
    return builder.data
