"""Faults a server meets: a small full disk (tmpfs), a PostgreSQL server that goes away and comes back."""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import subprocess
import threading
from pathlib import Path

import pytest


@contextlib.contextmanager
def small_disk(folder: Path, size_kb: int):
    """A tmpfs of ``size_kb`` mounted at ``folder`` (root only; skipped elsewhere)."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@contextlib.contextmanager
def read_only_view(folder: Path, at: Path):
    """``folder`` seen read-only at ``at`` (a read-only bind mount; root only, skipped elsewhere)."""
    at.mkdir(parents=True, exist_ok=True)
    for command in (["mount", "--bind", str(folder), str(at)], ["mount", "-o", "remount,bind,ro", str(at)]):
        mounted = subprocess.run(command, capture_output=True, check=False)
        if mounted.returncode != 0:
            subprocess.run(["umount", "-l", str(at)], capture_output=True, check=False)
            pytest.skip(f"cannot mount a read-only folder here: {mounted.stderr.decode().strip()}")
    try:
        yield at
    finally:
        subprocess.run(["umount", "-l", str(at)], check=False)


def fill(folder: Path) -> Path:
    """Fill the disk of ``folder`` until it has no room; returns the filler file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)
    return filler


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a server; ``stop()`` drops every connection and refuses new
    ones (the database is away), ``start()`` lets them through again on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _addr = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        try:
            while True:
                for key, _events in selector.select():
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()
            for sock in (a, b):
                with contextlib.suppress(OSError):
                    sock.close()


def disk_free(path: str | os.PathLike) -> int:
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize
