"""Whether and how a household may be contacted by SMS, and the protection mark that forbids it.

Consent to SMS is asked apart from the registration consent (refusing either never blocks
assistance). The do-not-contact mark is set and seen by protection staff only (``app.visibility``):
it is kept through every other edit and counted with "no consent" wherever SMS are counted.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app import visibility
from app.audit.services import log_action
from app.db import update_fields, utcnow
from app.errors import UserValueError
from app.users.actors import Actor
from registration.households.models import Household
from registration.sms_languages import LANGUAGES

CONSENT = {"yes": True, "no": False, "": None, True: True, False: False, None: None}
FIELDS = ("sms_consent", "sms_language")


def clean(errors, raw: dict) -> dict:
    """The SMS fields present in ``raw``, checked (absent ones are left as they are)."""
    values = {}
    if "sms_consent" in raw:
        consent = raw["sms_consent"]
        if consent not in CONSENT:
            errors.add("sms_consent", _("Record whether the family agreed to receive SMS."))
        else:
            values["sms_consent"] = CONSENT[consent]
    if "sms_language" in raw:
        language = raw["sms_language"] or None
        if language is not None and language not in LANGUAGES:
            errors.add("sms_language", _("Choose one of the languages SMS are written in."))
        else:
            values["sms_language"] = language
    return values


def apply(household: Household, values: dict) -> list[str]:
    """Set the SMS fields; return those that changed. A new answer to the consent question is dated."""
    changed = update_fields(household, values)
    if "sms_consent" in changed:
        household.sms_consent_at = utcnow() if household.sms_consent is not None else None
    return changed


def set_do_not_contact(session: Session, actor: Actor, household: Household, value: bool) -> bool:
    """Mark (or unmark) a household never to be contacted; protection staff only. True when it changed."""
    if not visibility.can_see(actor, visibility.DO_NOT_CONTACT):
        raise UserValueError(_("Only protection staff may mark a household not to be contacted."))
    if household.do_not_contact == value:
        return False
    household.do_not_contact = value
    household.do_not_contact_at = utcnow() if value else None
    # the audit says that the mark changed, not which way: auditors are not all protection staff
    log_action(
        session,
        actor,
        "household.contact_protection",
        object_type="household",
        object_id=household.id,
        camp_id=household.camp_id,
    )
    return True
