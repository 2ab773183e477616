"""The camera decoder (issue 16 #1): zxing-cpp as WebAssembly in a Web Worker, in Chromium, reading one
1280x720 frame with the card at 40% of the width and noise (tests/browser/fake_camera.py), as the scan
page does: an ImageBitmap of the frame transferred to the worker, the code text back."""

from __future__ import annotations

import base64
import io
import os
import statistics
from datetime import date

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from benchmarks.scenarios import Context, scenario
from registration.cards.token import CardToken, sign

CHROMIUM = "/usr/bin/chromium"
RUNS = 40

DECODE = """
async ({png, runs, module}) => {
  const {QrDecoder} = await import(module);
  const image = new Image();
  image.src = 'data:image/png;base64,' + png;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d').drawImage(image, 0, 0);
  const decoder = new QrDecoder();
  await decoder.warm();
  const total = [], worker = [];
  let text = null;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const answer = await decoder.decode(canvas);
    total.push(performance.now() - started);
    worker.push(answer.ms);
    text = answer.text;
  }
  decoder.close();
  return {total, worker, text};
}
"""


def _frame_png(code: str) -> str:
    from tests.browser.fake_camera import card_frame

    buffer = io.BytesIO()
    card_frame(code, share=0.40, sigma=8, seed=1).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


@scenario("cards.camera_decode")
def camera_decode(ctx: Context) -> dict[str, float]:
    """``ms``: median time for one frame as the page sees it; ``worker_ms``: the decode inside the worker."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} is missing: the camera decoder is measured in Chromium")
    code = sign(
        CardToken("P1", "K1", "C00012345", "KHR-000123-O", date(2028, 11, 27)),
        Ed25519PrivateKey.from_private_bytes(bytes(range(32))),
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        try:
            page = browser.new_page()
            page.goto(f"{ctx.base_url}/login")
            result = page.evaluate(
                DECODE, {"png": _frame_png(code), "runs": RUNS, "module": f"{ctx.base_url}/static/js/scan/decoder.js"}
            )
        finally:
            browser.close()
    if result["text"] != code:
        raise RuntimeError("the wasm decoder did not read the benchmark frame")
    return {
        "ms": statistics.median(result["total"]),
        "p95_ms": sorted(result["total"])[int(RUNS * 0.95) - 1],
        "worker_ms": statistics.median(result["worker"]),
    }
