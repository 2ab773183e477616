"""The package a distribution point keeps for a round, to check cards and queue collections offline.

Households are listed compactly (a round of 20,000 households is about 1 MB of JSON before
compression, plus stamp-sized photos where they exist), built with a few set-based queries.

The package holds household numbers, photos and alternates' names: the device keeps it for
``PACKAGE_HOURS`` at most (a scan page refreshes it every few minutes while online) and drops it
when its officer signs out.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campday import camp_now
from app.db import utcnow
from camps.distributions.models import AlternateCollector, Collection, DistributionRound
from camps.distributions.rounds import entitlement, is_open_on
from camps.sites.models import Camp
from registration.cards.models import SigningKey
from registration.cards.services import revoked_serials, signing_key
from registration.cards.token import revocation_document
from registration.households.models import Household, Person, PersonPhoto
from registration.photos import thumbnail

#: how long a device may use a package it could not refresh
PACKAGE_HOURS = 24


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _data_url(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()


def head_photos(session: Session, where, *, make_missing: bool = True) -> dict[int, str]:
    """Stamp-sized photos of the active heads of the households ``where`` selects: data URLs by household id.

    A photo saved before thumbnails existed gets one made now, unless ``make_missing`` is False (only
    these full photos are read).
    """
    heads = (
        select(Person.household_id)
        .join(PersonPhoto, PersonPhoto.person_id == Person.id)
        .join(Household, Household.id == Person.household_id)
        .where(where, Person.relation_to_head == "head", Person.status == "active")
    )
    photos = {
        household_id: _data_url(thumb)
        for household_id, thumb in session.execute(
            heads.add_columns(PersonPhoto.thumb).where(PersonPhoto.thumb.is_not(None))
        )
    }
    if make_missing:
        for household_id, jpeg in session.execute(
            heads.add_columns(PersonPhoto.jpeg).where(PersonPhoto.thumb.is_(None))
        ):
            photos[household_id] = _data_url(thumbnail(jpeg))
    return photos


def head_photo(session: Session, household_id: int) -> str | None:
    """The stamp-sized photo of a household's active head (none is made on this hot path of a scan)."""
    return head_photos(session, Household.id == household_id, make_missing=False).get(household_id)


def offline_package(session: Session, round_: DistributionRound) -> dict:
    camp = session.get_one(Camp, round_.camp_id)
    now = utcnow()
    generated = now.isoformat(timespec="seconds") + "Z"
    camp_time = camp_now(now)
    today = camp_time.date()
    offset = camp_time.utcoffset()
    assert offset is not None  # the camp's time is aware
    key, private = signing_key(session)
    keys = [
        {"kid": k.kid, "public_key": _b64url(k.public_key), "retired": k.retired_at is not None}
        for k in session.scalars(select(SigningKey).order_by(SigningKey.id))
    ]
    collected = set(
        session.scalars(
            select(Collection.household_id).where(Collection.round_id == round_.id, Collection.status == "ok")
        )
    )
    alternates = defaultdict(list)
    for household_id, alt_id, name, name_orig in session.execute(
        select(
            AlternateCollector.household_id,
            AlternateCollector.id,
            AlternateCollector.name,
            AlternateCollector.name_orig,
        )
        .join(Household, Household.id == AlternateCollector.household_id)
        .where(Household.camp_id == camp.id, AlternateCollector.active)
    ):
        alternates[household_id].append([alt_id, name, name_orig])
    photos = head_photos(session, Household.camp_id == camp.id)
    per_size: dict[int, list[float]] = {}
    households = []
    for household_id, number, size, status in session.execute(
        select(Household.id, Household.number, Household.size, Household.status)
        .where(Household.camp_id == camp.id, Household.status != "pending")
        .order_by(Household.number)
    ):
        if size not in per_size:
            per_size[size] = [quantity for _item, quantity in entitlement(round_, size)]
        households.append(
            {
                "n": number,
                "s": size,
                "st": status,
                "e": per_size[size],
                "c": 1 if household_id in collected else 0,
                "p": photos.get(household_id),
                "a": alternates.get(household_id, []),
            }
        )
    return {
        "round": {
            "id": round_.id,
            "name": round_.name,
            "camp": camp.code,
            "starts_on": round_.starts_on.isoformat(),
            "ends_on": round_.ends_on.isoformat(),
            "status": round_.status,
            "open_today": is_open_on(round_, today),
            "rule": round_.rule,
            "qualifying": list(round_.qualifying),
            "alternates_allowed": round_.alternates_allowed,
            "items": [{"name": i.name, "unit": i.unit, "quantity": i.quantity} for i in round_.items],
        },
        "generated_at": generated,
        "server_time": generated,
        "today": today.isoformat(),
        # the device works out the camp's day from its own clock with this offset
        "camp_utc_offset_minutes": round(offset.total_seconds() / 60),
        "expires_at": (now + timedelta(hours=PACKAGE_HOURS)).isoformat(timespec="seconds") + "Z",
        "max_age_seconds": PACKAGE_HOURS * 3600,
        "keys": keys,
        "revoked": revocation_document(revoked_serials(session), private, key.kid, generated),
        "households": households,
    }
