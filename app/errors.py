"""Domain errors and the 4xx/5xx pages (HTML or JSON), which leak nothing."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class UserValueError(ValueError):
    """A rule of the domain refused the action; the message is shown to the user.

    ``field`` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def by_field(self) -> dict[str, list[str]]:
        """The refusal as ``{field: [messages]}`` (field '' when it belongs to no field)."""
        return {self.field or '': [self.message]}


class ValidationErrors(UserValueError):
    """Several refusals at once, by field name (``members-2-born``), so a form shows them all."""

    def __init__(self, errors: dict[str, list[str]], message: str | None = None) -> None:
        super().__init__(message or next(iter(errors.values()))[0])
        self.errors = errors

    def by_field(self) -> dict[str, list[str]]:
        return self.errors

    @classmethod
    def collect(cls):
        return _Collector()


class _Collector:
    """Gather UserValueErrors from several checks, then raise them together."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def check(self, prefix: str, fn, *args, **kwargs):
        """Run ``fn``; a UserValueError it raises is recorded under ``prefix + its field``."""
        try:
            return fn(*args, **kwargs)
        except ValidationErrors as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    self.add(prefix + field, message)
        except UserValueError as exc:
            self.add(prefix + (exc.field or ''), exc.message)
        return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationErrors(self.errors)


def wants_json() -> bool:
    return request.path.startswith('/api/')


def _titles() -> dict[int, str]:
    return {
        400: _('Bad request'), 401: _('Sign in required'), 403: _('Not allowed'),
        404: _('Not found'), 405: _('Method not allowed'), 413: _('Upload too large'),
        429: _('Too many requests'), 500: _('Something went wrong'),
    }


def _render(code: int, description: str | None = None):
    title = _titles().get(code, _('Error'))
    if wants_json():
        return jsonify(error={'status': code, 'title': title, 'detail': description}), code
    template = f'errors/{code}.html' if code in (403, 404, 500) else 'errors/generic.html'
    return render_template(template, code=code, title=title, description=description), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        # CSRF failures and the like carry their own short, safe description.
        description = exc.description if exc.code in (400, 413, 429) else None
        return _render(exc.code or 500, description)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        # The traceback goes to the server log only; the page says nothing about internals.
        log.exception('unhandled error on %s %s', request.method, request.url_rule)
        return _render(500)
