"""Language choice: the user's saved choice, else the browser's, else English."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "tg": "Тоҷикӣ"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def html_lang() -> str:
    return str(get_locale()).replace("_", "-")


def text_direction() -> str:
    return get_locale().text_direction
