"""One simple vector pictogram per purpose, drawn with ReportLab in a square (no image files).

Each is a few thick strokes that read at a distance and survive a poor photocopier.
"""

from __future__ import annotations

import math

from reportlab.lib.colors import HexColor

INK = HexColor("#15616d")


def _bubble(c, x, y, s, tail_left=True):
    c.roundRect(x + 0.08 * s, y + 0.3 * s, 0.84 * s, 0.58 * s, 0.12 * s, stroke=1, fill=0)
    path = c.beginPath()
    tx = x + (0.25 if tail_left else 0.65) * s
    path.moveTo(tx, y + 0.3 * s)
    path.lineTo(tx - 0.06 * s if tail_left else tx + 0.1 * s, y + 0.12 * s)
    path.lineTo(tx + 0.14 * s if tail_left else tx - 0.02 * s, y + 0.3 * s)
    c.drawPath(path, stroke=1, fill=0)


def _sack(c, x, y, s):  # distribution: a sack of food with a tied neck
    path = c.beginPath()
    path.moveTo(x + 0.3 * s, y + 0.72 * s)
    path.curveTo(x + 0.05 * s, y + 0.55 * s, x + 0.08 * s, y + 0.1 * s, x + 0.25 * s, y + 0.08 * s)
    path.lineTo(x + 0.75 * s, y + 0.08 * s)
    path.curveTo(x + 0.92 * s, y + 0.1 * s, x + 0.95 * s, y + 0.55 * s, x + 0.7 * s, y + 0.72 * s)
    path.close()
    c.drawPath(path, stroke=1, fill=0)
    c.line(x + 0.3 * s, y + 0.78 * s, x + 0.7 * s, y + 0.78 * s)
    c.line(x + 0.38 * s, y + 0.9 * s, x + 0.5 * s, y + 0.78 * s)
    c.line(x + 0.62 * s, y + 0.9 * s, x + 0.5 * s, y + 0.78 * s)
    c.line(x + 0.35 * s, y + 0.4 * s, x + 0.65 * s, y + 0.4 * s)


def _rules(c, x, y, s):  # camp rule: a clipboard with lines
    c.roundRect(x + 0.18 * s, y + 0.06 * s, 0.64 * s, 0.84 * s, 0.05 * s, stroke=1, fill=0)
    c.rect(x + 0.36 * s, y + 0.84 * s, 0.28 * s, 0.1 * s, stroke=1, fill=1)
    for k in range(3):
        row = y + (0.62 - k * 0.2) * s
        c.circle(x + 0.31 * s, row, 0.035 * s, stroke=0, fill=1)
        c.line(x + 0.4 * s, row, x + 0.7 * s, row)


def _clock(c, x, y, s):  # service hours
    c.circle(x + 0.5 * s, y + 0.5 * s, 0.4 * s, stroke=1, fill=0)
    c.line(x + 0.5 * s, y + 0.5 * s, x + 0.5 * s, y + 0.78 * s)
    c.line(x + 0.5 * s, y + 0.5 * s, x + 0.7 * s, y + 0.42 * s)
    for k in range(12):
        a = math.pi / 6 * k
        c.line(
            x + 0.5 * s + 0.33 * s * math.cos(a),
            y + 0.5 * s + 0.33 * s * math.sin(a),
            x + 0.5 * s + 0.38 * s * math.cos(a),
            y + 0.5 * s + 0.38 * s * math.sin(a),
        )


def _cross(c, x, y, s):  # health and safety: a medical cross in a shield-like circle
    c.circle(x + 0.5 * s, y + 0.5 * s, 0.42 * s, stroke=1, fill=0)
    c.rect(x + 0.4 * s, y + 0.2 * s, 0.2 * s, 0.6 * s, stroke=0, fill=1)
    c.rect(x + 0.2 * s, y + 0.4 * s, 0.6 * s, 0.2 * s, stroke=0, fill=1)


def _you_said(c, x, y, s):  # two speech bubbles, a tick in the answer
    _bubble(c, x, y + 0.08 * s, 0.62 * s)
    _bubble(c, x + 0.36 * s, y - 0.06 * s, 0.62 * s, tail_left=False)
    path = c.beginPath()
    path.moveTo(x + 0.53 * s, y + 0.3 * s)
    path.lineTo(x + 0.62 * s, y + 0.22 * s)
    path.lineTo(x + 0.82 * s, y + 0.4 * s)
    c.drawPath(path, stroke=1, fill=0)


def _mark(c, x, y, s, mark: str):
    _bubble(c, x, y, s)
    c.setFont("Helvetica-Bold", 0.42 * s)
    c.drawCentredString(x + 0.5 * s, y + 0.44 * s, mark)


DRAWERS = {
    "distribution": _sack,
    "camp_rule": _rules,
    "service_hours": _clock,
    "health_safety": _cross,
    "you_said": _you_said,
    "rumour": lambda c, x, y, s: _mark(c, x, y, s, "?"),
    "answer": lambda c, x, y, s: _mark(c, x, y, s, "i"),
}


def draw(canvas, purpose: str, x: float, y: float, size: float) -> None:
    """Draw the purpose's pictogram in the square of ``size`` points whose lower left corner is (x, y)."""
    canvas.saveState()
    canvas.setStrokeColor(INK)
    canvas.setFillColor(INK)
    canvas.setLineWidth(max(1.5, size * 0.05))
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    DRAWERS[purpose](canvas, x, y, size)
    canvas.restoreState()
