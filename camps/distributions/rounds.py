"""Distribution rounds: what a household is entitled to, who qualifies, and when a round is open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.audit.services import log_action, log_object
from app.db import update_fields
from app.errors import ValidationErrors
from app.scoping import scope_to_user
from app.users.actors import Actor
from camps.distributions.models import RULES, DistributionRound, RoundItem
from camps.sites.models import Camp
from registration.households.models import HOUSEHOLD_STATUSES

BRACKET_RE = re.compile(r"^(\d{1,2})-(\d{1,2})?:(\d{1,2}(?:\.\d{1,2})?)$")
MAX_ITEMS = 20
MAX_DAYS = 92


@dataclass(frozen=True)
class Bracket:
    low: int
    high: int | None  # None: and larger
    rations: float

    def holds(self, size: int) -> bool:
        return size >= self.low and (self.high is None or size <= self.high)


def parse_brackets(text: str | None) -> list[Bracket]:
    """``"1-3:1 4-6:2 7-:3"``: sizes 1 to 3 get 1 ration, 4 to 6 get 2, 7 and more get 3.

    Brackets must start at 1, follow each other without gaps or overlaps and end open.
    """
    parts = (text or "").replace(",", " ").replace(";", " ").split()
    if not parts:
        raise ValueError(_("Give the brackets, e.g. 1-3:1 4-6:2 7-:3."))
    brackets = []
    for part in parts:
        found = BRACKET_RE.match(part)
        if not found:
            raise ValueError(_("“%(part)s” is not a bracket; write sizes and rations like 4-6:2.", part=part))
        low, high, rations = int(found[1]), int(found[2]) if found[2] else None, float(found[3])
        if (high is not None and high < low) or rations <= 0:
            raise ValueError(_("“%(part)s” is not a bracket; write sizes and rations like 4-6:2.", part=part))
        brackets.append(Bracket(low, high, rations))
    expected = 1
    for bracket in brackets:
        if bracket.low != expected:
            raise ValueError(_("The brackets must start at 1 and follow each other without gaps or overlaps."))
        if bracket.high is None:
            if bracket is not brackets[-1]:
                raise ValueError(_("Only the last bracket can be open-ended."))
            return brackets
        expected = bracket.high + 1
    raise ValueError(_("The last bracket must be open-ended, e.g. 7-:3."))


def rations(round_: DistributionRound, size: int) -> float:
    """How many times each item's quantity a household of ``size`` people receives."""
    if round_.rule == "person":
        return float(size)
    if round_.rule == "brackets":
        return next((b.rations for b in parse_brackets(round_.brackets) if b.holds(size)), 0.0)
    return 1.0


def quantities(round_: DistributionRound, times: float) -> list[tuple[RoundItem, float]]:
    """Each item with its quantity for ``times`` rations."""
    return [(item, round(item.quantity * times, 2)) for item in round_.items]


def entitlement(round_: DistributionRound, size: int) -> list[tuple[RoundItem, float]]:
    """Each item with the quantity a household of ``size`` people receives in this round."""
    return quantities(round_, rations(round_, size))


def is_open_on(round_: DistributionRound, day: date) -> bool:
    return round_.status == "open" and round_.starts_on <= day <= round_.ends_on


def round_for_user(session: Session, user, round_id: int) -> DistributionRound | None:
    """The round if it is in one of the user's camps (else None: answer 404)."""
    found = session.get(DistributionRound, round_id)
    if found is None or not user.can_access_camp(found.camp_id):
        return None
    return found


def rounds_query(user, camp_id: int | None = None, status: str | None = None) -> Select:
    query = scope_to_user(select(DistributionRound), user, DistributionRound.camp_id)
    if camp_id:
        query = query.where(DistributionRound.camp_id == camp_id)
    if status:
        query = query.where(DistributionRound.status == status)
    return query.order_by(DistributionRound.starts_on.desc(), DistributionRound.id.desc())


def _clean(data: dict) -> dict:
    """Check a round's fields; every problem is reported next to its field."""
    errors = ValidationErrors.collect()
    name = (data.get("name") or "").strip()
    if not name:
        errors.add("name", _("This field is required."))
    elif len(name) > 120:
        errors.add("name", _("Enter a name of at most 120 characters."))
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts, date):
        errors.add("starts_on", _("Enter the first day."))
    if not isinstance(ends, date):
        errors.add("ends_on", _("Enter the last day."))
    if isinstance(starts, date) and isinstance(ends, date):
        if ends < starts:
            errors.add("ends_on", _("The last day is before the first."))
        elif (ends - starts).days > MAX_DAYS:
            errors.add("ends_on", _("A round lasts at most %(n)d days.", n=MAX_DAYS))
    rule = data.get("rule") or "household"
    if rule not in RULES:
        errors.add("rule", _("Choose a rule."))
    brackets = (data.get("brackets") or "").strip() or None
    if rule == "brackets":
        try:
            brackets = " ".join(f"{b.low}-{b.high or ''}:{b.rations:g}" for b in parse_brackets(brackets))
        except ValueError as exc:
            errors.add("brackets", str(exc))
    else:
        brackets = None
    statuses = ["active"] if data.get("statuses") is None else list(data["statuses"])  # none given: active ones
    if not statuses or any(s not in HOUSEHOLD_STATUSES for s in statuses):
        errors.add("statuses", _("Choose which households qualify."))
    items = []
    for index, item in enumerate(data.get("items") or []):
        item_name = (item.get("name") or "").strip()
        unit = (item.get("unit") or "").strip()
        quantity = item.get("quantity")
        if not item_name and not unit and quantity in (None, ""):
            continue  # an empty row of the form
        if not item_name or len(item_name) > 80:
            errors.add(f"items-{index}-name", _("Name the item."))
        if not unit or len(unit) > 20:
            errors.add(f"items-{index}-unit", _("Give a unit, e.g. kg."))
        try:
            quantity = float(quantity)
        except (TypeError, ValueError):
            quantity = None
        if quantity is None or not 0 < quantity <= 100_000:
            errors.add(f"items-{index}-quantity", _("Enter a quantity above 0."))
        items.append({"name": item_name, "unit": unit, "quantity": quantity})
    if not items:
        errors.add("items", _("Add at least one item."))
    elif len(items) > MAX_ITEMS:
        errors.add("items", _("At most %(n)d items.", n=MAX_ITEMS))
    errors.raise_if_any()
    return {
        "name": name,
        "starts_on": starts,
        "ends_on": ends,
        "rule": rule,
        "brackets": brackets,
        "statuses": " ".join(sorted(set(statuses))),
        "alternates_allowed": bool(data.get("alternates_allowed")),
        "items": items,
    }


def check_round(data: dict) -> None:
    """Refuse a round's fields as :func:`create_round` would (ValidationErrors), saving nothing."""
    _clean(data)


def create_round(session: Session, actor: Actor, camp: Camp, data: dict) -> DistributionRound:
    clean = _clean(data)
    items = clean.pop("items")
    round_ = DistributionRound(camp_id=camp.id, status="open", created_by_id=getattr(actor, "id", None), **clean)
    round_.items = [RoundItem(position=n, **item) for n, item in enumerate(items, start=1)]
    session.add(round_)
    session.flush()
    log_object(session, actor, "distribution.round_create", "round", round_, items=len(items), rule=round_.rule)
    return round_


def update_round(session: Session, actor: Actor, round_: DistributionRound, data: dict) -> DistributionRound:
    clean = _clean(data)
    items = clean.pop("items")
    update_fields(round_, clean)
    round_.items.clear()
    session.flush()
    round_.items.extend(RoundItem(position=n, **item) for n, item in enumerate(items, start=1))
    session.flush()
    log_object(session, actor, "distribution.round_update", "round", round_, items=len(items), rule=round_.rule)
    return round_


def set_round_status(session: Session, actor: Actor, round_: DistributionRound, status: str) -> None:
    """Close a round (no more collections) or open it again."""
    if status not in ("open", "closed"):
        raise ValueError(status)
    round_.status = status
    log_action(
        session,
        actor,
        f"distribution.round_{'reopen' if status == 'open' else 'close'}",
        object_type="round",
        object_id=round_.id,
        camp_id=round_.camp_id,
    )
