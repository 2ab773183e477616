"""Forms shared across packages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice


class EmptyForm(FlaskForm):
    """CSRF protection for one-button POST actions."""


class LanguageForm(FlaskForm):
    language = SelectField(
        choices=[SelectChoice("en", "English"), SelectChoice("ru", "Русский"), SelectChoice("tg", "Тоҷикӣ")]
    )
    next = HiddenField()


def choices(pairs) -> list[SelectChoice]:
    """WTForms choices from ``(value, label)`` pairs. Labels stay as given: a lazy ``_l()`` label is translated when
    the field is rendered, in the reader's language, not once at import in English."""
    return [SelectChoice(value, label) for value, label in pairs]
