"""Compiled catalogues at start: the .mo files are not in git, so a server set up without ``make`` (pip install,
``panoh db upgrade``, ``panoh serve``) compiles them itself, and refuses to start when an offered language has none.

Two domains: ``messages`` (the staff's pages, in each offered language) and ``residents`` (what the camp's residents
read, in the languages of app.i18n.residents.LOCALES). Without this, Flask-Babel silently serves English under
``lang="tg"``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.i18n import residents

DOMAIN = "messages"


class MissingCatalogue(RuntimeError):
    """A language is offered (``LANGUAGES``), or the residents' texts need it, but its catalogue is missing, empty or
    broken."""


def _compile(po: Path, mo: Path) -> int:
    """Write ``mo`` from ``po`` atomically (workers may start together); returns the number of translations."""
    with po.open("rb") as fh:
        catalogue = read_po(fh, locale=po.parent.parent.name)
    translated = sum(1 for m in catalogue if m.id and m.string and not m.fuzzy)
    mo.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalogue)
        os.chmod(tmp, 0o644)  # as pybabel leaves it (mkstemp makes it private)
        os.replace(tmp, mo)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return translated


def ensure_compiled(source: Path, target: Path, languages, default: str, domain: str = DOMAIN) -> Path:
    """Compile each offered language's catalogue of ``domain`` from ``source`` into ``target`` when missing or older
    than its .po.

    Raises :class:`MissingCatalogue` naming the language and the file when a catalogue cannot be served.
    """
    for language in languages:
        if language == default:
            continue
        po = source / language / "LC_MESSAGES" / f"{domain}.po"
        mo = target / language / "LC_MESSAGES" / f"{domain}.mo"
        if not po.is_file() and domain != DOMAIN:
            raise MissingCatalogue(f"the residents' texts need language {language!r} but its catalogue {po} is missing")
        if not po.is_file():
            raise MissingCatalogue(
                f"language {language!r} is offered (LANGUAGES) but its catalogue {po} is missing: "
                f"restore it or remove {language!r} from the offered languages"
            )
        if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        try:
            translated = _compile(po, mo)
        except Exception as exc:
            raise MissingCatalogue(f"the catalogue of language {language!r} ({po}) cannot be compiled: {exc}") from exc
        if not translated:
            raise MissingCatalogue(f"the catalogue of language {language!r} ({po}) has no translations")
    return target


def prepare(config) -> Path:
    """The folder of compiled catalogues for Flask-Babel: beside the .po files (as ``make translations`` does)
    when that folder is writable, else ``<instance>/translations`` (a read-only install)."""
    source = Path(config["TRANSLATIONS_SOURCE"])
    target = source if _writable(source) else Path(config["INSTANCE_PATH"]) / "translations"
    ensure_compiled(source, target, config["LANGUAGES"], config["BABEL_DEFAULT_LOCALE"])
    return ensure_compiled(source, target, residents.LOCALES.values(), "en", residents.DOMAIN)


def _writable(folder: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False
