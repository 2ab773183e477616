"""The base of every form, and forms shared across packages.

Forms convert what was typed into Python values (a date, a number, one of the choices) and say when they cannot;
the rules of the domain (a round lasts at most 92 days, a name is required to register) live in the services,
which refuse with ``app.errors.UserValueError`` (shown through ``app.views.refuse``).
"""

from __future__ import annotations

from flask_babel import get_translations, ngettext
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice


class _TranslatedMeta:
    """WTForms' own messages ("This field is required.") in the reader's language, from the app's catalogues
    (WTForms ships no Tajik, and Flask-WTF reads its own catalogues, not ours)."""

    def get_translations(self, form):
        return get_translations()


class PanohForm(FlaskForm):
    """The base of every page's form (with its CSRF token)."""

    class Meta(_TranslatedMeta):
        pass


class PanohSubForm(Form):
    """The base of a form repeated inside another (a row of a ``FieldList(FormField(...))``): no CSRF token."""

    class Meta(_TranslatedMeta):
        pass


def _wtforms_messages() -> None:  # pragma: no cover - never called: read by `pybabel extract` (make messages)
    """WTForms' messages for the fields and validators the app uses, so that the catalogues keep them."""
    _("This field is required.")
    _("Invalid input.")
    _("Not a valid choice.")
    _("Invalid Choice: could not coerce.")
    _("Invalid choice(s): one or more data inputs could not be coerced.")
    ngettext(
        "'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1
    )
    _("Not a valid integer value.")
    _("Not a valid float value.")
    _("Not a valid date value.")
    _("Field must be equal to %(other_name)s.")
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1)
    _("Field must be between %(min)d and %(max)d characters long.")
    _("Number must be at least %(min)s.")
    _("Number must be at most %(max)s.")
    _("Number must be between %(min)s and %(max)s.")


class EmptyForm(PanohForm):
    """CSRF protection for one-button POST actions."""


class LanguageForm(PanohForm):
    language = SelectField(
        choices=[SelectChoice("en", "English"), SelectChoice("ru", "Русский"), SelectChoice("tg", "Тоҷикӣ")]
    )
    next = HiddenField()


def choices(pairs) -> list[SelectChoice]:
    """WTForms choices from ``(value, label)`` pairs. Labels stay as given: a lazy ``_l()`` label is translated when
    the field is rendered, in the reader's language, not once at import in English."""
    return [SelectChoice(value, label) for value, label in pairs]
