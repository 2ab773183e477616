"""Russian readers keep WTForms' own words for its messages ("Обязательное поле."): before the base form read them
from the app's catalogues (app.forms.PanohForm), Flask-WTF showed WTForms' Russian catalogue, so the app's Russian
catalogue gives the same translation wherever WTForms has one (Tajik, which WTForms lacks, is the app's own)."""

from __future__ import annotations

from pathlib import Path

import wtforms
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _catalogue(path: Path):
    with path.open("rb") as fh:
        return read_po(fh, locale="ru")


def test_russian_wtforms_messages_read_as_wtforms_own():
    theirs = _catalogue(Path(wtforms.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "wtforms.po")
    ours = _catalogue(ROOT / "app" / "i18n" / "translations" / "ru" / "LC_MESSAGES" / "messages.po")
    compared, changed = 0, []
    for message in theirs:
        mine = ours.get(message.id)
        if (
            not message.id
            or mine is None
            or not any(message.string if isinstance(message.string, tuple) else [message.string])
        ):
            continue
        compared += 1
        if mine.string != message.string:
            changed.append((message.id, message.string, mine.string))
    assert compared >= 10  # "This field is required.", "Not a valid date value.", the lengths…
    assert changed == []
