"""Card PDFs: one ISO/IEC 7810 ID-1 card (front and back pages) or A4 sheets of ten for duplex printing.

What every card shares (header, labels, the back's instructions, the photo placeholder) is drawn once per
document as a form XObject, so a sheet of 1,000 cards holds those drawings once.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from PIL import Image
from reportlab import rl_config
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.i18n.residents import R_, gettext_in

from . import fonts, qr

# Binary streams: ASCII85 would make every embedded photo 25 % bigger and cost 2.5 s per 1,000 cards.
rl_config.useA85 = 0

CARD_W, CARD_H = 85.60 * mm, 53.98 * mm  # ISO/IEC 7810 ID-1
MARGIN = 3.5 * mm  # text is kept at least 3 mm from the cut edge
QR_MARGIN = 3.0 * mm  # the QR's own 4-module quiet zone adds 2 mm more
QR_MODULE = 6 * 25.4 / 300 * mm  # six dots of a 300 dpi card printer: 0.508 mm
QR_MAX = 29 * mm  # level Q, version 8: 57 modules with the quiet zone, 28.96 mm
QR_TOP = 8.5 * mm
SHEET_COLS, SHEET_ROWS = 2, 5
CROP_GAP, CROP_LEN = 2 * mm, 5 * mm
#: between neighbouring cards on a sheet, so a cut a little off the line never catches the next card's header
GUTTER = 1 * mm
#: in the sheet's top margin, for whoever prints (Tajik, Russian, English)
PRINT_NOTE = (
    "Print at 100%, both sides, flip on the long edge · Чоп: 100%, дутарафа, гардиш аз канори дароз",
    "Печать: 100% (без масштабирования), двусторонняя, переворот по длинному краю",
)

INK = HexColor("#1a1a1a")
MUTED = HexColor("#555555")
BRAND = HexColor("#15616d")
PLACEHOLDER = HexColor("#e4e6e8")
FIGURE = HexColor("#9aa1a8")
RULE = HexColor("#c8cdd2")

HEADER_H = 8 * mm
HEADER_BASELINE = 5.6 * mm
PHOTO = (MARGIN, 10 * mm, 16.5 * mm, 22 * mm)  # x, top, width, height
MIDDLE_X, NAME_RIGHT, COLUMN_2_X = 22.5 * mm, 53 * mm, 52 * mm  # the QR's quiet zone starts at 53.6 mm
RULE_TOP = 37.6 * mm
LABEL_SIZE, SERIAL_LABEL_SIZE = 4.8, 5.4

FRONT_TITLE = "КОРТИ ХОНАВОДА · HOUSEHOLD CARD"
LABELS = {
    "head": "Сардор / Head of household",
    "number": "Рақами хонавода / Household no.",
    "size": "Аъзоён / Members",
    "camp": "Лагер / Camp",
    "plot": "Қитъа / Plot",
    "issued": "Санаи додан / Issued",
    "expires": "Мӯҳлати эътибор / Expires",
}
# Short Dari labels, right-aligned at the end of each label's line, so a Dari or Pashto reader finds
# the fields (Pashto readers read these Dari words too).
LABELS_FA = {
    "head": "سرپرست",
    "number": "شماره",
    "size": "اعضا",
    "camp": "کمپ",
    "plot": "قطعه",
    "issued": "صدور",
    "expires": "انقضا",
}
DARI_LABEL_SIZE = 5.6  # Naskh's letters are smaller than Sans's at the same size
# The back, one block per language: the card is free, report a loss, where to give feedback. The English is the
# msgid in the residents' catalogue (app.i18n.residents, msgctxt "card"), which holds the Dari, Pashto and Tajik.
BACK_LANGUAGES = ("fa", "ps", "tg")
BACK_TEXT = (
    R_("card", "This card is free. Do not pay anyone to get it."),
    R_("card", "If the card is lost, tell the help desk at once."),
    R_("card", "Do you have a complaint or a suggestion? Go to the help desk."),
)
SERIAL_LABEL = "Рақами корт / Card serial:"
# Where each label and its value go: x, label baseline, value baseline (from the top of the card).
FIELDS = {
    "head": (MIDDLE_X, 11.8 * mm, 15.2 * mm),
    "number": (MIDDLE_X, 26.2 * mm, 29.9 * mm),
    "size": (MIDDLE_X, 33.6 * mm, 33.6 * mm),  # the value follows the label on its line
    "camp": (MARGIN, 40.4 * mm, 43.5 * mm),
    "plot": (COLUMN_2_X, 40.4 * mm, 43.5 * mm),
    "issued": (MARGIN, 46.6 * mm, 49.7 * mm),
    "expires": (COLUMN_2_X, 46.6 * mm, 49.7 * mm),
}
# Where each field's column ends (its Dari label's right edge). The household number's label line is
# full, so its Dari label goes on the value's line.
DARI_ON_VALUE_LINE = {"number"}
FIELD_RIGHT = {
    "head": NAME_RIGHT,
    "number": NAME_RIGHT,
    "size": NAME_RIGHT,
    "camp": COLUMN_2_X - 2 * mm,
    "plot": CARD_W - MARGIN,
    "issued": COLUMN_2_X - 2 * mm,
    "expires": CARD_W - MARGIN,
}


@dataclass
class CardData:
    serial: str
    household_number: str
    household_size: int
    name_latin: str
    name_orig: str | None  # Dari/Pashto in Arabic script, or Cyrillic
    camp_code: str
    camp_name: str
    plot: str | None
    issued: date
    expires: date
    photo: bytes | None  # JPEG
    token: str


def _y(top: float) -> float:
    """ReportLab measures from the bottom; the layout reads better from the top."""
    return CARD_H - top


# --- text helpers -------------------------------------------------------------------------------------------


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap in logical order; each line is measured as it will be drawn (shaped)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and _width(candidate, font, size) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]


def _width(text: str, font: str, size: float) -> float:
    return fonts.line_width(text, font, size)


def _fit(
    text: str, font: str, size: float, width: float, *, min_size: float, max_lines: int = 1
) -> tuple[float, list[str]] | None:
    """The largest size (down to ``min_size``, fewest lines first) at which ``text`` fits, or None."""
    for lines_allowed in range(1, max_lines + 1):
        step = size
        while step >= min_size:
            lines = _wrap(text, font, step, width)
            if len(lines) <= lines_allowed and all(_width(line, font, step) <= width for line in lines):
                return step, lines
            step -= 0.25
    return None


def _fit_or_cut(
    text: str, font: str, size: float, width: float, *, min_size: float, max_lines: int = 1
) -> tuple[float, list[str]]:
    """Like ``_fit``, but text that does not fit even at ``min_size`` is cut short with an ellipsis."""
    fitted = _fit(text, font, size, width, min_size=min_size, max_lines=max_lines)
    if fitted:
        return fitted
    lines = _wrap(text, font, min_size, width)[:max_lines]
    last = lines[-1]
    while len(last) > 1 and _width(last + "…", font, min_size) > width:
        last = last[:-1].rstrip()
    return min_size, [*lines[:-1], last + "…"]


def _draw_text(
    c: Canvas, x: float, top: float, text: str, font: str, size: float, color=INK, align: str = "left"
) -> None:
    """One line, run by run in fonts that have its glyphs (see ``fonts.runs``)."""
    c.setFillColor(color)
    if align == "right":
        x -= fonts.line_width(text, font, size)
    for piece, piece_font, actual in fonts.runs(text, font):
        c.setFont(piece_font, size)
        if actual:  # a marked span tells PDF readers (copy, search, pdftotext) the letters drawn
            c.addLiteral(f"/Span <</ActualText <FEFF{actual.encode('utf-16-be').hex().upper()}>>> BDC")
        c.drawString(x, _y(top), piece)
        if actual:
            c.addLiteral("EMC")
        x += fonts.text_width(piece, piece_font, size)


def _draw_value(c: Canvas, field: str, text: str, font: str = fonts.SANS, size: float = 7.5) -> None:
    """The value below its label, as wide as the column allows (beside its Dari label on the same line)."""
    x, _label, top = FIELDS[field]
    width = FIELD_RIGHT[field] - x
    if field in DARI_ON_VALUE_LINE:
        width -= _width(LABELS_FA[field], fonts.NASKH, DARI_LABEL_SIZE) + 1.5 * mm
    fitted, lines = _fit_or_cut(text, font, size, width, min_size=5.5)
    _draw_text(c, x, top, lines[0], font, fitted)


# --- forms shared by every card of a document ---------------------------------------------------------------


def _front_form(c: Canvas) -> None:
    c.beginForm("card_front", 0, 0, CARD_W, CARD_H)
    c.setFillColor(BRAND)
    c.rect(0, CARD_H - HEADER_H, CARD_W, HEADER_H, stroke=0, fill=1)
    _draw_text(c, MARGIN, HEADER_BASELINE, FRONT_TITLE, fonts.SANS_BOLD, 6.3, color=white)
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    c.line(MARGIN, _y(RULE_TOP), CARD_W - MARGIN, _y(RULE_TOP))
    for field, (x, top, value_top) in FIELDS.items():
        _draw_text(c, x, top, LABELS[field], fonts.SANS, LABEL_SIZE, color=MUTED)
        _draw_text(
            c,
            FIELD_RIGHT[field],
            value_top if field in DARI_ON_VALUE_LINE else top,
            LABELS_FA[field],
            fonts.NASKH,
            DARI_LABEL_SIZE,
            color=MUTED,
            align="right",
        )
    c.endForm()


def _placeholder_form(c: Canvas) -> None:
    """A grey box with an outline figure, for a household head without a photo."""
    x, top, w, h = PHOTO
    c.beginForm("photo_placeholder", 0, 0, w, h)
    c.setFillColor(PLACEHOLDER)
    c.rect(0, 0, w, h, stroke=0, fill=1)
    c.setStrokeColor(FIGURE)
    c.setLineWidth(1.2)
    c.circle(w / 2, h * 0.62, w * 0.19, stroke=1, fill=0)
    body = c.beginPath()
    body.moveTo(w * 0.14, h * 0.08)
    body.curveTo(w * 0.14, h * 0.36, w * 0.86, h * 0.36, w * 0.86, h * 0.08)
    c.drawPath(body, stroke=1, fill=0)
    c.endForm()


def back_text() -> list[tuple[str, list[str]]]:
    """The back's blocks in print order: each language with its sentences."""
    return [(lang, [gettext_in(lang, text) for text in BACK_TEXT]) for lang in BACK_LANGUAGES]


def _back_form(c: Canvas) -> None:
    c.beginForm("card_back", 0, 0, CARD_W, CARD_H)
    c.setFillColor(BRAND)
    c.rect(0, CARD_H - 1.6 * mm, CARD_W, 1.6 * mm, stroke=0, fill=1)
    width = CARD_W - 2 * MARGIN
    baseline = 4.2 * mm  # above the first block's ascent
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    for index, (lang, sentences) in enumerate(back_text()):
        rtl = lang != "tg"
        font, size, ascent, descent = (fonts.NASKH, 7.2, 3.2, 1.9) if rtl else (fonts.SANS, 6.4, 2.8, 1.3)
        if index:
            c.line(MARGIN, _y(baseline), CARD_W - MARGIN, _y(baseline))
            baseline += 1.2 * mm
        baseline += ascent * mm
        for sentence in sentences:
            for line in _wrap(sentence, font, size, width):
                _draw_text(
                    c, CARD_W - MARGIN if rtl else MARGIN, baseline, line, font, size, align="right" if rtl else "left"
                )
                baseline += size * 1.4
        baseline += descent * mm - size * 1.4
    _draw_text(c, MARGIN, CARD_H - 4 * mm, SERIAL_LABEL, fonts.SANS, SERIAL_LABEL_SIZE, color=MUTED)
    c.endForm()


def _new_document(buffer: io.BytesIO, pagesize: tuple[float, float]) -> Canvas:
    fonts.register()
    c = Canvas(buffer, pagesize=pagesize, pageCompression=1)
    c.setTitle("Panoh household cards")
    c.setCreator("Panoh")
    _front_form(c)
    _back_form(c)
    _placeholder_form(c)
    return c


# --- one card -----------------------------------------------------------------------------------------------


def _draw_photo(c: Canvas, photo: str | ImageReader | None, size: tuple[int, int] | None = None) -> None:
    """``photo`` is a JPEG file name (with its pixel ``size``) or an ImageReader (see ``_PhotoFiles``), None
    for the placeholder. A photo fills the portrait frame: scaled to cover it, centred, the rest clipped
    (a landscape photo loses its sides, not its height)."""
    x, top, w, h = PHOTO
    c.saveState()
    if photo is None:
        c.translate(x, _y(top + h))
        c.doForm("photo_placeholder")
    else:
        if size is None:
            assert not isinstance(photo, str)  # a file name comes with its size
            size = photo.getSize()
        width, height = size
        scale = max(w / width, h / height)
        frame = c.beginPath()
        frame.rect(x, _y(top + h), w, h)
        c.clipPath(frame, stroke=0, fill=0)
        c.drawImage(
            photo, x + (w - width * scale) / 2, _y(top + h) + (h - height * scale) / 2, width * scale, height * scale
        )
    c.restoreState()
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    c.rect(x, _y(top + h), w, h, stroke=1, fill=0)


def _orig_on_one_line(name: str | None, width: float) -> bool:
    """Whether the name in its own script takes one line (or none): then a long Latin name may take three."""
    if not name:
        return True
    font, min_size = (fonts.NASKH, 6) if fonts.is_arabic(name) else (fonts.SANS, 5.5)
    return _fit(name, font, min_size, width, min_size=min_size) is not None


def _draw_names(c: Canvas, card: CardData) -> None:
    """Latin name (one line, or two or three smaller), then the name in its own script, all above the household
    number."""
    width = NAME_RIGHT - MIDDLE_X
    size, lines = (
        _fit(card.name_latin, fonts.SANS_BOLD, 8, width, min_size=6.5)
        or _fit(card.name_latin, fonts.SANS_BOLD, 7, width, min_size=6, max_lines=2)
        or _fit_or_cut(
            card.name_latin,
            fonts.SANS_BOLD,
            6,
            width,
            min_size=6,
            max_lines=3 if _orig_on_one_line(card.name_orig, width) else 2,
        )
    )
    baseline = FIELDS["head"][2] - (len(lines) - 1) * 0.5 * mm
    for index, line in enumerate(lines):
        _draw_text(c, MIDDLE_X, baseline + index * size * 1.15, line, fonts.SANS_BOLD, size)
    baseline += (len(lines) - 1) * size * 1.15
    if not card.name_orig:
        return
    # One line if it fits at the smallest size, else two (a given name and a long surname): never a lost word.
    if fonts.is_arabic(card.name_orig):
        size, lines = _fit(card.name_orig, fonts.NASKH, 9 if len(lines) == 1 else 8, width, min_size=6) or _fit_or_cut(
            card.name_orig, fonts.NASKH, 6.5, width, min_size=5.5, max_lines=2
        )
        for index, line in enumerate(lines):
            _draw_text(
                c,
                NAME_RIGHT,
                baseline + 4.6 * mm - (len(lines) - 1) * 0.8 * mm + index * size * 1.2,
                line,
                fonts.NASKH,
                size,
                align="right",
            )
    else:
        size, lines = _fit(card.name_orig, fonts.SANS, 7.5, width, min_size=5.5) or _fit_or_cut(
            card.name_orig, fonts.SANS, 6, width, min_size=5.5, max_lines=2
        )
        for index, line in enumerate(lines):
            _draw_text(c, MIDDLE_X, baseline + 3.6 * mm + index * size * 1.15, line, fonts.SANS, size)


def _draw_qr(c: Canvas, token: str) -> None:
    symbol = qr.rows(token)
    size = len(symbol) * QR_MODULE
    if size > QR_MAX:
        raise ValueError(f"the token needs a {size / mm:.1f} mm QR: too long for the card")
    qr.draw_rows(c, symbol, CARD_W - QR_MARGIN - size, _y(QR_TOP + size), size)


def _draw_front(
    c: Canvas, card: CardData, photo: str | ImageReader | None, photo_size: tuple[int, int] | None = None
) -> None:
    c.doForm("card_front")
    _draw_text(c, CARD_W - MARGIN, HEADER_BASELINE, f"№ {card.serial}", fonts.SANS, 6, color=white, align="right")
    _draw_photo(c, photo, photo_size)
    _draw_names(c, card)
    _draw_value(c, "number", card.household_number, fonts.SANS_BOLD, 9)
    x, _label, top = FIELDS["size"]
    size_x = x + fonts.text_width(LABELS["size"], fonts.SANS, LABEL_SIZE) + 1.5 * mm
    _draw_text(c, size_x, top, str(card.household_size), fonts.SANS_BOLD, 8)
    _draw_value(c, "camp", f"{card.camp_code} · {card.camp_name}")
    _draw_value(c, "plot", card.plot or "—")
    _draw_value(c, "issued", card.issued.isoformat())
    _draw_value(c, "expires", card.expires.isoformat(), fonts.SANS_BOLD)
    _draw_qr(c, card.token)


def _draw_back(c: Canvas, card: CardData) -> None:
    c.doForm("card_back")
    label_width = fonts.text_width(SERIAL_LABEL, fonts.SANS, SERIAL_LABEL_SIZE)
    _draw_text(c, MARGIN + label_width + 1.2 * mm, CARD_H - 4 * mm, card.serial, fonts.SANS_BOLD, 6.5)


def render_card(card: CardData) -> bytes:
    """A two-page PDF, front then back, each page exactly one ID-1 card."""
    buffer = io.BytesIO()
    c = _new_document(buffer, (CARD_W, CARD_H))
    _draw_front(c, card, ImageReader(io.BytesIO(card.photo)) if card.photo else None)
    c.showPage()
    _draw_back(c, card)
    c.showPage()
    c.save()
    return buffer.getvalue()


# --- A4 sheets ----------------------------------------------------------------------------------------------

SHEET_X = (A4[0] - SHEET_COLS * CARD_W - (SHEET_COLS - 1) * GUTTER) / 2
SHEET_Y = (A4[1] - SHEET_ROWS * CARD_H - (SHEET_ROWS - 1) * GUTTER) / 2


def card_origin(slot: int, *, back: bool = False) -> tuple[float, float]:
    """Lower left corner of card ``slot`` (0-9, row by row from the top left) on a sheet.

    On a backs page the columns swap: a long-edge duplex flip mirrors the sheet left to right (the sheet
    is centred, so the gutters mirror too).
    """
    row, col = divmod(slot, SHEET_COLS)
    if back:
        col = SHEET_COLS - 1 - col
    return SHEET_X + col * (CARD_W + GUTTER), A4[1] - SHEET_Y - row * (CARD_H + GUTTER) - CARD_H


def _crop_marks(c: Canvas) -> None:
    """A mark on each card edge, outside the grid: both sides of every gutter are cut."""
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.25)
    top, bottom = A4[1] - SHEET_Y, SHEET_Y
    left, right = SHEET_X, A4[0] - SHEET_X
    for col in range(SHEET_COLS):
        for x in (left + col * (CARD_W + GUTTER), left + col * (CARD_W + GUTTER) + CARD_W):
            c.line(x, top + CROP_GAP, x, top + CROP_GAP + CROP_LEN)
            c.line(x, bottom - CROP_GAP, x, bottom - CROP_GAP - CROP_LEN)
    for row in range(SHEET_ROWS):
        for y in (bottom + row * (CARD_H + GUTTER), bottom + row * (CARD_H + GUTTER) + CARD_H):
            c.line(left - CROP_GAP, y, left - CROP_GAP - CROP_LEN, y)
            c.line(right + CROP_GAP, y, right + CROP_GAP + CROP_LEN, y)


def _print_note(c: Canvas) -> None:
    """How to print, in the top margin between the first column's crop marks (clear of the middle ones)."""
    top = A4[1] - SHEET_Y + CROP_GAP
    for index, line in enumerate(PRINT_NOTE):
        baseline = top + (0.9 + 2.0 * (1 - index)) * mm
        c.setFillColor(MUTED)
        c.setFont(fonts.SANS, 5)
        c.drawString(SHEET_X + 1.5 * mm, baseline, line)


class _PhotoFiles:
    """Photos written to a private temporary folder for the length of one print run.

    ReportLab embeds a JPEG file as it is and knows it by its name; an ImageReader would be decoded
    and hashed pixel by pixel (3 s per 1,000 photos). Files are named by content, so a photo repeated
    in the run is embedded once. The folder (0700) is removed when the run ends.
    """

    def __init__(self, folder: str):
        self.folder = folder
        self.sizes: dict[str, tuple[int, int]] = {}

    def path(self, photo: bytes | None) -> str | None:
        if photo is None:
            return None
        path = os.path.join(self.folder, hashlib.sha256(photo).hexdigest()[:32] + ".jpg")
        if path not in self.sizes:
            with open(path, "wb") as file:
                file.write(photo)
            with Image.open(io.BytesIO(photo)) as image:  # reads the header only
                self.sizes[path] = image.size
        return path


def _sheet_page(c: Canvas, cards: Sequence[CardData], photos: _PhotoFiles, *, back: bool) -> None:
    for slot, card in enumerate(cards):
        c.saveState()
        c.translate(*card_origin(slot, back=back))
        if back:
            _draw_back(c, card)
        else:
            path = photos.path(card.photo)
            _draw_front(c, card, path, None if path is None else photos.sizes.get(path))
        c.restoreState()
    _crop_marks(c)
    if not back:
        _print_note(c)
    c.showPage()


def _batches(items: Iterable[CardData], size: int) -> Iterator[list[CardData]]:
    batch: list[CardData] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def render_sheets(cards: Iterable[CardData]) -> bytes:
    """A4 pages of ten cards (2 × 5, centred, crop marks); each fronts page is followed by its backs page."""
    buffer = io.BytesIO()
    c = _new_document(buffer, A4)
    printed = 0
    with tempfile.TemporaryDirectory(prefix="panoh-cards-") as folder:
        photos = _PhotoFiles(folder)
        for batch in _batches(cards, SHEET_COLS * SHEET_ROWS):
            _sheet_page(c, batch, photos, back=False)
            _sheet_page(c, batch, photos, back=True)
            printed += len(batch)
    if not printed:
        raise ValueError("no cards to print")
    c.save()
    return buffer.getvalue()
