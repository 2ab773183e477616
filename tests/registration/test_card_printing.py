"""Printed sheets (issue 16): every name's every character, QR decode rates under simulated capture, photos
cropped to the frame, Dari labels, gutters and the printing note. No app or database."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from collections import Counter

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from benchmarks import qr_conditions
from registration.cards import fonts, pdf, qr, token
from tests.registration.test_cards_core import BIDI_CONTROLS, DEMO_SEED, TODAY, card_data, pdf_text, rasterise

# Names from every script the camps see, and names that mix them (a Tajik given name with a Dari surname).
NAMES = [
    ("Ghulomhaydar Yaqubi", "Ғуломҳайдар یعقوبی"),
    ("Yaqubi Ghulomhaydar", "یعقوبی Ғуломҳайдар"),
    ("Mohammad Karim Ahmadzai", "محمد کریم احمدزی"),
    ("Zarghuna Khpalwak", "ژړغونه ښکلې ځواک"),
    ("Muhammad Jo‘raev", "Муҳаммад Ҷӯраев"),
    ("Bibi Gul Noorzai", "بی بی گل نورزی - Бибигул"),
    ("Farhod Qodirov", "Фарҳод Қодиров (فرهاد)"),
    ("Shirin Rahimova", None),
    ("Abdulloh Saidov", "Абдуллоҳ Саидов"),
    ("Nazanin Hakimi", "نازنین حکیمی"),
]


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.from_private_bytes(DEMO_SEED)


@pytest.fixture(scope="module")
def public(key):
    return {"K1": key.public_key()}


def _letters(text: str) -> Counter:
    """The characters pdftotext gives back, as the logical letters (presentation forms unfolded)."""
    return Counter(char for char in unicodedata.normalize("NFKC", text.translate(BIDI_CONTROLS)) if not char.isspace())


def test_every_character_of_every_name_is_on_the_sheet(key, tmp_path):
    cards = [
        card_data(key, number, name_latin=latin, name_orig=orig, photo=None)
        for number, (latin, orig) in enumerate(NAMES, start=1)
    ]
    blank = [card_data(key, number, name_latin="", name_orig=None, photo=None) for number in range(1, 11)]
    # What the names add to the sheet's text: the same sheet with blank names holds everything else.
    added = _letters(pdf_text(pdf.render_sheets(cards), tmp_path, "-f", "1", "-l", "1"))
    added.subtract(_letters(pdf_text(pdf.render_sheets(blank), tmp_path, "-f", "1", "-l", "1")))
    expected = _letters(" ".join(f"{latin} {orig or ''}" for latin, orig in NAMES))
    missing = {char: count - added[char] for char, count in expected.items() if added[char] < count}
    assert not missing


def test_a_mixed_name_is_drawn_in_two_fonts():
    runs = fonts.runs("Ғуломҳайдар یعقوبی", fonts.NASKH)
    assert [font for _text, font, _actual in runs] == [fonts.SANS, fonts.NASKH]
    assert fonts.runs("Mohammad", fonts.SANS) == (("Mohammad", fonts.SANS, None),)
    assert not fonts.missing_glyphs(runs[0][0], fonts.SANS)
    assert fonts.actual_text("ښکلی") == "ښکلی" and fonts.actual_text("محمد") is None


# --- the QR symbol under simulated printing and capture -------------------------------------------------------


def _qr_boxes_pt() -> list[tuple[float, float, float, float]]:
    """Each card's QR (quiet zone included) on a fronts page, in points from the top left."""
    size = 57 * pdf.QR_MODULE
    boxes = []
    for slot in range(10):
        x, y = pdf.card_origin(slot)
        left, top = x + pdf.CARD_W - pdf.QR_MARGIN - size, A4[1] - (y + pdf.CARD_H) + pdf.QR_TOP
        boxes.append((left, top, left + size, top + size))
    return boxes


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools reads with zbar")
def test_every_code_of_a_sheet_is_read_under_simulated_capture(key, public):
    """150 dpi, blur 0.38 module, JPEG q30, rotation 45°, noise σ 30, a 2-module crease: each on its own, at
    fixed seeds, read by zxing-cpp and zbar. Level M version 6 (the symbol until issue 16) fails the crease."""
    cards = [card_data(key, number, name_orig=orig, photo=None) for number, (_latin, orig) in enumerate(NAMES, 1)]
    tokens = [card.token for card in cards]
    rates = qr_conditions.decode_rates(
        pdf.render_sheets(cards),
        _qr_boxes_pt(),
        tokens,
        pdf.QR_MODULE / mm,
        qr_conditions.must_pass,
        dpi=150,
        seeds=(1, 2),
    )
    assert rates == {condition: {"zxing-cpp": 1.0, "zbar": 1.0} for condition in rates}
    assert len(rates) == 6
    assert all(token.verify(code, public, today=TODAY).ok for code in tokens)


def test_the_symbol_is_level_q_version_8_with_half_millimetre_modules():
    assert (qr.LEVEL, qr.VERSION) == ("Q", 8)
    assert 0.5 * mm <= pdf.QR_MODULE and 57 * pdf.QR_MODULE <= pdf.QR_MAX <= qr.MAX_SIZE


# --- photo, labels, sheets -------------------------------------------------------------------------------------


def _landscape_jpeg() -> bytes:
    """Red sides, a green middle third: what a centre crop keeps."""
    image = Image.new("RGB", (640, 360), (200, 40, 40))
    image.paste((40, 200, 40), (213, 0, 427, 360))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.mark.parametrize("sheet", [False, True])
def test_a_landscape_photo_fills_the_portrait_frame(key, tmp_path, sheet):
    card = card_data(key, photo=_landscape_jpeg())
    image = rasterise(pdf.render_sheets([card]) if sheet else pdf.render_card(card), tmp_path, 300).convert("RGB")
    origin_x, origin_y = pdf.card_origin(0) if sheet else (0, A4[1] - pdf.CARD_H)
    x, top, w, h = pdf.PHOTO

    def pixel(fx: float, fy: float):  # a point of the frame, as fractions of its width and height
        px = (origin_x + x + fx * w) / 72 * 300
        py = (A4[1] - origin_y - pdf.CARD_H + top + fy * h) / 72 * 300 if sheet else (top + fy * h) / 72 * 300
        return image.getpixel((round(px), round(py)))

    for fy in (0.05, 0.5, 0.95):  # letterboxing left white bands at the top and bottom
        red, green, blue = pixel(0.5, fy)
        assert green > 150 and red < 100, (fy, (red, green, blue))
    assert pixel(0.04, 0.5)[0] > 150  # the red sides are cut, not squeezed: a sliver remains at the edges


def test_dari_labels_sit_beside_the_others_without_touching():
    for field, (x, _top, _value) in pdf.FIELDS.items():
        assert not fonts.missing_glyphs(pdf.LABELS_FA[field], fonts.NASKH)
        dari = fonts.line_width(pdf.LABELS_FA[field], fonts.NASKH, pdf.DARI_LABEL_SIZE)
        if field in pdf.DARI_ON_VALUE_LINE:
            used = fonts.line_width("KHR-000123-O", fonts.SANS_BOLD, 9)
        else:
            used = fonts.line_width(pdf.LABELS[field], fonts.SANS, pdf.LABEL_SIZE)
            if field == "size":
                used += 1.5 * mm + fonts.line_width("12", fonts.SANS_BOLD, 8)
        assert x + used + 1.2 * mm + dari <= pdf.FIELD_RIGHT[field], field
    assert pdf.NAME_RIGHT < pdf.CARD_W - pdf.QR_MARGIN - 57 * pdf.QR_MODULE


def test_sheets_have_gutters_mirrored_backs_and_a_printing_note(key, tmp_path):
    for slot in range(9):
        x, y = pdf.card_origin(slot)
        right_x, _ = pdf.card_origin(slot + 1)
        below = pdf.card_origin(slot + 2)[1] if slot < 8 else None
        if slot % 2 == 0:
            assert right_x - (x + pdf.CARD_W) == pytest.approx(pdf.GUTTER)
        if below is not None:
            assert y - (below + pdf.CARD_H) == pytest.approx(pdf.GUTTER)
    for slot in range(10):  # a long-edge flip puts each back exactly behind its front
        assert pdf.card_origin(slot, back=True)[0] == pytest.approx(A4[0] - pdf.card_origin(slot)[0] - pdf.CARD_W)
    sheets = pdf.render_sheets([card_data(key, number, photo=None) for number in range(1, 11)])
    html = pdf_text(sheets, tmp_path, "-f", "1", "-l", "1", "-bbox")
    text = re.sub(r"<[^>]+>", " ", html)
    for word in ("100%", "long", "edge", "длинному", "дароз"):
        assert word in text
    grid_top = A4[1] - (pdf.card_origin(0)[1] + pdf.CARD_H)
    middle_marks = pdf.card_origin(0)[0] + pdf.CARD_W
    for _x0, y0, x1, y1, word in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', html
    ):
        if float(y1) < grid_top:  # the note: above the cards, inside the page, clear of the middle crop marks
            assert float(y0) > 4 * mm and float(x1) < middle_marks and float(y1) < grid_top - pdf.CROP_GAP, word
    assert "Print" in [word for *_box, word in re.findall(r'(yMax="[\d.]+")>([^<]+)<', html)]


def test_cards_printed_before_issue_16_still_verify(key, public, tmp_path):
    """Old cards carry level M, version 6, 24.9 mm: same text, so the same verification."""
    from reportlab.pdfgen.canvas import Canvas

    code = card_data(key).token
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(pdf.CARD_W, pdf.CARD_H))
    qr.draw_rows(canvas, qr.rows(code, "M", 6), 10 * mm, 10 * mm, 49 * pdf.QR_MODULE)
    canvas.showPage()
    canvas.save()
    [read] = qr_conditions.read_zxing(rasterise(buffer.getvalue(), tmp_path, 150))
    assert read == code and token.verify(read, public, today=TODAY).outcome == "valid"
