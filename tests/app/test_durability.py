"""Nothing acknowledged is lost to a power cut, and no half-made copy of the data is left behind
(issue 14, item 11)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import text

from app import backup as service
from app.db import make_engine
from tests.conftest import migrate
from tests.serving import PANOH, ROOT, wait_until

#: run in ``panoh backup`` before it starts: the copy is made, then the command waits to be killed
SLOW_CHECK = """
import time
import app.backup as backup
_check = backup._check_sqlite
def _slow(path):
    summary = _check(path)
    print('COPIED', flush=True)
    time.sleep(120)
    return summary
backup._check_sqlite = _slow
"""


@pytest.fixture()
def database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'panoh.sqlite3'}"
    migrate(url)
    return url


def test_sqlite_syncs_every_commit_to_disk(database):
    engine = make_engine(database)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    finally:
        engine.dispose()


def test_a_restore_is_on_disk_before_it_is_reported(database, tmp_path, monkeypatch):
    copy = service.backup(database, tmp_path / "copy.sqlite3").path
    target = tmp_path / "restored" / "panoh.sqlite3"
    events: list[str] = []
    real_fsync, real_upgrade = os.fsync, service.upgrade

    def fsync(fd: int) -> None:
        events.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def upgrade(url: str) -> None:
        real_upgrade(url)
        events.append("migrated")

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(service, "upgrade", upgrade)
    service.restore(copy, f"sqlite:///{target}")
    synced = events[events.index("migrated") :]
    assert str(target) in synced and str(target.parent) in synced


def _backup_process(database: str, folder, out) -> subprocess.Popen:
    env = {**os.environ, "PANOH_DATABASE_URL": database, "PANOH_INSTANCE_PATH": str(folder)}
    return subprocess.Popen(
        [PANOH[0], "-c", f"{SLOW_CHECK}\nfrom app.factory import main\nmain()", "backup", "--out", str(out)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _parts(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if ".part" in p.name]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kills a process (Linux)")
@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_backup_leaves_no_copy_behind(database, tmp_path, stop):
    folder = tmp_path / "backups"
    folder.mkdir()
    process = _backup_process(database, tmp_path, folder / "panoh-now.sqlite3")
    try:
        assert process.stdout.readline().strip() == b"COPIED", process.stderr.read()
        assert _parts(folder)  # the whole copy is there, under its temporary name
        process.send_signal(stop)
        process.wait(30)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()
    wait_until(lambda: not _parts(folder), 15, "the unfinished copy being deleted")
    assert list(folder.iterdir()) == []


def test_a_copy_that_an_earlier_killed_backup_left_is_removed_by_the_next(database, tmp_path):
    ended = subprocess.Popen(["true"])  # noqa: S607 - a process that has ended: its id names no running one
    ended.wait()
    left = tmp_path / f".panoh-old.sqlite3.{ended.pid}.k2j4h1x9.part"
    running = tmp_path / f".panoh-other.sqlite3.{os.getpid()}.a8f3k2m1.part"  # a backup still being written
    for path in (left, running, tmp_path / f"{left.name}-journal"):
        path.write_bytes(b"SQLite format 3\x00 personal data")
    service.backup(database, tmp_path / "panoh-new.sqlite3")
    assert sorted(p.name for p in tmp_path.glob(".*part*")) == [running.name]
