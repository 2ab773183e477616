"""A fake camera for Chromium: frames of a card held in front of a phone, written as a Y4M file for
``--use-file-for-fake-video-capture`` (issue 16 #1). Also the frame the camera-decode benchmark reads.

A frame is 1280x720 grey: a table, the card (85.6 x 54 mm) at ``share`` of the frame's width, slightly
turned, its QR code (24.9 mm with the quiet zone, as printed) resampled to a non-integer pixel size,
blurred a little as a phone lens does, and Gaussian noise of ``sigma`` grey levels from a fixed seed.
"""

from __future__ import annotations

import random
from pathlib import Path
from statistics import NormalDist

from PIL import Image, ImageDraw, ImageFilter

CARD_MM = (85.6, 54.0)
QR_MM = 24.9


def _noise(width: int, height: int, sigma: float, rng: random.Random) -> Image.Image:
    """Gaussian noise centred on 128: random bytes through the normal distribution's quantiles."""
    quantile = NormalDist(128, sigma).inv_cdf
    table = bytes(max(0, min(255, round(quantile((k + 0.5) / 256)))) for k in range(256))
    return Image.frombytes("L", (width, height), rng.randbytes(width * height).translate(table))


def card_image(code: str, px_per_mm: float) -> Image.Image:
    """The card's front as a camera sees it: white, a header band, lines of text, the QR on the right."""
    from registration.cards.qr import rows

    width, height = round(CARD_MM[0] * px_per_mm), round(CARD_MM[1] * px_per_mm)
    card = Image.new("L", (width, height), 245)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, width, round(9 * px_per_mm)), fill=90)
    for line in range(5):
        top = round((14 + line * 7) * px_per_mm)
        draw.rectangle(
            (round(4 * px_per_mm), top, round((30 + 12 * (line % 3)) * px_per_mm), top + round(3 * px_per_mm)), fill=60
        )
    symbol = rows(code)
    qr = Image.frombytes("L", (len(symbol[0]), len(symbol)), b"".join(symbol))
    side = round(QR_MM * px_per_mm)
    qr = qr.resize((side, side), Image.BILINEAR)
    card.paste(qr, (width - side - round(3 * px_per_mm), height - side - round(3 * px_per_mm)))
    return card


def card_frame(
    code: str,
    *,
    width: int = 1280,
    height: int = 720,
    share: float = 0.40,
    sigma: float = 8.0,
    angle: float = 4.0,
    seed: int = 0,
) -> Image.Image:
    """One camera frame (mode 'L') with the card at ``share`` of the width."""
    rng = random.Random(seed)
    card = card_image(code, width * share / CARD_MM[0]).convert("RGBA")
    card = card.rotate(angle, resample=Image.BICUBIC, expand=True)
    frame = Image.new("L", (width, height), 120)
    frame.paste(card.convert("L"), ((width - card.width) // 2, (height - card.height) // 2), card)
    frame = frame.filter(ImageFilter.GaussianBlur(0.8))
    noise = _noise(width, height, sigma, rng)
    from PIL import ImageChops

    return ImageChops.add(frame, noise, 1.0, -128)


def write_y4m(path: Path, frames: list[Image.Image], fps: int = 15) -> None:
    """Frames as YUV 4:2:0 (grey: U and V at 128), the format Chromium's fake camera plays in a loop."""
    width, height = frames[0].size
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for frame in frames:
            out.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


def camera_file(code: str, path: Path, frames: int = 6, **options) -> Path:
    write_y4m(path, [card_frame(code, seed=n, **options) for n in range(frames)])
    return path
