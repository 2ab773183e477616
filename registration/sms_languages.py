"""The languages an SMS is written in, and the household's language when none was chosen for SMS (a household
field, read by the SMS channel of camps.communication)."""

from __future__ import annotations

from app import languages

#: ISO 639-1 codes, as the SMS outbox holds them
LANGUAGES = languages.TITLES
#: the registration's spoken languages (ISO 639-3) that have an SMS language
FROM_SPOKEN = languages.FROM_ISO3


def language_for(sms_language: str | None, spoken: str | None) -> str | None:
    """The household's SMS language, else the first language it speaks that messages are written in."""
    if sms_language in LANGUAGES:
        return sms_language
    return next((FROM_SPOKEN[c] for c in (spoken or "").split() if c in FROM_SPOKEN), None)
