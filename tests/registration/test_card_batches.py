"""Printing batches from the command line and the print page (issue 16): a private PDF, a clear refusal
for a bad --out, the households without a photo, and a batch reprinted unchanged."""

from __future__ import annotations

import os
import stat

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from registration.cards.models import Card, PrintJob
from registration.households.models import PersonPhoto


def _print(app, tmp_path, *extra):
    out = tmp_path / "sheets.pdf"
    return out, app.test_cli_runner().invoke(args=["cards", "print", "--camp", "KHR", "--out", str(out), *extra])


def test_cli_sheets_are_private_and_say_which_cards_lack_a_photo(app, make, session, tmp_path):
    with_photo = make.household("KHR")
    without = [make.household("KHR") for _ in range(2)]
    session.add(PersonPhoto(person_id=with_photo.head.id, jpeg=_jpeg()))
    session.flush()
    out, result = _print(app, tmp_path)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"%PDF")
    line = next(line for line in result.output.splitlines() if "without a photo" in line)
    assert line.startswith("2 cards without a photo")
    assert all(household.number in line for household in without) and with_photo.number not in line
    assert without[0].head.latin_name not in result.output  # numbers, never names


def test_cli_overwrites_a_world_readable_file_privately(app, make, session, tmp_path):
    make.household("KHR")
    out = tmp_path / "sheets.pdf"
    out.write_bytes(b"old")
    out.chmod(0o644)
    out, result = _print(app, tmp_path)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_bytes().startswith(b"%PDF")


def test_a_bad_out_is_refused_in_one_line_and_issues_nothing(app, make, session, tmp_path):
    make.household("KHR")
    runner = app.test_cli_runner()
    for bad in (tmp_path / "missing" / "sheets.pdf", tmp_path):
        result = runner.invoke(args=["cards", "print", "--camp", "KHR", "--out", str(bad)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
        assert result.output.startswith("Error: ")
    if os.geteuid() != 0:  # permissions do not stop root
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            result = runner.invoke(args=["cards", "print", "--camp", "KHR", "--out", str(locked / "sheets.pdf")])
        finally:
            locked.chmod(0o700)
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert session.scalar(select(func.count()).select_from(Card)) == 0


def test_cli_reprints_a_batch_unchanged(app, make, session, tmp_path):
    households = [make.household("KHR") for _ in range(3)]
    out, result = _print(app, tmp_path)
    assert result.exit_code == 0, result.output
    job = session.scalar(select(PrintJob).order_by(PrintJob.id.desc()))
    assert f"(batch {job.id})" in result.output
    before = {card.serial: card.code for card in session.scalars(select(Card))}
    assert len(before) == 3
    rerun = app.test_cli_runner().invoke(args=["cards", "print", "--camp", "KHR", "--out", str(tmp_path / "b.pdf")])
    assert "has a valid card" in rerun.output  # why `print` cannot recover a lost PDF
    again = tmp_path / "again.pdf"
    result = app.test_cli_runner().invoke(args=["cards", "reprint", "--batch", str(job.id), "--out", str(again)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("3 cards reprinted on 1 sheets")
    assert stat.S_IMODE(again.stat().st_mode) == 0o600
    session.expire_all()
    assert {card.serial: card.code for card in session.scalars(select(Card))} == before  # nothing issued
    assert all(card.print_count == 2 for card in session.scalars(select(Card)))
    codes = _codes_on(again.read_bytes(), tmp_path)
    assert codes == set(before.values())
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "card_batch.reprint", AuditEvent.object_id == str(job.id))
        )
        == 1
    )
    assert households


def test_cli_reprint_leaves_out_revoked_cards_and_refuses_unknown_batches(app, make, session, tmp_path):
    from registration.cards import services

    for _ in range(2):
        make.household("KHR")
    _print(app, tmp_path)
    job = session.scalar(select(PrintJob).order_by(PrintJob.id.desc()))
    lost = session.scalar(select(Card).order_by(Card.id))
    services.report_lost(session, None, lost)
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cards", "reprint", "--batch", str(job.id), "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 0, result.output
    assert f"1 cards left out, no longer valid: {lost.serial}" in result.output
    result = runner.invoke(args=["cards", "reprint", "--batch", "9999", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 400), (120, 130, 140)).save(out, "JPEG")
    return out.getvalue()


def _codes_on(pdf_bytes: bytes, tmp_path) -> set[str]:
    from benchmarks.qr_conditions import rasterise, read_zxing

    return read_zxing(rasterise(pdf_bytes, 200))


# --- the print page ----------------------------------------------------------------------------------------


def test_the_print_page_warns_before_printing_cards_without_a_photo(client, login_as, make, session):
    with_photo = make.household("KHR")
    without = [make.household("KHR") for _ in range(2)]
    session.add(PersonPhoto(person_id=with_photo.head.id, jpeg=_jpeg()))
    session.flush()
    login_as("registration_clerk")
    page = client.get("/cards/queue").data.decode()
    warning = page.split('data-testid="no-photo-warning"')[1].split("</div>")[0]
    assert "2 of these households have no photo" in warning
    assert all(household.number in warning for household in without) and with_photo.number not in warning
    session.add_all([PersonPhoto(person_id=household.head.id, jpeg=_jpeg()) for household in without])
    session.flush()
    assert "no-photo-warning" not in client.get("/cards/queue").data.decode()


def test_the_print_page_reprints_a_batch_unchanged_once_per_click(client, login_as, make, session):
    for _ in range(2):
        make.household("KHR")
    login_as("registration_clerk")
    first = client.post("/cards/queue", data={"limit": "2"}).headers["Location"]
    assert client.get(first + "/sheets.pdf").status_code == 200
    job = session.scalar(select(PrintJob).order_by(PrintJob.id.desc()))
    before = {card.serial: card.code for card in session.scalars(select(Card))}
    page = client.get("/cards/queue").data.decode()
    assert f"/cards/batches/{job.id}/reprint" in page and 'data-testid="queue-count">0<' in page
    response = client.post(f"/cards/batches/{job.id}/reprint")
    assert response.status_code == 302
    again = response.headers["Location"]
    pdf = client.get(again + "/sheets.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    session.expire_all()
    assert {card.serial: card.code for card in session.scalars(select(Card))} == before
    reprint = session.scalar(select(PrintJob).order_by(PrintJob.id.desc()))
    assert reprint.reprint_of_id == job.id and sorted(reprint.card_ids) == sorted(job.card_ids)
    assert (
        session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "card_batch.reprint"))
        == 1
    )


def test_a_batch_of_another_camp_cannot_be_reprinted(client, login_as, make, session):
    make.household("KHR")
    login_as("registration_clerk")
    client.post("/cards/queue", data={"limit": "1"})
    job = session.scalar(select(PrintJob).order_by(PrintJob.id.desc()))
    make.camp("OTH")
    login_as("registration_clerk", "OTH")
    assert client.post(f"/cards/batches/{job.id}/reprint").status_code == 404
    assert f"/cards/batches/{job.id}/reprint" not in client.get("/cards/queue").data.decode()
