"""Issue 15 blocker 1: a server set up without ``make`` (no compiled .mo in git) must still speak Tajik and Russian,
and a language offered without its catalogue must stop the start with a clear message, not serve English."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click
import pytest

from app import create_app, extensions
from app.i18n import catalogues
from app.i18n.catalogues import MissingCatalogue

SOURCE = Path(__file__).resolve().parents[2] / "app" / "i18n" / "translations"


@pytest.fixture(autouse=True)
def _no_cached_translations():
    """Flask-Babel caches loaded catalogues on the process-wide Babel object: forget them around each test."""
    extensions.babel.__dict__.pop("domain_instance", None)
    yield
    extensions.babel.__dict__.pop("domain_instance", None)


@pytest.fixture()
def po_only(tmp_path):
    """A copy of the catalogues as git has them: .po files, no .mo."""
    target = tmp_path / "translations"
    shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("*.mo"))
    assert not list(target.rglob("*.mo"))
    return target


def _app(tmp_path, source, **extra):
    return create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "x",
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "TRANSLATIONS_SOURCE": str(source),
            **extra,
        }
    )


@pytest.mark.parametrize("language,signin", [("tg", "Ворид шудан"), ("ru", "Войти")])
def test_a_fresh_app_without_compiled_catalogues_speaks_the_language(tmp_path, po_only, language, signin):
    application = _app(tmp_path, po_only)
    page = application.test_client().get("/login", headers={"Accept-Language": language}).data.decode()
    assert f'<html lang="{language}"' in page
    assert signin in page
    application.extensions["panoh.db"].engine.dispose()


def test_a_read_only_install_compiles_into_the_instance_folder(tmp_path, po_only, monkeypatch):
    monkeypatch.setattr(catalogues, "_writable", lambda folder: False)  # root writes anywhere: pretend
    application = _app(tmp_path, po_only)
    page = application.test_client().get("/login", headers={"Accept-Language": "tg"}).data.decode()
    assert not list(po_only.rglob("*.mo"))
    assert "Ворид шудан" in page
    assert (tmp_path / "instance" / "translations" / "tg" / "LC_MESSAGES" / "messages.mo").is_file()
    application.extensions["panoh.db"].engine.dispose()


def test_a_changed_catalogue_is_compiled_again(tmp_path, po_only):
    first = _app(tmp_path, po_only)
    assert "Ворид шудан" in first.test_client().get("/login", headers={"Accept-Language": "tg"}).data.decode()
    first.extensions["panoh.db"].engine.dispose()
    extensions.babel.__dict__.pop("domain_instance", None)
    po = po_only / "tg" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "Ворид шудан"', 'msgstr "Даромадан"', 1), encoding="utf-8"
    )
    mo = po.with_suffix(".mo")
    os.utime(mo, (po.stat().st_mtime - 10, po.stat().st_mtime - 10))
    application = _app(tmp_path, po_only)
    assert "Даромадан" in application.test_client().get("/login", headers={"Accept-Language": "tg"}).data.decode()
    application.extensions["panoh.db"].engine.dispose()


def test_a_language_offered_without_its_catalogue_refuses_to_start(tmp_path, po_only):
    shutil.rmtree(po_only / "ru")
    with pytest.raises(MissingCatalogue, match=r"language 'ru' is offered .* missing"):
        _app(tmp_path, po_only)


def test_an_empty_catalogue_refuses_to_start(tmp_path, po_only):
    (po_only / "tg" / "LC_MESSAGES" / "messages.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(MissingCatalogue, match="no translations"):
        _app(tmp_path, po_only)


def test_the_panoh_command_says_why_it_refuses(monkeypatch):
    from app import factory
    from app.factory import _create_app

    def refuse():
        raise MissingCatalogue("language 'tg' is offered (LANGUAGES) but its catalogue x.po is missing")

    monkeypatch.setattr(factory, "create_app", refuse)
    with pytest.raises(click.ClickException, match="cannot start: language 'tg'"):
        _create_app()
