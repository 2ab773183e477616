"""The desk form: the household, then one sub-form per member (rows added in the browser)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FileField,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.forms import PanohForm, PanohSubForm, choices
from app.users.forms import MultiCheckboxField
from registration.gazetteer import AFGHAN_PROVINCES, BORDER_CROSSINGS
from registration.households.models import LANGUAGES, MARITAL_STATUSES, RELATIONSHIPS, SEXES
from registration.sms_languages import LANGUAGES as SMS_LANGUAGES

NAME = {"validators": [Length(max=80)], "render_kw": {"dir": "auto", "autocomplete": "off"}}


class MemberForm(PanohSubForm):
    given_name = StringField(_l("Given name (Latin)"), **NAME)
    given_name_orig = StringField(_l("Given name (original script)"), **NAME)
    father_name = StringField(_l("Father’s name (Latin)"), **NAME)
    father_name_orig = StringField(_l("Father’s name (original)"), **NAME)
    family_name = StringField(_l("Family name (Latin)"), **NAME)
    family_name_orig = StringField(_l("Family name (original)"), **NAME)
    grandfather_name = StringField(_l("Grandfather’s name (Latin)"), **NAME)
    grandfather_name_orig = StringField(_l("Grandfather’s name (original)"), **NAME)
    sex = SelectField(_l("Sex"), choices=choices([("", "—"), *SEXES.items()]), validate_choice=False)
    born = StringField(
        _l("Born"),
        validators=[Length(max=20)],
        render_kw={"autocomplete": "off"},
        description=_l("A date, a year or an age: 17.05.1990, 1990 or 34"),
    )
    relation_to_head = SelectField(
        _l("Relationship"), choices=choices([("", "—"), *RELATIONSHIPS.items()]), validate_choice=False
    )
    marital_status = SelectField(
        _l("Marital status"), choices=choices([("", "—"), *MARITAL_STATUSES.items()]), validate_choice=False
    )
    tazkira = StringField(_l("Tazkira number"), validators=[Length(max=32)], render_kw={"autocomplete": "off"})
    needs = StringField(
        _l("Specific needs"),
        validators=[Length(max=200)],
        render_kw={"list": "needs-codes", "autocomplete": "off"},
        description=_l("Codes, with commas: DS-PM, SM-CI"),
    )
    photo = FileField(_l("Photo file"), render_kw={"accept": "image/jpeg,image/png"})
    photo_data = HiddenField()
    person_id = HiddenField()


class DeskForm(PanohForm):
    token = HiddenField()
    #: number of the pre-registered household being finished
    pending = HiddenField()
    camp_id = SelectField(_l("Camp"), coerce=int, choices=[])
    arrival_date = DateField(_l("Arrived on"), validators=[Optional()])
    crossing_point = SelectField(
        _l("Border crossing"),
        choices=choices([("", "—"), *((code, f"{name} ({code})") for code, name in BORDER_CROSSINGS)]),
        validate_choice=False,
    )
    origin_province = SelectField(
        _l("Province of origin"),
        choices=choices([("", "—"), *((code, f"{name} · {dari}") for code, name, dari in AFGHAN_PROVINCES)]),
        validate_choice=False,
    )
    origin_district = StringField(
        _l("District P-code"),
        validators=[Length(max=6)],
        render_kw={"autocomplete": "off"},
        description=_l("Like AF1501"),
    )
    phone = StringField(_l("Phone"), validators=[Length(max=32)], render_kw={"type": "tel", "autocomplete": "off"})
    languages = MultiCheckboxField(_l("Languages"), choices=choices(LANGUAGES.items()))
    consent = RadioField(
        _l("Consent"),
        choices=choices(
            [
                ("yes", _l("Told why their data is taken, and agreed")),
                ("no", _l("Told, and did not agree (assistance continues)")),
            ]
        ),
        validators=[Optional()],
    )
    sms_consent = SelectField(
        _l("SMS from the camp"),
        choices=choices(
            [("", _l("Not asked")), ("yes", _l("Agreed to receive SMS")), ("no", _l("Did not agree to SMS"))]
        ),
        validate_choice=False,
    )
    sms_language = SelectField(
        _l("SMS language"), choices=choices([("", "—"), *SMS_LANGUAGES.items()]), validate_choice=False
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)], render_kw={"rows": 2})
    members = FieldList(FormField(MemberForm), min_entries=1, max_entries=40)

    def set_camps(self, camps) -> None:
        self.camp_id.choices = choices((c.id, f"{c.code} · {c.name}") for c in camps)


# WTForms merges the two bases' Meta classes itself (a class of its own would break its merge's MRO)
class PersonForm(MemberForm, PanohForm):  # type: ignore[misc]
    """One member on their own page (correcting details, adding a newborn)."""


class HouseholdForm(PanohForm):
    arrival_date = DeskForm.arrival_date
    crossing_point = DeskForm.crossing_point
    origin_province = DeskForm.origin_province
    origin_district = DeskForm.origin_district
    phone = DeskForm.phone
    languages = DeskForm.languages
    sms_consent = DeskForm.sms_consent
    sms_language = DeskForm.sms_language
    notes = DeskForm.notes


class EndMembershipForm(PanohForm):
    status = SelectField(
        _l("What happened"), choices=choices([("departed", _l("Departed")), ("deceased", _l("Deceased"))])
    )
    on = DateField(_l("On"), validators=[DataRequired()])


class MoveForm(PanohForm):
    target = StringField(
        _l("Other household’s number"),
        validators=[DataRequired(), Length(max=14)],
        render_kw={"autocomplete": "off"},
        description=_l("Like KHR-000123-X"),
    )


class HeadForm(PanohForm):
    person = SelectField(_l("New head of household"), coerce=int, choices=[])


class SplitForm(PanohForm):
    people = MultiCheckboxField(_l("Members who form the new household"), coerce=int, choices=[])
    head = SelectField(_l("Head of the new household"), coerce=int, choices=[])


class TransferForm(PanohForm):
    camp_id = SelectField(_l("Transfer to camp"), coerce=int, choices=[])


class HouseholdStatusForm(PanohForm):
    status = SelectField(
        _l("Status"),
        choices=choices(
            [("active", _l("Active (reactivate)")), ("departed", _l("Departed")), ("inactive", _l("Inactive"))]
        ),
    )


class SearchForm(PanohForm):
    q = StringField(
        _l("Search"),
        validators=[Length(max=100)],
        render_kw={
            "placeholder": _l("Number, name in any script, phone or tazkira"),
            "autocomplete": "off",
            "dir": "auto",
            "autofocus": True,
        },
    )
