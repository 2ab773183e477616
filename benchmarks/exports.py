"""Person list export (issue 8): every person of the three camps as CSV, then as XLSX, signed in as
the demo protection officer, while the server's resident memory is sampled every 0.2 s.

Figures: ``rows`` and ``seconds`` of the CSV (streamed), ``xlsx_rows`` and ``xlsx_seconds`` of the
XLSX (built on disk, then sent). The exports are made by a server started for them on the same
database, so that what the other scenarios left in the shared server's memory (caches, the heap of
a 14 MB offline package) is not counted as the export's: ``app.server_rss_mb`` reports that one.
``server_rss_mb`` is the highest memory of the whole exporting server during either export:
``panoh serve`` is a master and one worker process per core, sharing the pages loaded before the
fork, so it is the sum of each process's proportional share (PSS), which counts a shared page once.
``export_process_rss_mb`` is the highest RSS of the one worker making the export (``csv_rss_mb`` and
``xlsx_rss_mb`` apart, ``idle_rss_mb`` before the first), and ``total_rss_mb`` the highest plain sum
of RSS, which counts shared pages once per process.
"""

from __future__ import annotations

import http.client
import re
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from openpyxl import load_workbook

from app.demo.world import DEMO_PASSWORD
from benchmarks.client import BenchError, Client
from benchmarks.scenarios import Context, scenario
from benchmarks.server import HOST, Server

CHUNK = 64 * 1024
TIMEOUT_S = 1800
#: ``#`` lines before the CSV header row (app.tabular.ABOUT_LINES)
ABOUT_LINES = 8
_CSRF = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*>')
_VALUE = re.compile(r'\bvalue="([^"]*)"')


class PeakMemory:
    """Sample the server's memory in a thread until stopped; ``peak`` is the highest in MB."""

    def __init__(self, server: Server, every_s: float = 0.2) -> None:
        self.server, self.every_s, self.peak, self.total, self.pss = server, every_s, 0.0, 0.0, 0.0
        self._sample()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        processes = self.server.process_rss_mb()
        self.peak, self.total = max(self.peak, *processes), max(self.total, sum(processes))
        self.pss = max(self.pss, self.server.pss_mb())

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.every_s)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def _csrf_token(client: Client) -> str:
    field = _CSRF.search(client.get("/exports").decode())
    token = _VALUE.search(field.group(0)) if field else None
    if token is None:
        raise BenchError("no csrf_token input on /exports")
    return token.group(1)


def _post_export(ctx: Context, client: Client, fmt: str, sink) -> float:
    """POST the export form and pass each chunk of the answer to ``sink``; returns the seconds taken."""
    form = {
        "csrf_token": _csrf_token(client),
        "kind": "persons",
        "format": fmt,
        "camp": "",
        "status": "active",
        "purpose": "other",
        "purpose_detail": "Benchmark of the person export",
    }
    conn = http.client.HTTPConnection(client.host, client.port, timeout=TIMEOUT_S)
    started = time.perf_counter()
    try:
        conn.request(
            "POST",
            "/exports",
            body=urlencode(form).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()),
            },
        )
        response = conn.getresponse()
        if response.status != 200:
            raise BenchError(f"POST /exports ({fmt}): HTTP {response.status}: {response.read(300)!r}")
        while chunk := response.read(CHUNK):
            sink(chunk)
    finally:
        conn.close()
    return time.perf_counter() - started


@scenario("figures.person_export")
def person_export(ctx: Context) -> dict[str, float]:
    folder = Path(ctx.server.log_path).parent / "export-server"
    folder.mkdir(exist_ok=True)
    with Server(ctx.server.env["PANOH_DATABASE_URL"], folder) as server:
        client = Client(HOST, server.port)
        client.sign_in("protection", DEMO_PASSWORD)
        idle = max(server.process_rss_mb())
        try:
            newlines = 0

            def count(chunk: bytes) -> None:
                nonlocal newlines
                newlines += chunk.count(b"\n")

            with PeakMemory(server) as csv_memory:
                seconds = _post_export(ctx, client, "csv", count)
            with tempfile.TemporaryFile() as file, PeakMemory(server) as xlsx_memory:
                xlsx_seconds = _post_export(ctx, client, "xlsx", file.write)
                file.seek(0)
                workbook = load_workbook(file, read_only=True)
                about = dict(workbook["About"].iter_rows(values_only=True))
                workbook.close()
        finally:
            client.close()
    rows = newlines - ABOUT_LINES - 1
    xlsx_rows = int(about.get("Rows") or -1)
    if xlsx_rows != rows:
        raise BenchError(f"the CSV has {rows} rows, the XLSX {xlsx_rows}")
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "xlsx_rows": xlsx_rows,
        "xlsx_seconds": round(xlsx_seconds, 2),
        "idle_rss_mb": round(idle, 1),
        "rss_increase_mb": round(max(csv_memory.peak, xlsx_memory.peak) - idle, 1),
        "csv_rss_mb": round(csv_memory.peak, 1),
        "xlsx_rss_mb": round(xlsx_memory.peak, 1),
        "export_process_rss_mb": round(max(csv_memory.peak, xlsx_memory.peak), 1),
        "server_rss_mb": round(max(csv_memory.pss, xlsx_memory.pss), 1),
        "total_rss_mb": round(max(csv_memory.total, xlsx_memory.total), 1),
    }
