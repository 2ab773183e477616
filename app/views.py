"""Helpers for thin views: the one path from a refused action to the screen.

A service refuses with :class:`app.errors.UserValueError` (one message, maybe naming a field) or its
:class:`~app.errors.ValidationErrors` (several, by field name). The view hands the refusal to :func:`refuse`,
which puts each message next to the field it names and renders the page with status 422 (so the request's work
is rolled back); the page shows them with the ``form_errors`` macro of ``templates/_macros/forms.html``. A page
that builds its own context calls :func:`put_on_form` and passes its answer as ``form_message``. A page whose form
saves through one service call and then goes elsewhere is :func:`form_page`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import Field, Form

from app.errors import UserValueError

T = TypeVar("T")

#: fields that show no message (the refusal of one is shown above the form)
_SILENT = ("HiddenField", "CSRFTokenField")


def put_on_form(form: Form, error: UserValueError) -> str | None:
    """Put each message of ``error`` next to the field it names (``phone``, or ``members-2-born`` in a list of
    sub-forms); return the others joined, to show above the form (None when every message found its field)."""
    fields = dict(_fields_by_name(form))
    loose: list[str] = []
    for name, messages in error.by_field().items():
        field = fields.get(name) if name else None
        if field is None:
            loose.extend(messages)
        else:
            field.errors = [*(field.errors or ()), *messages]
    return " ".join(loose) or None


def _fields_by_name(form: Form, top: bool = True) -> Iterator[tuple[str, Field]]:
    """Each field that can show a message, by its full name and (on the form itself) by its attribute name."""
    for name, field in form._fields.items():
        if field.type == "FieldList":
            for entry in field.entries:
                yield from _sub_fields(entry)
        elif field.type == "FormField":
            yield from _fields_by_name(field.form, top=False)
        elif field.type not in _SILENT:
            yield field.name, field
            if top:
                yield name, field


def _sub_fields(entry: Field) -> Iterator[tuple[str, Field]]:
    if entry.type == "FormField":
        yield from _fields_by_name(entry.form, top=False)
    elif entry.type not in _SILENT:
        yield entry.name, entry


def refuse(template: str, form: Form, error: UserValueError | None = None, *, status: int = 422, **context):
    """Render ``template`` again for a refused ``form`` (its typed values kept), with status 422.

    Without ``error`` the form's own validation refused it; with one, each of its messages goes next to its field,
    the others above the form (``form_message``).
    """
    message = put_on_form(form, error) if error is not None else None
    return render_template(template, form=form, form_message=message, **context), status


def form_page(
    template: str,
    form: FlaskForm,
    save: Callable[[], T],
    saved: Callable[[T], tuple[str, str]],
    **context: Any,
) -> ResponseReturnValue:
    """The page of a form that saves through a service: GET renders ``template``; a valid POST calls ``save()``
    (the service) and ``saved(its result)`` gives the message to flash and the address to go to; a POST the form
    or the service refuses renders the page again with 422 (see :func:`refuse`). ``context`` goes to the template.
    """
    if form.validate_on_submit():
        try:
            result = save()
        except UserValueError as exc:
            return refuse(template, form, exc, **context)
        message, url = saved(result)
        flash(message, "success")
        return redirect(url)
    if request.method == "POST":
        return refuse(template, form, **context)
    return render_template(template, form=form, **context)
