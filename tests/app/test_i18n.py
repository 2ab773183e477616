"""English, Russian and Tajik from the start; every string translatable and translated; RTL-ready."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import render_template
from flask_babel import force_locale

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "i18n" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _extracted_msgids(tmp_path) -> set[str]:
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "app/i18n/babel.cfg"),
            "-k",
            "_l",
            "-o",
            str(pot),
            "app",
            "camps",
            "registration",
            "templates",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


@pytest.mark.parametrize("language", ["ru", "tg"])
def test_every_string_in_the_code_is_translated(tmp_path, language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    # plural messages have a tuple of ids and a tuple of forms: every form must be filled
    translated = {
        m.id: m.string
        for m in catalog
        if m.id and m.string and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [1])
    }
    missing = sorted(_extracted_msgids(tmp_path) - translated.keys(), key=str)
    assert missing == [], f"run `make messages` and translate: {missing[:10]}"
    for msgid, text in translated.items():
        if isinstance(msgid, str):
            assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(text)), msgid
            continue
        expected = set().union(*(PLACEHOLDER.findall(i) for i in msgid))
        found = [set(PLACEHOLDER.findall(form)) for form in text]
        assert all(f <= expected for f in found) and set().union(*found) == expected, msgid


@pytest.mark.parametrize("language,signin", [("ru", "Войти"), ("tg", "Ворид шудан")])
def test_language_switch_translates_pages_and_is_remembered(client, language, signin):
    response = client.post("/language", data={"language": language, "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").data.decode()
    assert f'<html lang="{language}" dir="ltr">' in page
    assert signin in page


def test_signed_in_users_choice_is_saved_on_their_account(client, login_as, session):
    user = login_as("viewer", None)
    client.post("/language", data={"language": "tg"})
    session.refresh(user)
    assert user.locale == "tg"


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"language": "xx"})
    assert '<html lang="en"' in client.get("/login").data.decode()


def test_browser_language_is_the_default(client):
    page = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).data.decode()
    assert '<html lang="ru"' in page


def test_layout_is_right_to_left_ready(app):
    """Dari (fa_AF) is not a staff language yet, but the layout already turns for it (kiosk)."""
    with app.test_request_context("/login"), force_locale("fa_AF"):
        html = render_template("errors/404.html", title="x")
    assert '<html lang="fa-AF" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
