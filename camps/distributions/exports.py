"""A round's collections as CSV or XLSX, written as the rows come from the database."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator

from flask_babel import gettext as _
from openpyxl import Workbook

from app import tabular
from app.db import own_transaction
from app.tabular import defuse_row
from camps.distributions.models import DistributionRound
from camps.distributions.reconcile import export_rows

CHUNK_BYTES = 64 * 1024


def headers() -> list[str]:
    return [
        _("Household"),
        _("Size"),
        _("Block"),
        _("Plot"),
        _("Collected"),
        _("Collected at (UTC)"),
        _("Point"),
        _("Collected by"),
        _("Status"),
    ]


def round_rows(round_id: int) -> Iterator[tuple]:
    """The export's rows, read in a session of their own (the request's is closed once the response starts)."""
    with own_transaction() as session:
        round_ = session.get_one(DistributionRound, round_id)
        yield from export_rows(session, round_)


def csv_chunks(rows: Iterable[tuple]) -> Iterator[str]:
    return tabular.csv_chunks(headers(), rows)


def xlsx_chunks(rows: Iterable[tuple], title: str) -> Iterator[bytes]:
    """A write-only workbook (rows are not kept in memory), then sent in chunks from a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers())
    for row in rows:
        sheet.append(defuse_row(row))
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(CHUNK_BYTES):
            yield chunk
