"""Backups: a consistent copy of the live database, and a restore into an empty one.

SQLite is copied with its online backup API, PostgreSQL with ``pg_dump`` (custom format). Both
read one snapshot of committed data while the desks go on writing. A backup is written beside
its final name and renamed into place only once it is complete and checked, readable by its
owner alone (0600). A restore never overwrites anything: it goes only into an empty database,
then migrates the schema to this version of Panoh.

Summaries carry counts and the schema revision, never personal data.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app.db import make_engine
from app.errors import UserValueError
from app.migrations import alembic_config, upgrade

SQLITE, POSTGRESQL = "sqlite", "postgresql"
#: how each kind of backup file begins
MAGIC = {SQLITE: b"SQLite format 3\x00", POSTGRESQL: b"PGDMP"}
SUFFIX = {SQLITE: ".sqlite3", POSTGRESQL: ".pgdump"}
_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
#: connection settings in a PostgreSQL URL's query, handed to pg_dump/pg_restore as libpq variables
LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
}


class BackupError(UserValueError):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str
    revision: str | None
    households: int
    persons: int
    size: int
    seconds: float


@dataclass(frozen=True)
class RestoreInfo:
    target: str
    kind: str
    #: the schema revision the backup was made at, and the one after migrating
    backup_revision: str | None
    revision: str | None
    households: int
    persons: int
    seconds: float


def kind_of_url(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in (SQLITE, POSTGRESQL):
        raise BackupError(f"Backups work with SQLite and PostgreSQL, not {backend}.")
    return backend


def kind_of_file(path: Path) -> str:
    """SQLite or PostgreSQL, read from the file's first bytes."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    for kind, magic in MAGIC.items():
        if head.startswith(magic):
            return kind
    raise BackupError(f"{path} is not a Panoh backup (neither an SQLite database nor a pg_dump archive).")


def safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


# --- backup ------------------------------------------------------------------------------------


def backup(url: str, out_path: str | os.PathLike) -> BackupInfo:
    """Copy the database at ``url`` into ``out_path`` (a new file) while the app keeps running."""
    out = Path(out_path)
    if out.exists():
        raise BackupError(f"{out} already exists; a backup never overwrites a file. Choose another name.")
    if not out.parent.is_dir():
        raise BackupError(f"There is no folder {out.parent}.")
    kind = kind_of_url(url)
    started = time.perf_counter()
    _remove_abandoned(out.parent)
    try:
        fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.{os.getpid()}.", suffix=PART)  # 0600
    except OSError as exc:
        raise BackupError(f"Cannot write in {out.parent}: {exc.strerror}.") from exc
    os.close(fd)
    tmp = Path(name)
    guard = _Guard(tmp, Path(f"{tmp}-journal"))
    try:
        summary = _backup_sqlite(url, tmp) if kind == SQLITE else _backup_postgresql(url, tmp)
        os.chmod(tmp, 0o600)
        _fsync(tmp)
        _place(tmp, out)
        _fsync(out.parent)
    except FileExistsError as exc:
        raise BackupError(f"{out} already exists; a backup never overwrites a file. Choose another name.") from exc
    except (OSError, sqlite3.Error) as exc:  # a full disk, a USB drive pulled out
        raise BackupError(f"Could not write {out}: {getattr(exc, 'strerror', None) or exc}.") from exc
    finally:
        _remove(tmp, Path(f"{tmp}-journal"))
        guard.release()
    return BackupInfo(out, kind, *summary, size=out.stat().st_size, seconds=time.perf_counter() - started)


def _backup_sqlite(url: str, tmp: Path) -> tuple[str | None, int, int]:
    """Copy with SQLite's online backup API, in one step, then check the copy.

    One step (``pages=-1``) copies every page inside a single read transaction: in WAL mode the
    desks' writers carry on meanwhile, and the copy is the database as of one commit. Copying in
    chunks would release the snapshot between steps, and a write in between restarts the copy
    from the first page: under steady registration it might never finish.
    """
    source = _connect(_sqlite_path(url), "rw")  # mode=rw: a missing database is an error, not created empty
    try:
        copy = _connect(tmp, "rw")
        try:
            source.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, without -wal beside it
        finally:
            copy.close()
    finally:
        source.close()
    return _check_sqlite(tmp)


def _backup_postgresql(url: str, tmp: Path) -> tuple[str | None, int, int]:
    """``pg_dump`` of one exported snapshot, counted in that same snapshot.

    pg_dump reads in a repeatable-read transaction (MVCC): writers are not blocked and the dump
    holds exactly the transactions committed before it began. Exporting the snapshot first lets
    the summary count the very rows the dump contains.
    """
    engine = make_engine(url)
    try:
        with _pg_connect(engine, url) as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                summary = _summary(lambda sql: conn.execute(text(sql)).scalar())
                _run_tool(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={tmp}",
                    ],
                    url,
                )
    finally:
        engine.dispose()
    _run_tool(["pg_restore", "--list", str(tmp)], None)  # the archive reads back
    return summary


# --- restore -----------------------------------------------------------------------------------


def restore(in_path: str | os.PathLike, url: str) -> RestoreInfo:
    """Bring the backup at ``in_path`` into the empty database at ``url``, then migrate it to head."""
    path = Path(in_path)
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    kind, target = kind_of_file(path), kind_of_url(url)
    if kind != target:
        raise BackupError(
            f"{path} is a {_NAMES[kind]} backup and restores only into a {_NAMES[kind]} database, "
            f"not into {safe_url(url)}. Moving between SQLite and PostgreSQL is a migration, not a restore."
        )
    started = time.perf_counter()
    backup_revision = _restore_sqlite(path, url) if kind == SQLITE else _restore_postgresql(path, url)
    upgrade(url)
    if kind == SQLITE:  # on disk before anyone is told it is restored (PostgreSQL's commit is durable)
        database = _sqlite_path(url)
        for name in (database, Path(f"{database}-wal"), database.parent):
            if name.exists():
                _fsync(name)
    revision, households, persons = _read_summary(url)
    return RestoreInfo(
        safe_url(url), kind, backup_revision, revision, households, persons, time.perf_counter() - started
    )


def _restore_sqlite(path: Path, url: str) -> str | None:
    backup_revision = _check_sqlite(path)[0]
    _check_known(backup_revision, url)
    database = _sqlite_path(url)
    created = not database.exists()
    leftovers = [name for name in (f"{database}-wal", f"{database}-journal") if Path(name).exists()]
    # an empty file (0 bytes) is as new as a missing one: opening it would make SQLite replay or delete them
    if leftovers and (created or database.stat().st_size == 0):
        raise BackupError(
            f"{', '.join(leftovers)} is left from an earlier database: move it aside together with "
            f"that database, or restore into another file."
        )
    if created:
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        target = _connect(database, "rw")
        try:
            tables = target.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            if tables:
                raise BackupError(
                    f"The database {database} is not empty ({tables} tables): a restore never overwrites data. "
                    f"Give --database-url a new file (sqlite:///path/new.sqlite3), or move {database.name} "
                    f"aside with the app stopped, then run the restore again."
                )
            source = _connect(path, "ro")
            try:
                source.backup(target, pages=-1)
            finally:
                source.close()
        finally:
            target.close()
    except BaseException:
        if created:
            _remove(database, *(Path(f"{database}{end}") for end in ("-journal", "-wal", "-shm")))
        raise
    return backup_revision


def _restore_postgresql(path: Path, url: str) -> str | None:
    backup_revision = _archive_revision(path)
    _check_known(backup_revision, url)
    engine = make_engine(url)
    try:
        with _pg_connect(engine, url) as conn:
            tables = conn.execute(
                text(
                    "SELECT count(*) FROM information_schema.tables "
                    "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    if tables:
        name = make_url(url).database
        raise BackupError(
            f"The database {name} is not empty ({tables} tables): a restore never overwrites data. "
            f"Create an empty database (createdb {name}_restored) and give it with --database-url."
        )
    # one transaction: a restore that fails leaves the database as empty as it was
    _run_tool(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", str(path)], url
    )
    return backup_revision


def _archive_revision(path: Path) -> str | None:
    """The schema revision inside a pg_dump archive, read without restoring it."""
    script = _run_tool(["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)], None)
    lines = script.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.startswith("COPY ") and "alembic_version" in line:
            return None if lines[i + 1] == "\\." else lines[i + 1].strip()
    return None


def _check_known(revision: str | None, url: str) -> None:
    """Refuse a backup whose schema revision this version of Panoh does not know (made by a newer one)."""
    if revision is None:
        raise BackupError("The backup holds no schema revision: it is not a Panoh database.")
    try:
        ScriptDirectory.from_config(alembic_config(url)).get_revision(revision)
    except CommandError as exc:
        raise BackupError(
            f"The backup is at schema revision {revision}, which this version of Panoh does not "
            f"know: restore it with the version that made it, or a newer one."
        ) from exc


# --- helpers -----------------------------------------------------------------------------------


def _summary(scalar: Callable[[str], Any]) -> tuple[str | None, int, int]:
    """Schema revision, households and persons; ``scalar`` runs one SQL query."""
    return (
        scalar("SELECT max(version_num) FROM alembic_version"),
        int(scalar("SELECT count(*) FROM households")),
        int(scalar("SELECT count(*) FROM persons")),
    )


def _read_summary(url: str) -> tuple[str | None, int, int]:
    if kind_of_url(url) == SQLITE:
        conn = _connect(_sqlite_path(url), "rw")
        try:
            return _summary(lambda sql: conn.execute(sql).fetchone()[0])
        finally:
            conn.close()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return _summary(lambda sql: connection.execute(text(sql)).scalar())
    finally:
        engine.dispose()


def _check_sqlite(path: Path) -> tuple[str | None, int, int]:
    """Check an SQLite file page by page and read its summary."""
    conn = _connect(path, "ro")
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupError(f"{path} fails SQLite's integrity check: {'; '.join(problems[:3])}")
        try:
            return _summary(lambda sql: conn.execute(sql).fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a Panoh database ({exc}).") from exc
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as an SQLite database ({exc}).") from exc
    finally:
        conn.close()


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("Only an SQLite database file can be backed up or restored.")
    return Path(database)


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode={mode}", uri=True, isolation_level=None)
    except sqlite3.OperationalError as exc:
        raise BackupError(f"Cannot open the SQLite database {path} ({exc}).") from exc
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def _pg_connect(engine, url: str):
    try:
        return engine.connect()
    except OperationalError as exc:
        raise BackupError(
            f"Cannot connect to {safe_url(url)}. If the database does not exist yet, create it "
            f"empty first (createdb {make_url(url).database})."
        ) from exc


def _run_tool(args: list[str], url: str | None) -> str:
    """Run pg_dump or pg_restore against ``url``; the password goes in PGPASSWORD, never in the arguments."""
    env = dict(os.environ)
    if url is not None:
        u = make_url(url)
        host = u.host or u.query.get("host")
        args = (
            args
            + [f"--host={host}"] * bool(host)
            + [f"--port={u.port}"] * bool(u.port)
            + [f"--username={u.username}"] * bool(u.username)
            + [f"--dbname={u.database}"]
        )
        if u.password is not None:
            env["PGPASSWORD"] = u.password
        env.update({var: str(u.query[key]) for key, var in LIBPQ_ENV.items() if key in u.query})
    try:
        # a fixed program with its arguments as a list (no shell); the values come from the configured URL
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(
            f"{args[0]} is not installed: install the PostgreSQL client tools (Debian: apt install postgresql-client)."
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {_tool_message(result.stderr)}")
    return result.stdout


def _tool_message(stderr: str) -> str:
    """The tool's error lines without DETAIL, CONTEXT or the failed command: those may quote a row."""
    quoting = ("DETAIL:", "CONTEXT:", "Command was:", "LINE ")
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not any(mark in line for mark in quoting)]
    return " ".join(lines[-4:]) or "no message"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _place(tmp: Path, out: Path) -> None:
    """Give the finished file its name without ever replacing a file that appeared meanwhile: a hard
    link fails if the name exists. Drives without hard links (a FAT USB stick) get a checked rename."""
    try:
        os.link(tmp, out)
    except FileExistsError:
        raise
    except OSError:
        if out.exists():
            raise FileExistsError(out) from None
        os.replace(tmp, out)


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


# --- no half-written copy left behind ------------------------------------------------------------

#: the ending of a backup being written; ``.<name>.<pid>.<random>.part`` beside the final file
PART = ".part"

#: the guard's program: it waits until the backup process ends (its end of the pipe closes) and,
#: unless that process said the copy is dealt with, deletes the files named in its arguments
_GUARD = """
import os, signal, sys
for name in ('SIGINT', 'SIGTERM', 'SIGHUP'):
    signal.signal(getattr(signal, name), signal.SIG_IGN)
if sys.stdin.buffer.read() != b'done':
    for path in sys.argv[1:]:
        try:
            os.unlink(path)
        except OSError:
            pass
"""


class _Guard:
    """A small process that deletes the unfinished copy if ``panoh backup`` is killed (kill -9, a
    stop signal, the power button of a session) before it could clean up after itself: that copy
    holds everyone's personal data. Where it cannot start, the next backup removes the copy."""

    def __init__(self, *paths: Path) -> None:
        try:
            # a fixed program (no shell); its arguments are the file names this process made
            self.process: subprocess.Popen[bytes] | None = subprocess.Popen(  # noqa: S603
                [sys.executable, "-c", _GUARD, *map(str, paths)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError:
            self.process = None

    def release(self) -> None:
        """This process has dealt with the files: the guard leaves them alone and ends."""
        if self.process is None:
            return
        assert self.process.stdin is not None  # opened as a pipe
        try:
            self.process.stdin.write(b"done")
            self.process.stdin.close()
        except OSError:
            pass
        self.process.wait()


def _remove_abandoned(folder: Path) -> None:
    """Delete copies that a backup killed before it finished left in ``folder`` (its process is gone)."""
    for path in folder.glob(f".*{PART}"):
        pid = path.name.removesuffix(PART).split(".")[-2]
        if pid.isdigit() and not _running(int(pid)):
            _remove(path, Path(f"{path}-journal"))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another account's process
        return True
    return True
