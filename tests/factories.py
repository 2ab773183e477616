"""Test data built through the real services where they exist, flushed into the test session."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.users.services import create_user
from camps.sites.models import Camp
from registration.households.models import Household, Person, PersonNeed
from registration.households.numbers import format_number

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


class Factories:
    def __init__(self, session: Session) -> None:
        self.session = session

    def camp(self, code: str = "KHR", **kwargs) -> Camp:
        camp = self.session.scalar(select(Camp).where(Camp.code == code))
        if camp is None:
            camp = Camp(
                code=code,
                name=kwargs.pop("name", f"Camp {code}"),
                region_code=kwargs.pop("region_code", "TJ-KT"),
                status="open",
                household_counter=0,
                **kwargs,
            )
            self.session.add(camp)
            self.session.flush()
        return camp

    def user(
        self, roles=("registration_clerk",), camps=("KHR",), all_camps=False, username=None, password=PASSWORD, **kwargs
    ):
        camp_ids = [self.camp(code).id for code in camps]
        user = create_user(
            self.session,
            None,
            username=username or f"user{next(_counter)}",
            full_name=kwargs.pop("full_name", "Test User"),
            password=password,
            roles=roles,
            camp_ids=camp_ids,
            all_camps=all_camps,
            must_change_password=kwargs.pop("must_change_password", False),
        )
        self.session.flush()
        return user

    def household(self, camp: str = "KHR", members: int = 3, **kwargs) -> Household:
        camp_obj = self.camp(camp)
        camp_obj.household_counter += 1
        household = Household(
            number=format_number(camp_obj.code, camp_obj.household_counter),
            camp_id=camp_obj.id,
            arrival_date=kwargs.pop("arrival_date", date(2026, 10, 1)),
            status=kwargs.pop("status", "active"),
            size=members,
            **kwargs,
        )
        for seq in range(1, members + 1):
            household.members.append(
                Person(
                    seq=seq,
                    given_name="Mohammad" if seq == 1 else f"Child {seq}",
                    given_name_orig="محمد",
                    father_name="Karim",
                    sex="m",
                    birth_date=date(1990 + seq, 7, 1),
                    birth_precision="year",
                    relation_to_head="head" if seq == 1 else "son",
                    nationality="AFG",
                    status="active",
                    needs=[PersonNeed(code="DS-PM")] if seq == 1 else [],
                )
            )
        self.session.add(household)
        self.session.flush()
        return household

    def named_household(self, camp: str = "KHR", *, born: int = 1985, **names) -> Household:
        """A household of one whose head has exactly these names (the others empty) and was born in ``born``,
        with the search and blocking keys the desk stores."""
        from registration.dedup.services import store_keys

        household = self.household(camp, members=1)
        head = household.members[0]
        for field in (
            "given_name",
            "given_name_orig",
            "father_name",
            "father_name_orig",
            "family_name",
            "family_name_orig",
        ):
            setattr(head, field, names.get(field))
        head.birth_date = date(born, 7, 1)
        self.session.flush()
        store_keys(self.session, head)
        self.session.flush()
        return household

    def layout(self, camp: str = "KHR", blocks: int = 2, plots: int = 4, **plot_fields) -> list:
        """One sector of ``blocks`` blocks (B01...) of ``plots`` 10 m × 10 m plots with a 16 m² tent each."""
        from camps.layout.models import Block, Plot, Sector

        camp_obj = self.camp(camp)
        sector = self.session.scalar(select(Sector).where(Sector.camp_id == camp_obj.id, Sector.code == "S1"))
        if sector is None:
            sector = Sector(camp_id=camp_obj.id, code="S1")
            self.session.add(sector)
            self.session.flush()
        made = []
        for b in range(1, blocks + 1):
            block = Block(
                camp_id=camp_obj.id,
                sector_id=sector.id,
                code=f"B{b:02d}",
                x=(b - 1) * 60.0,
                y=0.0,
                width=45.0,
                depth=45.0,
                area_m2=2025.0,
            )
            self.session.add(block)
            self.session.flush()
            for n in range(1, plots + 1):
                fields = {
                    "area_m2": 100.0,
                    "covered_m2": 16.0,
                    "shelter_type": "family_tent",
                    "capacity": 1,
                    "status": "vacant",
                    "household_count": 0,
                    "features": "",
                    **plot_fields,
                }
                made.append(
                    Plot(
                        camp_id=camp_obj.id,
                        block_id=block.id,
                        code=f"{camp_obj.code}-{block.code}-{n:03d}",
                        number=n,
                        x=block.x + ((n - 1) % 4) * 11.0,
                        y=((n - 1) // 4) * 11.0,
                        width=10.0,
                        depth=10.0,
                        **fields,
                    )
                )
        self.session.add_all(made)
        self.session.flush()
        return made

    def duplicate_pair(self, a: Person, b: Person, status: str = "open"):
        from registration.dedup.models import DuplicatePair

        low, high = sorted((a.id, b.id))
        pair = DuplicatePair(person_a_id=low, person_b_id=high, score=0.9, reasons=["test"], status=status)
        self.session.add(pair)
        self.session.flush()
        return pair

    def import_batch(self, camp: str = "KHR", content: bytes = b"household_ref,given_name\n", status="validated"):
        from registration.imports.models import ImportBatch

        batch = ImportBatch(
            camp_id=self.camp(camp).id, filename="list.csv", list_name="list", content=content, status=status
        )
        self.session.add(batch)
        self.session.flush()
        return batch
