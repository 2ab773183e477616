"""What each verification outcome means, in staff's language."""

from flask_babel import lazy_gettext as _l

CARD_OUTCOMES = {
    "valid": _l("Valid card"),
    "malformed": _l("Not a Panoh card code"),
    "unknown_key": _l("Unknown signing key: not one of our cards, or the keys are out of date"),
    "invalid_signature": _l("Forged or altered: the signature does not match"),
    "revoked": _l("Revoked: reported lost or stolen, or replaced"),
    "expired": _l("Expired card: renew it at the registration desk"),
}
