from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, FloatField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from app.forms import PanohForm, choices
from app.users.forms import MultiCheckboxField
from camps.layout.generator import LIMITS
from camps.layout.models import (
    FACILITY_CODE,
    FACILITY_KINDS,
    MAX_DISTANCE_M,
    MAX_FACILITY_CAPACITY,
    MAX_PLOT_CAPACITY,
    MAX_PLOT_M2,
    PLOT_FEATURES,
    PLOT_STATUSES,
    SETTABLE_STATUSES,
    SHELTER_TYPES,
)


def _range(name: str) -> list:
    _kind, low, high, _default = LIMITS[name]
    return [InputRequired(), NumberRange(min=low, max=high)]


def _default(name: str):
    return LIMITS[name][3]


class GenerateForm(PanohForm):
    sectors = IntegerField(
        _l("Sectors"),
        validators=_range("sectors"),
        default=_default("sectors"),
        description=_l("About 5,000 people each; 30 m firebreaks between them."),
    )
    blocks_per_sector = IntegerField(
        _l("Blocks per sector"),
        validators=_range("blocks_per_sector"),
        default=_default("blocks_per_sector"),
        description=_l("15 m roads between blocks."),
    )
    plot_rows = IntegerField(
        _l("Rows of plots per block"), validators=_range("plot_rows"), default=_default("plot_rows")
    )
    plot_columns = IntegerField(
        _l("Plots per row"), validators=_range("plot_columns"), default=_default("plot_columns")
    )
    plot_width = FloatField(
        _l("Plot width (m)"),
        validators=_range("plot_width"),
        default=_default("plot_width"),
        description=_l("Along a row; plots are 2 m apart."),
    )
    plot_depth = FloatField(_l("Plot depth (m)"), validators=_range("plot_depth"), default=_default("plot_depth"))
    path_m = FloatField(_l("Path between rows (m)"), validators=_range("path_m"), default=_default("path_m"))
    covered_m2 = FloatField(
        _l("Covered area per plot (m²)"),
        validators=_range("covered_m2"),
        default=_default("covered_m2"),
        description=_l("Sphere: at least 3.5 m² per person (4.5 m² in cold sites)."),
    )
    shelter_type = SelectField(_l("Shelter type"), choices=[], default="family_tent")
    capacity = IntegerField(_l("Households per plot"), validators=_range("capacity"), default=_default("capacity"))
    with_facilities = BooleanField(_l("Place water points, latrines, schools and services"), default=True)

    def set_choices(self) -> None:
        self.shelter_type.choices = choices(SHELTER_TYPES.items())


class ImportForm(PanohForm):
    file = FileField(_l("Layout file (CSV or GeoJSON)"), render_kw={"accept": ".csv,.geojson,.json"})
    submit = SubmitField(_l("Check and import"))


class PlotForm(PanohForm):
    area_m2 = FloatField(_l("Plot area (m²)"), validators=[InputRequired(), NumberRange(min=0.1, max=MAX_PLOT_M2)])
    covered_m2 = FloatField(
        _l("Covered area (m²)"),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_PLOT_M2)],
        description=_l("Inside the shelter; at most the plot’s area."),
    )
    shelter_type = SelectField(_l("Shelter type"), choices=[])
    capacity = IntegerField(
        _l("Households it can hold"), validators=[InputRequired(), NumberRange(min=1, max=MAX_PLOT_CAPACITY)]
    )
    status = SelectField(
        _l("Status"), choices=[], description=_l("“Occupied” follows from allocations and cannot be set by hand.")
    )
    features = MultiCheckboxField(_l("Features"), choices=[])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=500)], render_kw={"rows": 3})

    def set_choices(self, plot=None) -> None:
        self.shelter_type.choices = choices(SHELTER_TYPES.items())
        statuses = list(SETTABLE_STATUSES)
        if plot is not None and plot.status == "occupied":
            statuses.insert(0, "occupied")
        self.status.choices = choices((s, PLOT_STATUSES[s]) for s in statuses)
        self.features.choices = choices(PLOT_FEATURES.items())


class FacilityForm(PanohForm):
    kind = SelectField(_l("Kind"), choices=[])
    # the service upper-cases the code, so the form accepts lower-case letters too (ASCII only)
    code = StringField(
        _l("Code"),
        validators=[
            InputRequired(),
            Regexp(
                FACILITY_CODE.pattern,
                flags=re.IGNORECASE | re.ASCII,
                message=_l("Up to 24 letters, digits or dashes, e.g. WP-B03."),
            ),
        ],
        render_kw={"maxlength": 24, "autocapitalize": "characters"},
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=80)])
    capacity = IntegerField(
        _l("Capacity"),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_FACILITY_CAPACITY)],
        description=_l("Taps, latrines, pupils, consultations a day…"),
        default=1,
    )
    x = FloatField(
        _l("x (m east of the origin)"),
        validators=[InputRequired(), NumberRange(min=-MAX_DISTANCE_M, max=MAX_DISTANCE_M)],
    )
    y = FloatField(
        _l("y (m south of the origin)"),
        validators=[InputRequired(), NumberRange(min=-MAX_DISTANCE_M, max=MAX_DISTANCE_M)],
    )
    block = SelectField(_l("Block"), choices=[])
    in_service = BooleanField(_l("In service"), default=True)

    def set_choices(self, blocks) -> None:
        self.kind.choices = choices(FACILITY_KINDS.items())
        self.block.choices = choices([("", _l("None")), *((b.code, b.code) for b in blocks)])
