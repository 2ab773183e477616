"""Reading API input: the JSON body as an object whose fields have the types the OpenAPI document declares.

Every view that takes a body calls :func:`json_body`; it checks the body against the schema that the
view's ``@documented(request=...)`` names, so the document and the check cannot disagree. What a type
check cannot say (a date that does not exist, a camp the caller does not work in) stays with the
services, which answer 422 field by field. A body of the wrong shape is the client's mistake: 400,
with a message naming the field.

The checks are the part of JSON Schema the document uses: ``type`` (a list of types too), ``required``,
``properties`` and ``items`` (nested), ``additionalProperties: false`` (which every request schema
gets: :func:`app.api.openapi.closed`), ``maxItems``, ``minimum``/``maximum`` for numbers, and
``format: date-time`` (the times devices send). A ``format: date`` is a person's typing: the
services check it and answer 422, with the message the pages give.
An integer is a database integer: unless the schema says otherwise, within ±(2³¹ − 1). No string may hold a NUL
character or half of a surrogate pair (PostgreSQL cannot store either).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from app.api.openapi import SCHEMAS, closed

INT_MAX = 2**31 - 1


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` in every URL: a number no database id can have (above 2³¹ − 1) matches no route: 404."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


def _type_names() -> dict[str, str]:
    return {
        "string": _("text"),
        "integer": _("a whole number"),
        "number": _("a number"),
        "boolean": _("true or false"),
        "array": _("a list"),
        "object": _("an object"),
        "null": _("null"),
    }


def _is(value, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return value is None  # 'null'


def bad_text(text: str) -> bool:
    """True for text no database column can hold: a NUL character or a lone surrogate."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _is_utc_time(text: str) -> bool:
    """An ISO 8601 date and time (as devices send them) that a UTC timestamp can hold."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment.astimezone(UTC)
    except (ValueError, OverflowError):  # 0001-01-01T00:00+01:00 is ISO but before year 1 in UTC
        return False
    return True


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def field_errors(value, schema: dict, field: str = "") -> dict[str, list[str]]:
    """The fields of ``value`` that do not fit ``schema``, each with its message (empty: it fits).

    A field is named as the pages name them: ``members-0-born``.
    """
    schema = resolve(schema)
    name = field or _("the body")
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    if kinds and not any(_is(value, kind) for kind in kinds):
        names = _type_names()
        return {field: [_("%(field)s: expected %(type)s.", field=name, type=" | ".join(names[kind] for kind in kinds))]}
    if isinstance(value, str) and bad_text(value):
        return {field: [_("%(field)s: contains a character that cannot be stored.", field=name)]}
    if isinstance(value, str) and schema.get("format") == "date-time" and not _is_utc_time(value):
        return {field: [_("%(field)s: an ISO date and time, e.g. 2026-11-05T08:30:00Z.", field=name)]}
    if isinstance(value, int | float) and not isinstance(value, bool):
        bound = INT_MAX if isinstance(value, int) else math.inf
        low, high = schema.get("minimum", -bound), schema.get("maximum", bound)
        if not low <= value <= high:
            return {field: [_("%(field)s: a number from %(low)s to %(high)s.", field=name, low=low, high=high)]}
    errors: dict[str, list[str]] = {}
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", math.inf):
            return {field: [_("%(field)s: at most %(n)d items.", field=name, n=schema["maxItems"])]}
        for i, item in enumerate(value):
            if "items" in schema:
                errors.update(field_errors(item, schema["items"], f"{field}-{i}" if field else str(i)))
            elif isinstance(item, str) and bad_text(item):
                errors[f"{field}-{i}"] = [
                    _("%(field)s: contains a character that cannot be stored.", field=f"{field}-{i}")
                ]
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                sub = f"{field}-{key}" if field else key
                errors[sub] = [_("%(field)s: required.", field=sub)]
        properties = schema.get("properties", {})
        for key, item in value.items():
            sub = f"{field}-{key}" if field else key
            if bad_text(key):
                errors[field] = [_("%(field)s: contains a character that cannot be stored.", field=name)]
            elif key in properties:
                errors.update(field_errors(item, properties[key], sub))
            elif schema.get("additionalProperties") is False:
                errors[sub] = [_("%(field)s: not a field of this request.", field=sub)]
    return errors


def malformed(errors: dict[str, list[str]], status: int = 400):
    """The JSON answer to input of the wrong shape: every message, and each field's messages."""
    detail = " ".join(message for messages in errors.values() for message in messages)
    response = jsonify(error={"status": status, "title": _("Check the input"), "detail": detail, "fields": errors})
    response.status_code = status
    return response


def check_url() -> None:
    """Before every API view: a path naming nothing storable is not found; such a query is refused."""
    if any(isinstance(v, str) and bad_text(v) for v in (request.view_args or {}).values()):
        abort(404)
    bad = sorted({key for key, value in request.args.items(multi=True) if bad_text(key) or bad_text(value)})
    if bad:
        abort(malformed({key: [_("%(field)s: contains a character that cannot be stored.", field=key)] for key in bad}))


def json_body() -> dict:
    """The request's JSON object, checked against the schema the view declares; 400 when it does not fit.

    An object takes only the fields the document declares: a service never sees another (such as
    the desk's own keys for a photo it has already checked).
    """
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes
        body = None
    if not isinstance(body, dict):
        abort(malformed({"": [_("Send a JSON object.")]}))
    name = getattr(current_app.view_functions[request.endpoint or ""], "openapi", {}).get("request")
    errors = field_errors(body, closed(SCHEMAS[name])) if name else {}
    if errors:
        abort(malformed(errors))
    return body
