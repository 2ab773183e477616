"""What the camp's residents read, in their languages whatever the staff's: the feedback tablet, the back of the
ID card, the subject access report.

These texts are a gettext domain of their own, ``residents`` (``residents.po`` beside each ``messages.po``): Dari
and Pashto have no staff interface (they are not in ``LANGUAGES``), and a word may need another translation for a
resident than on a staff page. The msgid is the English text; the msgctxt says where the text is shown, and so
which languages must translate it (:data:`AUDIENCES`; ``python -m app.i18n.check`` enforces it).

Mark a text with ``R_("kiosk", "Send")`` (``make messages`` extracts it) and say it with :func:`gettext_in`.
Language codes are the app's (``fa``, ``ps``, as households and feedback cases store them); the Dari catalogue is
``fa_AF`` (:data:`LOCALES`), so a translator's tool knows it is Dari and not Iranian Persian.
"""

from __future__ import annotations

import io
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path
from typing import NamedTuple

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import has_app_context
from flask_babel import Domain, LazyString, force_locale

DOMAIN = "residents"
SOURCE = Path(__file__).resolve().parent / "translations"
#: the app's language code -> the catalogue's locale
LOCALES = {"fa": "fa_AF", "ps": "ps", "tg": "tg", "ru": "ru"}
#: where a text is shown (its msgctxt) -> the languages that must translate it (English is the msgid)
AUDIENCES = {
    "kiosk": ("fa", "ps", "tg", "ru"),  # camps.feedback.kiosk_text.KIOSK_LANGUAGES
    "card": ("fa", "ps", "tg"),  # the back of the ID card (registration.cards.pdf)
    "report": ("tg",),  # the subject access report, in Tajik and English (registration.subject.labels)
}

domain = Domain(domain=DOMAIN)


class Text(NamedTuple):
    """A resident's text: where it is shown and its English (the msgid)."""

    context: str
    message: str


def R_(context: str, message: str) -> Text:  # noqa: N802 (a gettext marker, like N_)
    """Marks ``message`` for the residents' catalogue; say it with :func:`gettext_in`."""
    return Text(context, message)


def gettext_in(language: str, text: Text) -> str:
    """``text`` in ``language`` (its English when the catalogue has none). Flask-Babel's lookup while an app runs
    (``force_locale``: a request, the CLI, a print job), else the catalogue in the source tree (a script, a test)."""
    locale = LOCALES.get(language, language)
    if has_app_context():
        with force_locale(locale):
            return domain.pgettext(text.context, text.message)
    return _source_catalogue(locale).pgettext(text.context, text.message)


def lazy_gettext_in(language: str, text: Text) -> LazyString:
    """:func:`gettext_in`, looked up when read (for module constants)."""
    return LazyString(gettext_in, language, text)


@lru_cache
def _source_catalogue(locale: str) -> NullTranslations:
    po = SOURCE / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return NullTranslations()
    with po.open("rb") as fh:
        catalogue = read_po(fh, locale=locale)
    mo = io.BytesIO()
    write_mo(mo, catalogue)
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)
