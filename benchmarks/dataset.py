"""The benchmark database: a demo world of N households, built by migrations plus ``build_world``.

SQLite databases are cached in ``benchmarks/cache/`` under a name made of the size, the seed and a
hash of the migrations, the demo generator and the duplicate keys, so changing any builds a new one.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / "cache"
#: files whose change makes a different database: the schema, the demo generator and the blocking keys it stores
SOURCES = (
    ROOT / "migrations" / "versions",
    ROOT / "app" / "demo",
    ROOT / "registration" / "dedup" / "matching.py",
    ROOT / "registration" / "names.py",
    ROOT / "camps" / "layout" / "generator.py",
    ROOT / "camps" / "layout" / "distances.py",
)


@dataclass
class Dataset:
    url: str
    dialect: str  # 'sqlite' or 'postgresql'
    build_s: float | None  # seconds, when it was built in this run
    path: Path | None = None  # the cached SQLite file


def fingerprint() -> str:
    """A short hash of every source file that shapes the database."""
    digest = hashlib.sha256()
    for source in SOURCES:
        files = [source] if source.is_file() else sorted(source.rglob("*"))
        for path in (p for p in files if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def dialect_of(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def prepare(size: int, seed: int, url: str | None = None) -> Dataset:
    """The database to benchmark: the cached SQLite file (built when missing), or ``url``."""
    if url:
        return _external(url, size, seed)
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"panoh-{size}-seed{seed}-{fingerprint()}.sqlite3"
    with _locked(path):  # runs at the same time build a database once, not over each other
        build_s = None if path.exists() else _build_cached(path, size, seed)
    return Dataset(url=f"sqlite:///{path}", dialect="sqlite", build_s=build_s, path=path)


@contextmanager
def _locked(path: Path):
    with open(path.with_suffix(".lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Waiting for another run that builds {path.name}.", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _build_cached(path: Path, size: int, seed: int) -> float:
    """Build into a scratch file and move it into place only when complete."""
    _remove_stale(size, seed, keep=path)
    partial = path.with_suffix(".partial")
    for leftover in CACHE.glob(partial.name + "*"):  # from an interrupted run (we hold the lock)
        leftover.unlink()
    print(f"Building {path.name} ({size:,} households); this is done once.", file=sys.stderr)
    build_s = build(f"sqlite:///{partial}", size, seed)
    partial.replace(path)
    return build_s


def working_copy(dataset: Dataset, folder: Path) -> str:
    """A URL the server may write to: a copy of a cached SQLite file keeps the cache unchanged."""
    if dataset.path is None:
        return dataset.url
    copy = folder / "panoh.sqlite3"
    shutil.copyfile(dataset.path, copy)
    return f"sqlite:///{copy}"


def build(url: str, size: int, seed: int) -> float:
    """Migrate ``url`` and load the demo world into it; return the seconds it took."""
    from app import create_app
    from app.cli import cli_session
    from app.demo.world import build_world
    from app.migrations import upgrade

    started = time.perf_counter()
    upgrade(url)
    with tempfile.TemporaryDirectory(prefix="panoh-bench-build-") as instance:
        app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench-build"})
        with app.app_context(), cli_session() as session:
            build_world(session, households=size, seed=seed)
        app.extensions["panoh.db"].engine.dispose()  # closes SQLite cleanly: no -wal file left
    return time.perf_counter() - started


def _external(url: str, size: int, seed: int) -> Dataset:
    """A database the caller names: built when empty, used as is when it has ``size`` households."""
    from sqlalchemy import text

    from app.db import make_engine
    from app.migrations import upgrade

    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM households")).scalar_one()
    engine.dispose()
    if count == 0:
        # Migrated twice (the call above and build's): harmless, the second finds nothing to do.
        return Dataset(url=url, dialect=dialect_of(url), build_s=build(url, size, seed))
    if count != size:
        raise SystemExit(f"{url} holds {count:,} households, not {size:,}: give an empty database or --size {count}")
    return Dataset(url=url, dialect=dialect_of(url), build_s=None)


def _remove_stale(size: int, seed: int, keep: Path) -> None:
    """Delete databases of the same size and seed built from other sources (they are large)."""
    for old in CACHE.glob(f"panoh-{size}-seed{seed}-*"):
        if not old.name.startswith(keep.stem):
            old.unlink(missing_ok=True)
