"""Helpers for thin views."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_wtf import FlaskForm

from app.errors import UserValueError


def form_error(template: str, *, form: FlaskForm, error: UserValueError | None = None, **context: Any):
    """Re-render a form that was refused, with status 422 so the request's work is rolled back.

    A domain error is shown next to its field when it names one, else above the form.
    """
    form_message = None
    if error is not None:
        field = getattr(form, error.field, None) if error.field else None
        if field is not None:
            field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
        else:
            form_message = error.message
    return render_template(template, form=form, form_message=form_message, **context), 422


def apply_plain_errors(form, errors: dict[str, list[str]], lookup=None) -> list[str]:
    """Put each field's messages next to that field of a flat form; return those that belong to none.

    ``lookup(name)`` finds a field by the name the service used (default: the form's attribute).
    """
    find = lookup or (lambda name: getattr(form, name, None))
    loose = []
    for name, messages in errors.items():
        field = find(name) if name else None
        if field is None or not hasattr(field, "errors"):
            loose.extend(messages)
        else:
            field.errors = list(field.errors or []) + messages
    return loose
