"""ID card core without app or database: signed token, key files, QR symbol, card PDF and the browser verifier."""

from __future__ import annotations

import io
import json
import re
import shutil
import stat
import subprocess
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import zxingcpp
from bidi import get_display
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image, ImageDraw
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from registration.cards import fonts, keys, pdf, qr, token
from registration.cards.token import CardToken

ROOT = Path(__file__).resolve().parents[2]
DEMO_SEED = bytes(range(32))  # the demonstration key of docs/card-qr-format.md
TODAY = date(2026, 11, 27)
EXPIRES = date(2028, 11, 27)
DARI_NAME = "محمد کریم احمدزی"
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.from_private_bytes(DEMO_SEED)


@pytest.fixture(scope="module")
def public(key):
    return {"K1": key.public_key()}


def make_code(private_key, serial="C00012345", household="KHR-000123-O", expires=EXPIRES, kid="K1"):
    return token.sign(CardToken("P1", kid, serial, household, expires), private_key)


# --- token ----------------------------------------------------------------------------------------------------


def test_sign_verify_round_trip(key, public):
    code = make_code(key)
    assert code.startswith("P1/K1/C00012345/KHR-000123-O/20281127/") and len(code) == 37 + 1 + 96
    result = token.verify(code, public, today=TODAY)
    assert result.outcome == "valid" and result.ok
    assert result.token == CardToken("P1", "K1", "C00012345", "KHR-000123-O", EXPIRES)


def test_code_is_qr_alphanumeric_and_always_version_8(key):
    longest = make_code(key, serial="Z" * 12, household="KHR-999999-*", kid="K9999999")
    assert len(longest) == 143
    assert set(longest) <= set(token.B45_ALPHABET)
    assert len(qr.rows(longest)) == 49 + 2 * qr.QUIET_ZONE  # version 8 at level Q


def test_surrounding_whitespace_and_lower_case_are_accepted(key, public):
    code = make_code(key)
    assert token.verify(f"  {code.lower()}\r\n", public, today=TODAY).outcome == "valid"


@pytest.mark.parametrize(
    ("field", "forged"), [("serial", "C00012346"), ("household", "KHR-000124-O"), ("expires", "20381127")]
)
def test_tampered_body_is_invalid_signature(key, public, field, forged):
    code = make_code(key)
    original = {"serial": "C00012345", "household": "KHR-000123-O", "expires": "20281127"}[field]
    result = token.verify(code.replace(original, forged), public, today=TODAY)
    assert result.outcome == "invalid_signature" and result.token is None


def test_tampered_signature_is_invalid_signature(key, public):
    code = make_code(key)
    flipped = code[:-5] + ("1" if code[-5] != "1" else "2") + code[-4:]
    assert token.verify(flipped, public, today=TODAY).outcome == "invalid_signature"


def test_other_key_with_the_same_kid_is_invalid_signature(public):
    forged = make_code(Ed25519PrivateKey.generate())
    assert token.verify(forged, public, today=TODAY).outcome == "invalid_signature"


def test_forged_code_for_a_revoked_serial_is_still_invalid_signature(public):
    forged = make_code(Ed25519PrivateKey.generate())
    result = token.verify(forged, public, today=date(2030, 1, 1), revoked=frozenset({"C00012345"}))
    assert result.outcome == "invalid_signature"


def test_unknown_kid(key, public):
    assert token.verify(make_code(key, kid="K2"), public, today=TODAY).outcome == "unknown_key"


def test_revoked_before_expired(key, public):
    code = make_code(key, expires=date(2026, 1, 1))
    result = token.verify(code, public, today=TODAY, revoked=frozenset({"C00012345"}))
    assert result.outcome == "revoked" and result.token.serial == "C00012345"


def test_expired_after_but_not_on_the_expiry_day(key, public):
    code = make_code(key)
    assert token.verify(code, public, today=EXPIRES).outcome == "valid"
    result = token.verify(code, public, today=date(2028, 11, 28))
    assert result.outcome == "expired" and result.token.expires == EXPIRES


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: "",
        lambda c: "hello",
        lambda c: c[:-1],
        lambda c: c + "A",
        lambda c: c[1:],
        lambda c: c.replace("P1/", "P2/"),
        lambda c: c.replace("20281127", "20281301"),
        lambda c: c.replace("KHR-000123-O", "KHR-00123-O"),
        lambda c: c.replace("/C00012345/", "/C0001/2345"),
        lambda c: c[:-97] + "." + c[-96:],
        lambda c: c[:-3] + "GGW",
        lambda c: c[:-1] + "#",
        lambda c: c.replace("K1", "K\u0661"),
        lambda c: None,
        lambda c: "P1/K1/C00012345/KHR-000123-O/20281127/" + " " * 96,
    ],
)
def test_malformed(key, public, mangle):
    result = token.verify(mangle(make_code(key)), public, today=TODAY)
    assert result.outcome == "malformed" and result.token is None


@pytest.mark.parametrize(
    "fields",
    [
        ("P2", "K1", "C00012345", "KHR-000123-O"),
        ("P1", "k1", "C00012345", "KHR-000123-O"),
        ("P1", "K1", "C1", "KHR-000123-O"),
        ("P1", "K1", "C00012345", "KHR-123-O"),
        ("P1", "K1/X", "C00012345", "KHR-000123-O"),
    ],
)
def test_sign_refuses_fields_outside_the_format(key, fields):
    with pytest.raises(ValueError):
        token.sign(CardToken(*fields, EXPIRES), key)


def test_base45_rfc_9285_examples():
    assert token.b45encode(b"AB") == "BB8"
    assert token.b45encode(b"Hello!!") == "%69 VD92EX0"
    assert token.b45encode(b"base-45") == "UJCLQE7W581"
    assert token.b45decode("QED8WEX0") == b"ietf!"
    for bad in ("GGW", "A", ":::", "aaa", "AB"):
        with pytest.raises(ValueError):
            token.b45decode(bad)


def test_worked_example_in_the_docs_verifies(key, public):
    text = (ROOT / "docs" / "card-qr-format.md").read_text()
    code = re.search(r"^(P1/K1/C00012345/\S+.{60,})$", text, re.M)[1]
    assert code == make_code(key)
    assert keys.b64url(keys.public_raw(key)) in text
    assert token.verify(code, public, today=TODAY).outcome == "valid"
    doc = json.loads(re.search(r'```json\n(\{"kid".*?\})\n```', text, re.S)[1])
    assert token.verify_revocation_document(doc, public)


# --- revocation document ----------------------------------------------------------------------------------------


def test_revocation_document_round_trip(key, public):
    doc = token.revocation_document(
        ["C00000042", "C00000007", "C00000042"], key, "K1", datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
    )
    assert doc["serials"] == ["C00000007", "C00000042"] and doc["generated_at"] == "2026-11-27T06:00:00+00:00"
    assert json.loads(json.dumps(doc)) == doc
    assert token.verify_revocation_document(doc, public)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d.update(serials=d["serials"][:1]),
        lambda d: d.update(serials=[*d["serials"], "C00000099"]),
        lambda d: d.update(generated_at="2027-01-01T00:00:00Z"),
        lambda d: d.update(kid="K2"),
        lambda d: d.update(signature=d["signature"][:-2]),
        lambda d: d.update(signature="!!!"),
        lambda d: d.pop("signature"),
        lambda d: d.update(serials="C00000007"),
        lambda d: d.update(serials=[7]),
    ],
)
def test_tampered_revocation_document_is_refused(key, public, tamper):
    doc = token.revocation_document(["C00000007", "C00000042"], key, "K1", "2026-11-27T06:00:00Z")
    tamper(doc)
    assert not token.verify_revocation_document(doc, public)


def test_revocation_document_from_another_key_is_refused(public):
    doc = token.revocation_document(["C00000007"], Ed25519PrivateKey.generate(), "K1", "2026-11-27T06:00:00Z")
    assert not token.verify_revocation_document(doc, public)


# --- key files ----------------------------------------------------------------------------------------------------


def test_key_files_are_private_and_numbered(tmp_path):
    folder = tmp_path / "keys"
    kid, raw = keys.generate(folder)
    assert kid == "K1" and len(raw) == 32
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "K1.pem").stat().st_mode) == 0o600
    private = keys.load_private(folder, "K1")
    assert keys.public_raw(private) == raw
    code = make_code(private)
    assert token.verify(code, {"K1": keys.load_public(raw)}, today=TODAY).outcome == "valid"
    (folder / "K7.pem").write_bytes(b"not a key")  # a stray or foreign file: never overwritten
    assert keys.generate(folder)[0] == "K8"
    assert keys.kids(folder)[::2] == ["K1", "K8"] and keys.latest(folder) == "K8"


def test_published_keys(tmp_path):
    kid, raw = keys.generate(tmp_path)
    assert keys.published_keys(tmp_path) == [{"kid": kid, "public_key": keys.b64url(raw)}]
    assert set(keys.public_keys(tmp_path)) == {kid}


@pytest.mark.parametrize("kid", ["../K1", "K0", "k1", "K1.pem"])
def test_load_private_refuses_odd_key_ids(tmp_path, kid):
    with pytest.raises(ValueError):
        keys.load_private(tmp_path, kid)


# --- QR ----------------------------------------------------------------------------------------------------------


def test_matrix_has_the_quiet_zone(key):
    modules = qr.matrix(make_code(key))
    assert len(modules) == 57 and all(len(row) == 57 for row in modules)
    for edge in (modules[:4], modules[-4:], [row[:4] for row in modules], [row[-4:] for row in modules]):
        assert not any(any(row) for row in edge)
    assert modules[4][4:11] == [True] * 7  # the top left finder pattern


@pytest.mark.parametrize("size", [31 * mm, 24 * mm])  # too wide; modules of 0.49 mm
def test_draw_refuses_sizes_outside_the_limits(key, size):
    with pytest.raises(ValueError):
        qr.draw(Canvas(io.BytesIO()), make_code(key), 0, 0, size)


# --- fonts ------------------------------------------------------------------------------------------------------


def test_shape_rtl_joins_pashto_letters_that_have_no_presentation_forms():
    assert fonts.shape_rtl("Муҳаммад") == "Муҳаммад"
    shaped = fonts.shape_rtl("ښکلی")
    assert "\u069a" not in shaped  # ښ became its joining glyph
    assert str(fonts.shape_rtl("کارت ۱۲۳")).startswith("۱۲۳")  # digits keep their order, left of the word
    assert get_display("فوراً")[::-1] == "فوراً"  # shape_rtl relies on bidi keeping marks with their letters


def test_every_printed_character_has_a_glyph():
    texts = [pdf.FRONT_TITLE, pdf.SERIAL_LABEL, "№ —·…", *pdf.LABELS.values()]
    for lang, sentences in pdf.back_text():
        for sentence in sentences:
            assert not fonts.missing_glyphs(sentence, fonts.SANS if lang == "tg" else fonts.NASKH), sentence
    for text in texts:
        assert not fonts.missing_glyphs(text, fonts.SANS), text


# --- PDF ---------------------------------------------------------------------------------------------------------


def jpeg(seed: int) -> bytes:
    image = Image.new("RGB", (360, 480), (150 + seed % 90, 170, 190))
    draw = ImageDraw.Draw(image)
    draw.ellipse((110, 80, 250, 240), fill=(120, 90, 70))
    draw.rectangle((60, 280, 300, 480), fill=(40 + seed % 50, 60, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def card_data(private_key, number: int = 12345, **changes) -> pdf.CardData:
    serial = f"C{number:08d}"
    fields = dict(
        serial=serial,
        household_number="KHR-000123-O",
        household_size=5,
        name_latin="Mohammad Karim Ahmadzai",
        name_orig=DARI_NAME,
        camp_code="KHR",
        camp_name="Khuroson",
        plot="KHR-B03-017",
        issued=TODAY,
        expires=EXPIRES,
        photo=jpeg(number),
        token=make_code(private_key, serial=serial),
    )
    return pdf.CardData(**{**fields, **changes})


def rasterise(pdf_bytes: bytes, folder: Path, dpi: int, page: int = 1) -> Image.Image:
    source = folder / f"in-{dpi}-{page}.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(source),
            str(folder / f"out-{dpi}-{page}"),
        ],
        check=True,
    )
    return Image.open(folder / f"out-{dpi}-{page}.png")


def pdf_text(pdf_bytes: bytes, folder: Path, *args: str) -> str:
    source = folder / "text.pdf"
    source.write_bytes(pdf_bytes)
    return subprocess.run(["pdftotext", *args, str(source), "-"], check=True, capture_output=True, text=True).stdout


def media_boxes(pdf_bytes: bytes) -> list[tuple[float, ...]]:
    return [
        tuple(map(float, box))
        for box in re.findall(rb"/MediaBox \[ ?([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ?\]", pdf_bytes)
    ]


def decoded(image: Image.Image) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.fixture(scope="module")
def card_pdf(key):
    return pdf.render_card(card_data(key))


def test_card_is_two_id1_pages(card_pdf):
    boxes = media_boxes(card_pdf)
    assert len(boxes) == 2
    for x0, y0, x1, y1 in boxes:
        assert abs((x1 - x0) / mm - 85.60) < 0.1 and abs((y1 - y0) / mm - 53.98) < 0.1


@pytest.mark.parametrize("dpi", [300, 150])
def test_card_qr_decodes_and_verifies(card_pdf, public, tmp_path, dpi):
    image = rasterise(card_pdf, tmp_path, dpi)
    [barcode] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert barcode.extra["ECLevel"] == "Q" and barcode.extra["Version"] == "8"
    assert token.verify(barcode.text, public, today=TODAY).outcome == "valid"
    if dpi == 300:
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        image.save(ROOT / "test-artifacts" / "card-front.png")
        module_mm = (barcode.position.top_right.x - barcode.position.top_left.x) / dpi * 25.4 / 49
        assert module_mm >= 0.5 and module_mm * 57 <= 30  # 57 modules: the symbol and its quiet zone
    if dpi == 150 and shutil.which("zbarimg"):  # a second, stricter decoder where it is installed
        image.save(tmp_path / "zbar.png")
        run = subprocess.run(
            ["zbarimg", "-q", "--raw", "--nodbus", str(tmp_path / "zbar.png")], capture_output=True, text=True
        )
        assert run.stdout.strip() == barcode.text


def test_text_keeps_3_mm_from_the_edges(card_pdf, tmp_path):
    html = pdf_text(card_pdf, tmp_path, "-bbox")
    limit = 3 * mm - 0.01
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">', html)
    assert len(words) > 40
    for x0, y0, x1, y1 in (tuple(map(float, word)) for word in words):
        assert x0 >= limit and y0 >= limit and pdf.CARD_W - x1 >= limit and pdf.CARD_H - y1 >= limit
    qr_left = pdf.CARD_W - pdf.QR_MARGIN - 57 * pdf.QR_MODULE
    qr_margins = (pdf.QR_MARGIN, pdf.QR_TOP)
    assert min(qr_margins) >= 3 * mm and qr_left > pdf.NAME_RIGHT  # the name column ends before the quiet zone
    qr_bottom = pdf.QR_TOP + 57 * pdf.QR_MODULE
    assert qr_bottom < pdf.RULE_TOP < min(top for _x, top, _value in pdf.FIELDS.values() if top > qr_bottom) - 2 * mm


def test_dari_name_is_shaped_in_visual_order_and_tajik_letters_print(card_pdf, tmp_path):
    text = pdf_text(card_pdf, tmp_path)
    arabic_lines = [line.translate(BIDI_CONTROLS).strip() for line in text.splitlines() if fonts.is_arabic(line)]
    name_line = next(line for line in arabic_lines if unicodedata.normalize("NFKC", line) == DARI_NAME)
    # Presentation forms show the letters were joined; pdftotext only gives the logical order back
    # because the PDF holds them in visual (right-to-left) order.
    assert any("\ufb50" <= char <= "\ufeff" for char in name_line)
    for letter in "ҳҷӯ":
        assert letter in text
    assert "Рақами хонавода / Household no." in text and "C00012345" in text
    for label in pdf.LABELS_FA.values():  # the Dari labels, shaped
        assert label in unicodedata.normalize("NFKC", text.translate(BIDI_CONTROLS)), label


def test_card_without_photo_or_original_name(key, public, tmp_path):
    card = card_data(key, photo=None, name_orig=None, plot=None, name_latin="Ghulam Mohammad Abdul Rahim Ahmadzai Khan")
    image = rasterise(pdf.render_card(card), tmp_path, 150)
    assert decoded(image) == [card.token]

    def pixel(x_mm, y_mm):
        return image.getpixel((round(x_mm * mm / 72 * 150), round(y_mm * mm / 72 * 150)))

    assert pixel(5, 12) == pixel(18, 12) == pixel(5, 30) != (255, 255, 255)  # the placeholder's grey corners


def test_cyrillic_original_name(key, tmp_path):
    card = card_data(key, name_orig="Муҳаммад Ҷӯраев")
    assert "Муҳаммад Ҷӯраев" in pdf_text(pdf.render_card(card), tmp_path)


def test_sheets_of_ten_decode_at_150_dpi_with_mirrored_backs(key, public, tmp_path):
    cards = [card_data(key, number) for number in range(1, 11)]
    sheets = pdf.render_sheets(cards)
    boxes = media_boxes(sheets)
    assert len(boxes) == 2 and all(abs(box[2] / mm - 210) < 0.1 and abs(box[3] / mm - 297) < 0.1 for box in boxes)
    codes = decoded(rasterise(sheets, tmp_path, 150, page=1))
    assert sorted(codes) == sorted(card.token for card in cards)
    assert all(token.verify(code, public, today=TODAY).ok for code in codes)
    backs = pdf_text(sheets, tmp_path, "-f", "2", "-l", "2", "-bbox")
    first_back = re.search(r'xMin="([\d.]+)"[^>]*>C00000001<', backs)
    assert float(first_back[1]) > pdf.card_origin(1)[0]  # slot 0 (top left) is printed top right on the back


def test_sheets_start_a_new_sheet_after_ten(key):
    sheets = pdf.render_sheets(card_data(key, number, photo=None) for number in range(1, 13))
    assert len(media_boxes(sheets)) == 4
    with pytest.raises(ValueError):
        pdf.render_sheets([])


# --- the browser verifier (Node's WebCrypto runs the same script) ---------------------------------------------------

NODE_HARNESS = """
require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
(async () => {
  const results = [];
  for (const code of input.codes) {
    results.push(await PanohCards.verify(code, input.keys, new Set(input.revoked), input.today));
  }
  const documents = [];
  for (const doc of input.documents) { documents.push(await PanohCards.verifyRevocationDocument(doc, input.keys)); }
  const b45 = Array.from(PanohCards.base45decode('QED8WEX0'));
  console.log(JSON.stringify({results, documents, b45}));
})();
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs the browser script")
def test_browser_verifier_agrees_with_the_server(key, public):
    good = make_code(key)
    codes = [
        good,
        f" {good.lower()}\n",
        make_code(key, serial="C00000007"),
        make_code(key, expires=date(2026, 1, 1)),
        good.replace("C00012345", "C00012346"),
        make_code(Ed25519PrivateKey.generate()),
        make_code(key, kid="K2"),
        good[:-1],
        good.replace("20281127", "20280230"),
        good[:-3] + "GGW",
        "hello",
    ]
    doc = token.revocation_document(["C00000007"], key, "K1", "2026-11-27T06:00:00Z")
    documents = [doc, {**doc, "serials": []}, {**doc, "signature": "@@"}, {**doc, "kid": "K2"}]
    payload = {
        "codes": codes,
        "keys": [{"kid": "K1", "public_key": keys.b64url(keys.public_raw(key))}],
        "revoked": ["C00000007"],
        "today": TODAY.isoformat(),
        "documents": documents,
    }
    run = subprocess.run(
        ["node", "-e", NODE_HARNESS, str(ROOT / "static" / "js" / "card-verify.js")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    out = json.loads(run.stdout)
    expected = [token.verify(code, public, today=TODAY, revoked=frozenset({"C00000007"})) for code in codes]
    assert [r["outcome"] for r in out["results"]] == [e.outcome for e in expected]
    assert [r["outcome"] for r in out["results"]][:7] == [
        "valid",
        "valid",
        "revoked",
        "expired",
        "invalid_signature",
        "invalid_signature",
        "unknown_key",
    ]
    assert out["results"][0]["token"] == {
        "version": "P1",
        "kid": "K1",
        "serial": "C00012345",
        "household": "KHR-000123-O",
        "expires": "2028-11-27",
    }
    assert (
        out["documents"]
        == [token.verify_revocation_document(d, public) for d in documents]
        == [True, False, False, False]
    )
    assert bytes(out["b45"]) == b"ietf!"
