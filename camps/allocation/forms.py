"""The shelter page's forms: what the household asked for, and the manager's confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import PanohForm, choices
from camps.allocation.models import END_REASONS


class PreferencesForm(PanohForm):
    """Read from the query string: changing it re-ranks the suggestions."""

    class Meta:
        csrf = False

    near = StringField(
        _l("Near relatives: their household number"),
        validators=[Optional(), Length(max=20)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    same_origin = BooleanField(_l("Among people from the same place of origin"))


class AllocateForm(PanohForm):
    plot = StringField(
        _l("Plot code"),
        validators=[DataRequired(), Length(max=24)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
        description=_l("Like KHR-B03-017"),
    )
    override_reason = TextAreaField(
        _l("Reason for going ahead despite the warning"),
        validators=[Optional(), Length(max=300)],
        render_kw={"rows": 2},
    )
    relocate = HiddenField()


class VacateForm(PanohForm):
    reason = SelectField(_l("Why"), choices=[])

    def set_choices(self) -> None:
        self.reason.choices = choices([("vacated", END_REASONS["vacated"])])
