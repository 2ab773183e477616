"""OpenAPI 3.1 document built from the routes under /api/v1 and their ``openapi`` attributes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask
from werkzeug.routing import IntegerConverter

SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "status": {"type": "integer"},
                    "title": {"type": "string"},
                    "detail": {"type": ["string", "null"]},
                    "fields": {
                        "type": "object",
                        "description": "messages by field (members-0-born: the first member's born)",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
            }
        },
    },
    "Me": {
        "type": "object",
        "properties": {
            "username": {"type": "string"},
            "full_name": {"type": "string"},
            "roles": {"type": "array", "items": {"type": "string"}},
            "permissions": {"type": "array", "items": {"type": "string"}},
            "all_camps": {"type": "boolean"},
            "camps": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Camp": {
        "type": "object",
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "name": {"type": "string"},
            "region_code": {"type": "string"},
            "district": {"type": ["string", "null"]},
            "planned_capacity": {"type": ["integer", "null"]},
            "status": {"type": "string"},
            "households": {
                "type": ["integer", "null"],
                "description": "active households; null: hidden (a small count)",
            },
            "people": {"type": ["integer", "null"], "description": "their people; null: hidden (a small count)"},
        },
    },
    "CampList": {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Camp"}}},
    },
    "Person": {
        "type": "object",
        "properties": {
            "id": {"type": "string", "description": "<household number>/<2 digits>"},
            "given_name": {"type": "string"},
            "given_name_orig": {"type": ["string", "null"]},
            "father_name": {"type": ["string", "null"]},
            "family_name": {"type": ["string", "null"]},
            "sex": {"type": "string", "enum": ["f", "m"]},
            "birth_date": {"type": "string", "format": "date"},
            "birth_precision": {"type": "string", "enum": ["day", "month", "year", "age"]},
            "relationship": {"type": "string"},
            "status": {"type": "string"},
        },
    },
    "Household": {
        "type": "object",
        "properties": {
            "number": {"type": "string"},
            "camp": {"type": "string"},
            "status": {"type": "string"},
            "arrival_date": {"type": "string", "format": "date"},
            "size": {"type": "integer"},
            "origin_province": {"type": ["string", "null"]},
            "members": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
        },
    },
    "HouseholdPage": {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Household"}},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "total": {"type": "integer"},
        },
    },
}

_ERRORS = {
    code: {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for code, text in (
        (400, "Malformed input: not a JSON object, or a field of the wrong type"),
        (401, "Missing or invalid token"),
        (403, "Not allowed"),
        (404, "Not found"),
        (422, "Refused input: each field with its message"),
    )
}


def _path_parameter(rule, arg: str) -> dict:
    converter = rule._converters.get(arg)
    if isinstance(converter, IntegerConverter):
        schema = {"type": "integer", "minimum": 0, "maximum": converter.max}
    else:
        schema = {"type": "string"}
    return {"name": arg, "in": "path", "required": True, "schema": schema}


def _operation(view, rule, method: str) -> dict:
    doc = dict(getattr(view, "openapi", {}))
    requirement = getattr(view, "panoh_requirement", "authenticated")
    op = {
        "operationId": rule.endpoint.replace(".", "_"),
        "summary": doc.get("summary", (view.__doc__ or "").strip().split("\n")[0]),
        "tags": doc.get("tags", []),
        "x-permission": requirement,
        "parameters": [_path_parameter(rule, arg) for arg in sorted(rule.arguments)] + doc.get("query", []),
        "responses": {"200": {"description": "OK"}},
    }
    if doc.get("response"):
        op["responses"]["200"]["content"] = {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{doc['response']}"}}
        }
    if doc.get("request"):
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{doc['request']}"}}},
        }
    if doc.get("request") or doc.get("query"):
        op["responses"].update({str(code): _ERRORS[code] for code in (400, 422)})
    if requirement == "public":
        op["security"] = []
    else:
        op["responses"].update({str(code): _ERRORS[code] for code in (401, 403, 404)})
    return op


def closed(schema: dict) -> dict:
    """A request schema as the API applies it: an object takes only the fields it declares."""
    schema = dict(schema)
    if "properties" in schema:
        schema.setdefault("additionalProperties", False)
        schema["properties"] = {key: closed(value) for key, value in schema["properties"].items()}
    if isinstance(schema.get("items"), dict):
        schema["items"] = closed(schema["items"])
    return schema


def build_document(app: Flask) -> dict:
    paths: dict[str, dict] = {}
    requests = {getattr(view, "openapi", {}).get("request") for view in app.view_functions.values()}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1/"):
            continue
        view = app.view_functions[rule.endpoint]
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(view, rule, method)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Panoh API",
            "version": "1",
            "description": "Camp registration, shelter, cards, distributions and feedback. "
            "Authenticate with a personal token: `Authorization: Bearer panoh_…`.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "schemas": {name: closed(schema) if name in requests else schema for name, schema in SCHEMAS.items()},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": paths,
    }


_View = TypeVar("_View", bound=Callable[..., Any])


def documented(**doc: object) -> Callable[[_View], _View]:
    """Attach OpenAPI details (summary, tags, query, request, response) to an API view."""

    def decorator(view: _View) -> _View:
        view.openapi = doc  # type: ignore[attr-defined]  # an attribute on a function: no type can say so
        return view

    return decorator
