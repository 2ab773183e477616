"""Fonts for cards (Noto from Debian's fonts-noto-core), right-to-left shaping for Dari and Pashto, and
font fallback: a line is drawn as runs, each in a font that has its glyphs (a Tajik name beside a Dari
one, ``Ғуломҳайдар یعقوبی``, needs Noto Sans for the first word and Noto Naskh Arabic for the second).

ReportLab draws glyphs in the order it is given and does not join Arabic letters itself. python-bidi
puts a line in visual order; each Arabic-script word is then shaped by HarfBuzz (through ReportLab's
uharfbuzz support). arabic_reshaper's presentation forms would be simpler, but Unicode has none for the
Pashto letters ټ ځ څ ډ ړ ږ ښ ګ ڼ ۍ, which would print unjoined.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from bidi import get_display
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont, shapeFragWord
from reportlab.pdfgen.textobject import bidiShapedText

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
SANS = "NotoSans"
SANS_BOLD = "NotoSans-Bold"
NASKH = "NotoNaskhArabic"
FILES = {SANS: "NotoSans-Regular.ttf", SANS_BOLD: "NotoSans-Bold.ttf", NASKH: "NotoNaskhArabic-Regular.ttf"}

ARABIC_CHARS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
ARABIC_RE = re.compile(f"[{ARABIC_CHARS}]")
# Letters, marks and joiners: the parts of a visual line to shape. Digits and punctuation stay where bidi put them.
ARABIC_WORD_RE = re.compile(
    "[\u0610-\u061a\u0620-\u065f\u066e-\u06d3\u06d5-\u06ed\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\u200c\u200d]+"
)
#: Fonts tried, in order, for characters the requested font lacks.
FALLBACKS = {SANS: (NASKH,), SANS_BOLD: (NASKH,), NASKH: (SANS,)}
FEATURES = {"kern": True, "liga": True}  # not 'dlig': it turns محمد into a vowelled ligature


@functools.cache
def register() -> None:
    """Register the card fonts once per process; raise if shaping is unavailable."""
    if ttfonts.uharfbuzz is None:
        raise RuntimeError("uharfbuzz is needed to shape Dari and Pashto on cards")
    for name, filename in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def is_arabic(text: str | None) -> bool:
    """True when the text holds any Arabic-script character (Dari, Pashto, Uzbek in Arabic script)."""
    return text is not None and ARABIC_RE.search(text) is not None


def _shape_word(logical: str, font_name: str) -> str:
    width = pdfmetrics.stringWidth(logical, font_name, 10)
    shaped = shapeFragWord([width, (ABag(fontName=font_name, fontSize=10), logical)], features=FEATURES)
    return shaped[1][1]


def _shape_visual(visual: str, font_name: str) -> str:
    """Shape the Arabic-script words of a line already in visual order."""
    out = ""
    position = 0
    for match in ARABIC_WORD_RE.finditer(visual):
        out += visual[position : match.start()]
        out += _shape_word(match.group()[::-1], font_name)  # bidi reversed the word: shape it in logical order
        position = match.end()
    return out + visual[position:]


@functools.lru_cache(maxsize=4096)
def shape_rtl(text: str, font_name: str = NASKH) -> str:
    """The line as ReportLab must draw it: visual order, letters joined. Non-Arabic text comes back unchanged.

    The result (a ReportLab ``ShapedStr``) holds glyph positions per 1000 units of font size, so it can be
    drawn at any size, but only in ``font_name``.
    """
    if not is_arabic(text):
        return text
    register()
    return _shape_visual(get_display(text), font_name)


@functools.cache
def _glyphs(font_name: str) -> frozenset[int]:
    register()
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def _font_for(char: str, font_name: str) -> str | None:
    """The first of the font and its fallbacks that draws ``char``; None when none does or any will do."""
    if char.isspace() or ord(char) in _glyphs(font_name):
        return None if char.isspace() else font_name
    return next((name for name in FALLBACKS.get(font_name, ()) if ord(char) in _glyphs(name)), font_name)


#: Arabic-script letters that have presentation forms: a PDF reader maps their shaped glyphs back to them.
#: The others (Pashto's ټ ځ څ ډ ړ ږ ښ ګ ڼ ۍ) come back as nothing, so their runs carry the text as ActualText.
_HAS_FORMS = frozenset(unicodedata.normalize("NFKC", chr(code))[:1] for code in range(0xFB50, 0xFEFF))


def actual_text(piece: str) -> str | None:
    """The PDF ActualText for a run drawn from ``piece`` (visual order), when a reader could not rebuild it."""
    if any(ARABIC_WORD_RE.match(char) and char not in _HAS_FORMS and char not in "\u200c\u200d" for char in piece):
        return piece
    return None


@functools.lru_cache(maxsize=4096)
def runs(text: str, font_name: str) -> tuple[tuple[str, str, str | None], ...]:
    """The line as ReportLab must draw it, left to right: (shaped text, font, ActualText or None) runs.

    The whole line is put in visual order first (bidi), then cut where the font must change; spaces go
    with the run before them. Each run is drawn in a font that has its glyphs, so no word is lost.
    """
    visual = get_display(text) if is_arabic(text) else text
    pieces: list[list[str]] = []
    for char in visual:
        font = _font_for(char, font_name)
        if pieces and font in (None, pieces[-1][1]):
            pieces[-1][0] += char
        else:
            pieces.append([char, font or font_name])
    if len(pieces) == 1 and pieces[0][1] == font_name and not is_arabic(text):
        return ((text, font_name, None),)  # the common case, unshaped
    register()
    return tuple(
        (_shape_visual(piece, font), font, actual_text(piece)) if is_arabic(piece) else (piece, font, None)
        for piece, font in pieces
    )


def line_width(text: str, font_name: str, size: float) -> float:
    """Width in points of ``text`` drawn as :func:`runs`."""
    return sum(text_width(piece, font, size) for piece, font, _actual in runs(text, font_name))


def text_width(text: str, font_name: str, size: float) -> float:
    """Width in points, right for shaped text too (HarfBuzz advances, not the characters' widths)."""
    return bidiShapedText(text, None, fontName=font_name, fontSize=size)[1]


def missing_glyphs(text: str, font_name: str) -> set[str]:
    """Characters of ``text`` the font cannot draw (they would print as empty boxes)."""
    register()
    char_to_glyph = pdfmetrics.getFont(font_name).face.charToGlyph
    return {char for char in text if ord(char) not in char_to_glyph and not char.isspace()}
