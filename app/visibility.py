"""Who sees which personal field: the one table that pages, the API, search, exports and reports read.

A field is shown on a record (a household page, an API response, a search, a form, the family's
report) to users holding any of its ``record`` permissions, and written into lists of many people
(exports) only for its ``bulk`` permissions. Whoever may register or correct a household sees every
field of it, so that no form can hide a value from its editor; protection codes are the exception,
and saving a form keeps the codes its editor could not see (``registration.needs.merge_codes``).
Fields not listed here (names, sex, birth, relationship...) go with the page's own permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app import permissions as P
from app.users.actors import Actor, is_system

PHONE = "phone"
TAZKIRA = "tazkira"
#: SV, TR and some LP specific-needs codes (``registration.needs.is_restricted``)
RESTRICTED_NEEDS = "restricted_needs"
PHOTO = "photo"
#: the protection mark "not to be contacted" (``registration.households.contact``)
DO_NOT_CONTACT = "do_not_contact"


@dataclass(frozen=True)
class Rule:
    #: permissions that show the field on one record
    record: frozenset[str]
    #: permissions that write the field into exports (never more than ``record``)
    bulk: frozenset[str]


_IDENTIFIER_RECORD = frozenset({P.HOUSEHOLDS_REGISTER, P.HOUSEHOLDS_EDIT, P.PROTECTION_VIEW})
_IDENTIFIER_BULK = frozenset({P.HOUSEHOLDS_EDIT, P.PROTECTION_VIEW})

FIELDS: dict[str, Rule] = {
    PHONE: Rule(_IDENTIFIER_RECORD, _IDENTIFIER_BULK),
    TAZKIRA: Rule(_IDENTIFIER_RECORD, _IDENTIFIER_BULK),
    RESTRICTED_NEEDS: Rule(frozenset({P.PROTECTION_VIEW}), frozenset({P.PROTECTION_VIEW})),
    # photos are shown with the record (distribution points get thumbnails in their offline
    # package, camps.distributions); never exported
    PHOTO: Rule(frozenset({P.HOUSEHOLDS_VIEW}), frozenset()),
    DO_NOT_CONTACT: Rule(frozenset({P.PROTECTION_VIEW}), frozenset({P.PROTECTION_VIEW})),
}

assert all(rule.bulk <= rule.record for rule in FIELDS.values())


def can_see(user: Actor | None, field: str, *, bulk: bool = False) -> bool:
    """Whether ``user`` may receive ``field`` on a record (or, with ``bulk``, in an export).

    ``SYSTEM`` (or ``None``, as older callers pass) is the system itself (command line, imports): it sees everything.
    """
    if is_system(user):
        return True
    rule = FIELDS[field]
    return any(user.can(permission) for permission in (rule.bulk if bulk else rule.record))


def hidden_text() -> str:
    """What a page shows instead of a small count hidden from accounts that see no household
    (:mod:`camps.figures.masking`)."""
    return _("hidden")
