"""Reading API input: the JSON body as an object whose fields have the types its operation declares.

Every view that takes a body calls :func:`json_body`; it checks the body with the pydantic model the
view's ``@api_operation(request=...)`` names (the same model the OpenAPI document shows), so the
document and the check cannot disagree. What a type check cannot say (a date that does not exist, a
camp the caller does not work in) stays with the services, which answer 422 field by field
(:mod:`app.api.schema` says which constraints are only documented). A body of the wrong shape is the
client's mistake: 400, with a message naming each field as the pages name them (``members-0-born``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from werkzeug.routing import IntegerConverter

from app.api.openapi import operation_of
from app.api.schema import INT_MAX, SchemaGenerator, bad_text


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


def _resolve(root: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _kinds(root: dict, schema: dict) -> list[str]:
    """The JSON types a schema takes, in its order."""
    schema = _resolve(root, schema)
    if "anyOf" in schema:
        return [kind for branch in schema["anyOf"] for kind in _kinds(root, branch)]
    kinds = schema.get("type", [])
    return [kinds] if isinstance(kinds, str) else list(kinds)


def _schema_at(root: dict, loc: tuple) -> dict:
    """The schema of the value at ``loc`` (keys and list indexes) in a body of schema ``root``."""
    schema = root
    for part in loc:
        schema = _resolve(root, schema)
        for branch in schema.get("anyOf", []):  # a field that may be null: go on in its other branch
            if "null" not in _kinds(root, branch):
                schema = _resolve(root, branch)
        schema = schema.get("items", {}) if isinstance(part, int) else schema.get("properties", {}).get(part, {})
    return _resolve(root, schema)


def _message(error: Mapping[str, Any], field: str, root: dict) -> str:
    name = field or _("the body")
    kind = error["type"]
    if kind == "missing":
        return _("%(field)s: required.", field=name)
    if kind == "extra_forbidden":
        return _("%(field)s: not a field of this request.", field=name)
    if kind in ("unstorable", "unstorable_item"):
        return _("%(field)s: contains a character that cannot be stored.", field=name)
    if kind == "utc_time":
        return _("%(field)s: an ISO date and time, e.g. 2026-11-05T08:30:00Z.", field=name)
    if kind == "number_range":
        return _("%(field)s: a number from %(low)s to %(high)s.", field=name, **error["ctx"])
    if kind == "too_long":
        return _("%(field)s: at most %(n)d items.", field=name, n=error["ctx"]["max_length"])
    schema = _schema_at(root, error["loc"])
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = schema.get("minimum", -INT_MAX), schema.get("maximum", INT_MAX)
        return _("%(field)s: a number from %(low)s to %(high)s.", field=name, low=low, high=high)
    kinds = _kinds(root, schema)
    if (kind.endswith("_type") or kind == "finite_number") and kinds:
        names = _type_names()
        return _("%(field)s: expected %(type)s.", field=name, type=" | ".join(names[k] for k in kinds))
    return f"{name}: {error['msg']}"


def field_errors(model: type[BaseModel], value) -> dict[str, list[str]]:
    """The fields of ``value`` that do not fit the request ``model``, each with its message (empty: it fits).

    A field is named as the pages name them: ``members-0-born``.
    """
    try:
        model.model_validate(value)
    except ValidationError as exc:
        root = model.model_json_schema(schema_generator=SchemaGenerator)
        errors: dict[str, list[str]] = {}
        for error in exc.errors():
            loc = (*error["loc"], error["ctx"]["i"]) if error["type"] == "unstorable_item" else error["loc"]
            if error["type"] == "extra_forbidden" and bad_text(str(loc[-1])):  # a key no database can hold
                error, loc = {**error, "type": "unstorable"}, loc[:-1]
            field = "-".join(str(part) for part in loc)
            errors.setdefault(field, [_message(error, field, root)])
        return errors
    return {}


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
    """The request's JSON object, checked with the request model the view declares; 400 when it does not fit.

    An object takes only the fields the model declares: a service never sees another (such as the
    desk's own keys for a photo it has already checked). The body comes back as sent, a dict: a
    correction changes only the fields it names.
    """
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes
        body = None
    if not isinstance(body, dict):
        abort(malformed({"": [_("Send a JSON object.")]}))
    model = operation_of(current_app.view_functions[str(request.endpoint)]).request
    errors = field_errors(model, body) if model is not None else {}
    if errors:
        abort(malformed(errors))
    return body
