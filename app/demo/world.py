"""A realistic, deterministic demo world: camps, staff for every role, Afghan households.

The same seed gives the same world. Households are written with bulk inserts so that 100,000
of them (about 600,000 people) build in minutes; this is also the benchmarks' data generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.db import advance_sequences
from app.demo import names as N
from app.permissions import (
    ADMIN,
    CLERK,
    COMMUNICATION_OFFICER,
    DISTRIBUTION_OFFICER,
    FEEDBACK_OFFICER,
    PROTECTION_OFFICER,
    SITE_MANAGER,
    SUPERVISOR,
    VIEWER,
)
from app.users.actors import SYSTEM, Actor
from app.users.services import create_user
from camps.sites.models import Camp
from registration.dedup.matching import NameRecord, block_keys
from registration.gazetteer import AFGHAN_PROVINCES, BORDER_CROSSINGS
from registration.households import search_keys
from registration.households.models import Household, Person, PersonKey, PersonNeed, PersonSearchKey
from registration.households.numbers import format_number

DEMO_PASSWORD = "panoh-demo-2026"  # noqa: S105 - printed by make run; demo only
#: arrivals run over the eight weeks up to this date, so the same seed always gives the same world
DEMO_END = date(2026, 11, 20)
ARRIVAL_DAYS = 56

CAMPS = (
    # code, name, region, district, planned capacity, share of households
    ("KHR", "Kushoniyon transit camp", "TJ-KT", "Kushoniyon", 20000, 0.55),
    ("SHR", "Shahritus settlement", "TJ-KT", "Shahritus", 15000, 0.30),
    ("ISH", "Ishkashim reception site", "TJ-GB", "Ishkashim", 5000, 0.15),
)

#: username, full name, roles, camp codes (empty: all camps)
STAFF: tuple[tuple[str, str, list[str], list[str]], ...] = (
    ("admin", "Farrukh Nazarov", [ADMIN], []),
    ("clerk", "Zarina Rahimova", [CLERK], ["KHR"]),
    ("clerk.shr", "Dilshod Saidov", [CLERK], ["SHR"]),
    ("supervisor", "Nigina Karimova", [SUPERVISOR], ["KHR"]),
    ("site", "Rustam Qodirov", [SITE_MANAGER], ["KHR", "SHR"]),
    ("distribution", "Shahlo Umarova", [DISTRIBUTION_OFFICER], ["KHR"]),
    ("feedback", "Malika Yusufova", [FEEDBACK_OFFICER], ["KHR"]),
    ("protection", "Gulnora Sharipova", [PROTECTION_OFFICER], ["KHR", "SHR", "ISH"]),
    ("viewer", "HQ analyst", [VIEWER], []),
    ("comms", "Sitora Nazarova", [COMMUNICATION_OFFICER], ["KHR"]),
)

HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
SIZE_WEIGHTS = (5, 8, 10, 13, 14, 14, 11, 9, 6, 4, 3, 3)
#: (code, rate per person) for specific needs not tied to age; age-linked ones are set below
NEED_RATES = (
    ("DS-PM", 0.012),
    ("DS-PS", 0.005),
    ("DS-BD", 0.004),
    ("DS-DF", 0.003),
    ("DS-MM", 0.003),
    ("SM-CI", 0.02),
    ("SM-MI", 0.006),
    ("SM-OT", 0.004),
    ("LP-ND", 0.03),
    ("FU-TR", 0.01),
    ("TR-WV", 0.004),
    ("SV-VF", 0.002),
)
BATCH = 5000
#: share of households that are someone registered before, again, in another camp and spelling
REREGISTRATION_RATE = 0.004


@dataclass
class DemoResult:
    households: int
    people: int
    staff_created: list[str]


def ensure_camps(session: Session, actor: Actor = SYSTEM) -> dict[str, Camp]:
    camps = {c.code: c for c in session.scalars(select(Camp))}
    for code, name, region, district, capacity, _share in CAMPS:
        if code not in camps:
            camps[code] = Camp(
                code=code,
                name=name,
                region_code=region,
                district=district,
                planned_capacity=capacity,
                status="open",
                household_counter=0,
            )
            session.add(camps[code])
    session.flush()
    return camps


def ensure_staff(session: Session, camps: dict[str, Camp]) -> list[str]:
    from app.auth.services import find_user

    created = []
    for username, full_name, roles, codes in STAFF:
        if find_user(session, username) is None:
            create_user(
                session,
                SYSTEM,
                username=username,
                full_name=full_name,
                password=DEMO_PASSWORD,
                roles=roles,
                camp_ids=[camps[c].id for c in codes],
                all_camps=not codes,
                must_change_password=False,
            )
            created.append(username)
    return created


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.provinces = [p[0] for p in AFGHAN_PROVINCES]
        self.province_weights = [N.ORIGIN_WEIGHTS[p] for p in self.provinces]
        self.crossings = [c[0] for c in BORDER_CROSSINGS]

    def name(self, pool) -> tuple[str, str | None]:
        """A name as a clerk records it: Latin (sometimes a variant spelling) and original script."""
        latin, arabic, cyrillic = self.rng.choice(pool)
        roll = self.rng.random()
        if roll < 0.08 and latin in N.LATIN_VARIANTS:
            latin = self.rng.choice(N.LATIN_VARIANTS[latin])
        original = arabic if roll < 0.93 else (cyrillic if roll < 0.97 else None)
        return latin, original

    def birth(self, age: int, arrival: date) -> tuple[date, str]:
        rng = self.rng
        roll = rng.random()
        year = arrival.year - age
        if roll < 0.35:
            born = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            return (born if born <= arrival else arrival), "day"
        if roll < 0.45:
            return date(year, rng.randint(1, 12), 1), "month"
        if roll < 0.75:
            return date(year, 7, 1), "year"
        return date(year, 7, 1), "age"  # age given: estimated 1 July of that year (design.md §2)

    def household(self) -> list[dict]:
        """Members of one household as column dicts, the head first."""
        rng = self.rng
        size = rng.choices(HOUSEHOLD_SIZES, SIZE_WEIGHTS)[0]
        female_head = rng.random() < (0.5 if size == 1 else 0.12)
        head_age = rng.randint(18, 70) if size > 1 else rng.randint(18, 80)
        family = self.name(N.FAMILY_NAMES) if rng.random() < 0.45 else (None, None)
        members = [self._person("f" if female_head else "m", head_age, "head", family)]
        if size > 1 and not female_head and head_age < 75:
            members.append(self._person("f", max(16, head_age - rng.randint(0, 10)), "spouse", family))
        elif size > 1 and female_head and rng.random() < 0.3:
            members.append(self._person("m", head_age + rng.randint(0, 8), "spouse", family))
        if size > 3 and rng.random() < 0.2:
            members.append(
                self._person(
                    rng.choice("fm"), min(95, head_age + rng.randint(20, 30)), rng.choice(("father", "mother")), family
                )
            )
        youngest_parent = min(m["_age"] for m in members)
        while len(members) < size:
            age = rng.randint(0, max(0, min(youngest_parent - 16, 30)))
            sex = rng.choice("fm")
            relation = "son" if sex == "m" else "daughter"
            if youngest_parent > 45 and rng.random() < 0.25:
                relation = "grandchild"
            elif rng.random() < 0.06:
                relation = rng.choice(("nephew_niece", "brother" if sex == "m" else "sister", "other_relative"))
            taken = {m["given_name"] for m in members}
            members.append(self._person(sex, age, relation, family, father=members[0], taken=taken))
        return members

    def _person(self, sex: str, age: int, relation: str, family, father=None, taken=()) -> dict:
        given, given_orig = self.name(N.MALE_GIVEN if sex == "m" else N.FEMALE_GIVEN)
        while given in taken:  # siblings do not share a given name
            given, given_orig = self.name(N.MALE_GIVEN if sex == "m" else N.FEMALE_GIVEN)
        if father is not None and father["sex"] == "m":
            father_name, father_orig = father["given_name"], father["given_name_orig"]
        else:
            father_name, father_orig = self.name(N.MALE_GIVEN)
        if age >= 18:
            marital = (
                "married"
                if relation in ("head", "spouse", "father", "mother") and self.rng.random() < 0.9
                else self.rng.choice(("single", "married", "widowed"))
            )
        else:
            marital = "single" if age < 15 or self.rng.random() < 0.9 else "married"
        return {
            "given_name": given,
            "given_name_orig": given_orig,
            "father_name": father_name,
            "father_name_orig": father_orig,
            "family_name": family[0],
            "family_name_orig": family[1],
            "sex": sex,
            "relation_to_head": relation,
            "marital_status": marital,
            "_age": age,
        }

    def reregistered(self, head: dict) -> dict:
        """The same person as ``head`` as another desk writes them: another spelling or script, an estimate."""
        person = {k: v for k, v in head.items() if k not in ("_born",)}
        variants = N.LATIN_VARIANTS.get(person["given_name"])
        if variants and self.rng.random() < 0.6:
            person["given_name"] = self.rng.choice(variants)
        elif self.rng.random() < 0.5:
            cyrillic = {latin: cyr for latin, _arabic, cyr in N.MALE_GIVEN + N.FEMALE_GIVEN}
            person["given_name_orig"] = cyrillic.get(person["given_name"], person["given_name_orig"])
        if self.rng.random() < 0.5:
            person["family_name"], person["family_name_orig"] = None, None
        born, _precision = head["_born"]
        person["_born"] = (date(born.year, 7, 1), "year")
        person["relation_to_head"] = "head"
        return person

    def needs(self, person: dict, household_size: int) -> list[str]:
        rng, age, codes = self.rng, person["_age"], []
        for code, rate in NEED_RATES:
            if rng.random() < rate:
                codes.append(code)
        if age >= 60 and rng.random() < 0.25:
            codes.append("ER-NF" if household_size == 1 else "ER-FR")
        if person["sex"] == "f" and person["relation_to_head"] == "head" and age >= 18:
            codes.append("WR-WR" if rng.random() < 0.5 else "SP-PT")
        if 0 < age < 2 and rng.random() < 0.05:
            codes.append("SM-MN")
        if person["sex"] == "f" and 15 <= age <= 45 and rng.random() < 0.05:
            codes.append("WR-LC")
        if person["relation_to_head"] == "head" and age < 18:
            codes.append("SC-CH")
        return sorted(set(codes))


def build_world(session: Session, *, households: int, seed: int = 1) -> DemoResult:
    """Create (or top up) the demo world: camps, staff, then ``households`` new households."""
    camps = ensure_camps(session)
    staff = ensure_staff(session, camps)
    gen = _Generator(seed)
    codes = [c[0] for c in CAMPS]
    shares = [c[5] for c in CAMPS]
    next_hh = (session.scalar(select(func.max(Household.id))) or 0) + 1
    next_person = (session.scalar(select(func.max(Person.id))) or 0) + 1
    counters = {code: camps[code].household_counter for code in codes}
    hh_rows: list[dict[str, Any]]
    person_rows: list[dict[str, Any]]
    need_rows: list[dict[str, Any]]
    key_rows: list[dict[str, Any]]
    search_rows: list[dict[str, Any]]
    hh_rows, person_rows, need_rows, key_rows, search_rows, people = [], [], [], [], [], 0
    earlier_heads: list[tuple[str, dict]] = []

    def flush() -> None:
        # Core inserts keep None values, so every row has the same columns and goes in one batch.
        for table, rows in (
            (Household.__table__, hh_rows),
            (Person.__table__, person_rows),
            (PersonNeed.__table__, need_rows),
            (PersonKey.__table__, key_rows),
            (PersonSearchKey.__table__, search_rows),
        ):
            if rows:
                session.execute(table.insert(), rows)  # type: ignore[attr-defined]  # a model's __table__ is a Table, typed as FromClause
            rows.clear()

    for _ in range(households):
        code = gen.rng.choices(codes, shares)[0]
        arrival = DEMO_END - timedelta(days=int(gen.rng.triangular(0, ARRIVAL_DAYS, ARRIVAL_DAYS * 0.3)))
        if earlier_heads and gen.rng.random() < REREGISTRATION_RATE:
            # Someone registered before comes again to another camp, written differently.
            first_code, head = gen.rng.choice(earlier_heads)
            code = gen.rng.choice([c for c in codes if c != first_code])
            members = [gen.reregistered(head)]
        else:
            members = gen.household()
        counters[code] += 1
        province = gen.rng.choices(gen.provinces, gen.province_weights)[0]
        hh_rows.append(
            {
                "id": next_hh,
                "number": format_number(code, counters[code]),
                "camp_id": camps[code].id,
                "status": "active",
                "arrival_date": arrival,
                "crossing_point": gen.rng.choice(gen.crossings),
                "origin_province": province,
                "origin_district": None,
                "phone": f"+99291{gen.rng.randrange(10**7):07d}" if gen.rng.random() < 0.6 else None,
                "size": len(members),
                "arrival_size": len(members),
                "registered_at": _registered_at(arrival, gen.rng),
            }
        )
        phone = hh_rows[-1]["phone"]  # four in five of those with a phone agreed to SMS, in Dari
        hh_rows[-1].update(
            phone_digits=phone and phone[1:],
            sms_consent=(next_hh % 5 != 0) if phone else None,
            sms_language="fa" if phone else None,
        )
        for seq, member in enumerate(members, start=1):
            born, precision = member.get("_born") or gen.birth(member["_age"], arrival)
            needs = gen.needs(member, len(members))
            row = {k: v for k, v in member.items() if not k.startswith("_")}
            row.update(
                id=next_person,
                household_id=next_hh,
                seq=seq,
                birth_date=born,
                birth_precision=precision,
                nationality="AFG",
                status="active",
            )
            person_rows.append(row)
            if seq == 1 and len(earlier_heads) < 5000:
                earlier_heads.append((code, {**member, "_born": (born, precision)}))
            need_rows.extend({"person_id": next_person, "code": c} for c in needs)
            key_rows.extend({"person_id": next_person, "key": k} for k in sorted(block_keys(_record(row))))
            search_rows.extend(
                search_keys.rows_for(
                    next_person,
                    search_keys.Names(
                        row.get("given_name"),
                        row.get("given_name_orig"),
                        row.get("father_name"),
                        row.get("father_name_orig"),
                        row.get("family_name"),
                        row.get("family_name_orig"),
                        born.year,
                    ),
                )
            )
            next_person += 1
            people += 1
        next_hh += 1
        if len(person_rows) >= BATCH:
            flush()
    flush()
    advance_sequences(session, Household.__table__, Person.__table__)  # type: ignore[arg-type]  # a model's __table__ is a Table, typed as FromClause
    for code, counter in counters.items():
        session.execute(update(Camp).where(Camp.id == camps[code].id).values(household_counter=counter))
    from app.demo.shelter import build_shelter

    build_shelter(session, seed)
    from app.demo.distributions import build_rounds

    build_rounds(session)
    log_action(session, SYSTEM, "demo.load", details={"households": households, "seed": seed})
    return DemoResult(households=households, people=people, staff_created=staff)


def _record(row: dict) -> NameRecord:
    return NameRecord.of(row, row["sex"], row["birth_date"], row["birth_precision"])


def _registered_at(arrival: date, rng: random.Random):
    from datetime import datetime, time

    return datetime.combine(arrival, time(8)) + timedelta(minutes=rng.randrange(9 * 60))
