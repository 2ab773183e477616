"""Printed notices: A4 and A3 posters, and A4 sheets of two half-page handouts to cut apart.

Every language of the message stands side by side in its own column, in big type (the largest size at
which all columns fit), under the purpose's pictogram and headline. Dari and Pashto are set right to
left and shaped by HarfBuzz, as on the ID cards (``registration.cards.fonts``). The QR code opens the
notice's public page; it holds nothing else.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from camps.communication import pictograms
from camps.communication.models import RTL_LANGUAGES, Message
from camps.communication.wording import HEADLINES, SCAN
from registration.cards import fonts, qr

FORMATS = ("a4", "a3", "handout")
NASKH_BOLD = "NotoNaskhArabic-Bold"
INK = HexColor("#1a1a1a")
BRAND = HexColor("#15616d")
RULE = HexColor("#c8cdd2")
LINE_HEIGHT = 1.45


@dataclass
class Column:
    language: str
    headline: str
    text: str

    @property
    def rtl(self) -> bool:
        return self.language in RTL_LANGUAGES

    def font(self, bold: bool = False) -> str:
        if self.rtl:
            return NASKH_BOLD if bold else fonts.NASKH
        return fonts.SANS_BOLD if bold else fonts.SANS


def _register() -> None:
    fonts.register()
    if NASKH_BOLD not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(NASKH_BOLD, str(fonts.FONT_DIR / "NotoNaskhArabic-Bold.ttf")))


def _width(text: str, font: str, size: float) -> float:
    return (
        fonts.text_width(fonts.shape_rtl(text, font), font, size)
        if fonts.is_arabic(text)
        else pdfmetrics.stringWidth(text, font, size)
    )


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap in logical order, paragraph by paragraph; each line measured as drawn."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current: list[str] = []
        for word in paragraph.split():
            candidate = " ".join([*current, word])
            if current and _width(candidate, font, size) > width:
                lines.append(" ".join(current))
                current = [word]
            else:
                current.append(word)
        lines.append(" ".join(current))
    return lines


def _fits(columns: list[Column], size: float, width: float, height: float) -> bool:
    for column in columns:
        lines = len(_wrap(column.headline, column.font(True), size * 1.2, width))
        lines_body = _wrap(column.text, column.font(), size, width)
        if any(_width(word, column.font(True), size * 1.2) > width for word in column.headline.split()):
            return False
        if any(_width(word, column.font(), size) > width for line in lines_body for word in line.split()):
            return False
        used = lines * size * 1.2 * LINE_HEIGHT + size * 0.8 + len(lines_body) * size * LINE_HEIGHT
        if used > height:
            return False
    return True


def _draw_line(c: Canvas, text: str, font: str, size: float, x: float, right: float, y: float, rtl: bool) -> None:
    c.setFont(font, size)
    if rtl:
        c.drawRightString(right, y, fonts.shape_rtl(text, font))
    else:
        c.drawString(x, y, text)


def _columns(message: Message) -> list[Column]:
    return [Column(code, HEADLINES[message.purpose][code], message.text_for(code) or "") for code in message.languages]


def _grid(count: int) -> tuple[int, int]:
    """Columns and rows of language boxes: side by side up to three, then a second row."""
    across = min(count, 3)
    return across, (count + across - 1) // across


def _panel(
    c: Canvas, message: Message, camp_name: str, url: str, x: float, y: float, w: float, h: float, max_size: float
) -> None:
    """One notice in the box (x, y, w, h): header with pictogram and QR, then the language columns."""
    margin = min(w, h) * 0.05
    header = min(h * 0.2, w * 0.22)
    top = y + h - margin
    pictograms.draw(c, message.purpose, x + margin, top - header, header)
    qr_size = header
    symbol = qr.rows(url)
    _draw_qr(c, symbol, x + w - margin - qr_size, top - qr_size, qr_size)
    columns = _columns(message)
    middle_left, middle_right = x + margin + header * 1.15, x + w - margin - qr_size * 1.15
    c.setFillColor(BRAND)
    name_size = min(header * 0.22, 28)
    c.setFont(fonts.SANS_BOLD, name_size)
    c.drawCentredString((middle_left + middle_right) / 2, top - header * 0.42, camp_name[:60])
    _scan_lines(c, columns, middle_left, middle_right, top - header * 0.62, max(7.0, name_size * 0.42))
    c.setStrokeColor(RULE)
    c.setLineWidth(1)
    body_top = top - header - margin * 0.6
    c.line(x + margin, body_top + margin * 0.3, x + w - margin, body_top + margin * 0.3)
    across, down = _grid(len(columns))
    gap = margin * 0.8
    col_w = (w - 2 * margin - gap * (across - 1)) / across
    col_h = (body_top - (y + margin) - gap * (down - 1)) / down
    size = max_size
    while size > 8 and not _fits(columns, size, col_w, col_h):
        size -= 1
    for index, column in enumerate(columns):
        row, col = divmod(index, across)
        left = x + margin + col * (col_w + gap)
        right = left + col_w
        cursor = body_top - row * (col_h + gap)
        c.setFillColor(BRAND)
        for line in _wrap(column.headline, column.font(True), size * 1.2, col_w):
            cursor -= size * 1.2 * LINE_HEIGHT
            _draw_line(c, line, column.font(True), size * 1.2, left, right, cursor, column.rtl)
        cursor -= size * 0.8
        c.setFillColor(INK)
        for line in _wrap(column.text, column.font(), size, col_w):
            cursor -= size * LINE_HEIGHT
            _draw_line(c, line, column.font(), size, left, right, cursor, column.rtl)
        if col:
            c.line(left - gap / 2, body_top, left - gap / 2, body_top - col_h)


def _scan_lines(c: Canvas, columns: list[Column], left: float, right: float, y: float, size: float) -> None:
    """The words "scan to read on a phone" beside the QR code, in up to three of the notice's languages,
    each on its line and in a size that fits between the pictogram and the code."""
    c.setFillColor(INK)
    for column in columns[:3]:
        font = column.font()
        line = SCAN[column.language]
        fitted = size
        while fitted > 5 and _width(line, font, fitted) > right - left:
            fitted -= 0.5
        _draw_line(c, line, font, fitted, left, right, y, True)
        y -= fitted * 1.5


def _draw_qr(c: Canvas, symbol: list[bytes], x: float, y: float, size: float) -> None:
    """The QR as filled squares (vectors scan at any print resolution), quiet zone included."""
    module = size / len(symbol)
    c.saveState()
    c.setFillColorRGB(1, 1, 1)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    path = c.beginPath()
    for index, row in enumerate(symbol):
        line_y = y + size - (index + 1) * module
        start = None
        for k, value in enumerate(list(row) + [qr.LIGHT]):
            if value == qr.DARK and start is None:
                start = k
            elif value != qr.DARK and start is not None:
                path.rect(x + start * module, line_y, (k - start) * module, module)
                start = None
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def render_notice(message: Message, camp_name: str, url: str, fmt: str = "a4") -> bytes:
    """The notice as a PDF: ``a4`` or ``a3`` poster, or ``handout`` (two half-pages on an A4 sheet)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    _register()
    out = io.BytesIO()
    page = A3 if fmt == "a3" else A4
    c = Canvas(out, pagesize=page, invariant=1)
    c.setTitle("Notice")  # no text of the message in the metadata
    width, height = page
    if fmt == "handout":
        half = height / 2
        for y in (half, 0):
            _panel(c, message, camp_name, url, 0, y, width, half, 20)
        c.setDash(4, 4)
        c.setStrokeColor(RULE)
        c.line(5 * mm, half, width - 5 * mm, half)
    else:
        _panel(c, message, camp_name, url, 0, 0, width, height, 40 if fmt == "a3" else 30)
    c.showPage()
    c.save()
    return out.getvalue()
