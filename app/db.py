"""Plain SQLAlchemy 2.x: declarative base, engine set-up and one session per request."""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from urllib.request import pathname2url

from flask import Flask, abort, current_app, g, has_request_context, request
from sqlalchemy import CheckConstraint, MetaData, Table, cast, create_engine, event, func, literal, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

try:
    import fcntl
except ImportError:  # Windows: the thread lock alone, SQLite's busy handler between processes
    fcntl = None  # type: ignore[assignment]  # an optional module

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: requests that only read: SQLite begins them deferred, and their few writes are committed aside
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(column: str, values: Iterable[str], *, nullable: bool = False) -> CheckConstraint:
    """The CHECK constraint (named after the column) that keeps ``column`` to ``values``, e.g. a label dict's
    keys, so that the allowed values are written once. ``nullable``: NULL is allowed too."""
    quoted = ", ".join(f"'{value}'" for value in values)
    allowed = f"{column} IN ({quoted})"
    return CheckConstraint(f"{column} IS NULL OR {allowed}" if nullable else allowed, name=column)


def utcnow() -> datetime:
    """Naive UTC timestamp: both SQLite and PostgreSQL store it the same way."""
    return datetime.now(UTC).replace(tzinfo=None)


#: the app's PostgreSQL connections give up on a server that does not answer, and notice a dead one
POSTGRES_CLIENT_LIMITS = {
    "connect_timeout": 10,
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
#: ... and the server ends a transaction whose client vanished (a power cut or a cable pulled at the app server)
#: within minutes, not after the 2 hours of TCP's default keepalive: until then it would hold its rows' locks (a
#: camp's household counter) and every desk of that camp would wait.
POSTGRES_SERVER_LIMITS = {
    "tcp_keepalives_idle": "30",
    "tcp_keepalives_interval": "10",
    "tcp_keepalives_count": "3",
    "idle_in_transaction_session_timeout": "5min",
}


def _postgres_session_limits(dbapi_connection, _record) -> None:
    with dbapi_connection.cursor() as cursor:
        for name, value in POSTGRES_SERVER_LIMITS.items():
            cursor.execute(f"SET {name} = {value!r}")  # names and values are the constants above
    dbapi_connection.commit()  # a SET in a transaction rolled back later would be undone


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (so SAVEPOINT works);
    # see "Serializable isolation / Savepoints / Transactional DDL" in SQLAlchemy's SQLite notes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # FULL: a commit is on disk (the WAL synced) before the request is answered. NORMAL may lose the
    # last saves when a camp laptop loses power, after the desk was told they were saved.
    cursor.execute("PRAGMA synchronous=FULL")
    files = [row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main" and row[2]]
    cursor.close()
    for path in (f"{name}{suffix}" for name in files for suffix in ("", "-wal", "-shm")):
        _owner_only(path)


def _owner_only(path: str) -> None:
    """The database holds refugees' personal data: its files are readable by their owner only."""
    try:
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, 0o600)
    except FileNotFoundError:
        pass
    except PermissionError:  # another account's file, e.g. a read-only copy: leave it
        pass


def sqlite_file(database: str | None) -> str | None:
    """The file of an SQLite URL's database part, or None for an in-memory or URI database."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database


def _existing_file_only(_dialect, _record, cargs, cparams) -> None:
    """Open the SQLite file read-write but never create it (``mode=rw``)."""
    cargs[0] = "file:" + pathname2url(os.path.abspath(cargs[0])) + "?mode=rw"
    cparams["uri"] = True


#: per SQLite engine, the lock this process's writers queue on (see _sqlite_begin)
_WRITERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def make_engine(url: str, *, create: bool = True, **kwargs) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection.

    With ``create=False`` (the app's own engine) an SQLite file that does not exist is an error
    instead of a new, empty database: a mistyped path must not look like a working one. Only
    ``panoh db upgrade`` (and a restore) create databases.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not create and url.startswith("postgresql"):
        kwargs.setdefault("pool_pre_ping", True)  # connections from before the server went away are not handed out
        kwargs["connect_args"] = {**POSTGRES_CLIENT_LIMITS, **kwargs.get("connect_args", {})}
    # hide_parameters: SQL errors must never carry refugees' data into logs.
    engine = create_engine(url, hide_parameters=True, **kwargs)
    if engine.dialect.name == "postgresql" and not create:
        event.listen(engine, "connect", _postgres_session_limits)
    if engine.dialect.name == "sqlite":
        if not create and sqlite_file(engine.url.database):
            event.listen(engine, "do_connect", _existing_file_only)
        _WRITERS[engine] = _WriterLock(engine.url.database)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "commit", _release_writer)
        event.listen(engine, "rollback", _release_writer)
        event.listen(engine.pool, "checkin", _release_on_checkin)
    return engine


def writes_late(view: Callable) -> Callable:
    """Mark a view whose reading part (checks, signatures) need not hold SQLite's write lock."""
    view.writes_late = True  # type: ignore[attr-defined]  # an attribute on a function: no type can say so
    return view


def begin_write(session: Session) -> None:
    """In a ``@writes_late`` request on SQLite: end the reading transaction, so that the next
    statement starts one that holds the write lock. Elsewhere (PostgreSQL, command line, tests
    in one transaction) it does nothing. What was read must be checked again by the write
    (a unique index, ``ON CONFLICT``): another writer may have gone in between."""
    if (
        not has_request_context()
        or g.get("panoh_write_now")
        or session.get_bind().dialect.name != "sqlite"
        or not _writes_late()
    ):
        return
    g.panoh_write_now = True
    if session.in_transaction():
        session.commit()


def _writes_late() -> bool:
    """Whether the request's view is marked ``@writes_late``."""
    return getattr(current_app.view_functions.get(request.endpoint or ""), "writes_late", False)


class _WriterLock:
    """The queue SQLite writers wait in: a thread lock within this process and, for a database
    file on Linux or macOS, an exclusive flock on ``<database>-writers.lock`` across the
    server's worker processes (the kernel wakes the next waiter; nothing sleeps and polls)."""

    def __init__(self, database: str | None) -> None:
        self._thread = threading.Lock()
        self._path = f"{database}-writers.lock" if database and database != ":memory:" and fcntl else None
        self._fd: int | None = None
        self._pid: int | None = None

    def acquire(self) -> None:
        self._thread.acquire()
        if self._path:
            try:
                if self._pid != os.getpid():  # a forked worker opens its own descriptor
                    try:
                        self._fd, self._pid = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
                    except OSError as exc:  # a read-only folder: SQLite refuses the write itself (a 503)
                        log.warning("cannot open the writers' lock file %s: %s", self._path, exc.strerror)
                        return
                assert self._fd is not None  # opened above by this process
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            except BaseException:
                self._thread.release()
                raise

    def release(self) -> None:
        if self._path and self._fd is not None and self._pid == os.getpid():
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread.release()


def _sqlite_begin(connection) -> None:
    """Requests that change data take SQLite's write lock at once (BEGIN IMMEDIATE).

    A deferred transaction that read first and writes later fails at once with "database is
    locked" when another writer committed in between; an immediate one waits its turn instead.
    Writers of this process first queue on a lock of their own: SQLite's busy handler makes a
    waiting writer sleep and poll with growing pauses (up to 100 ms each), which under a few
    concurrent writers turned 10 ms saves into waits of seconds. SQLite still guards the data
    (other processes, such as the command line, wait in its busy handler as before).

    Views marked ``@writes_late`` read first without the lock and call ``begin_write`` just
    before they write, so that only the write itself waits in the queue.
    """
    writing = connection.get_execution_options().get("panoh_write") or (
        has_request_context()
        and request.method not in SAFE_METHODS
        and (g.get("panoh_write_now") or not _writes_late())
    )
    if not writing:
        connection.exec_driver_sql("BEGIN")
        return
    lock = _WRITERS[connection.engine]
    lock.acquire()
    connection.connection.info["panoh_writer"] = lock
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        _release_writer(connection)
        raise


def _release_writer(connection) -> None:
    lock = connection.connection.info.pop("panoh_writer", None)
    if lock is not None:
        lock.release()


def _release_on_checkin(_dbapi_connection, record) -> None:
    """A connection going back to the pool never keeps the writers' lock (it was rolled back)."""
    lock = record.info.pop("panoh_writer", None)
    if lock is not None:
        lock.release()


class Database:
    """Holds the engine and hands each request one lazily opened session."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url, create=False)
        self.session_factory: Callable[[], Session] = sessionmaker(self.engine, expire_on_commit=False)

    def init_app(self, app: Flask) -> None:
        app.extensions["panoh.db"] = self
        app.teardown_appcontext(_close_session)


def get_db() -> Database:
    return current_app.extensions["panoh.db"]


def get_session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = get_db().session_factory()
    return g.db_session


def commit_request(response_status: int) -> None:
    """Commit the request's work when it succeeded (status < 400), otherwise roll it back."""
    session: Session | None = g.pop("db_session", None)
    if session is None:
        return
    try:
        if response_status < 400:
            session.commit()
        else:
            _quiet_rollback(session)
    finally:
        session.close()


def _close_session(exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        _quiet_rollback(session)
        session.close()


def _quiet_rollback(session: Session) -> None:
    """Roll back; a connection that is already gone (the database away) has nothing to undo."""
    try:
        session.rollback()
    except sa_exc.SQLAlchemyError as exc:
        if database_problem(exc) is None:
            raise


@contextmanager
def own_transaction(*, write: bool = False) -> Iterator[Session]:
    """A session of its own for one transaction: committed when the block succeeds, else rolled back.

    ``write``: a short write outside a request (a step of a background import), which on SQLite
    takes the write lock at its start, in the writers' queue, as a desk's request does: a
    transaction that read first could not start writing once another writer had committed.
    """
    session = get_db().session_factory()
    try:
        if write and isinstance(session.get_bind(), Engine):  # (not a test's session on its one connection)
            session.connection(execution_options={"panoh_write": True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def commit_aside(write: Callable[[Session], object], *, fail_open: str | None = None) -> None:
    """Commit a small write in its own short transaction, apart from the request's.

    For writes a reading request makes (the audit of a record being opened, a token's last use):
    on SQLite a read transaction cannot start writing once another request has committed, and
    these records must not depend on the page's own outcome anyway. A request that writes holds
    SQLite's write lock already (BEGIN IMMEDIATE), so there the write joins its own transaction:
    a second connection would wait for that lock until it timed out. A ``@writes_late`` request
    that has not begun writing holds no lock: its small write is committed aside too, so that it
    does not make the request hold the write lock while it reads (a token's last use would).

    ``fail_open`` (what the write records, in words and ids for the log, never personal data):
    when the database can read but not write (a full or read-only disk), a reading request goes
    on without this write and the log keeps the line instead of an error page for the reader.
    """
    if (
        has_request_context()
        and request.method not in SAFE_METHODS
        and (g.get("panoh_write_now") or not _writes_late())
    ):
        write(get_session())
        return
    try:
        with own_transaction() as session:
            write(session)
    except sa_exc.SQLAlchemyError as exc:
        if fail_open is None or database_problem(exc) is None:
            raise
        log.warning(
            "NOT SAVED (the database cannot write: %s): %s", type(getattr(exc, "orig", None) or exc).__name__, fail_open
        )


def advance_sequences(session: Session, *tables: Table) -> None:
    """After rows were written with explicit ids (bulk loaders): move each table's id sequence
    past the highest id, so that the next ordinary insert does not collide (PostgreSQL; SQLite
    takes the next rowid by itself). A sequence already further on is left where it is."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        sequence = session.scalar(select(func.pg_get_serial_sequence(table.name, "id")))
        if sequence:
            regclass = cast(literal(sequence), REGCLASS)
            session.execute(
                select(
                    func.setval(
                        regclass,
                        func.greatest(
                            func.coalesce(func.max(table.c.id), 0),
                            1,
                            func.coalesce(func.pg_sequence_last_value(regclass), 0),
                        ),
                    )
                )
            )


#: SQLSTATE classes and codes of PostgreSQL that mean "the database is away" or "cannot write now"
_PG_AWAY = ("08", "57P", "53300", "42P01")
_PG_CANNOT_WRITE = ("25006", "53100", "53200", "58030")
_SQLITE_CANNOT_WRITE = ("readonly database", "disk is full", "disk i/o error")
_SQLITE_AWAY = ("unable to open database file", "no such table", "database is locked", "file is not a database")


def database_problem(exc: BaseException) -> str | None:
    """'away' when the database cannot be reached (or has no schema, or stays locked), 'cannot_write'
    when it answers but refuses writes (full disk, read-only), None for any other error (a bug)."""
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free
        return "away"
    if not isinstance(exc, sa_exc.DBAPIError):
        return None
    state = getattr(exc.orig, "sqlstate", None) or ""
    message = str(exc.orig).lower()
    if state.startswith(_PG_CANNOT_WRITE) or any(part in message for part in _SQLITE_CANNOT_WRITE):
        return "cannot_write"
    if (
        state.startswith(_PG_AWAY)
        or any(part in message for part in _SQLITE_AWAY)
        or exc.connection_invalidated
        or (not state and isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError))
    ):
        return "away"
    return None


def update_fields(obj, values: dict) -> list[str]:
    """Set the attributes of ``obj`` whose value differs in ``values``; returns their names, sorted (for the audit)."""
    changed = sorted(key for key, value in values.items() if getattr(obj, key) != value)
    for key in changed:
        setattr(obj, key, values[key])
    return changed


def get_or_404(session: Session, model, ident):
    obj = session.get(model, ident)
    if obj is None:
        abort(404)
    return obj
