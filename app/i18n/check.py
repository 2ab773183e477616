"""The catalogue check (``python -m app.i18n.check``, run by ``make lint``): fails, naming each problem, when

- a catalogue is missing or cannot be read or compiled: the staff's ``messages.po`` of each language of the switcher,
  the residents' ``residents.po`` of each language of :data:`app.i18n.residents.LOCALES`;
- a staff message is fuzzy or untranslated (Flask-Babel would show its English);
- a resident's text is in the code (``R_``) but not in ``residents.pot``, or the other way round (``make messages``);
- a resident's text is fuzzy, untranslated or loses a ``{placeholder}`` in a language its audience needs
  (:data:`app.i18n.residents.AUDIENCES`), or has an audience the check does not know.

Whether every staff message of the code is in the staff catalogues is ``tests/app/test_i18n.py``'s question.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.i18n import residents
from app.i18n.catalogues import DOMAIN
from app.i18n.locale import LANGUAGE_NAMES

ROOT = Path(__file__).resolve().parents[2]
SOURCE = residents.SOURCE
#: where residents' texts are marked; templates have none
CODE = ("app", "camps", "registration")
KEYWORDS = {"R_": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"{\w*}")


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def read(po: Path, locale: str) -> tuple[Catalog | None, list[str]]:
    """The catalogue at ``po``, checked to compile; else None and why."""
    if not po.is_file():
        return None, [f"{_shown(po)}: missing"]
    try:
        with po.open("rb") as fh:
            catalogue = read_po(fh, locale=locale, abort_invalid=True)
        write_mo(io.BytesIO(), catalogue)
    except Exception as exc:
        return None, [f"{_shown(po)}: cannot be read or compiled: {exc}"]
    return catalogue, []


def _where(po: Path, message) -> str:
    context = f"[{message.context}] " if message.context else ""
    return f"{_shown(po)}: {context}{message.id!r}"


def staff_problems(source: Path = SOURCE) -> Iterator[str]:
    """The staff's catalogues: present for each language of the switcher, readable, nothing fuzzy or empty."""
    languages = set(LANGUAGE_NAMES) - {"en"}
    languages |= {po.parent.parent.name for po in source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    for language in sorted(languages):
        po = source / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        catalogue, problems = read(po, language)
        yield from problems
        for message in catalogue or ():
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                yield f"{_where(po, message)}: fuzzy"
            elif not all(strings):
                yield f"{_where(po, message)}: untranslated"


def marked_in_code(root: Path = ROOT) -> set[tuple[str, str]]:
    """Every ``R_(context, message)`` of the code (as ``make messages`` extracts them)."""
    found: set[tuple[str, str]] = set()
    for folder in CODE:
        for path in sorted((root / folder).rglob("*.py")):
            source = path.read_bytes()
            if b"R_(" not in source:
                continue
            for _line, message, _comments, context in extract("python", io.BytesIO(source), keywords=KEYWORDS):
                found.add((context or "", str(message)))
    return found


def residents_problems(source: Path = SOURCE, root: Path = ROOT) -> Iterator[str]:
    """The residents' catalogues against the code and :data:`~app.i18n.residents.AUDIENCES`."""
    pot_path = source / f"{residents.DOMAIN}.pot"
    template, problems = read(pot_path, "en")
    yield from problems
    if template is None:
        return
    in_pot = {(m.context or "", str(m.id)) for m in template if m.id}
    code = marked_in_code(root)
    for context, msgid in sorted(code - in_pot):
        yield f"{_shown(pot_path)}: [{context}] {msgid!r} is in the code but not here: make messages"
    for context, msgid in sorted(in_pot - code):
        yield f"{_shown(pot_path)}: [{context}] {msgid!r} is no longer in the code: make messages"
    for context in sorted({context for context, _msgid in in_pot} - residents.AUDIENCES.keys()):
        yield f"{_shown(pot_path)}: msgctxt {context!r} is not in app.i18n.residents.AUDIENCES"
    for language, locale in residents.LOCALES.items():
        po = source / locale / "LC_MESSAGES" / f"{residents.DOMAIN}.po"
        catalogue, problems = read(po, locale)
        yield from problems
        if catalogue is None:
            continue
        for context, msgid in sorted(in_pot):
            if language not in residents.AUDIENCES.get(context, ()):
                continue
            entry = catalogue.get(msgid, context=context)
            if entry is None or not entry.string:
                yield f"{_shown(po)}: [{context}] {msgid!r}: untranslated"
            elif entry.fuzzy:
                yield f"{_where(po, entry)}: fuzzy"
            elif set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(str(entry.string))):
                yield f"{_where(po, entry)}: the translation's {{placeholders}} differ from the English"


def main() -> int:
    problems = [*staff_problems(), *residents_problems()]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"catalogue check: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("catalogue check: staff and residents' catalogues complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
