"""Forms of the communication pages: a message, its approval, sending it, a notice-board screen, a reminder."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import PanohForm, choices
from app.secret_links import NAME_MAX
from camps.communication.models import AUDIENCES, LANGUAGE_TITLES, MESSAGE_LANGUAGES, PURPOSES, RTL_LANGUAGES
from camps.communication.services import TEXT_MAX, TITLE_MAX, _text_field
from camps.feedback.models import SECTORS


def _blank(pairs, label=_l("Choose…")):
    return choices([("", label), *pairs])


class MessageForm(PanohForm):
    """What the message says and to whom; field names are those of ``services.create_message``."""

    # the service checks every field (one set of messages, all of them at once)
    title = StringField(_l("Title (for staff lists only)"), render_kw={"maxlength": TITLE_MAX})
    purpose = SelectField(_l("Purpose"), choices=[])
    audience = SelectField(_l("Audience"), choices=[], default="camp")
    audience_ids = StringField(
        _l("Sectors, blocks or needs codes"),
        validators=[Length(max=300)],
        description=_l("For sectors, blocks or needs: codes separated by spaces, e.g. B01 B03 or DS-PM."),
    )
    round_id = SelectField(_l("Distribution round"), choices=[], validators=[Optional()], validate_choice=False)
    household_number = StringField(
        _l("Household number"),
        validators=[Length(max=20)],
        render_kw={"autocomplete": "off", "placeholder": "KHR-000123-X"},
    )
    theme = SelectField(_l("Feedback theme it answers"), choices=[], validators=[Optional()])
    expires_on = DateField(
        _l("Show on the notice board until"),
        validators=[Optional()],
        description=_l("Leave empty to show it until it is withdrawn."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # titled now, in the reader's language (choices made at import would stay in English)
        self.purpose.choices = _blank(PURPOSES.items())
        self.audience.choices = choices(AUDIENCES.items())
        self.theme.choices = _blank(SECTORS.items(), _l("None"))

    def set_rounds(self, rounds) -> None:
        self.round_id.choices = _blank((str(r.id), f"{r.name} ({r.starts_on.isoformat()})") for r in rounds)

    def text_fields(self):
        return [getattr(self, _text_field(code)) for code in MESSAGE_LANGUAGES]

    def data_for_service(self) -> dict:
        data = {
            name: getattr(self, name).data
            for name in ("title", "purpose", "audience", "audience_ids", "household_number", "theme", "expires_on")
        }
        data["round_id"] = int(self.round_id.data) if (self.round_id.data or "").isdigit() else None
        for field in self.text_fields():
            data[field.name] = field.data
        return data


for _code, _native in MESSAGE_LANGUAGES.items():
    setattr(
        MessageForm,
        _text_field(_code),
        TextAreaField(
            LANGUAGE_TITLES[_code],
            validators=[Length(max=TEXT_MAX * 20)],
            render_kw={
                "rows": 4,
                "lang": _code,
                "dir": "rtl" if _code in RTL_LANGUAGES else "ltr",
                "data-language": _code,
            },
        ),
    )


class ApproveForm(PanohForm):
    version = IntegerField(validators=[DataRequired()])


class SendForm(PanohForm):
    channel = SelectField(_l("Channel"), choices=[])
    token = HiddenField()


class LinkCaseForm(PanohForm):
    reference = StringField(
        _l("Feedback case reference"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"placeholder": "FB-KHR-000123", "autocomplete": "off"},
    )


class BoardForm(PanohForm):
    """A notice-board screen to add; the rule of its name is ``app.secret_links.open_link``'s."""

    camp = SelectField(_l("Camp"), choices=[], validators=[DataRequired()])
    name = StringField(_l("Screen or place"), render_kw={"required": True, "maxlength": NAME_MAX})

    def set_camps(self, camps) -> None:
        self.camp.choices = choices((c.code, f"{c.code} · {c.name}") for c in camps)


class ReminderForm(PanohForm):
    """The round page's reminder: the day and the point to tell the households (a GET form)."""

    class Meta:
        csrf = False

    day = DateField(_l("Day of the distribution"), validators=[DataRequired()])
    point = StringField(_l("Distribution point"), validators=[DataRequired(), Length(max=40)])
