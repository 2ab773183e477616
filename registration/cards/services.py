"""The life of an ID card: issue, reprint, replace, report lost, renew; keys and verification.

Cards are signed with the newest signing key; older keys keep verifying the cards they signed
until those expire. A reprint is the same card (same serial and code); a replacement is a new
card and revokes the old one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from app.audit.services import log_action, log_object
from app.db import utcnow
from app.errors import UserValueError
from app.scoping import scope_to_user
from app.users.actors import SYSTEM, Actor
from camps.allocation.models import PlotAllocation, current_plot_of
from camps.layout.models import Block, Plot
from registration.cards import keys as key_files
from registration.cards.models import Card, SigningKey
from registration.cards.pdf import CardData
from registration.cards.token import CardToken, Verification, sign, verify
from registration.households.models import Household, Person, PersonPhoto

REVOKED_STATUSES = ("replaced", "lost", "revoked")
#: a valid card is renewed in its last days (the message in :func:`renew` says 60 too)
RENEW_WITHIN_DAYS = 60


def key_folder() -> Path:
    configured = current_app.config.get("KEYS_PATH") if has_app_context() else None
    return Path(configured or Path(current_app.instance_path) / "keys")


def signing_key(session: Session, actor: Actor = SYSTEM) -> tuple[SigningKey, Ed25519PrivateKey]:
    """The key that signs new cards, created on first need."""
    key = session.scalar(select(SigningKey).where(SigningKey.retired_at.is_(None)).order_by(SigningKey.id.desc()))
    if key is None:
        return rotate_key(session, actor)
    return key, key_files.load_private(key_folder(), key.kid)


def rotate_key(session: Session, actor: Actor) -> tuple[SigningKey, Ed25519PrivateKey]:
    """Create a new key that signs from now on; the old ones still verify their cards."""
    kid, public = key_files.generate(key_folder())
    for old in session.scalars(select(SigningKey).where(SigningKey.retired_at.is_(None))):
        old.retired_at = utcnow()
    key = SigningKey(kid=kid, public_key=public)
    session.add(key)
    session.flush()
    log_action(session, actor, "card_key.create", object_type="signing_key", object_id=kid)
    return key, key_files.load_private(key_folder(), kid)


#: public key objects by their raw bytes: parsing them again for every scan costs more than verifying
_load_public = functools.lru_cache(maxsize=64)(key_files.load_public)


def public_keys(session: Session) -> dict[str, Ed25519PublicKey]:
    return {kid: _load_public(raw) for kid, raw in session.execute(select(SigningKey.kid, SigningKey.public_key))}


def hold_household(session: Session, household_id: int) -> None:
    """Hold the household's row until the transaction ends (PostgreSQL), so that two desks or
    batches issuing for it at once take turns and the second finds the first one's card. SQLite's
    writers take turns already."""
    session.execute(select(Household.id).where(Household.id == household_id).with_for_update())


def current_card(session: Session, household: Household, today: date) -> Card | None:
    card = session.scalar(
        select(Card).where(Card.household_id == household.id, Card.status == "valid").order_by(Card.id.desc())
    )
    return card if card is not None and card.expires_on >= today else None


def _validity_years() -> int:
    return int(current_app.config.get("CARD_VALIDITY_YEARS", 2)) if has_app_context() else 2


def _add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def issue(session: Session, actor: Actor, household: Household, today: date) -> Card:
    """A new card for a household that has no valid one (the desk, a print batch, a renewal)."""
    if household.status != "active":
        raise UserValueError(_("Only active households get cards."))
    if household.head is None:
        raise UserValueError(_("The household needs a head before a card is printed."))
    hold_household(session, household.id)
    if current_card(session, household, today) is not None:
        raise UserValueError(_("This household already has a valid card: reprint or replace it."))
    key, private = signing_key(session, actor)
    expires = _add_years(today, _validity_years())
    card = Card(
        serial="PENDING",
        household_id=household.id,
        kid=key.kid,
        issued_on=today,
        expires_on=expires,
        status="valid",
        print_count=0,
        code="",
    )
    session.add(card)
    session.flush()
    card.serial = f"C{card.id:08d}"
    card.code = sign(CardToken("P1", key.kid, card.serial, household.number, expires), private)
    session.flush()
    log_object(session, actor, "card.issue", "household", household, card=card.serial)
    return card


def record_print(session: Session, actor: Actor, card: Card) -> None:
    card.print_count += 1
    card.printed_by_id = getattr(actor, "id", None)
    card.last_printed_at = utcnow()
    action = "card.print" if card.print_count == 1 else "card.reprint"
    log_action(
        session,
        actor,
        action,
        object_type="household",
        object_id=card.household_id,
        camp_id=card.household.camp_id,
        details={"card": card.serial, "print": card.print_count},
    )


def _revoke(session: Session, actor: Actor, card: Card, status: str) -> None:
    if card.status != "valid":
        raise UserValueError(_("This card is no longer valid."))
    card.status, card.revoked_at = status, utcnow()
    log_action(
        session,
        actor,
        f"card.{status}",
        object_type="household",
        object_id=card.household_id,
        camp_id=card.household.camp_id,
        details={"card": card.serial},
    )


def replace(session: Session, actor: Actor, card: Card, today: date) -> Card:
    """A new card (new serial) for a damaged one; the old serial is revoked."""
    _revoke(session, actor, card, "replaced")
    new = issue(session, actor, card.household, today)
    card.replaced_by_id = new.id
    return new


def report_lost(session: Session, actor: Actor, card: Card) -> None:
    """Lost or stolen: the serial goes on the revocation list at once."""
    _revoke(session, actor, card, "lost")


def renewable(card: Card, today: date) -> bool:
    """Whether the valid ``card`` may be renewed: it expires within :data:`RENEW_WITHIN_DAYS` or has expired."""
    return (card.expires_on - today).days <= RENEW_WITHIN_DAYS


def renew(session: Session, actor: Actor, household: Household, today: date) -> Card:
    """A new card when the last one expired (or expires within :data:`RENEW_WITHIN_DAYS`)."""
    card = session.scalar(
        select(Card).where(Card.household_id == household.id, Card.status == "valid").order_by(Card.id.desc())
    )
    if card is not None:
        if not renewable(card, today):
            raise UserValueError(
                _("The card is valid until %(date)s; renew it in its last 60 days.", date=card.expires_on.isoformat())
            )
        _revoke(session, actor, card, "replaced")
    new = issue(session, actor, household, today)
    if card is not None:
        card.replaced_by_id = new.id
    return new


def household_cards(session: Session, household: Household) -> list[Card]:
    return list(session.scalars(select(Card).where(Card.household_id == household.id).order_by(Card.id.desc())))


def revoked_serials(session: Session) -> list[str]:
    return sorted(session.scalars(select(Card.serial).where(Card.status.in_(REVOKED_STATUSES))))


@dataclass
class CheckedCode:
    verification: Verification
    card: Card | None = None
    household: Household | None = None


def verify_code(session: Session, text: str, today: date) -> Verification:
    """A code's signature, key, expiry and revocation, checked against the database's keys and list."""
    return verify(text, public_keys(session), today=today, revoked=frozenset(revoked_serials(session)))


def check_code(session: Session, text: str, today: date) -> CheckedCode:
    """Verify a scanned or typed code against the keys and the revocation list."""
    result = verify_code(session, text, today)
    if result.token is None:
        return CheckedCode(result)
    card = session.scalar(select(Card).where(Card.serial == result.token.serial).options(selectinload(Card.household)))
    return CheckedCode(result, card, card.household if card else None)


def card_data(session: Session, card: Card) -> CardData:
    household = card.household
    head = household.head
    photo = session.scalar(select(PersonPhoto.jpeg).where(PersonPhoto.person_id == head.id)) if head else None
    return CardData(
        serial=card.serial,
        household_number=household.number,
        household_size=household.size,
        name_latin=head.latin_name if head else "",
        name_orig=head.original_name or None if head else None,
        camp_code=household.camp.code,
        camp_name=household.camp.name,
        plot=plot.code if (plot := current_plot_of(session, household.id)) else None,
        issued=card.issued_on,
        expires=card.expires_on,
        photo=photo,
        token=card.code,
    )


def lacking_photo(query):
    """The households of a print queue (``print_queue``) whose head has no photo: their cards would print
    with the grey placeholder."""
    head_photo = exists().where(
        Person.household_id == Household.id,
        Person.relation_to_head == "head",
        Person.status == "active",
        PersonPhoto.person_id == Person.id,
    )
    return query.where(~head_photo)


def print_queue(user, camp_id: int | None, today: date, block: str | None = None):
    """Active households (in the user's camps) without a valid, unexpired card.

    With a block code (of the camp), only the households living in that block, in plot order, so
    that the cards come off the printer in the order they are handed out.
    """
    has_card = exists().where(Card.household_id == Household.id, Card.status == "valid", Card.expires_on >= today)
    query = scope_to_user(select(Household), user, Household.camp_id).where(Household.status == "active", ~has_card)
    if camp_id:
        query = query.where(Household.camp_id == camp_id)
    if block:
        return (
            query.join(
                PlotAllocation, (PlotAllocation.household_id == Household.id) & PlotAllocation.ended_at.is_(None)
            )
            .join(Plot, Plot.id == PlotAllocation.plot_id)
            .join(Block, Block.id == Plot.block_id)
            .where(Block.code == block.strip().upper())
            .order_by(Plot.code, Household.id)
        )
    return query.order_by(Household.id)
