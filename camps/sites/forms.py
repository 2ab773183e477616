from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.forms import PanohForm, choices
from camps.sites.models import CAMP_STATUSES, CLIMATES, REGIONS


class CampForm(PanohForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Regexp(r"^[A-Za-z]{3}$", message=_l("Three letters, e.g. KHR."))],
        description=_l("Three letters; printed in every household number."),
        render_kw={"maxlength": 3, "autocapitalize": "characters"},
    )
    name = StringField(_l("Camp name"), validators=[DataRequired(), Length(max=120)])
    region_code = SelectField(_l("Region"), choices=[])
    district = StringField(_l("District"), validators=[Optional(), Length(max=120)])
    planned_capacity = IntegerField(
        _l("Planned capacity (people)"), validators=[Optional(), NumberRange(min=1, max=1_000_000)]
    )
    status = SelectField(_l("Status"), choices=[])
    climate = SelectField(
        _l("Climate"),
        choices=[],
        default="",
        description=_l(
            "Sets the Sphere minimum of covered space per person; choose cold for high valleys such as GBAO."
        ),
    )

    def set_choices(self) -> None:
        self.region_code.choices = choices(REGIONS.items())
        self.status.choices = choices(CAMP_STATUSES.items())
        self.climate.choices = choices([("", _l("By region (cold in GBAO)")), *CLIMATES.items()])
