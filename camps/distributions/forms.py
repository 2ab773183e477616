"""Forms of the rounds pages: a round with its items, an alternate collector, the review of a double."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FloatField,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.forms import PanohForm, PanohSubForm, choices
from app.users.forms import MultiCheckboxField
from camps.distributions.alternates import FIELDS
from camps.distributions.models import REVIEWS, RULES, DistributionRound
from registration.households.models import HOUSEHOLD_STATUSES

ITEM_ROWS = 6


class ItemForm(PanohSubForm):
    """One row of a round's items. The rounds service checks them (``rounds._clean``); the input's ``maxlength``
    only stops the typing where the service would refuse."""

    name = StringField(_l("Item"), render_kw={"autocomplete": "off", "maxlength": 80})
    unit = StringField(_l("Unit"), render_kw={"autocomplete": "off", "placeholder": "kg", "maxlength": 20})
    quantity = FloatField(
        _l("Quantity"), validators=[Optional()], render_kw={"inputmode": "decimal", "autocomplete": "off"}
    )


class RoundForm(PanohForm):
    """A round and its items, as typed: dates and quantities are converted here, every rule of a round (a name, the
    days, the brackets, who qualifies, the items) is the rounds service's (``rounds._clean``)."""

    name = StringField(_l("Name"), render_kw={"autocomplete": "off", "required": True, "maxlength": 120})
    starts_on = DateField(_l("First day"))
    ends_on = DateField(_l("Last day"))
    rule = SelectField(_l("Entitlement rule"), choices=choices(RULES.items()), default="household")
    brackets = StringField(
        _l("Brackets (household size: rations)"),
        validators=[Length(max=200)],
        description=_l("1-3:1 4-6:2 7-:3 (only for the rule by household size brackets)"),
        render_kw={"placeholder": "1-3:1 4-6:2 7-:3", "autocomplete": "off", "spellcheck": "false"},
    )
    statuses = MultiCheckboxField(
        _l("Households that qualify"), choices=choices(HOUSEHOLD_STATUSES.items()), default=["active"]
    )
    alternates_allowed = BooleanField(_l("Registered alternates may collect"), default=True)
    items = FieldList(FormField(ItemForm), min_entries=ITEM_ROWS, max_entries=20)

    def round_data(self) -> dict:
        """The form as the rounds service takes it."""
        data = {
            key: getattr(self, key).data
            for key in ("name", "starts_on", "ends_on", "rule", "brackets", "statuses", "alternates_allowed")
        }
        data["items"] = [entry.form.data for entry in self.items]
        return data

    @classmethod
    def for_round(cls, round_: DistributionRound) -> RoundForm:
        items = [{"name": i.name, "unit": i.unit, "quantity": i.quantity} for i in round_.items]
        items += [{}] * (min(20, max(ITEM_ROWS, len(items) + 2)) - len(items))  # room for new items
        return cls(
            data={
                "name": round_.name,
                "starts_on": round_.starts_on,
                "ends_on": round_.ends_on,
                "rule": round_.rule,
                "brackets": round_.brackets or "",
                "statuses": list(round_.qualifying),
                "alternates_allowed": round_.alternates_allowed,
                "items": items,
            }
        )


class StatusForm(PanohForm):
    status = SelectField(choices=choices([("open", _l("Open")), ("closed", _l("Closed"))]))


class AlternateForm(PanohForm):
    """Someone who may collect for a household: the lengths and the required name are the alternates service's
    (``alternates.FIELDS``); ``maxlength`` only stops the typing where it would refuse."""

    name = StringField(
        _l("Name (Latin letters)"), render_kw={"autocomplete": "off", "required": True, "maxlength": FIELDS["name"][0]}
    )
    name_orig = StringField(
        _l("Name (original script)"),
        render_kw={"autocomplete": "off", "dir": "auto", "maxlength": FIELDS["name_orig"][0]},
    )
    relation = StringField(
        _l("Relation to the household"),
        render_kw={
            "autocomplete": "off",
            "placeholder": _l("e.g. neighbour, cousin"),
            "maxlength": FIELDS["relation"][0],
        },
    )
    document = StringField(
        _l("Document to check"),
        description=_l("A tazkira number or another household’s card number."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "maxlength": FIELDS["document"][0]},
    )


class ReviewForm(PanohForm):
    decision = RadioField(_l("Decision"), choices=choices(REVIEWS.items()), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=300)], render_kw={"rows": 2})
