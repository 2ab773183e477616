from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, EqualTo, Length

from app.forms import PanohForm, choices
from app.permissions import ROLE_TITLES, ROLES
from app.users.models import HQ_ONLY_ROLES


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(PanohForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    roles = MultiCheckboxField(_l("Roles"), choices=[])
    all_camps = BooleanField(_l("All camps (headquarters)"))
    camps = MultiCheckboxField(_l("Camps"), coerce=int, choices=[])

    def set_choices(self, camps, hq: bool = True) -> None:
        """The roles and camps the administrator may give (``hq``: an all-camps administrator)."""
        self.roles.choices = choices((role, ROLE_TITLES[role]) for role in ROLES if hq or role not in HQ_ONLY_ROLES)
        self.camps.choices = choices((camp.id, f"{camp.code} · {camp.name}") for camp in camps)


class NewUserForm(UserForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(min=3, max=64)],
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )
    password = PasswordField(
        _l("Temporary password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
        description=_l("The user must change it at first sign-in."),
    )


class ResetPasswordForm(PanohForm):
    password = PasswordField(
        _l("Temporary password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat it"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class TokenForm(PanohForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("What uses it, e.g. “scanner tablet 2”."),
    )
