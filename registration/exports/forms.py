"""The export form: which list, in which format, of which camp and households, and why."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from app.forms import PanohForm, choices
from registration.exports.fields import KINDS, PERSONS
from registration.exports.services import AGREEMENT_MAX, DETAIL_MAX, FORMATS, PURPOSES
from registration.households.models import HOUSEHOLD_STATUSES


class ExportForm(PanohForm):
    kind = RadioField(_l("List"), choices=choices(KINDS.items()), default=PERSONS, validate_choice=False)
    format = RadioField(_l("Format"), choices=choices(FORMATS.items()), default="xlsx", validate_choice=False)
    camp = SelectField(_l("Camp"), choices=[], validate_choice=False)
    status = SelectField(
        _l("Households with status"),
        default="active",
        validate_choice=False,
        choices=choices([*HOUSEHOLD_STATUSES.items(), ("", _l("Any status"))]),
    )
    former_members = BooleanField(_l("Include people who left their household (departed, deceased, moved out)"))
    purpose = SelectField(
        _l("Purpose"),
        validate_choice=False,
        choices=choices([("", _l("Choose why you need this list")), *PURPOSES.items()]),
    )
    purpose_detail = TextAreaField(
        _l("Purpose in your words"),
        validators=[Length(max=DETAIL_MAX)],
        description=_l(
            "Required for “Other”. E.g. “November food distribution, block B”. No names or other personal data here."
        ),
        render_kw={"rows": 2, "maxlength": DETAIL_MAX, "autocomplete": "off"},
    )
    agreement = StringField(
        _l("Partner and data-sharing agreement"),
        validators=[Length(max=AGREEMENT_MAX)],
        description=_l("Required for a referral: the partner organisation and the agreement’s reference."),
        render_kw={"maxlength": AGREEMENT_MAX, "autocomplete": "off"},
    )

    def set_camps(self, camps) -> None:
        """The camps the user works in, after "All my camps"."""
        self.camp.choices = choices([("", _l("All my camps")), *((c.code, f"{c.code} · {c.name}") for c in camps)])
