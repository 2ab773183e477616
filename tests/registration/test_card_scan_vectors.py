"""One normalisation of scanned card codes, the same vectors for the server and the browser (issue 16 #8).

Before: a trailing GS (USB scanners) passed in Python only, a leading byte-order mark in JavaScript only,
and ``ſ`` was refused by Python but upper-cased to ``S`` by JavaScript.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from registration.cards import keys, token

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((Path(__file__).parent / "card_scan_vectors.json").read_text(encoding="utf-8"))
NAMES = [vector["name"] for vector in VECTORS["vectors"]]

NODE_HARNESS = """
require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
(async () => {
  const keys = [{kid: input.kid, public_key: input.public_key}];
  const out = [];
  for (const v of input.vectors) {
    const result = await PanohCards.verify(v.input, keys, new Set(), input.today);
    out.push({name: v.name, normalised: PanohCards.normalise(v.input), outcome: result.outcome});
  }
  console.log(JSON.stringify(out));
})();
"""


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=NAMES)
def test_the_server_reads_each_vector_as_documented(vector):
    public = {VECTORS["kid"]: _public()}
    assert token.normalise(vector["input"]) == vector["normalised"]
    result = token.verify(vector["input"], public, today=date.fromisoformat(VECTORS["today"]))
    assert result.outcome == vector["outcome"]


def _public() -> Ed25519PublicKey:
    text = VECTORS["public_key"]
    return keys.load_public(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def test_the_vectors_cover_the_cases_of_the_issue():
    inputs = [vector["input"] for vector in VECTORS["vectors"] if vector["outcome"] == "valid"]
    assert any(text.endswith("\x1d") for text in inputs)
    assert any(text.startswith("\ufeff") for text in inputs)
    assert any("З1.Л1." in text for text in inputs)  # "P1/K1/" typed through the Russian layout
    assert any("ſ" in vector["input"] and vector["outcome"] == "malformed" for vector in VECTORS["vectors"])


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs the browser script")
def test_the_browser_reads_each_vector_as_the_server_does():
    run = subprocess.run(
        ["node", "-e", NODE_HARNESS, str(ROOT / "static" / "js" / "card-verify.js")],
        input=json.dumps(VECTORS),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    got = json.loads(run.stdout)
    expected = [{"name": v["name"], "normalised": v["normalised"], "outcome": v["outcome"]} for v in VECTORS["vectors"]]
    assert got == expected
