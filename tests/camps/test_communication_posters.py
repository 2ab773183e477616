"""Posters in all six languages: two rows of columns, Pashto letters joined, Uzbek and Tajik letters printed."""

from __future__ import annotations

import subprocess
import unicodedata

from camps.communication import posters
from camps.communication.models import Message, MessageText
from camps.communication.wording import HEADLINES
from registration.cards import fonts

TEXTS = {
    "fa-AF": "آب آشامیدنی هر روز از ساعت هفت صبح.",
    "ps": "د څښاک اوبه هره ورځ له اوو بجو څخه ښکته ګډېږي.",
    "tg": "Оби нӯшокӣ ҳар рӯз аз соати ҳафт.",
    "ru": "Питьевая вода каждый день с семи часов.",
    "uz": "Ichimlik suvi har kuni soat yettidan. Oʻzbekcha.",
    "en": "Drinking water every day from seven.",
}
BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))


def test_a_poster_in_six_languages_prints_every_script(tmp_path):
    message = Message(purpose="service_hours", public_id="x")
    message.texts = [MessageText(language=code, text=text) for code, text in TEXTS.items()]
    path = tmp_path / "six.pdf"
    path.write_bytes(posters.render_notice(message, "Camp KHR", "https://panoh.example/notices/x", "a4"))
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    for code in ("tg", "ru", "uz", "en"):
        for word in HEADLINES["service_hours"][code].split():
            assert word in flat, (code, word)
        for word in TEXTS[code].split()[:3]:
            assert word in flat, (code, word)
    arabic = unicodedata.normalize("NFKC", text.translate(BIDI))
    assert "اوبه" in arabic and "آشامیدنی" in arabic
    for code in ("tg", "ru", "uz", "en"):
        assert fonts.missing_glyphs(TEXTS[code], fonts.SANS) == set()
    for code in ("fa-AF", "ps"):
        assert fonts.missing_glyphs(TEXTS[code].replace(".", ""), fonts.NASKH) == set()
