"""Person and household lists: check the request, audit it once, then read the rows in batches.

The rows are read by keyset pagination on the primary key (``BATCH_SIZE`` rows per query, plain
columns, no ORM objects), with the plots and needs of each batch fetched in one query each, so an
export of 500,000 people holds one batch in memory at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app import visibility
from app.audit.services import log_action
from app.db import utcnow
from app.errors import ValidationErrors
from app.users.actors import Actor
from app.users.models import User
from camps.allocation.models import current_plots
from camps.figures.population import AGE_SEX_KEYS, band_key
from camps.layout.models import Plot
from camps.sites.models import Camp
from camps.sites.services import camp_today, visible_camps
from registration import births, needs
from registration.exports.fields import HOUSEHOLDS, KINDS, PERSONS, Column, columns_for
from registration.households.models import HOUSEHOLD_STATUSES, NAME_COLUMNS, Household, Person, PersonNeed

BATCH_SIZE = 2000
FORMATS = {"xlsx": "Excel (XLSX)", "csv": "CSV (UTF-8)"}
PARTNER = "partner_referral"
OTHER = "other"
PURPOSES = {
    "distribution_planning": _l("Distribution planning"),
    "shelter_planning": _l("Shelter and plot planning"),
    "protection_followup": _l("Protection follow-up"),
    "verification": _l("Verification or cleaning of registration data"),
    PARTNER: _l("Referral to a partner under a data-sharing agreement"),
    OTHER: _l("Other (describe it)"),
}
DETAIL_MAX = 300
AGREEMENT_MAX = 200
HEAD_FIELDS = ("given_name", "father_name", "family_name", "given_name_orig", "father_name_orig", "family_name_orig")


@dataclass(frozen=True)
class ExportPlan:
    """A checked export request: what to read, for whom, and why. Holds no personal data."""

    kind: str
    fmt: str
    camp_ids: tuple[int, ...]
    camp_codes: tuple[str, ...]
    #: the one camp chosen, or None for all the user's camps
    camp_code: str | None
    #: household status, or None for any
    status: str | None
    #: people who left their household (departed, deceased, moved out) too; merged duplicates never
    former_members: bool
    purpose: str
    purpose_detail: str
    agreement: str
    columns: tuple[Column, ...]
    #: restricted specific-needs codes (SV, TR, some LP) are written
    protection: bool
    username: str
    full_name: str
    at: datetime

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @cached_property
    def today(self) -> date:
        """The day in the camps when the export was made: ages are counted to it."""
        return camp_today(self.at)

    @property
    def filename(self) -> str:
        """``panoh-persons-KHR-20261128-1530.csv``: never any personal data."""
        return f"panoh-{self.kind}-{self.camp_code or 'all'}-{self.at:%Y%m%d-%H%M}.{self.fmt}"


def prepare_export(session: Session, actor: User, data: dict, *, now: datetime | None = None) -> ExportPlan:
    """Check an export request (list, format, camp, filters, purpose); raise ValidationErrors by field."""
    errors = ValidationErrors.collect()
    kind, fmt = data.get("kind") or "", data.get("format") or ""
    if kind not in KINDS:
        errors.add("kind", _("Choose a list."))
    if fmt not in FORMATS:
        errors.add("format", _("Choose a format."))
    camps = _chosen_camps(session, actor, (data.get("camp") or "").strip().upper(), errors)
    status = data.get("status") or None
    if status is not None and status not in HOUSEHOLD_STATUSES:
        errors.add("status", _("Choose a status."))
    purpose = data.get("purpose") or ""
    detail = " ".join((data.get("purpose_detail") or "").split())
    agreement = " ".join((data.get("agreement") or "").split())
    if purpose not in PURPOSES:
        errors.add("purpose", _("Say why you need this list."))
    if purpose == OTHER and not detail:
        errors.add("purpose_detail", _("Describe the purpose."))
    if len(detail) > DETAIL_MAX:
        errors.add("purpose_detail", _("At most %(n)d characters.", n=DETAIL_MAX))
    if purpose == PARTNER and not agreement:
        errors.add("agreement", _("Name the partner and the data-sharing agreement."))
    if len(agreement) > AGREEMENT_MAX:
        errors.add("agreement", _("At most %(n)d characters.", n=AGREEMENT_MAX))
    errors.raise_if_any()
    return ExportPlan(
        kind=kind,
        fmt=fmt,
        camp_ids=tuple(c.id for c in camps),
        camp_codes=tuple(c.code for c in camps),
        camp_code=camps[0].code if data.get("camp") else None,
        status=status,
        former_members=bool(data.get("former_members")) and kind == PERSONS,
        purpose=purpose,
        purpose_detail=detail,
        agreement=agreement if purpose == PARTNER else "",
        columns=columns_for(actor, kind),
        protection=visibility.can_see(actor, visibility.RESTRICTED_NEEDS, bulk=True),
        username=actor.username,
        full_name=actor.full_name,
        at=(now or utcnow()).replace(microsecond=0),
    )


def _chosen_camps(session: Session, actor: User, code: str, errors) -> list[Camp]:
    """The camp asked for if the user works in it, or all the user's camps for ''."""
    camps = visible_camps(session, actor)
    if code:
        camps = [c for c in camps if c.code == code]
    if not camps:
        errors.add("camp", _("Choose one of your camps."))
    return camps


def log_export(session: Session, actor: Actor, plan: ExportPlan, rows: int | None = None) -> None:
    """The one audit event of an export: what was asked and why, never any of the rows."""
    details: dict[str, Any] = {
        "kind": plan.kind,
        "format": plan.fmt,
        "camps": list(plan.camp_codes),
        "filters": {"status": plan.status or "any", "former_members": plan.former_members},
        "columns": list(plan.keys),
        "purpose": plan.purpose,
        "purpose_detail": plan.purpose_detail,
        "agreement": plan.agreement,
    }
    if rows is not None:
        details["rows"] = rows
    log_action(
        session,
        actor,
        f"export.{plan.kind}",
        object_type="export",
        camp_id=plan.camp_ids[0] if plan.camp_code else None,
        details=details,
    )


def about(plan: ExportPlan, rows: int | None = None) -> list[tuple[str, str]]:
    """Who exported the file, when, why and what: the About sheet, or a CSV file's leading lines."""
    purpose = str(PURPOSES[plan.purpose]) + (f": {plan.purpose_detail}" if plan.purpose_detail else "")
    status = str(HOUSEHOLD_STATUSES[plan.status]) if plan.status else _("any")
    people = (
        ""
        if plan.kind == HOUSEHOLDS
        else "; "
        + (_("people who left their household included") if plan.former_members else _("current members only"))
    )
    lines = [
        (_("List"), str(KINDS[plan.kind])),
        (_("Exported by"), f"{plan.username} ({plan.full_name})"),
        (_("Exported at (UTC)"), plan.at.isoformat(sep=" ")),
        (_("Purpose"), purpose),
        (_("Partner and data-sharing agreement"), plan.agreement or "—"),
        (_("Camps"), ", ".join(plan.camp_codes)),
        (_("Filters"), _("household status: %(status)s", status=status) + people),
    ]
    if rows is not None:
        lines.append((_("Rows"), str(rows)))
    lines.append((_("Personal data"), _("keep safe, delete when the purpose is served.")))
    return lines


def headers(plan: ExportPlan) -> list[str]:
    return [str(c.title) for c in plan.columns]


def export_rows(session: Session, plan: ExportPlan, batch_size: int = BATCH_SIZE) -> Iterator[list]:
    """The list's rows (values in the order of ``plan.columns``), read ``batch_size`` at a time."""
    batches = _person_batches if plan.kind == PERSONS else _household_batches
    keys = plan.keys
    for batch in batches(session, plan, batch_size):
        for values in batch:
            yield [values.get(k) for k in keys]


def _scoped(query: Select, plan: ExportPlan) -> Select:
    # ``camp_id + 0``: no index on the camp, so that the database walks the primary key from the last row
    # read (else SQLite reads every household of the camp, then sorts, for each batch).
    query = query.where((Household.camp_id + 0).in_(plan.camp_ids), Household.anonymised_at.is_(None))
    return query.where(Household.status == plan.status) if plan.status else query


def _keyset(session: Session, query: Select, id_column, batch_size: int) -> Iterator[Sequence[Any]]:
    last = 0
    while rows := session.execute(query.where(id_column > last).order_by(id_column).limit(batch_size)).all():
        yield rows
        last = rows[-1].id


def _household_columns() -> tuple:
    """What both lists read of a household (its status as ``hh_status``: a person has a status too)."""
    return (
        Household.number,
        Household.status.label("hh_status"),
        Household.arrival_date,
        Household.origin_province,
        Household.size,
        Household.phone,
        Camp.code.label("camp"),
    )


def _household_values(r) -> dict:
    """The household's columns of an exported row, from a row read with ``_household_columns``."""
    return {
        "household_status": r.hh_status,
        "camp": r.camp,
        "arrival_date": r.arrival_date.isoformat(),
        "origin_province": r.origin_province,
        "household_size": r.size,
        "phone": r.phone,
    }


def _person_batches(session: Session, plan: ExportPlan, batch_size: int) -> Iterator[list[dict]]:
    query = _scoped(
        select(
            Person.id,
            Person.household_id,
            Person.seq,
            *(getattr(Person, f) for f in NAME_COLUMNS),
            Person.sex,
            Person.birth_date,
            Person.birth_precision,
            Person.relation_to_head,
            Person.status,
            Person.tazkira,
            *_household_columns(),
        )
        .join(Household, Household.id == Person.household_id)
        .join(Camp, Camp.id == Household.camp_id)
        .where(Person.status != "merged"),
        plan,
    )
    if not plan.former_members:
        query = query.where(Person.status == "active")
    for rows in _keyset(session, query, Person.id, batch_size):
        plots = current_plots(session, {r.household_id for r in rows}, Plot.code)
        codes = _needs(session, rows[0].id, rows[-1].id, plan.protection)
        yield [
            {
                "household_number": r.number,
                "person_number": f"{r.number}/{r.seq:02d}",
                **{f: getattr(r, f) for f in NAME_COLUMNS},
                "sex": r.sex,
                "birth_date": births.display(r.birth_date, r.birth_precision),
                "age": max(births.age_on(r.birth_date, plan.today), 0),
                "relationship": r.relation_to_head,
                "person_status": r.status,
                **_household_values(r),
                "plot": plots.get(r.household_id),
                "needs": codes.get(r.id),
                "tazkira": r.tazkira,
            }
            for r in rows
        ]


def _needs(session: Session, first_id: int, last_id: int, protection: bool) -> dict[int, str]:
    """``{person id: 'DS-PM SM-CI'}`` for the persons of one batch, without codes the user may not see."""
    held: dict[int, list[str]] = defaultdict(list)
    for person_id, code in session.execute(
        select(PersonNeed.person_id, PersonNeed.code).where(PersonNeed.person_id.between(first_id, last_id))
    ):
        held[person_id].append(code)
    return {pid: " ".join(needs.visible_codes(codes, protection)) for pid, codes in held.items()}


def _household_batches(session: Session, plan: ExportPlan, batch_size: int) -> Iterator[list[dict]]:
    query = _scoped(
        select(Household.id, *_household_columns()).join(Camp, Camp.id == Household.camp_id),
        plan,
    )
    for rows in _keyset(session, query, Household.id, batch_size):
        ids = [r.id for r in rows]
        plots = current_plots(session, ids, Plot.code)
        heads, bands = _members(session, ids, plan.today)
        yield [
            {
                "household_number": r.number,
                **_household_values(r),
                **{f"head_{f}": getattr(heads.get(r.id), f, None) for f in HEAD_FIELDS},
                "plot": plots.get(r.id),
                **bands[r.id],
            }
            for r in rows
        ]


def _members(session: Session, household_ids: list[int], today: date) -> tuple[dict, dict]:
    """The head of each household and its active members counted by sex and UNHCR age band."""
    heads: dict[int, object] = {}
    bands: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(AGE_SEX_KEYS, 0))
    for row in session.execute(
        select(
            Person.household_id,
            Person.sex,
            Person.birth_date,
            Person.relation_to_head,
            *(getattr(Person, f) for f in HEAD_FIELDS),
        )
        .where(Person.household_id.in_(household_ids), Person.status == "active")
        .order_by(Person.household_id, Person.seq)
    ):
        if row.relation_to_head == "head":
            heads.setdefault(row.household_id, row)
        bands[row.household_id][f"{row.sex}_{band_key(births.age_on(row.birth_date, today))}"] += 1
    return heads, bands
