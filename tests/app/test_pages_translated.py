"""Issue 15: no English on a rendered Russian or Tajik page, outside names and data.

Each role's pages (tests/browser/walk.py) are rendered in ru and tg; every visible text node and every
label-like attribute that is an English message of the catalogue, left as its English text, fails the test,
as does a run of three or more English catalogue words that no message accounts for (a string never wrapped).
Names and data are exempt where the templates mark them: <bdi>, dir="auto", <code>, translate="no".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.i18n.locale import LANGUAGE_NAMES
from tests.browser.walk import ROLE_ACCOUNTS, ensure_examples, role_pages, sign_in

ROOT = Path(__file__).resolve().parents[2]
SKIP_TAGS = {"script", "style", "template", "noscript", "bdi", "code", "kbd", "samp", "pre", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
LABEL_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
#: words that read the same in every language here: the product, standards, codes, languages' own names
ALLOWED = {
    "Panoh",
    "HXL",
    "XLSX",
    "CSV",
    "PDF",
    "QR",
    "UNHCR",
    "KoboToolbox",
    "OK",
    "ID",
    "API",
    "UTF-8",
    "URL",
    *LANGUAGE_NAMES.values(),
}


class _Texts(HTMLParser):
    """Visible texts and label attributes, skipping names and data."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is it skipped?
        self.texts: list[str] = []

    def _skipped(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip = (
            tag in SKIP_TAGS
            or a.get("dir") == "auto"
            or a.get("translate") == "no"
            or "hidden" in a
            or a.get("aria-hidden") == "true"
        )
        if not self._skipped() and not skip:
            self.texts.extend(a[name] for name in LABEL_ATTRIBUTES if a.get(name))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.texts.append(a["value"])
        if tag not in VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skipped():
            self.texts.append(text)


def visible_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def _catalogue(language):
    with (ROOT / "app/i18n/translations" / language / "LC_MESSAGES/messages.po").open("rb") as fh:
        return [m for m in read_po(fh) if m.id and m.string]


def _english_messages(language) -> set[str]:
    """Messages whose translation differs from the English: seeing the English means it was not translated."""
    found = set()
    for m in _catalogue(language):
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for msgid in ids:
            if msgid not in strings and "%(" not in msgid and msgid not in ALLOWED and re.search("[A-Za-z]", msgid):
                found.add(" ".join(msgid.split()))
    return found


def vocabulary(language) -> set[str]:
    """Every English word of the catalogue (placeholders aside)."""
    ids = [i for m in _catalogue(language) for i in (m.id if isinstance(m.id, tuple) else (m.id,))]
    return {w.lower() for text in ids for w in WORD.findall(PLACEHOLDERS.sub(" ", text))} - {w.lower() for w in ALLOWED}


WORD = re.compile(r"[A-Za-z]{2,}")
PLACEHOLDERS = re.compile(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>")
OTHER_SCRIPT = re.compile(r"[\u0400-\u04ff\u0600-\u06ff]")


def _english_words(text: str, words: set[str]) -> bool:
    """Text in English that no message accounts for: every word an English catalogue word, none in capitals
    only (codes such as KHR), and no Cyrillic or Arabic letter beside them."""
    found = WORD.findall(text)
    return (
        bool(found)
        and not OTHER_SCRIPT.search(text)
        and all(w.lower() in words and not w.isupper() for w in found)
        and (len(found) >= 2 or len(found[0]) >= 4)
    )


ENGLISH_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")


def untranslated(html: str, english: set[str], words: set[str]) -> list[str]:
    """English messages, English words, and numbers grouped the English way (``6,246``: ``6 246`` here)."""
    return sorted(
        {
            text
            for text in visible_texts(html)
            if text not in ALLOWED and (text in english or _english_words(text, words) or ENGLISH_GROUPS.search(text))
        }
    )


@pytest.fixture(scope="module")
def walked(live_app):
    ensure_examples(live_app)
    return {username: role_pages(live_app, username) for username in ROLE_ACCOUNTS}


@pytest.mark.parametrize("language", ["ru", "tg"])
def test_no_page_a_role_reaches_shows_english(live_app, walked, language):
    english = _english_messages(language)
    words = vocabulary(language)
    found = {}
    for username, paths in walked.items():
        client = live_app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.15.1.{ROLE_ACCOUNTS.index(username) + 1}"
        sign_in(client, username)
        client.post("/language", data={"language": language, "csrf_token": _token(client)})
        for path in paths:
            html = client.get(path).data.decode()
            assert f'lang="{language}"' in html, path
            left = untranslated(html, english, words)
            if left:
                found[f"{username} {path}"] = left
    assert sum(len(p) for p in walked.values()) > 100
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def _token(client) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/account/password").data.decode()).group(1)


def test_the_check_finds_english_left_on_a_page():
    english = {"Save", "Households", "Women and men", "Girls"}
    html = (
        '<p>Сабт</p><button>Save</button><bdi>Save</bdi><span dir="auto">Households</span><a title="Households">x'
        "</a><text>Women and girls</text><p>KHR · Kushoniyon camp</p><p>Zahra Kohistani</p><i>Girls: 5</i>"
        "<td>6,246</td><td>6\u00a0246</td><td>2026-12-06, 14:05</td>"
    )
    words = {"save", "households", "women", "and", "men", "girls"}
    assert untranslated(html, english, words) == ["6,246", "Girls: 5", "Households", "Save", "Women and girls"]


@pytest.mark.parametrize("language,expected", [("en", "6,246.5"), ("ru", "6\u00a0246,5"), ("tg", "6\u00a0246,5")])
def test_numbers_follow_the_locale(app, language, expected):
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale(language):
        assert (
            render_template_string("{{ 6246.5|number(1) }} {{ 6246|number }} {{ 2.5|number(2, fixed=False) }}")
            == f"{expected} {expected[:-2]} {'2.5' if language == 'en' else '2,5'}"
        )
