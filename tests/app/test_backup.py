"""``panoh backup`` and ``panoh restore``: a consistent copy while desks register households,
restored into an empty database with exactly the committed households. On an SQLite file, and on
PostgreSQL (databases of their own, created and dropped here) when PANOH_TEST_DATABASE_URL is set."""

from __future__ import annotations

import random
import re
import sqlite3
import stat
import string
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from app import create_app
from app.backup import BackupError, backup, kind_of_file, restore
from app.db import make_engine, own_transaction
from app.migrations import alembic_config
from camps.sites.models import Camp
from registration.households import desk
from registration.households.numbers import format_number
from tests.conftest import PG_URL, migrate
from tests.factories import Factories

KINDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
#: the revision before the newest: a backup "made by the previous version"
PREVIOUS = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(HEAD).down_revision
TABLES = ("camps", "households", "persons", "person_needs", "person_keys", "audit_events")
HOUSEHOLD_SIZES = (1, 3, 6, 2)


def _admin(sql: str) -> None:
    engine = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


@pytest.fixture(params=KINDS)
def new_database(request, tmp_path):
    """Make empty databases of one kind: ``new_database()`` returns the URL of another one.

    PostgreSQL ones are databases of their own (``panoh_backup_*`` beside the test database): a
    dump is of a whole database, and they are dropped afterwards."""
    made: list[str] = []

    def _new(*, migrated: bool = False) -> str:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / f'db{len(made)}.sqlite3'}"
        else:
            name = f"panoh_backup_{uuid.uuid4().hex[:12]}"
            _admin(f"CREATE DATABASE {name}")
            url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        made.append(url)
        if migrated:
            migrate(url)
        return url

    _new.kind = request.param
    yield _new
    if request.param == "postgresql":
        for url in made:
            _admin(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)")


def _app(url: str, tmp_path):
    return create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "x",
            "ARGON2_PROFILE": "fast",
            "WTF_CSRF_ENABLED": False,
        }
    )


def _with_households(url: str, tmp_path, sizes=HOUSEHOLD_SIZES) -> None:
    application = _app(url, tmp_path)
    with application.app_context(), own_transaction() as session:
        make = Factories(session)
        for size in sizes:
            make.household(members=size)
    application.extensions["panoh.db"].engine.dispose()


def _query(url: str, sql: str, **params) -> list[tuple]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(text(sql), params)]
    engine.dispose()
    return rows


def _contents(url: str) -> dict[str, list[tuple]]:
    return {table: _query(url, f"SELECT * FROM {table} ORDER BY id") for table in TABLES}  # noqa: S608 - names above


def _members(url: str) -> dict[str, tuple]:
    """Per household: (token, size, persons saved)."""
    rows = _query(
        url,
        "SELECT h.number, h.registration_token, h.size, count(p.id) FROM households h "
        "LEFT JOIN persons p ON p.household_id = h.id "
        "GROUP BY h.id, h.number, h.registration_token, h.size",
    )
    return {number: (token, size, persons) for number, token, size, persons in rows}


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_restores_into_an_empty_database_with_the_same_households(new_database, tmp_path):
    source = new_database(migrated=True)
    _with_households(source, tmp_path)
    out = tmp_path / "panoh.backup"

    info = backup(source, out)

    assert (info.households, info.persons, info.revision) == (4, sum(HOUSEHOLD_SIZES), HEAD)
    assert info.kind == kind_of_file(out) == new_database.kind and info.size == out.stat().st_size
    assert _mode(out) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    target = new_database()
    restored = restore(out, target)
    assert (restored.households, restored.persons) == (4, sum(HOUSEHOLD_SIZES))
    assert restored.backup_revision == restored.revision == HEAD
    assert _members(target) == _members(source)
    assert sorted(size for _token, size, persons in _members(target).values() if size == persons) == sorted(
        HOUSEHOLD_SIZES
    )
    assert _contents(target) == _contents(source)


def test_a_restore_never_goes_into_a_database_that_holds_data(new_database, tmp_path):
    source = new_database(migrated=True)
    _with_households(source, tmp_path)
    out = tmp_path / "panoh.backup"
    backup(source, out)
    target = new_database(migrated=True)
    _with_households(target, tmp_path, sizes=(2,))
    before = _contents(target)

    with pytest.raises(BackupError, match="not empty.*never overwrites"):
        restore(out, target)
    assert _contents(target) == before


def test_a_restore_into_a_migrated_but_empty_schema_is_refused_too(new_database, tmp_path):
    source = new_database(migrated=True)
    out = tmp_path / "panoh.backup"
    backup(source, out)
    with pytest.raises(BackupError, match="not empty"):
        restore(out, new_database(migrated=True))


def test_a_restore_leaves_the_journal_of_a_database_moved_away_alone(tmp_path):
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    migrate(source)
    backup(source, tmp_path / "panoh.backup")
    wal = tmp_path / "moved.sqlite3-wal"
    wal.write_bytes(b"frames of the database that was moved without its journal")
    with pytest.raises(BackupError, match="left from an earlier database"):
        restore(tmp_path / "panoh.backup", f"sqlite:///{tmp_path / 'moved.sqlite3'}")
    assert wal.read_bytes() == b"frames of the database that was moved without its journal"
    assert not (tmp_path / "moved.sqlite3").exists()


def test_the_restore_command_leaves_the_journal_alone_when_the_app_made_an_empty_file(tmp_path):
    """The command runs inside the app, as the README tells: the configured database, journal left beside it."""
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    migrate(source)
    backup(source, tmp_path / "panoh.backup")
    live = tmp_path / "live.sqlite3"
    live.touch()  # what anything opening the configured database first would leave
    wal = tmp_path / "live.sqlite3-wal"
    wal.write_bytes(b"the last saves of the database that was moved aside")
    runner = _app(f"sqlite:///{live}", tmp_path).test_cli_runner()
    result = runner.invoke(args=["restore", str(tmp_path / "panoh.backup")])
    assert result.exit_code != 0 and "left from an earlier database" in result.output
    assert wal.read_bytes() == b"the last saves of the database that was moved aside"


def test_a_backup_never_overwrites_a_file(new_database, tmp_path):
    source = new_database(migrated=True)
    out = tmp_path / "kept.backup"
    out.write_bytes(b"an older backup")
    with pytest.raises(BackupError, match="already exists"):
        backup(source, out)
    assert out.read_bytes() == b"an older backup"


def test_a_backup_made_by_an_older_version_restores_then_migrates(new_database, tmp_path):
    source = new_database(migrated=True)
    _with_households(source, tmp_path, sizes=(2, 4))
    command.downgrade(alembic_config(source), PREVIOUS)
    out = tmp_path / "old.backup"
    assert backup(source, out).revision == PREVIOUS

    target = new_database()
    restored = restore(out, target)
    assert (restored.backup_revision, restored.revision) == (PREVIOUS, HEAD)
    assert (restored.households, restored.persons) == (2, 6)
    assert _query(target, "SELECT version_num FROM alembic_version") == [(HEAD,)]


def test_a_backup_of_an_unknown_newer_version_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    migrate(url)
    with sqlite3.connect(tmp_path / "new.sqlite3") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    out = tmp_path / "new.backup"
    backup(url, out)
    target = tmp_path / "target.sqlite3"
    with pytest.raises(BackupError, match="revision 9999.*does not know"):
        restore(out, f"sqlite:///{target}")
    assert not target.exists()


def test_a_backup_restores_only_into_its_own_kind_of_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    migrate(url)
    out = tmp_path / "panoh.sqlite3.backup"
    backup(url, out)
    with pytest.raises(BackupError, match="SQLite backup and restores only into a SQLite database"):
        restore(out, "postgresql://postgres@127.0.0.1:1/nowhere")  # refused before connecting
    dump = tmp_path / "panoh.pgdump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
    target = tmp_path / "target.sqlite3"
    with pytest.raises(BackupError, match="PostgreSQL backup and restores only into a PostgreSQL database"):
        restore(dump, f"sqlite:///{target}")
    assert not target.exists()


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list")
    with pytest.raises(BackupError, match="not a Panoh backup"):
        restore(path, f"sqlite:///{tmp_path / 'target.sqlite3'}")


def test_the_postgresql_tools_get_the_password_from_the_environment_never_the_command_line(monkeypatch):
    import subprocess

    from app import backup as service

    calls = []
    monkeypatch.setattr(
        subprocess,
        "run",
        lambda args, **kw: (
            calls.append((args, kw["env"])) or subprocess.CompletedProcess(args, 0, stdout="", stderr="")
        ),
    )
    service._run_tool(
        ["pg_dump", "--format=custom"], "postgresql+psycopg://panoh:s3cret@db.example:6543/registry?sslmode=require"
    )
    [(args, env)] = calls
    assert args == [
        "pg_dump",
        "--format=custom",
        "--host=db.example",
        "--port=6543",
        "--username=panoh",
        "--dbname=registry",
    ]
    assert "s3cret" not in " ".join(args) and env["PGPASSWORD"] == "s3cret" and env["PGSSLMODE"] == "require"


def test_the_commands_back_up_to_the_instance_folder_and_restore(new_database, tmp_path):
    source = new_database(migrated=True)
    _with_households(source, tmp_path)
    application = _app(source, tmp_path)
    runner = application.test_cli_runner()

    made = runner.invoke(args=["backup"])

    assert made.exit_code == 0, made.output
    folder = tmp_path / "instance" / "backups"
    [path] = folder.iterdir()
    suffix = ".sqlite3" if new_database.kind == "sqlite" else ".pgdump"
    assert re.fullmatch(r"panoh-\d{8}-\d{6}" + re.escape(suffix), path.name)
    assert (_mode(folder), _mode(path)) == (0o700, 0o600)
    assert str(path) in made.output and "4 households, 12 persons" in made.output
    assert "Mohammad" not in made.output and "Karim" not in made.output  # counts only, no personal data

    target = new_database()
    restored = runner.invoke(args=["restore", str(path), "--database-url", target])
    assert restored.exit_code == 0, restored.output
    assert "4 households, 12 persons" in restored.output
    assert "postgres:" not in restored.output or "***" in restored.output  # never a password

    again = runner.invoke(args=["restore", str(path), "--database-url", target])
    assert again.exit_code != 0 and "Nothing restored" in again.output and "not empty" in again.output
    refused = runner.invoke(args=["backup", "--out", str(path)])
    assert refused.exit_code != 0 and "already exists" in refused.output
    assert _members(target) == _members(source)
    application.extensions["panoh.db"].engine.dispose()


# --- the must-show: a backup while desks write -------------------------------------------------


@dataclass
class DeskLog:
    #: registration tokens whose commit returned, in that order
    committed: list[str] = field(default_factory=list)
    #: households saved, then rolled back: they must never come back
    rolled_back: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


class _Abandoned(Exception):
    """The clerk closed the form after saving had started: the transaction is rolled back."""


def _family(camp_id: int, token: str, size: int, rng: random.Random) -> dict:
    """A family of made-up names, unlike every other one (no duplicate review to slow the desks down)."""

    def name() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(9)).capitalize()

    father = name()
    members = [
        {
            "given_name": father,
            "father_name": name(),
            "sex": "m",
            "born": str(rng.randint(1950, 1990)),
            "relation_to_head": "head",
        }
    ]
    members += [
        {
            "given_name": name(),
            "father_name": father,
            "sex": "f",
            "born": str(rng.randint(2000, 2020)),
            "relation_to_head": "daughter",
        }
        for _ in range(1, size)
    ]
    return {"camp_id": camp_id, "arrival_date": date(2026, 11, 1), "consent": True, "token": token, "members": members}


def _desk(application, camp_id: int, name: str, stop: threading.Event, log: DeskLog) -> None:
    """Register households one after another through the desk's service, each in its own transaction.

    The work runs in a POST request context, as at the desk: on SQLite it then queues for the write
    lock (BEGIN IMMEDIATE) like every desk request does."""
    n, rng = 0, random.Random(name)
    with application.test_request_context("/api/v1/households", method="POST"):
        while not stop.is_set():
            n += 1
            token = f"{name}-{n}"
            try:
                with own_transaction() as session:
                    raw = _family(camp_id, token, 1 + n % 6, rng)
                    data = desk.clean_household(session, None, raw, date.today())
                    desk.register_household(session, None, data, check_duplicates=False)
                    if n % 7 == 0:
                        session.flush()
                        time.sleep(0.002)
                        raise _Abandoned
            except _Abandoned:
                log.rolled_back.add(token)
                continue
            except Exception as exc:  # noqa: BLE001 - reported by the test, which then fails
                log.errors.append(repr(exc))
                return
            log.committed.append(token)


def _ballast(url: str, rows: int = 30_000) -> None:
    """Fill the audit log with some megabytes, so that the copy takes long enough for desks to commit meanwhile."""
    from app.audit.models import AuditEvent

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(AuditEvent.__table__), [{"action": "test.ballast", "details": {"pad": "x" * 500}}] * rows)
    engine.dispose()


def _returned(logs: list[DeskLog]) -> set[str]:
    """The tokens of the households whose commit has returned by now (each desk only appends to its list)."""
    return {token for log in logs for token in list(log.committed)}


def _wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the desks stopped registering"
        time.sleep(0.01)


def test_a_backup_taken_while_households_are_registered_restores_exactly_committed_households(new_database, tmp_path):
    source = new_database(migrated=True)
    _ballast(source)
    application = _app(source, tmp_path)
    with application.app_context(), own_transaction() as session:
        camp = Camp(code="KHR", name="K", region_code="TJ-KT", status="open", household_counter=0)
        session.add(camp)
        session.flush()
        camp_id = camp.id
    stop = threading.Event()
    logs = [DeskLog() for _ in range(2)]
    desks = [
        threading.Thread(target=_desk, args=(application, camp_id, f"desk{i}", stop, log)) for i, log in enumerate(logs)
    ]
    for thread in desks:
        thread.start()
    try:
        _wait_for(lambda: sum(len(log.committed) for log in logs) >= 30 or any(log.errors for log in logs))
        before = _returned(logs)  # commits that had returned when the backup began
        info = backup(source, tmp_path / "during.backup")
        by_end = _returned(logs)  # ... and when it ended
        # the desks went on registering after the backup too: they were writing all through it
        _wait_for(lambda: len(_returned(logs)) > len(by_end) or any(log.errors for log in logs))
    finally:
        stop.set()
        for thread in desks:
            thread.join()
        application.extensions["panoh.db"].engine.dispose()
    assert [error for log in logs for error in log.errors] == []
    committed = _returned(logs)
    rolled_back = set().union(*(log.rolled_back for log in logs))
    assert rolled_back
    # the copy did not hold the desks up: their commits went on returning while it ran
    assert by_end - before

    target = new_database()
    restored = restore(tmp_path / "during.backup", target)
    households = _members(target)
    tokens = {token for token, _size, _persons in households.values()}

    # every household whose commit returned before the backup began is there
    assert before <= tokens
    # and nothing that was not committed: no rolled-back household, no stranger
    assert tokens <= set(committed) and not tokens & rolled_back
    # each family whole: as many persons saved as its size
    assert all(size == persons for _token, size, persons in households.values())
    # one moment of the database: the camp's counter, the numbers and the audit trail agree
    count = len(households)
    assert _query(target, "SELECT household_counter FROM camps WHERE id = :id", id=camp_id) == [(count,)]
    assert set(households) == {format_number("KHR", n) for n in range(1, count + 1)}
    assert _query(target, "SELECT count(*) FROM audit_events WHERE action = 'household.register'") == [(count,)]
    assert (
        (info.households, info.persons)
        == (restored.households, restored.persons)
        == (count, sum(size for _token, size, _persons in households.values()))
    )
    if new_database.kind == "sqlite":
        assert _query(target, "PRAGMA integrity_check") == [("ok",)]
        assert _query(target, "PRAGMA foreign_key_check") == []


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "camp.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    engine.dispose()
    assert _mode(path) == 0o600
