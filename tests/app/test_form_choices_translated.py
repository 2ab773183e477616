"""Issue 15 major 2: choice labels (Sex, Relationship, purposes, channels, round rules…) are translated when the
form is rendered, in the reader's language; they used to be frozen in English at import."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale
from flask_wtf import FlaskForm
from wtforms import Form

from app.i18n.locale import LANGUAGE_NAMES

#: the language menu names each language in itself
ENDONYMS = set(LANGUAGE_NAMES.values())
ROOT = Path(__file__).resolve().parents[2]
FORM_MODULES = sorted(
    {
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for package in ("app", "camps", "registration")
        for p in (ROOT / package).rglob("forms.py")
    }
    | {"registration.imports.views"}
)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _form_classes():
    for name in FORM_MODULES:
        importlib.import_module(name)
    return sorted(
        {c for c in _subclasses(Form) if c.__module__.split(".")[0] in ("app", "camps", "registration")},
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def _translations(language):
    with (ROOT / "app/i18n/translations" / language / "LC_MESSAGES/messages.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if isinstance(m.id, str) and m.id and m.string}


def _build(cls):
    form = cls(meta={"csrf": False}) if issubclass(cls, FlaskForm) else cls()
    set_choices = getattr(form, "set_choices", None)
    if set_choices:
        required = [p for p in inspect.signature(set_choices).parameters.values() if p.default is p.empty]
        set_choices(*([[]] * len(required)))
    return form


def _labels(form):
    for field in form:
        if getattr(field, "choices", None) is not None:
            for _value, label, *_rest in field.iter_choices():
                yield field.name, str(label)


def test_every_form_is_found():
    names = {c.__name__ for c in _form_classes()}
    assert {"PersonForm", "MemberForm", "ExportForm", "CaseForm", "RoundForm"} <= names, names


@pytest.mark.parametrize("language", ["ru", "tg"])
def test_no_form_shows_an_english_choice_label(app, language):
    translated = _translations(language)
    english = []
    seen = 0
    for cls in _form_classes():
        with app.test_request_context("/"), force_locale(language):
            for field, label in _labels(_build(cls)):
                seen += 1
                if label in translated and translated[label] != label and label not in ENDONYMS:
                    english.append(f"{cls.__name__}.{field}: {label!r}")
    assert seen > 50
    assert english == []
