"""WTForms' own messages ("This field is required.") reach the reader in their language, from our catalogues (in Russian
WTForms' own words, as Flask-WTF showed them before: tests/app/test_wtforms_words_kept.py)."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form, IntegerField, StringField
from wtforms.validators import Length

from app.forms import PanohForm, PanohSubForm


@pytest.mark.parametrize(
    "language,required",
    [("tg", "Ин майдон ҳатмист."), ("ru", "Обязательное поле."), ("en", "This field is required.")],
)
def test_a_required_field_says_so_in_the_reader_s_language(client, language, required):
    response = client.post("/login", data={"username": "", "password": ""}, headers={"Accept-Language": language})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count(f'">{required}</div>') == 2


class _Sample(PanohForm):
    class Meta:
        csrf = False

    number = IntegerField()
    name = StringField(validators=[Length(max=5)])


@pytest.mark.parametrize(
    "language,number,name",
    [
        ("tg", "Ин адади бутун нест.", "На зиёда аз 5 аломат."),
        ("ru", "Неверное целое число.", "Значение не должно содержать более 5 символов."),
    ],
)
def test_type_and_length_messages_are_translated_with_their_numbers(app, language, number, name):
    with app.test_request_context(headers={"Accept-Language": language}):
        form = _Sample(formdata=MultiDict({"number": "twelve", "name": "Mohammad"}))
        assert not form.validate()
    assert form.number.errors == [number] and form.name.errors == [name]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_app_inherits_the_base(app):
    """``app`` has imported every blueprint, so every form class of the app exists by now."""
    ours = [
        cls
        for cls in _subclasses(Form)
        if cls.__module__.split(".")[0] in ("app", "camps", "registration") and cls.__module__ != "app.forms"
    ]
    assert len(ours) > 30
    stray = [f"{c.__module__}.{c.__qualname__}" for c in ours if not issubclass(c, (PanohForm, PanohSubForm))]
    assert stray == []
    assert not [c for c in ours if issubclass(c, FlaskForm) and not issubclass(c, PanohForm)]
