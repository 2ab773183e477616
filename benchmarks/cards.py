"""Card scenarios (issue 4), measured in-process: the work is PDF drawing and signatures, not HTTP."""

from __future__ import annotations

import io
import os
import random
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from PIL import Image

from benchmarks import measure
from benchmarks.scenarios import Context, scenario
from registration.cards import keys
from registration.cards.pdf import CardData, render_card, render_sheets
from registration.cards.token import CardToken, sign, verify
from registration.households.numbers import format_number

TODAY = date(2026, 11, 27)


def _photo(rng: random.Random) -> bytes:
    """A distinct 300×400 JPEG (a face-sized blob on a background), about as heavy as a desk photo."""
    image = Image.new("RGB", (300, 400), tuple(rng.randrange(90, 200) for _ in range(3)))
    for _ in range(40):
        x, y = rng.randrange(300), rng.randrange(400)
        image.paste(tuple(rng.randrange(256) for _ in range(3)), (x, y, min(300, x + 40), min(400, y + 40)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _cards(count: int, private, kid: str) -> list[CardData]:
    rng = random.Random(9)
    cards = []
    for i in range(count):
        number = format_number("KHR", i + 1)
        serial = f"C{i + 1:08d}"
        expires = TODAY + timedelta(days=730)
        cards.append(
            CardData(
                serial=serial,
                household_number=number,
                household_size=rng.randint(1, 12),
                name_latin="Mohammad Karim Ahmadzai",
                name_orig="محمد کریم احمدزی",
                camp_code="KHR",
                camp_name="Kushoniyon transit camp",
                plot=f"KHR-B{rng.randint(1, 9):02d}-{rng.randint(1, 200):03d}",
                issued=TODAY,
                expires=expires,
                photo=_photo(rng),
                token=sign(CardToken("P1", kid, serial, number, expires), private),
            )
        )
    return cards


def _key():
    folder = Path(tempfile.mkdtemp(prefix="panoh-bench-keys-"))
    kid, _public = keys.generate(folder)
    return kid, keys.load_private(folder, kid)


@scenario("cards.sheets_1000")
def sheets_1000(ctx: Context) -> dict[str, float]:
    kid, private = _key()
    cards = _cards(1000, private, kid)
    started, cpu = time.perf_counter(), time.process_time()
    pdf = render_sheets(cards)
    # cpu_seconds: this process's own time, steadier than the wall clock on a machine others share
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "mb": round(len(pdf) / 2**20, 1),
    }


@scenario("cards.single")
def single(ctx: Context) -> dict[str, float]:
    kid, private = _key()
    cards = _cards(60, private, kid)
    samples = []
    for index, card in enumerate(cards):
        started = time.perf_counter()
        render_card(card)
        if index >= 10:
            samples.append((time.perf_counter() - started) * 1000)
    return measure.summary(samples)


@scenario("cards.verify")
def verify_codes(ctx: Context) -> dict[str, float]:
    kid, private = _key()
    public = {kid: private.public_key()}
    codes = [
        sign(CardToken("P1", kid, f"C{i:08d}", format_number("KHR", i + 1), TODAY + timedelta(days=700)), private)
        for i in range(5000)
    ]
    revoked = frozenset(f"C{i:08d}" for i in range(0, 5000, 50))

    def check(batch: list[str]) -> list[str]:
        return [verify(code, public, today=TODAY, revoked=revoked).outcome for code in batch]

    started = time.perf_counter()
    outcomes = check(codes)
    one_core = time.perf_counter() - started
    assert outcomes.count("revoked") == 100 and outcomes.count("valid") == 4900
    # A server verifies on every core: the signature check releases the GIL.
    workers = os.cpu_count() or 1
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(check, [codes[i::workers] for i in range(workers)]))
    all_cores = time.perf_counter() - started
    return {"per_s": round(len(codes) / all_cores), "per_s_one_core": round(len(codes) / one_core)}


#: the symbols compared for issue 16: (level, version, module in mm); the card prints the second
QR_CANDIDATES = {"m6": ("M", 6, 0.508), "q8": ("Q", 8, 0.508), "m6_large": ("M", 6, 0.592)}


@scenario("cards.qr_candidates")
def qr_candidates(ctx: Context) -> dict[str, float]:
    """Decode rates (%) of candidate QR symbols on a test sheet of ten codes, rasterised at 150 dpi and
    degraded (benchmarks/qr_conditions.py): the issue's six conditions (``must``) and twelve harder
    ones (``hard``), read by zxing-cpp and zbar. The figures behind docs/card-qr-format.md."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from benchmarks import qr_conditions

    # The documentation's demonstration key and fixed codes, so that the figures can be reproduced.
    private = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    tokens = [
        sign(CardToken("P1", "K1", f"C{i:08d}", f"KHR-{i:06d}-O", date(2028, 11, 27)), private) for i in range(1, 11)
    ]
    figures: dict[str, float] = {}
    for name, (level, version, module) in QR_CANDIDATES.items():
        sheet, boxes = qr_conditions.candidate_sheet(tokens, level, version, module)
        for kind, conditions in (("must", qr_conditions.must_pass), ("hard", qr_conditions.hard)):
            rates = qr_conditions.decode_rates(sheet, boxes, tokens, module, conditions, seeds=(1, 2, 3))
            for decoder in qr_conditions.DECODERS:
                mean = sum(rate[decoder] for rate in rates.values()) / len(rates)
                figures[f"{name}_{kind}_{decoder.replace('-cpp', '')}"] = round(100 * mean, 1)
    return figures
