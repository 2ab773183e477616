"""Forms of the feedback pages: intake at a desk, the steps of a case, a help-desk tablet, the kiosk's form."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import PanohForm, choices
from app.secret_links import NAME_MAX
from camps.feedback.kiosk_text import KIOSK_SECTORS, KIOSK_TYPES
from camps.feedback.models import (
    CHANNELS,
    CLOSING_OUTCOMES,
    LANGUAGES,
    SECTORS,
    SENSITIVE_CATEGORIES,
    TYPES,
    language_label,
)
from camps.feedback.services import camp_today

MAX_DESCRIPTION = 5000
#: channels staff log at a desk (the tablet logs its own cases)
DESK_CHANNELS = {code: title for code, title in CHANNELS.items() if code != "kiosk"}


def _blank(pairs, label=_l("Choose…")):
    return choices([("", label), *pairs])


class CaseForm(PanohForm):
    """What was said, by whom it may be followed up; field names are those of ``services.intake``."""

    camp = SelectField(_l("Camp"), choices=[], validators=[DataRequired()])
    channel = SelectField(_l("Received through"), choices=choices(DESK_CHANNELS.items()), default="help_desk")
    received_on = DateField(_l("Received on"), default=camp_today, validators=[InputRequired()])
    type = SelectField(
        _l("Type"), choices=_blank(TYPES.items()), validators=[DataRequired()], render_kw={"data-feedback-type": ""}
    )
    sensitive_category = SelectField(
        _l("What the sensitive complaint is about"),
        choices=_blank(SENSITIVE_CATEGORIES.items()),
        validators=[Optional()],
    )
    sector = SelectField(_l("Sector"), choices=_blank(SECTORS.items()), validators=[DataRequired()])
    description = TextAreaField(
        _l("What the person said"), validators=[DataRequired(), Length(max=MAX_DESCRIPTION)], render_kw={"rows": 6}
    )
    translation = TextAreaField(
        _l("Staff translation (optional)"),
        validators=[Length(max=MAX_DESCRIPTION)],
        render_kw={"rows": 3},
        description=_l(
            "If the person spoke another language: their words in a working "
            "language. Write their own words above as they said them."
        ),
    )
    #: its id differs from the page's language switcher (``language``): one id per page
    language = SelectField(
        _l("Language the person spoke"),
        id="spoken-language",
        choices=choices((code, LazyString(language_label, code)) for code in LANGUAGES),
        default="fa",
    )
    household = StringField(
        _l("Household number (if the person gave it)"),
        validators=[Length(max=20)],
        render_kw={"autocomplete": "off", "spellcheck": "false", "placeholder": "KHR-000123-X"},
    )
    anonymous = BooleanField(_l("The person wants to stay anonymous"))
    consent_to_contact = BooleanField(_l("The person agrees to be contacted about the case"))
    contact = StringField(
        _l("How to reach the person"),
        validators=[Length(max=120)],
        description=_l("A phone number, or “through the block leader”. Only with their consent."),
        render_kw={"autocomplete": "off"},
    )

    def set_camps(self, camps) -> None:
        self.camp.choices = choices((c.code, f"{c.code} · {c.name}") for c in camps)
        if len(camps) == 1 and not self.camp.data:
            self.camp.data = camps[0].code

    def intake_data(self) -> dict:
        """The form as ``services.intake`` takes it."""
        data = {
            name: self[name].data
            for name in (
                "channel",
                "received_on",
                "type",
                "sensitive_category",
                "sector",
                "description",
                "translation",
                "language",
                "household",
                "anonymous",
                "consent_to_contact",
                "contact",
            )
        }
        data["household"] = (data["household"] or "").strip().upper()
        data["sensitive_category"] = data["sensitive_category"] or None
        data["person_seq"] = None
        return data


class ReferForm(PanohForm):
    referred_to = StringField(
        _l("Referred to"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "off", "placeholder": _l("e.g. WFP food desk, health post")},
    )


class RespondForm(PanohForm):
    response = TextAreaField(
        _l("Response"), validators=[DataRequired(), Length(max=MAX_DESCRIPTION)], render_kw={"rows": 3}
    )


class CommunicateForm(PanohForm):
    how = StringField(
        _l("How the person was told"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "off", "placeholder": _l("e.g. by phone, at the help desk")},
    )
    when = DateField(_l("When"), default=camp_today, validators=[InputRequired()])


class CloseSensitiveForm(PanohForm):
    """Closing a sensitive case: how it ended, in a sentence, and a confirmation."""

    # labels stay lazy (read in the reader's language); an empty detail is refused by the workflow,
    # which says what this outcome's detail must tell
    outcome = RadioField(
        _l("How the case ended"),
        choices=[SelectChoice(*pair) for pair in CLOSING_OUTCOMES.items()],
        validators=[InputRequired(_l("Choose how the case ended."))],
    )
    detail = TextAreaField(
        _l("Referred to whom, what the person was told, or how you tried to reach them"),
        validators=[Length(max=MAX_DESCRIPTION)],
        render_kw={"rows": 2},
        id="close-detail",
    )
    confirm = BooleanField(
        _l("I confirm the case is finished and may be closed"),
        validators=[DataRequired(_l("Confirm that the case is finished."))],
    )


class TranslateForm(PanohForm):
    translation = TextAreaField(
        _l("Staff translation of what the person said"),
        validators=[Length(max=MAX_DESCRIPTION)],
        render_kw={"rows": 3},
        id="case-translation",
        description=_l(
            "In a working language, for colleagues who do not read the "
            "person’s language. Their own words stay as they were said."
        ),
    )


class AssignForm(PanohForm):
    owner_id = SelectField(_l("Owner"), choices=[])


class NoteForm(PanohForm):
    note = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=MAX_DESCRIPTION)], render_kw={"rows": 2})


class ReopenForm(PanohForm):
    note = TextAreaField(
        _l("Why the case is reopened"),
        validators=[DataRequired(), Length(max=MAX_DESCRIPTION)],
        render_kw={"rows": 2},
        id="reopen-note",
    )


class KioskAdminForm(PanohForm):
    """A help-desk tablet to add; the rule of its name is ``app.secret_links.open_link``'s."""

    camp = SelectField(_l("Camp"), choices=[], validators=[DataRequired()])
    name = StringField(
        _l("Name of the tablet"),
        render_kw={
            "autocomplete": "off",
            "placeholder": _l("e.g. Help desk, block 3"),
            "required": True,
            "maxlength": NAME_MAX,
        },
    )

    def set_camps(self, camps) -> None:
        self.camp.choices = choices((c.code, f"{c.code} · {c.name}") for c in camps)


class KioskForm(PanohForm):
    """The tablet's form. Its messages come from kiosk_text, in the person's language, not from here."""

    class Meta:
        # a tablet may show the form all day: the token lasts as long (the form is anonymous anyway)
        csrf_time_limit = 24 * 3600

    type = RadioField(choices=choices((code, code) for code in KIOSK_TYPES), validate_choice=False)
    sector = RadioField(choices=choices((code, code) for code in KIOSK_SECTORS), validate_choice=False)
    description = TextAreaField(validators=[Optional()])
    consent_to_contact = BooleanField()
    contact = StringField(validators=[Optional()])
