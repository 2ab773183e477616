"""The app under test: ``panoh serve`` (the production server) in its own process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Self

import psutil

from benchmarks.client import Client

ROOT = Path(__file__).resolve().parent.parent
PANOH = ROOT / ".venv" / "bin" / "panoh"
HOST = "127.0.0.1"


class ServerProcess:
    """``panoh serve`` in a process of its own: ``with`` starts it and stops it on the way out, error or not.

    A subclass starts the process (``launch``, logging to ``log_path``), says whether it answers
    (``healthy``) and stops it (``stop``); the tests' ``tests.serving.Serve`` is one too."""

    process: subprocess.Popen | None = None
    log_path: Path
    #: what a server that does not come up raises
    failure: type[Exception] = RuntimeError

    @property
    def base_url(self) -> str:
        raise NotImplementedError

    def launch(self) -> subprocess.Popen:
        raise NotImplementedError

    def healthy(self) -> bool:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def start(self, timeout: float = 60) -> None:
        self.launch()
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 60) -> None:
        """Until ``/healthz`` answers."""
        process = self.process
        assert process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise self.failure(f"panoh serve exited with {process.returncode}:\n{self.log_tail()}")
            if self.healthy():
                return
            time.sleep(0.2)
        raise self.failure(f"no healthy answer from {self.base_url}/healthz in {timeout:.0f} s:\n{self.log_tail()}")

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


class Server(ServerProcess):
    """Start with ``with Server(url, folder) as server:``; it is stopped on the way out, error or not."""

    def __init__(self, database_url: str, folder: Path, threads: int = 8) -> None:
        self.port = free_port()
        self.threads = threads
        self.log_path = folder / "server.log"
        self.env = {
            **os.environ,
            "PANOH_DATABASE_URL": database_url,
            "PANOH_INSTANCE_PATH": str(folder / "instance"),
            "PANOH_LOGIN_THROTTLE_PER_IP": "1000000",
        }
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def launch(self) -> subprocess.Popen:
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(PANOH), "serve", "--host", HOST, "--port", str(self.port), "--threads", str(self.threads)],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self.process

    def healthy(self) -> bool:
        probe = Client(HOST, self.port, timeout=2)
        try:
            return probe.request("GET", "/healthz")[0] == 200
        except OSError:
            return False
        finally:
            probe.close()

    def stop(self) -> None:
        """Terminate the server, and kill it when it does not stop within 10 seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def rss_mb(self) -> float:
        """Resident memory of the server and its children, in MB."""
        return sum(self.process_rss_mb())

    def pss_mb(self) -> float:
        """The server's own memory: each process's proportional share (PSS), summed, in MB.

        Pages the workers share with the master after the fork count once, where summing RSS counts
        them once per process."""
        proc = psutil.Process(self.process.pid)
        return sum(p.memory_full_info().pss for p in [proc, *proc.children(recursive=True)]) / 2**20

    def process_rss_mb(self) -> list[float]:
        """Resident memory of each server process (the master, then its workers), in MB."""
        proc = psutil.Process(self.process.pid)
        return [p.memory_info().rss / 2**20 for p in [proc, *proc.children(recursive=True)]]

    def panoh(self, *args: str) -> str:
        """Run a ``panoh`` command against the same database; returns its standard output."""
        done = subprocess.run(
            [str(PANOH), *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode:
            raise RuntimeError(f"panoh {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
        return done.stdout

    def create_token(self, username: str, name: str = "bench") -> str:
        lines = [
            line
            for line in self.panoh("tokens", "create", "--user", username, "--name", name).splitlines()
            if line.startswith("panoh_")
        ]
        if not lines:
            raise RuntimeError("panoh tokens create printed no token")
        return lines[-1]

    def log_problems(self) -> list[str]:
        """Log lines that report errors or warnings (tracebacks included)."""
        return [
            line
            for line in self.log_text().splitlines()
            if any(word in line for word in (" ERROR ", " WARNING ", "Traceback", "CRITICAL"))
        ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]
