"""The residents' catalogue (app.i18n.residents): said in the resident's language whatever the page's, with or
without an app, and its languages (Dari, Pashto) never offered to staff."""

from __future__ import annotations

import subprocess

from flask import has_app_context
from flask_babel import get_locale

from app.i18n import residents
from app.i18n.residents import R_, gettext_in
from camps.feedback.kiosk_text import KIOSK_LANGUAGES, MESSAGES, texts
from registration.cards import pdf
from registration.subject import labels

FREE = "Ин корт ройгон аст. Барои гирифтани он ба ҳеҷ кас пул надиҳед."


def test_each_audience_names_the_languages_its_code_shows():
    assert residents.AUDIENCES["kiosk"] == tuple(KIOSK_LANGUAGES)
    assert residents.AUDIENCES["card"] == pdf.BACK_LANGUAGES
    assert residents.AUDIENCES.keys() <= {text.context for text in (*MESSAGES.values(), *pdf.BACK_TEXT)} | {"report"}
    assert residents.LOCALES.keys() == {lang for langs in residents.AUDIENCES.values() for lang in langs}


def test_a_text_is_said_in_the_residents_language_inside_a_staff_request(app):
    with app.test_request_context("/", headers={"Accept-Language": "ru"}):
        assert texts("fa")["submit"] == "ارسال" and texts("tg")["submit"] == "Фиристодан"
        assert str(labels.STATUS.tg) == "Вазъ" and str(labels.STATUS) == "Вазъ / Status"
        assert str(get_locale()) == "ru"  # the page's language is left as it was


def test_without_an_app_the_source_catalogue_is_read(app):
    assert not has_app_context()
    standalone = pdf.back_text()
    assert standalone[2] == ("tg", [FREE, *standalone[2][1][1:]])
    with app.app_context():
        assert pdf.back_text() == standalone


def test_english_and_unknown_languages_get_the_english():
    text = R_("kiosk", "Send")
    assert gettext_in("en", text) == gettext_in("uz", text) == "Send"
    assert gettext_in("ps", text) == "ولېږئ"


def test_the_command_line_prints_the_back_in_tajik(app, make, session, tmp_path):
    make.household("KHR")
    out = tmp_path / "sheets.pdf"
    result = app.test_cli_runner().invoke(args=["cards", "print", "--camp", "KHR", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
    assert " ".join(FREE.split()[:4]) in " ".join(text.split())


def test_dari_and_pashto_are_not_offered_to_staff(app, client):
    assert not {"fa", "ps", "fa_AF"} & set(app.config["LANGUAGES"])
    page = client.get("/login", headers={"Accept-Language": "fa, ps;q=0.9"}).data.decode()
    assert '<html lang="en"' in page
    client.post("/language", data={"language": "fa", "next": "/login"})
    assert '<html lang="en"' in client.get("/login").data.decode()
