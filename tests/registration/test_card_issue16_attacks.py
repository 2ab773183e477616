"""Issue 16 printing under attack: revoked cards in a reprint, failed writes, long names in their own script."""

from __future__ import annotations

import errno

from sqlalchemy import func, select

from app.campday import camp_today
from registration.cards import jobs, services
from registration.cards.models import Card, PrintJob
from tests.registration.test_card_batches import _codes_on, _print


def test_a_reprint_run_after_a_card_is_revoked_leaves_that_card_out(app, make, session, tmp_path):
    """The reprint is queued (or failed and is retried), then a card is reported lost before the worker
    draws it: the revoked card must not come off the printer."""
    for _ in range(2):
        make.household("KHR")
    _print(app, tmp_path)
    source = session.scalar(select(PrintJob).order_by(PrintJob.id.desc()))
    user = make.user()
    job, _left_out = jobs.queue_reprint(session, user, source.id, camp_today())
    lost, kept = session.scalars(select(Card).order_by(Card.id)).all()
    services.report_lost(session, None, lost)
    session.flush()
    jobs.run_inline(session, job.id)
    codes = _codes_on(job.pdf, tmp_path)
    assert lost.code not in codes
    assert codes == {kept.code}
    assert lost.print_count == 1 and kept.print_count == 2


def test_a_full_disk_leaves_no_file_and_records_nothing(app, make, session, tmp_path, monkeypatch):
    make.household("KHR")
    with app.app_context():
        services.signing_key(session, None)  # the key exists before the disk fills
    session.commit()
    import app.cli.cards as cli

    def full(handle, mode):
        class Full:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def write(self, data):
                raise OSError(errno.ENOSPC, "No space left on device")

        return Full()

    monkeypatch.setattr(cli.os, "fdopen", full)
    out, result = _print(app, tmp_path)
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert list(tmp_path.iterdir()) == []
    assert session.scalar(select(func.count()).select_from(Card)) == 0
    assert session.scalar(select(func.count()).select_from(PrintJob)) == 0


# Ordinary full names (given name and surname), longer than one line of the card at its smallest size.
LONG_NAMES = [
    ("Muhammadsharifjon Abdulqodirzoda", "Муҳаммадшарифҷон Абдулқодирзода"),
    ("Gulrukhsor Nuriddinzoda", "Гулрухсор Сафармуҳаммадова Нуриддинзода"),
    ("Gulrukhsor Safarmuhammadova Nuriddinzoda", "نازنین حکیمی"),
    ("Gulrukhsor Safarmuhammadova Nuriddinzoda", None),
    ("Abdurrahmonjon Ghiyosiddinzoda", "عبدالرحمان‌جان غیاث‌الدین‌زاده خدابردی‌یف"),
    ("Ghulomhaydar Abdulqodirzoda Yaqubi", "Ғуломҳайдар Абдулқодирзода یعقوبی احمدزی"),
]


def test_a_long_name_in_its_own_script_is_printed_whole(tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from registration.cards import pdf
    from tests.registration.test_card_printing import _letters
    from tests.registration.test_cards_core import DEMO_SEED, card_data, pdf_text

    key = Ed25519PrivateKey.from_private_bytes(DEMO_SEED)
    for latin, orig in LONG_NAMES:
        text = pdf_text(
            pdf.render_card(card_data(key, name_latin=latin, name_orig=orig, photo=None)),
            tmp_path,
            "-f",
            "1",
            "-l",
            "1",
        )
        printed = _letters(text)
        name = f"{latin} {orig or ''}".replace("\u200c", "")
        missing = {char for char, count in _letters(name).items() if printed[char] < count}
        assert not missing and "…" not in text, name


def test_recent_batches_show_when_they_finished_in_camp_time(client, login_as, make, session):
    """A clerk looking for the batch that jammed an hour ago reads the camp's clock, not UTC."""
    from datetime import datetime

    from app.campday import camp_time_text

    make.household("KHR")
    login_as("registration_clerk")
    client.post("/cards/queue", data={"limit": "1"})
    job = session.scalar(select(PrintJob).order_by(PrintJob.id.desc()))
    job.finished_at = datetime(2026, 12, 6, 10, 40)
    session.flush()
    row = client.get("/cards/queue").data.decode().split('data-testid="batches"')[1]
    assert camp_time_text(job.finished_at) in row
    assert "2026-12-06 10:40" not in row


def test_two_reprints_of_a_batch_at_once_make_one_job(fresh_app):
    """A double-click on Reprint sends two requests at once. On PostgreSQL both looked for a pending
    reprint, found none, and queued one each: two PDFs, every card's print count raised twice."""
    import threading

    from app.db import own_transaction
    from tests.factories import Factories

    with fresh_app.app_context(), own_transaction() as session:
        make = Factories(session)
        household_id, user_id = make.household("KHR").id, make.user().id
        source_id = jobs.print_batch(session, None, [household_id], camp_today()).job_id
    second_done, queued = threading.Event(), {}

    def second_click():
        with fresh_app.app_context(), own_transaction(write=True) as session:
            queued["second"] = jobs.queue_reprint(session, session.get(User, user_id), source_id, camp_today())[0].id
        second_done.set()

    from app.users.models import User

    with fresh_app.app_context():
        with own_transaction(write=True) as session:
            queued["first"] = jobs.queue_reprint(session, session.get(User, user_id), source_id, camp_today())[0].id
            other = threading.Thread(target=second_click)
            other.start()
            second_done.wait(3)  # with the batch held, the second click waits for this commit
        other.join(30)
        with own_transaction() as session:
            reprints = session.scalar(
                select(func.count()).select_from(PrintJob).where(PrintJob.reprint_of_id == source_id)
            )
    assert reprints == 1
    assert queued["second"] == queued["first"]


def test_an_out_that_is_a_symlink_is_replaced_not_followed(app, make, session, tmp_path):
    """--out pointing (by a link someone left) at another file: the link is replaced by the private
    sheets; the file it pointed at is not touched."""
    import stat

    make.household("KHR")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "keep.txt"
    victim.write_text("keep")
    (tmp_path / "sheets.pdf").symlink_to(victim)
    out, result = _print(app, tmp_path)
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep"
    assert not out.is_symlink() and stat.S_IMODE(out.stat().st_mode) == 0o600


def test_the_print_page_says_which_cards_a_reprint_leaves_out(client, login_as, make, session):
    """The command line names the cards left out of a reprint; the page told the clerk nothing, and a
    batch of ten came off the printer as nine."""
    for _ in range(2):
        make.household("KHR")
    login_as("registration_clerk")
    client.post("/cards/queue", data={"limit": "2"})
    job = session.scalar(select(PrintJob).order_by(PrintJob.id.desc()))
    lost = session.scalar(select(Card).order_by(Card.id))
    services.report_lost(session, None, lost)
    session.flush()
    page = client.post(f"/cards/batches/{job.id}/reprint", follow_redirects=True).data.decode()
    assert f"1 card of this batch is no longer valid and is left out: {lost.serial}." in page
