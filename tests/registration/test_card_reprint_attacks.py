"""Reprinting batches under attack (issue 16 item 7): revoked cards, failed writes."""
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
        make.household('KHR')
    _print(app, tmp_path)
    source = session.scalar(select(PrintJob).order_by(PrintJob.id.desc()))
    user = make.user()
    job = jobs.queue_reprint(session, user, source.id, camp_today())
    lost, kept = session.scalars(select(Card).order_by(Card.id)).all()
    services.report_lost(session, None, lost)
    session.flush()
    jobs.run_inline(session, job.id)
    codes = _codes_on(job.pdf, tmp_path)
    assert lost.code not in codes
    assert codes == {kept.code}
    assert lost.print_count == 1 and kept.print_count == 2


def test_a_full_disk_leaves_no_file_and_records_nothing(app, make, session, tmp_path, monkeypatch):
    make.household('KHR')
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
                raise OSError(errno.ENOSPC, 'No space left on device')
        return Full()
    monkeypatch.setattr(cli.os, 'fdopen', full)
    out, result = _print(app, tmp_path)
    assert result.exit_code == 2 and 'No space left on device' in result.output
    assert list(tmp_path.iterdir()) == []
    assert session.scalar(select(func.count()).select_from(Card)) == 0
    assert session.scalar(select(func.count()).select_from(PrintJob)) == 0
