"""The one path from a refused action to the screen: each message of a refusal next to the field it names."""

from __future__ import annotations

from wtforms import FieldList, Form, FormField, HiddenField, StringField

from app.errors import UserValueError, ValidationErrors
from app.views import put_on_form


class Member(Form):
    name = StringField()


class Household(Form):
    phone = StringField()
    token = HiddenField()
    members = FieldList(FormField(Member), min_entries=2)


def test_a_message_goes_next_to_the_field_it_names_and_is_not_repeated_above():
    form = Household()
    assert put_on_form(form, UserValueError("Not a phone number.", field="phone")) is None
    assert form.phone.errors == ["Not a phone number."]


def test_a_member_row_is_found_by_its_full_name():
    form = Household()
    message = put_on_form(form, ValidationErrors({"members-1-name": ["Give a name."], "phone": ["Too short."]}))
    assert message is None
    assert form.members.entries[1].form.name.errors == ["Give a name."]
    assert not form.members.entries[0].form.name.errors and form.phone.errors == ["Too short."]


def test_messages_that_name_no_shown_field_go_above_the_form():
    form = Household()
    error = ValidationErrors({"": ["Saved elsewhere."], "token": ["Used."], "members": ["Add someone."], "x": ["?"]})
    assert put_on_form(form, error) == "Saved elsewhere. Used. Add someone. ?"
    assert not form.token.errors


def test_a_message_adds_to_the_field_s_own():
    form = Household()
    form.phone.errors = ["Required."]
    put_on_form(form, UserValueError("Not a phone number.", field="phone"))
    assert form.phone.errors == ["Required.", "Not a phone number."]
