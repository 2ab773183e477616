"""Simulated printing and phone capture for card QR codes, and the decoders that read them.

Shared by the decode-rate test (tests/registration/test_card_qr_decoding.py) and the symbol comparison
(``cards.qr_candidates`` in benchmarks/cards.py). Every condition is deterministic for a given seed.
A page is rasterised by pdftoppm; each condition degrades that raster as a whole.
"""

from __future__ import annotations

import io
import random
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFilter

MM_PER_INCH = 25.4


def rasterise(pdf_bytes: bytes, dpi: int, page: int = 1) -> Image.Image:
    """One page of a PDF as a greyscale image, as pdftoppm renders it."""
    with tempfile.TemporaryDirectory(prefix="panoh-qr-") as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf_bytes)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-gray",
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(source),
                str(Path(folder) / "out"),
            ],
            check=True,
        )
        with Image.open(Path(folder) / "out.png") as image:
            return image.convert("L")


def _blur(image: Image.Image, module_px: float, rng: random.Random, modules: float = 0.38) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(modules * module_px))


def _jpeg(image: Image.Image, module_px: float, rng: random.Random, quality: int = 30) -> Image.Image:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("L")


def _rotate(image: Image.Image, module_px: float, rng: random.Random, degrees: float = 45) -> Image.Image:
    return image.rotate(degrees, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)


def _noise(image: Image.Image, module_px: float, rng: random.Random, sigma: float = 30) -> Image.Image:
    """Gaussian noise: seeded random bytes through the normal distribution's quantiles (256 levels)."""
    normal = statistics.NormalDist(128, sigma)
    levels = [max(0, min(255, round(normal.inv_cdf((i + 0.5) / 256)))) for i in range(256)]
    noise = Image.frombytes("L", image.size, rng.randbytes(image.size[0] * image.size[1])).point(levels)
    return ImageChops.add(image, noise, 1.0, -128)


def creased(boxes: list[tuple[float, float, float, float]], modules: float = 2) -> Callable:
    """A fold across every symbol: a light band ``modules`` wide, crossing it at a seeded height near its middle.

    ``boxes`` are the symbols (quiet zone included) in pixels of the undegraded raster: left, top, right, bottom.
    """

    def crease(image: Image.Image, module_px: float, rng: random.Random) -> Image.Image:
        image = image.copy()
        draw = ImageDraw.Draw(image)
        for left, top, right, bottom in boxes:
            middle = (top + bottom) / 2 + rng.uniform(-3, 3) * module_px
            band = modules * module_px
            draw.polygon(
                [
                    (left, middle - band / 2 - module_px),
                    (right, middle - band / 2 + module_px),
                    (right, middle + band / 2 + module_px),
                    (left, middle + band / 2 - module_px),
                ],
                fill=235,
            )
        return image

    return crease


def must_pass(boxes: list[tuple[float, float, float, float]]) -> dict[str, Callable]:
    """The conditions of issue 16 that every symbol on a sheet must survive, each on its own."""
    return {
        "150 dpi": lambda image, module_px, rng: image,
        "blur 0.38 module": _blur,
        "JPEG q30": _jpeg,
        "rotation 45°": _rotate,
        "noise σ 30": _noise,
        "crease 2 modules": creased(boxes, 2),
    }


def hard(boxes: list[tuple[float, float, float, float]]) -> dict[str, Callable]:
    """Harder conditions, to tell candidate symbols apart (the issue's independent test used 26 of this kind)."""

    def chain(*steps):
        def run(image, module_px, rng):
            for step in steps:
                image = step(image, module_px, rng)
            return image

        return run

    def blur(modules):
        return lambda image, module_px, rng: _blur(image, module_px, rng, modules)

    def noise(sigma):
        return lambda image, module_px, rng: _noise(image, module_px, rng, sigma)

    def jpeg(quality):
        return lambda image, module_px, rng: _jpeg(image, module_px, rng, quality)

    return {
        "blur 0.6": blur(0.6),
        "blur 0.75": blur(0.75),
        "noise σ 60": noise(60),
        "noise σ 80": noise(80),
        "JPEG q10": jpeg(10),
        "crease 4 modules": creased(boxes, 4),
        "crease 6 modules": creased(boxes, 6),
        "blur 0.5 + noise σ 40": chain(blur(0.5), noise(40)),
        "blur 0.45 + JPEG q20 + rotation 30°": chain(blur(0.45), jpeg(20), lambda i, m, r: _rotate(i, m, r, 30)),
        "crease 3 + noise σ 40 + JPEG q30": chain(creased(boxes, 3), noise(40), jpeg(30)),
        "noise σ 50 + rotation 45° + JPEG q25": chain(noise(50), lambda i, m, r: _rotate(i, m, r, 45), jpeg(25)),
        "blur 0.5 + crease 3": chain(blur(0.5), creased(boxes, 3)),
    }


def degrade(image: Image.Image, condition: Callable, module_px: float, seed: int) -> Image.Image:
    return condition(image, module_px, random.Random(seed))


def read_zxing(image: Image.Image) -> set[str]:
    return {code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode) if code.valid}


def read_zbar(image: Image.Image) -> set[str]:
    """zbarimg (Debian zbar-tools), one symbol a line, behind a phone camera's front end.

    At 150 dpi a 0.5 mm module is 3 pixels, and zbar reads no blurred symbol at all (0 of 10 for every
    candidate, blur 0.3 module or more): a phone sharpens every frame before an app sees it, so zbar
    gets the raster enlarged twice (bicubic) and sharpened (unsharp mask, radius 2 px, 150 %).
    """
    image = image.resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC)
    image = image.filter(ImageFilter.UnsharpMask(2, 150, 0))
    with tempfile.TemporaryDirectory(prefix="panoh-zbar-") as folder:
        path = Path(folder) / "in.png"
        image.save(path)
        run = subprocess.run(
            ["zbarimg", "-q", "--raw", "--nodbus", "-Sdisable", "-Sqrcode.enable", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    return {line for line in run.stdout.splitlines() if line}


DECODERS = {"zxing-cpp": read_zxing, "zbar": read_zbar}


def candidate_sheet(tokens: list[str], level: str, version: int, module_mm: float) -> tuple[bytes, list]:
    """An A4 page of symbols (two columns, at most ten), as a candidate for the card's QR; with their boxes
    (quiet zone included) in points from the top left."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from registration.cards import qr

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    boxes = []
    for index, text in enumerate(tokens):
        symbol = qr.rows(text, level, version)
        size = len(symbol) * module_mm * mm
        row, col = divmod(index, 2)
        left, top = 30 * mm + col * 90 * mm, 20 * mm + row * 54 * mm
        qr.draw_rows(canvas, symbol, left, A4[1] - top - size, size)
        boxes.append((left, top, left + size, top + size))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), boxes


def decode_rates(
    pdf_bytes: bytes,
    boxes_pt: list,
    tokens: list[str],
    module_mm: float,
    conditions: Callable,
    dpi: int = 150,
    seeds: tuple[int, ...] = (1,),
) -> dict[str, dict[str, float]]:
    """Per condition and decoder, the share of ``tokens`` read back from the degraded page."""
    image = rasterise(pdf_bytes, dpi)
    scale = dpi / 72
    boxes = [tuple(value * scale for value in box) for box in boxes_pt]
    module_px = module_mm / MM_PER_INCH * dpi
    rates: dict[str, dict[str, float]] = {}
    for name, condition in conditions(boxes).items():
        for decoder, read in DECODERS.items():
            found = sum(len(read(degrade(image, condition, module_px, seed)) & set(tokens)) for seed in seeds)
            rates.setdefault(name, {})[decoder] = found / (len(tokens) * len(seeds))
    return rates
