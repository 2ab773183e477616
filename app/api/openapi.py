"""OpenAPI 3.1 document built from the routes under /api/v1 and the models each operation declares.

Every API view says what it reads and answers with :func:`api_operation`; the document walks the
app's routes (so it cannot drift from them) and takes every schema from the declared pydantic models
(:mod:`app.api.schema`): each model once, under ``components/schemas``, by its class name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema
from werkzeug.routing import IntegerConverter

from app.api.schema import ABSENT, Answer, OpenAnswer, SchemaGenerator

#: an API view, whatever its signature
F = TypeVar("F", bound=Callable[..., Any])

REF = "#/components/schemas/{model}"


class ErrorDetail(Answer):
    status: int
    title: str
    detail: str | None
    fields: dict[str, list[str]] = Field(
        ABSENT, description="messages by field (members-0-born: the first member's born)"
    )
    field: str | None = Field(None, description="the one field refused (the duplicate check)")
    matches: dict[str, list[str]] = Field(
        ABSENT, description="409 likely duplicates: by member index, the numbers of the people they may be"
    )


class Error(Answer):
    error: ErrorDetail


class Document(OpenAnswer):
    """This document."""


#: the answers every operation may give, beside its own: 400/422 to one that reads input, 401/403/404
#: to one that needs a signed-in caller; to any, 302 when a page's signed-in session (a cookie, no token)
#: has expired, and 503 while the database is away
ERRORS = {
    302: "A page's session (cookie, no token) expired: to the sign-in page",
    400: "Malformed input: not a JSON object, or a field of the wrong type",
    401: "Missing or invalid token",
    403: "Not allowed",
    404: "Not found",
    422: "Refused input: each field with its message",
    503: "The database is unavailable: try again (Retry-After)",
}


@dataclass(frozen=True)
class Operation:
    """What one API view reads and answers: the request body, the query and a model per status."""

    summary: str
    tags: tuple[str, ...] = ()
    request: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    responses: dict[int, type[BaseModel] | None] = field(default_factory=dict)

    def answers(self, requirement: str) -> dict[int, type[BaseModel] | None]:
        """Every status the operation may answer with, and the model of its body."""
        codes = [302, 503]
        if self.request or self.query:
            codes += [400, 422]
        if requirement != "public":
            codes += [401, 403, 404]
        return {**dict.fromkeys(sorted(codes), Error), 302: None, **self.responses}


def api_operation(
    *,
    summary: str,
    tags: Iterable[str] = (),
    request: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    responses: dict[int, type[BaseModel] | None] | None = None,
) -> Callable[[F], F]:
    """Declare what an API view reads (``request`` body, ``query``) and answers (``response`` for 200,
    ``responses`` for other statuses; the errors of :data:`ERRORS` are added)."""
    answers = {200: response, **(responses or {})} if response is not None or not responses else responses
    operation = Operation(summary, tuple(tags), request, query, answers)

    def decorator(view: F) -> F:
        view.api_operation = operation  # type: ignore[attr-defined]  # read back by operation_of
        return view

    return decorator


def operation_of(view) -> Operation:
    return getattr(view, "api_operation", None) or Operation((view.__doc__ or "").strip().split("\n")[0])


def _path_parameter(rule, arg: str) -> dict:
    converter = rule._converters.get(arg)
    if isinstance(converter, IntegerConverter):
        schema = {"type": "integer", "minimum": 0, "maximum": converter.max}
    else:
        schema = {"type": "string"}
    return {"name": arg, "in": "path", "required": True, "schema": schema}


def _query_parameters(model: type[BaseModel] | None) -> list[dict]:
    if model is None:
        return []
    parameters = []
    for name, schema in model.model_json_schema(schema_generator=SchemaGenerator)["properties"].items():
        schema = dict(schema)
        parameter = {"name": name, "in": "query"}
        if "description" in schema:
            parameter["description"] = schema.pop("description")
        parameters.append({**parameter, "schema": schema})
    return parameters


def _content(model: type[BaseModel] | None, refs: dict) -> dict:
    return {"content": {"application/json": {"schema": refs[model]}}} if model is not None else {}


def _operation(view, rule, refs: dict) -> dict:
    declared = operation_of(view)
    requirement = getattr(view, "panoh_requirement", "authenticated")
    op = {
        "operationId": rule.endpoint.replace(".", "_"),
        "summary": declared.summary,
        "tags": list(declared.tags),
        "x-permission": requirement,
        "parameters": [_path_parameter(rule, arg) for arg in sorted(rule.arguments)]
        + _query_parameters(declared.query),
        "responses": {
            str(code): {"description": ERRORS.get(code, "OK"), **_content(model, refs)}
            for code, model in sorted(declared.answers(requirement).items())
        },
    }
    if declared.request is not None:
        op["requestBody"] = {"required": True, **_content(declared.request, refs)}
    if requirement == "public":
        op["security"] = []
    return op


def _api_routes(app: Flask):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith("/api/v1/"):
            yield rule, app.view_functions[rule.endpoint]


def _schemas(app: Flask) -> tuple[dict, dict]:
    """Each model's reference, and every model's schema by name (pydantic names them; each once)."""
    models: dict[type[BaseModel], None] = {}
    for _rule, view in _api_routes(app):
        declared = operation_of(view)
        requirement = getattr(view, "panoh_requirement", "authenticated")
        for model in (declared.request, *declared.answers(requirement).values()):
            if model is not None:
                models[model] = None
    refs, top = models_json_schema(
        [(model, "validation") for model in models], ref_template=REF, schema_generator=SchemaGenerator
    )
    return {model: ref for (model, _mode), ref in refs.items()}, top.get("$defs", {})


def build_document(app: Flask) -> dict:
    refs, schemas = _schemas(app)
    paths: dict[str, dict] = {}
    for rule, view in _api_routes(app):
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(view, rule, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Panoh API",
            "version": "1",
            "description": "Camp registration, shelter, cards, distributions and feedback. "
            "Authenticate with a personal token: `Authorization: Bearer panoh_…`.",
        },
        "servers": [{"url": "/"}],
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": paths,
    }
