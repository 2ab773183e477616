"""The languages the camp's people speak and read, in one table (the staff interface's own languages are
``LANGUAGES`` in ``app.config``). Keys are ISO 639-1 codes, in the order notices and SMS list them;
messages key their texts by BCP 47 (``fa-AF`` for Dari) and registration records ISO 639-3 codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: each language's name in the reader's language
TITLES = {
    "fa": _l("Dari"),
    "ps": _l("Pashto"),
    "tg": _l("Tajik"),
    "ru": _l("Russian"),
    "uz": _l("Uzbek"),
    "en": _l("English"),
}
#: each language's name as written in it
OWN_NAMES = {"fa": "دری", "ps": "پښتو", "tg": "Тоҷикӣ", "ru": "Русский", "uz": "Oʻzbekcha", "en": "English"}
#: the BCP 47 tag of a message text where it is not the ISO 639-1 code
TAGS = {"fa": "fa-AF"}
#: the registration's spoken languages (ISO 639-3) -> ISO 639-1
FROM_ISO3 = {"prs": "fa", "pus": "ps", "tgk": "tg", "rus": "ru", "uzb": "uz", "eng": "en"}


def tag(code: str) -> str:
    """The BCP 47 tag messages use for an ISO 639-1 code: ``fa-AF`` for ``fa``, else the code."""
    return TAGS.get(code, code)
