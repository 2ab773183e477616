"""What happens when a card is scanned at a distribution point: the check (recording.py records).

The outcomes are the same here and in the scan page's offline check (static/js/distribution-scan.js):
card outcomes from registration.cards (malformed, unknown_key, invalid_signature, revoked, expired),
then wrong_camp, not_eligible, already_collected, and round_closed / unknown_household. A typed
number of another camp's household is 'unknown_household', as a number nobody has: the answer must
not tell which numbers exist elsewhere (a signed card of another camp proves its own, so it is
'wrong_camp').
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from camps.distributions.models import Collection, DistributionRound
from camps.distributions.rounds import entitlement, is_open_on
from registration.cards.models import Card
from registration.cards.services import public_keys, revoked_serials, verify_code
from registration.cards.token import OUTCOMES as CARD_OUTCOMES
from registration.cards.token import verify
from registration.households.models import Household
from registration.households.numbers import is_valid, normalise

OUTCOMES = (*CARD_OUTCOMES, "wrong_camp", "not_eligible", "already_collected", "round_closed", "unknown_household")


@dataclass
class Check:
    outcome: str
    #: the household's id, number, camp, status and size (a row of ``_households``)
    household: Row[Any] | None = None
    serial: str | None = None
    entitlement: list = field(default_factory=list)
    #: the collection that already counts for this household and round
    existing: Collection | None = None


def counted_collection(session: Session, round_id: int, household_id: int) -> Collection | None:
    return session.scalar(
        select(Collection).where(
            Collection.round_id == round_id, Collection.household_id == household_id, Collection.status == "ok"
        )
    )


def _households():
    """Plain rows, not ORM objects: a scan needs only the number, camp, status and size, and it
    is the hottest path of a distribution day."""
    return select(Household.id, Household.number, Household.camp_id, Household.status, Household.size)


@dataclass(frozen=True)
class CardKeys:
    """The public keys and revoked serials that codes are verified against, read once for a batch."""

    public: dict
    revoked: frozenset[str]

    @classmethod
    def load(cls, session: Session) -> CardKeys:
        return cls(public_keys(session), frozenset(revoked_serials(session)))


def check(
    session: Session,
    round_: DistributionRound,
    *,
    code: str | None = None,
    number: str | None = None,
    day: date,
    entitled: bool = True,
    keys: CardKeys | None = None,
    open_round: bool = True,
    counted: bool = True,
) -> Check:
    """What the officer sees for a card code (or a household number typed in) on ``day``.

    ``entitled=False`` skips the entitlement (recording does not show it again). ``keys`` verifies
    the code against keys read beforehand (a batch) instead of reading them from the database.
    ``open_round=False`` checks the card and household whether the round is open or not, and
    ``counted=False`` leaves out whether the household collected (recording judges both itself).
    """
    if open_round and not is_open_on(round_, day):
        return Check("round_closed")
    serial = None
    if code:
        if keys is None:
            verification = verify_code(session, code.strip(), day)
        else:
            verification = verify(code.strip(), keys.public, today=day, revoked=keys.revoked)
        token = verification.token
        serial = token.serial if token else None
        household = (
            session.execute(
                _households().join(Card, Card.household_id == Household.id).where(Card.serial == serial)
            ).first()
            if token
            else None
        )
        if verification.outcome != "valid":
            keep = verification.outcome in ("revoked", "expired")
            return Check(verification.outcome, household if keep else None, serial)
        if household is None or token is None or household.number != token.household:
            return Check("unknown_household", serial=serial)
    else:
        number = normalise(number or "")
        if not is_valid(number):
            return Check("malformed")
        household = session.execute(_households().where(Household.number == number)).first()
        if household is None:
            return Check("unknown_household")
    if household.camp_id != round_.camp_id:
        return Check("wrong_camp", household, serial) if code else Check("unknown_household")
    if household.status not in round_.qualifying:
        return Check("not_eligible", household, serial)
    items = entitlement(round_, household.size) if entitled else []
    existing = counted_collection(session, round_.id, household.id) if counted else None
    if existing is not None:
        return Check("already_collected", household, serial, items, existing)
    return Check("valid", household, serial, items)
