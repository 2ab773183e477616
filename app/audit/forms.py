from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from app.forms import PanohForm


class AuditSearchForm(PanohForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    username = StringField(_l("User"), validators=[Optional(), Length(max=64)])
    action = StringField(
        _l("Action"), validators=[Optional(), Length(max=64)], render_kw={"placeholder": "auth. / user.create"}
    )
    object_type = StringField(_l("Object type"), validators=[Optional(), Length(max=32)])
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=64)])
    camp = SelectField(_l("Camp"), coerce=int, choices=[], validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To (inclusive)"), validators=[Optional()])
