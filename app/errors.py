"""Domain errors and the 4xx/5xx pages (HTML or JSON), which leak nothing."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app.db import database_problem
from app.extensions import login_manager

log = logging.getLogger(__name__)


class UserValueError(ValueError):
    """A rule of the domain refused the action; the message is shown to the user.

    The one type services refuse with (subclasses only name a kind, e.g. ``InvalidPhone``). ``field`` names the
    form field the message belongs next to, when there is one; :class:`ValidationErrors` carries several at once.
    A page shows it with ``app.views.refuse`` (or ``put_on_form``), an API answers it as 422 (``app.api``).
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def by_field(self) -> dict[str, list[str]]:
        """The refusal as ``{field: [messages]}`` (field '' when it belongs to no field)."""
        return {self.field or "": [self.message]}


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
            self.add(prefix + (exc.field or ""), exc.message)
        return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationErrors(self.errors)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Sign in required"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        413: _("Upload too large"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
        503: _("Database unavailable"),
    }


def _database_messages() -> dict[str, str]:
    return {
        "away": _(
            "The database cannot be reached right now, so nothing can be shown or saved. Nothing you "
            "entered was saved. Please try again in a minute; if it goes on, tell camp IT."
        ),
        "cannot_write": _(
            "Your changes could not be saved: the server cannot write to its database (its disk may "
            "be full or read-only). Nothing you entered was saved. Records can still be read. "
            "Tell camp IT."
        ),
    }


#: seconds a client is asked to wait before trying again while the database is unavailable
RETRY_AFTER = 30


def _render(code: int, description: str | None = None, title: str | None = None):
    try:
        return _page(code, description, title)
    except Exception as exc:  # noqa: BLE001 - the page itself needs the database (the signed-in user)
        if database_problem(exc) is None:
            raise
    _as_visitor()
    return _page(code, description, title)


def _page(code: int, description: str | None, title: str | None):
    title = title or _titles().get(code, _("Error"))
    if wants_json():
        return jsonify(error={"status": code, "title": title, "detail": description}), code
    template = f"errors/{code}.html" if code in (403, 404, 500) else "errors/generic.html"
    return render_template(template, code=code, title=title, description=description), code


def _as_visitor() -> None:
    """Answer as to a visitor who is not signed in: the menu and the user's language need the
    database, which is what failed."""
    g._login_user = login_manager.anonymous_user()


def database_unavailable(exc: BaseException):
    """503 with a clear page or JSON; the server log gets the kind of failure, never data."""
    problem = database_problem(exc) or "away"
    _as_visitor()
    log.error(
        "database unavailable (%s) on %s %s: %s",
        problem,
        request.method,
        request.url_rule,
        type(getattr(exc, "orig", None) or exc).__name__,
    )
    response, code = _render(503, _database_messages()[problem], _("Not saved") if problem == "cannot_write" else None)
    response = make_response(response, code)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        original = getattr(exc, "original_exception", None)
        if original is not None and database_problem(original):  # e.g. a commit that failed after the view
            return database_unavailable(original)
        # CSRF failures and the like carry their own short, safe description.
        description = exc.description if exc.code in (400, 413, 429) else None
        return _render(exc.code or 500, description)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        if database_problem(exc):
            return database_unavailable(exc)
        # The traceback goes to the server log only; the page says nothing about internals.
        log.exception("unhandled error on %s %s", request.method, request.url_rule)
        return _render(500)
