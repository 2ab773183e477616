"""The catalogue check (``python -m app.i18n.check``, in ``make lint``) passes on the tree and finds each kind of
broken catalogue: missing, unreadable, fuzzy, untranslated, a lost placeholder, a text of the code not in the .pot."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from app.i18n import check, residents

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def source(tmp_path):
    """A copy of the catalogues as git has them."""
    target = tmp_path / "translations"
    shutil.copytree(check.SOURCE, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def _problems(source: Path, root: Path = ROOT) -> list[str]:
    return [*check.staff_problems(source), *check.residents_problems(source, root)]


def _edit(po: Path, msgid: str, context: str | None = None, **changes) -> None:
    with po.open("rb") as fh:
        catalogue = read_po(fh)
    message = catalogue.get(msgid, context=context)
    for name, value in changes.items():
        if name == "fuzzy":
            message.flags.add("fuzzy")
        else:
            setattr(message, name, value)
    with po.open("wb") as fh:
        write_po(fh, catalogue)


def _residents_po(source: Path, language: str) -> Path:
    return source / residents.LOCALES[language] / "LC_MESSAGES" / f"{residents.DOMAIN}.po"


def test_the_tree_passes():
    result = subprocess.run(
        [sys.executable, "-m", "app.i18n.check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert _problems(check.SOURCE) == []


def test_a_missing_residents_catalogue_is_named(source):
    _residents_po(source, "ps").unlink()
    assert _problems(source) == [f"{_residents_po(source, 'ps')}: missing"]


def test_a_missing_staff_catalogue_is_named(source):
    shutil.rmtree(source / "tg")
    problems = _problems(source)
    assert f"{source / 'tg/LC_MESSAGES/messages.po'}: missing" in problems
    assert f"{_residents_po(source, 'tg')}: missing" in problems


def test_a_broken_catalogue_is_named(source):
    po = _residents_po(source, "fa")
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    [problem] = _problems(source)
    assert problem.startswith(f"{po}: cannot be read or compiled")


def test_fuzzy_and_untranslated_texts_are_named(source):
    po = _residents_po(source, "fa")
    _edit(po, "Send", "kiosk", fuzzy=True)
    _edit(po, "This card is free. Do not pay anyone to get it.", "card", string="")
    assert _problems(source) == [
        f"{po}: [card] 'This card is free. Do not pay anyone to get it.': untranslated",
        f"{po}: [kiosk] 'Send': fuzzy",
    ]


def test_a_text_only_another_audience_needs_may_stay_untranslated(source):
    assert "ru" not in residents.AUDIENCES["card"]
    _edit(_residents_po(source, "ru"), "This card is free. Do not pay anyone to get it.", "card", string="")
    assert _problems(source) == []


def test_a_lost_placeholder_is_named(source):
    po = _residents_po(source, "ru")
    msgid = "Your case number is {reference}; keep it to ask about your case at the help desk."
    _edit(po, msgid, "kiosk", string="Номер вашего обращения")
    assert _problems(source) == [f"{po}: [kiosk] {msgid!r}: the translation's {{placeholders}} differ from the English"]


def test_a_fuzzy_staff_message_is_named(source):
    po = source / "ru" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        message = next(m for m in read_po(fh) if m.id and isinstance(m.id, str))
    _edit(po, message.id, message.context, fuzzy=True)
    assert _problems(source) == [f"{po}: {message.id!r}: fuzzy"]


def test_a_text_in_the_code_but_not_in_the_pot_is_named(source, tmp_path):
    code = tmp_path / "code"
    for folder in check.CODE:
        shutil.copytree(ROOT / folder, code / folder, ignore=shutil.ignore_patterns("__pycache__", "translations"))
    (code / "camps" / "extra.py").write_text('from app.i18n.residents import R_\n\nNEW = R_("kiosk", "Hello")\n')
    problems = _problems(source, code)
    assert problems == [
        f"{source / 'residents.pot'}: [kiosk] 'Hello' is in the code but not here: make messages",
    ]
