"""An independent labelled set for duplicate detection: other names, other variation rules.

benchmarks/dedup_data.py is built from app/demo/names.py, the lists the matcher grew up with. This set
is not: its names are benchmarks/dedup_names.py (written for it: Dari, Pashto, Uzbek and Tajik names in
several Latin conventions, Dari/Pashto script and Tajik Cyrillic), and its variations are the ways a
second registration of a refugee differs from the first in field reports on Afghan caseloads and in
issue 13, each applied by a rule written here, without looking at the matcher's keys:

* ``spelling``: another Latin convention for a name (Mohammad/Muhammad/Mukhammad, Hussain/Husayn);
* ``age_off``: both birth dates estimated (age or year), the years one or two apart;
* ``arabic_only``: the second record in Dari/Pashto script only, against a Latin or Cyrillic first one;
* ``cyrillic_only``: the second record in Tajik Cyrillic only (typed on a Tajik keyboard);
* ``russian_keyboard``: Tajik Cyrillic typed on a Russian keyboard (х ч к г у и for ҳ ҷ қ ғ ӯ ӣ), no Latin;
* ``dari_keyboard``: Dari script typed on an Arabic keyboard (ي ك ة), with ZWNJ, compounds spaced
  or joined (عبد الرحمن, عبدالرحمن, حبیب‌الله), no Latin;
* ``swap``: given and father's name swapped (the order the person said them in);
* ``compound_dropped``: Mohammad/Muhammad left out of a compound given name (Mohammad Nabi > Nabi);
* ``tazkira_typo``: both records have the tazkira, one digit wrong (or two swapped, or one left out);
* ``typo``: a keyboard slip in one Latin name (neighbouring key, doubled, dropped or swapped letter);
* ``father_missing``: no father's name the second time;
* ``other_province``: registered from another province (the matcher does not use it: a control);
* ``joined_compound``: compound names joined or hyphenated (Abdul-Rahman, Abdulrahman, Habib-Ullah);
* ``upper_case``: UPPER CASE with stray spaces (``'  ABDUL  RAHMAN '``).

Each duplicate is a fresh registration of the person (its own spellings, script, birth precision and
estimate noise) with one of the variations above on top, so pairs also differ in the ordinary ways.
Hard negatives, other people who look alike: ``sibling`` (same father and family, born 1-12 years
apart), ``namesake`` (same given and father's name, born 5-25 years apart), ``lookalike`` (Hassan for
Hussain, Rahim for Karim, Mahmud for Mohammad: a brother, or a stranger born the same year) and
``cousin`` (same given and family name, another father, born 0-5 years apart).

Split: records belong to the household they come from (duplicates and hard negatives to their
person's); households whose index is 2 modulo 3 are the HELD-OUT part, the rest the tuning part. The
matcher's weights were set looking at the tuning part only; ``dedup.quality.*`` report the held-out part.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import combinations

from benchmarks.dedup_names import FAMILY, FEMALE, LOOK_ALIKES, MALE, MOHAMMAD_PARTS, Name
from registration.dedup.matching import NameRecord

SEED = 13_2026
REFERENCE = date(2026, 11, 20)
KINDS = (
    "spelling",
    "age_off",
    "arabic_only",
    "cyrillic_only",
    "russian_keyboard",
    "dari_keyboard",
    "swap",
    "compound_dropped",
    "tazkira_typo",
    "typo",
    "father_missing",
    "other_province",
    "joined_compound",
    "upper_case",
)
HARD_KINDS = ("sibling", "namesake", "lookalike", "cousin")
PROVINCES = ("Kabul", "Kunduz", "Takhar", "Badakhshan", "Balkh", "Baghlan", "Nangarhar", "Herat", "Ghazni")
RUSSIAN_KEYBOARD = str.maketrans("ҳҷқғӯӣҲҶҚҒӮӢ", "хчкгуиХЧКГУИ")
ARABIC_KEYBOARD = str.maketrans({"ی": "ي", "ک": "ك"})
#: QWERTY neighbours, for typos
NEIGHBOURS = {
    row[i]: row[max(0, i - 1)] + row[i + 1 : i + 2]
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for i in range(len(row))
}
BY_LATIN = {n[0][0]: n for n in MALE + FEMALE}


@dataclass(frozen=True)
class Person:
    given: Name
    father: Name
    family: Name | None
    sex: str
    born: date
    tazkira: str | None
    province: str
    household: int
    compound: bool = False  # given name is Mohammad + another name


@dataclass
class IndependentSet:
    records: dict[int, NameRecord] = field(default_factory=dict)
    person_of: dict[int, int] = field(default_factory=dict)
    kind: dict[int, str] = field(default_factory=dict)  # 'base', a KIND, or 'hard:<what>'
    household: dict[int, int] = field(default_factory=dict)
    province: dict[int, str] = field(default_factory=dict)

    def part(self, held_out: bool) -> IndependentSet:
        """The held-out part (households 2 mod 3) or the tuning part."""
        ids = [i for i in self.records if (self.household[i] % 3 == 2) == held_out]
        return IndependentSet(
            {i: self.records[i] for i in ids},
            {i: self.person_of[i] for i in ids},
            {i: self.kind[i] for i in ids},
            {i: self.household[i] for i in ids},
            {i: self.province[i] for i in ids},
        )

    @property
    def truth(self) -> set[tuple[int, int]]:
        groups: dict[int, list[int]] = {}
        for record_id, person in self.person_of.items():
            groups.setdefault(person, []).append(record_id)
        return {pair for ids in groups.values() for pair in combinations(sorted(ids), 2)}

    def kind_of_pair(self, pair: tuple[int, int]) -> str:
        """The variation of a true pair: that of its duplicate record (both duplicates: the later one's)."""
        kinds = [self.kind[i] for i in pair if self.kind[i] != "base"]
        return kinds[-1] if kinds else "base"


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people: list[Person] = []
        self.data = IndependentSet()
        self.born_years: dict[tuple[str, str, str], list[int]] = {}  # (given, father, sex) -> birth years

    def fresh_given(self, sex: str, father: Name, born: date, taken=()) -> tuple[Name, bool]:
        """A given name that makes no accidental namesake: nobody else of that given and father's name
        born within four years (those pairs are the deliberate ``namesake`` hard negatives, born further apart)."""
        for _ in range(50):
            given, compound = self.given(sex, taken)
            years = self.born_years.setdefault((given[0][0], father[0][0], sex), [])
            if all(abs(year - born.year) > 4 for year in years):
                years.append(born.year)
                return given, compound
        return given, compound

    # -- people ---------------------------------------------------------------------------------------
    def given(self, sex: str, taken=()) -> tuple[Name, bool]:
        rng = self.rng
        while True:
            if sex == "m" and rng.random() < 0.18:
                part = BY_LATIN[rng.choice(MOHAMMAD_PARTS)]
                mohammad = MALE[0]
                name = (
                    tuple(f"{m} {rng.choice(part[0])}" for m in mohammad[0]),
                    f"{mohammad[1]} {part[1]}",
                    mohammad[2] + part[2].lower(),
                )
                compound = True
            else:
                name, compound = rng.choice(MALE[1:] if sex == "m" else FEMALE), False
            if name[0][0] not in taken:
                return name, compound

    def person(self, sex, born, father, family, household, given=None, compound=False, province=None) -> Person:
        rng = self.rng
        if given is None:
            given, compound = self.fresh_given(sex, father, born)
        adult = (REFERENCE - born).days > 18 * 365
        tazkira = "".join(str(rng.randrange(10)) for _ in range(13)) if adult and rng.random() < 0.45 else None
        return Person(
            given,
            father,
            family,
            sex,
            min(born, REFERENCE),
            tazkira,
            province or rng.choice(PROVINCES),
            household,
            compound,
        )

    def household(self, index: int) -> list[Person]:
        rng = self.rng
        family = rng.choice(FAMILY) if rng.random() < 0.6 else None
        province = rng.choice(PROVINCES)
        head_born = REFERENCE - timedelta(days=rng.randint(20 * 365, 70 * 365))
        grandfather, _ = self.given("m")
        head = self.person("m", head_born, grandfather, family, index, province=province)
        members = [head]
        size = rng.choices(range(1, 10), (6, 8, 12, 15, 16, 15, 12, 9, 7))[0]
        if size > 1:
            wife_father, _ = self.given("m")
            members.append(
                self.person(
                    "f", head_born + timedelta(days=rng.randint(0, 3650)), wife_father, family, index, province=province
                )
            )
        taken = {head.given[0][0]}
        for _ in range(size - len(members)):
            sex = rng.choice("fm")
            latest = min(45 * 365, (REFERENCE - head_born).days - 30)
            if latest < 18 * 365:
                break
            born = head_born + timedelta(days=rng.randint(18 * 365, latest))
            given, compound = self.fresh_given(sex, head.given, born, taken)
            taken.add(given[0][0])
            members.append(self.person(sex, born, head.given, family, index, given, compound, province))
        return members

    # -- records --------------------------------------------------------------------------------------
    def spell(self, name: Name | None, avoid: str | None = None) -> str | None:
        if name is None:
            return None
        options = [s for s in name[0] if s != avoid] or list(name[0])
        return options[0] if self.rng.random() < 0.55 and options[0] != avoid else self.rng.choice(options)

    def render(
        self, p: Person, *, latin: bool | None = None, script: str | None = None, precision: str | None = None
    ) -> NameRecord:
        """A registration of ``p`` as a clerk types it in."""
        rng = self.rng
        if script is None:
            script = rng.choices(("dari", "tajik", None), (55, 30, 15))[0]
        if latin is None:
            latin = script is None or rng.random() < 0.9
        index = {"dari": 1, "tajik": 2}.get(script)
        names = {}
        for name_field in ("given", "father", "family"):
            name = getattr(p, name_field)
            names[name_field] = self.spell(name) if latin else None
            names[f"{name_field}_orig"] = name[index] if name is not None and index else None
        born, precision = self.birth(p.born, precision)
        tazkira = p.tazkira if p.tazkira and rng.random() < 0.7 else None
        return NameRecord(**names, sex=p.sex, birth_date=born, birth_precision=precision, tazkira=tazkira)

    def birth(self, born: date, precision: str | None = None, off: int = 0) -> tuple[date, str]:
        rng = self.rng
        precision = precision or rng.choices(("day", "month", "year", "age"), (25, 5, 25, 45))[0]
        if precision == "day":
            return born, precision
        if precision == "month":
            return born.replace(day=1), precision
        year = born.year + (off or rng.choices((-1, 0, 1), (15, 70, 15))[0])
        return date(min(year, REFERENCE.year), 7, 1), precision

    def add(self, record: NameRecord, person: int, kind: str, province: str) -> None:
        record_id = len(self.data.records) + 1
        self.data.records[record_id] = record
        self.data.person_of[record_id] = person
        self.data.kind[record_id] = kind
        self.data.household[record_id] = self.people[person].household
        self.data.province[record_id] = province

    # -- duplicates -----------------------------------------------------------------------------------
    def applies(self, kind: str, p: Person, base: NameRecord) -> bool:
        if kind == "compound_dropped":
            return p.compound
        if kind == "tazkira_typo":
            return p.tazkira is not None
        if kind == "joined_compound":
            return any(
                " " in n[0][0] or n[0][0].endswith(("ullah", "uddin")) or n[0][0].startswith("Abdul")
                for n in (p.given, p.father)
            )
        if kind in ("spelling", "typo", "upper_case"):
            return base.given is not None
        return True

    def duplicate(self, p: Person, base: NameRecord, kind: str) -> NameRecord:
        rng = self.rng
        rec = self.render(p)
        if kind == "spelling":
            name_field = rng.choice(
                [f for f in ("given", "father", "family") if getattr(p, f) and len(getattr(p, f)[0]) > 1]
            )
            rec = replace(rec, **{name_field: self.spell(getattr(p, name_field), avoid=getattr(base, name_field))})
            rec = self.with_latin(p, rec, base, keep=name_field)
        elif kind == "age_off":
            rec = self.age_off(p, base, rec)
        elif kind == "arabic_only":
            rec = self.render(p, latin=False, script="dari")
        elif kind == "cyrillic_only":
            rec = self.render(p, latin=False, script="tajik")
        elif kind == "russian_keyboard":
            rec = self.render(p, latin=False, script="tajik")
            rec = replace(
                rec,
                **{
                    f: getattr(rec, f).translate(RUSSIAN_KEYBOARD)
                    for f in ("given_orig", "father_orig", "family_orig")
                    if getattr(rec, f)
                },
            )
        elif kind == "dari_keyboard":
            rec = self.render(p, latin=False, script="dari")
            rec = replace(
                rec,
                **{
                    f: self.dari_keyboard(getattr(rec, f))
                    for f in ("given_orig", "father_orig", "family_orig")
                    if getattr(rec, f)
                },
            )
        elif kind == "swap":
            rec = replace(
                rec, given=rec.father, given_orig=rec.father_orig, father=rec.given, father_orig=rec.given_orig
            )
        elif kind == "compound_dropped":
            rec = replace(
                rec,
                given=rec.given and rec.given.split(" ", 1)[1],
                given_orig=rec.given_orig
                and (
                    rec.given_orig.split(" ", 1)[-1]
                    if " " in rec.given_orig
                    else rec.given_orig[len(MALE[0][2]) :].capitalize()
                ),
            )
        elif kind == "tazkira_typo":
            rec = replace(rec, tazkira=self.tazkira_typo(p.tazkira))
            if not base.tazkira:
                self.data.records[self.base_id] = replace(base, tazkira=p.tazkira)
        elif kind == "typo":
            rec = self.with_latin(p, rec, base)
            name_field = rng.choice([f for f in ("given", "given", "father", "family") if getattr(rec, f)])
            rec = replace(rec, **{name_field: self.typo(getattr(rec, name_field))})
        elif kind == "father_missing":
            rec = replace(rec, father=None, father_orig=None)
        elif kind == "joined_compound":
            rec = self.with_latin(p, rec, base)
            rec = replace(rec, **{f: self.joined(getattr(rec, f)) for f in ("given", "father") if getattr(rec, f)})
        elif kind == "upper_case":
            rec = self.with_latin(p, rec, base)
            rec = replace(
                rec, **{f: self.shout(getattr(rec, f)) for f in ("given", "father", "family") if getattr(rec, f)}
            )
        return rec

    def with_latin(self, p: Person, rec: NameRecord, base: NameRecord, keep: str | None = None) -> NameRecord:
        """Make sure the duplicate has Latin names (the variation is about them)."""
        if rec.given is not None:
            return rec
        return replace(rec, **{f: self.spell(getattr(p, f)) for f in ("given", "father", "family") if f != keep})

    def age_off(self, p: Person, base: NameRecord, rec: NameRecord) -> NameRecord:
        rng = self.rng
        base_precision = base.birth_precision if base.birth_precision in ("year", "age") else "age"
        if base.birth_precision not in ("year", "age"):
            self.data.records[self.base_id] = base = replace(
                base, birth_date=date(p.born.year, 7, 1), birth_precision=base_precision
            )
        off = rng.choice((-2, -1, -1, 1, 1, 2))
        return replace(
            rec,
            birth_date=date(min(base.birth_date.year + off, REFERENCE.year), 7, 1),
            birth_precision=rng.choice(("year", "age")),
        )

    def dari_keyboard(self, text: str) -> str:
        rng = self.rng
        if rng.random() < 0.8:
            text = text.translate(ARABIC_KEYBOARD)
        if text.endswith("ه") and rng.random() < 0.5:
            text = text[:-1] + "ة"
        if " " in text:
            text = text.replace(" ", rng.choice(("", "\u200c", "  ")))
        elif text.startswith("عبد") and len(text) > 5:
            text = "عبد" + rng.choice((" ", "\u200c")) + text[3:]
        elif text.endswith("الله") and len(text) > 6:
            text = text[:-4] + rng.choice((" ", "\u200c")) + "الله"
        return text

    def tazkira_typo(self, number: str) -> str:
        rng = self.rng
        i = rng.randrange(len(number) - 1)
        how = rng.choices(("substitute", "transpose", "delete"), (70, 20, 10))[0]
        if how == "substitute":
            digit = rng.choice([d for d in "0123456789" if d != number[i]])
            return number[:i] + digit + number[i + 1 :]
        if how == "transpose" and number[i] != number[i + 1]:
            return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
        return number[:i] + number[i + 1 :]

    def typo(self, text: str) -> str:
        rng = self.rng
        letters = [i for i, c in enumerate(text) if c.isalpha() and i > 0]
        i = rng.choice(letters)
        how = rng.choice(("neighbour", "double", "drop", "swap"))
        c = text[i].lower()
        if how == "neighbour" and c in NEIGHBOURS:
            return text[:i] + rng.choice(NEIGHBOURS[c]) + text[i + 1 :]
        if how == "double":
            return text[:i] + text[i] + text[i:]
        if how == "swap" and i + 1 < len(text) and text[i + 1].isalpha():
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        return text[:i] + text[i + 1 :]

    def joined(self, text: str) -> str:
        if " " in text:
            return (
                text.replace(" ", self.rng.choice(("", "-")), 1).title().replace("-Ud-", "-ud-")
                if self.rng.random() < 0.5
                else text.replace(" ", "")
            )
        for part in ("ullah", "uddin"):
            if text.lower().endswith(part):
                return text[: -len(part)] + "-" + part.capitalize()
        if text.startswith("Abdul"):
            return "Abdul-" + text[5:].capitalize()
        return text

    def shout(self, text: str) -> str:
        rng = self.rng
        text = text.upper()
        return rng.choice(("  ", " ", "")) + text.replace(" ", rng.choice((" ", "  "))) + rng.choice((" ", "", "  "))

    # -- hard negatives -------------------------------------------------------------------------------
    def apart(self, born: date, low: int, high: int) -> date:
        """``low``..``high`` years (at least ten months) before or after ``born``; never after the reference day."""
        days = self.rng.randint(max(300, low * 365), high * 365 + 180)
        later = born + timedelta(days=days)
        return later if later < REFERENCE and self.rng.random() < 0.5 else born - timedelta(days=days)

    def hard(self, p: Person, what: str) -> Person | None:
        rng = self.rng
        if what == "sibling":
            given, compound = self.given(p.sex, {p.given[0][0]})
            return self.person(p.sex, self.apart(p.born, 1, 12), p.father, p.family, p.household, given, compound)
        if what == "namesake":
            return self.person(
                p.sex,
                self.apart(p.born, 5, 25),
                p.father,
                rng.choice((p.family, None)),
                p.household,
                p.given,
                p.compound,
            )
        if what == "lookalike":
            similar = LOOK_ALIKES.get(p.given[0][0])
            if not similar:
                return None
            given = BY_LATIN[rng.choice(similar)]
            if rng.random() < 0.5:
                return self.person(p.sex, self.apart(p.born, 1, 10), p.father, p.family, p.household, given)
            father, _ = self.given("m", {p.father[0][0]})
            return self.person(
                p.sex,
                p.born - timedelta(days=rng.randint(0, 300)),
                father,
                rng.choice((p.family, None)),
                p.household,
                given,
            )
        father, _ = self.given("m", {p.father[0][0]})
        return self.person(p.sex, self.apart(p.born, 0, 5), father, p.family, p.household, p.given, p.compound)


def build(seed: int = SEED, households: int = 900, per_kind: int = 120, hard_per_kind: int = 150) -> IndependentSet:
    """The set; the same seed always gives the same records (about 4,500 base, 1,650 duplicates, 600 hard)."""
    b = _Builder(seed)
    rng = b.rng
    for index in range(households):
        b.people.extend(b.household(index))
    base_ids, duplicated = {}, set()
    for person_index, p in enumerate(list(b.people)):
        b.add(b.render(p), person_index, "base", p.province)
        base_ids[person_index] = len(b.data.records)
    for kind in KINDS:
        made, tries = 0, 0
        while made < per_kind and tries < per_kind * 50:
            tries += 1
            person_index = rng.randrange(len(base_ids))
            p, b.base_id = b.people[person_index], base_ids[person_index]
            base = b.data.records[b.base_id]
            if person_index in duplicated or not b.applies(kind, p, base):
                continue  # one duplicate per person keeps each pair's kind clear
            duplicated.add(person_index)
            record = b.duplicate(p, b.data.records[b.base_id], kind)
            province = rng.choice([x for x in PROVINCES if x != p.province]) if kind == "other_province" else p.province
            b.add(record, person_index, kind, province)
            made += 1
    base_people = len(b.people)
    for what in HARD_KINDS:
        made = 0
        while made < hard_per_kind:
            other = b.hard(b.people[rng.randrange(base_people)], what)
            if other is not None:
                b.people.append(other)
                b.add(b.render(other), len(b.people) - 1, f"hard:{what}", other.province)
                made += 1
    return b.data
