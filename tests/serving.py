"""``panoh serve`` in a process of its own, for the tests that need the real server: HTTPS in
Chromium, worker processes killed and replaced, kill -9 under load.

The server runs this checkout's code (``python -c 'from app.factory import main; main()'`` from the
repository root) against a database the test prepared, with its own instance folder.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from app.db import make_engine
from benchmarks.server import ServerProcess, free_port

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
#: the ``panoh`` command of this checkout (the console script may point at another one)
PANOH = [sys.executable, "-c", "from app.factory import main; main()"]


def pg_schema_url(pg_url: str, schema: str) -> str:
    """A fresh PostgreSQL schema of its own: what the server commits never reaches the shared test schema."""
    drop_pg_schema(pg_url, schema)
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return pg_url + ("&" if "?" in pg_url else "?") + f"options=-csearch_path%3D{schema}"


def drop_pg_schema(pg_url: str, schema: str) -> None:
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (Linux)."""
    found = []
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found.extend(int(p) for p in fh.read().split())
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def wait_until(condition, timeout: float = 30, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout:.0f} s")


class Serve(ServerProcess):
    """``with Serve(url, folder, workers=2) as server:`` runs ``panoh serve`` until the block ends."""

    failure = AssertionError

    def __init__(
        self,
        database_url: str,
        folder: Path,
        *,
        workers: int = 2,
        tls: bool = False,
        threads: int = 4,
        port: int | None = None,
        prelude: str = "",
    ) -> None:
        self.folder = folder
        self.port = port or free_port()
        self.workers, self.tls, self.threads = workers, tls, threads
        self.log_path = folder / f"serve-{self.port}.log"
        self.env = {
            **os.environ,
            "PANOH_DATABASE_URL": database_url,
            "PANOH_INSTANCE_PATH": str(folder),
            "PANOH_SECRET_KEY": "serve-test-secret",
            "PANOH_ARGON2_PROFILE": "fast",
            "PANOH_LOGIN_THROTTLE_PER_IP": "100000",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("PANOH_TEST_DATABASE_URL", None)
        #: Python run in the server process before ``panoh serve`` (tests use it to break a worker)
        self.prelude = prelude
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{HOST}:{self.port}"

    def command(self) -> list[str]:
        code = f"{self.prelude}\nfrom app.factory import main\nmain()" if self.prelude else PANOH[2]
        return [
            PANOH[0],
            "-c",
            code,
            "serve",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            *(["--tls"] if self.tls else []),
        ]

    def launch(self) -> subprocess.Popen:
        """Start the process without waiting for it to answer."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command(), env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self.process

    def wait_workers(self, timeout: float = 60) -> list[int]:
        """Until all ``workers`` processes run; their process ids."""
        wait_until(lambda: len(self.worker_pids()) >= self.workers, timeout, f"{self.workers} workers running")
        return self.worker_pids()

    def worker_pids(self) -> list[int]:
        return [pid for pid in children(self.process.pid) if alive(pid)] if self.process else []

    def healthy(self) -> bool:
        try:
            return self.request("GET", "/healthz", timeout=3)[0] == 200
        except (OSError, http.client.HTTPException):
            return False

    def connection(self, timeout: float = 30) -> http.client.HTTPConnection:
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the self-signed certificate
            return http.client.HTTPSConnection(HOST, self.port, timeout=timeout, context=context)
        return http.client.HTTPConnection(HOST, self.port, timeout=timeout)

    def request(
        self, method: str, path: str, body=None, token: str | None = None, timeout: float = 30
    ) -> tuple[int, dict | str]:
        """One request on a new connection; JSON in and out."""
        conn = self.connection(timeout)
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = None
        if body is not None:
            payload, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            data = response.read().decode()
            with contextlib.suppress(ValueError):
                return response.status, json.loads(data)
            return response.status, data
        finally:
            conn.close()

    def stop(self) -> None:
        """Stop the whole process group (the master and any worker it left)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)
