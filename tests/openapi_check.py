"""Every answer of the JSON API that a test gets through the Flask test client is checked against the
OpenAPI document: its status must be one the operation declares, and its body must fit the schema
declared for that status (formats such as ``date-time`` included). A test then fails on the call.

``tests/conftest.py`` makes :class:`DocumentedClient` the app's test client. The fuzz
(``tests/app/test_api_fuzz.py``) calls the app without it: it looks for 5xx answers and foreign
writes, not for the document's word.
"""

from __future__ import annotations

import gzip
import json
import re

import jsonschema_rs
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import MethodNotAllowed, NotFound

from app.api import PREFIX
from app.api.openapi import build_document

_documents: dict[int, dict] = {}
_validators: dict[tuple[int, str], jsonschema_rs.Validator] = {}


def _document(app: Flask) -> dict:
    if id(app) not in _documents:
        _documents[id(app)] = build_document(app)
    return _documents[id(app)]


def _validator(app: Flask, schema: dict):
    key = (id(app), json.dumps(schema, sort_keys=True))
    if key not in _validators:
        root = {**schema, "components": _document(app)["components"]}
        _validators[key] = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
    return _validators[key]


def _operation(app: Flask, method: str, path: str) -> tuple[str, dict] | None:
    """The documented path and operation the request reached; None when it reached no route."""
    try:
        rule, _args = app.url_map.bind("localhost").match(path, method=method, return_rule=True)
    except (NotFound, MethodNotAllowed):
        return None
    documented = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
    return documented, _document(app)["paths"][documented][method.lower()]


def _body(response):
    data = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return json.loads(data)


def problems(app: Flask, method: str, path: str, response) -> list[str]:
    """What in ``response`` (to ``method path``) the document does not declare; empty: it fits."""
    if method in ("HEAD", "OPTIONS"):
        return []
    found = _operation(app, method, path)
    if found is None:  # no such route, or not with this method: the API's JSON error
        declared = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        if response.status_code not in (404, 405):
            return [f"{response.status_code} from no route"]
        where = f"{method} {path}"
    else:
        documented, operation = found
        where = f"{method} {documented}"
        declared = operation["responses"].get(str(response.status_code))
        if declared is None:
            return [f"{where}: status {response.status_code} is not declared ({', '.join(operation['responses'])})"]
    content = declared.get("content", {}).get("application/json")
    if content is None:
        return []
    if response.mimetype != "application/json":
        return [f"{where} {response.status_code}: {response.mimetype}, declared application/json"]
    body = _body(response)
    return [
        f"{where} {response.status_code}: {error.message} at /{'/'.join(map(str, error.instance_path))}"
        for error in _validator(app, content["schema"]).iter_errors(body)
    ]


class DocumentedClient(FlaskClient):
    """A test client that fails a call to the JSON API whose answer the OpenAPI document does not declare."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        request = response.request
        if request.path.startswith(PREFIX + "/"):
            found = problems(self.application, request.method, request.path, response)
            assert not found, "the answer does not fit the OpenAPI document:\n" + "\n".join(found[:20])
        return response
