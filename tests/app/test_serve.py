"""``panoh serve`` as a process (issue 14, item 7): a killed worker is replaced and logged, no worker
outlives its master, a second server on a taken port fails loudly, and a server whose workers cannot
boot exits non-zero, so that a restart-on-failure service restarts it."""

from __future__ import annotations

import configparser
import os
import signal
import socket
import sys

import pytest

from tests.conftest import migrate
from tests.serving import HOST, ROOT, Serve, alive, wait_until

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker processes: Linux")

#: run in the server before ``panoh serve``: every worker's database set-up fails after the fork
BROKEN_WORKERS = """
import os
from sqlalchemy.engine import Engine
_master, _dispose = os.getpid(), Engine.dispose
def _broken(self, *args, **kwargs):
    if os.getpid() != _master:
        raise RuntimeError('this worker cannot open its database connections')
    return _dispose(self, *args, **kwargs)
Engine.dispose = _broken
"""


@pytest.fixture()
def database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    migrate(url)
    return url


def _refuses_connections(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=2):
            return False
    except OSError:
        return True


def test_a_killed_worker_is_replaced_and_logged(database, tmp_path):
    with Serve(database, tmp_path, workers=2) as server:
        first, second = server.wait_workers()
        os.kill(first, signal.SIGKILL)
        wait_until(
            lambda: len(server.worker_pids()) == 2 and first not in server.worker_pids(),
            30,
            "a new worker in place of the killed one",
        )
        assert second in server.worker_pids()
        assert server.healthy()
        assert str(first) in server.log_text()  # the master says which worker died
        assert server.process.poll() is None


def test_killing_every_worker_does_not_stop_the_server(database, tmp_path):
    with Serve(database, tmp_path, workers=2) as server:
        killed = server.wait_workers()
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        wait_until(
            lambda: len(server.worker_pids()) == 2 and not set(killed) & set(server.worker_pids()),
            30,
            "two new workers",
        )
        wait_until(server.healthy, 30, "an answer from the new workers")
        assert server.process.poll() is None


def test_no_worker_serves_on_when_the_master_is_killed(database, tmp_path):
    with Serve(database, tmp_path, workers=2) as server:
        workers = server.wait_workers()
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
        wait_until(lambda: not any(alive(pid) for pid in workers), 30, "the orphaned workers stopping")
        assert _refuses_connections(server.port)
        # the port is free again: a new server starts in its place
        with Serve(database, tmp_path, workers=2, port=server.port) as again:
            assert again.healthy()


def test_a_second_server_on_the_same_port_fails_loudly(database, tmp_path):
    with Serve(database, tmp_path, workers=2) as server:
        second = Serve(database, tmp_path, workers=2, port=server.port)
        try:
            second.launch().wait(60)
        finally:
            second.stop()
        assert second.process.returncode != 0
        assert "in use" in second.log_text().lower()
        assert server.healthy()


def test_workers_that_cannot_boot_stop_the_server_with_a_failure(database, tmp_path):
    server = Serve(database, tmp_path, workers=2, prelude=BROKEN_WORKERS)
    try:
        code = server.launch().wait(60)
    finally:
        server.stop()
    assert code != 0
    assert "cannot open its database connections" in server.log_text()


def test_a_stop_signal_ends_master_and_workers_cleanly(database, tmp_path):
    with Serve(database, tmp_path, workers=2) as server:
        workers = server.wait_workers()
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(30) == 0
        wait_until(lambda: not any(alive(pid) for pid in workers), 30, "the workers stopping")


def test_tls_serves_https_with_a_self_signed_certificate_made_once(database, tmp_path):
    with Serve(database, tmp_path, workers=1, tls=True) as server:
        assert server.request("GET", "/healthz")[0] == 200
    assert (tmp_path / "tls-cert.pem").exists()
    assert (tmp_path / "tls-key.pem").stat().st_mode & 0o077 == 0


def test_systemd_hears_when_the_server_listens(database, tmp_path):
    """docs/panoh.service is Type=notify: the server tells systemd it is ready."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(tmp_path / "notify"))
        listener.settimeout(60)
        server = Serve(database, tmp_path, workers=1)
        server.env["NOTIFY_SOCKET"] = str(tmp_path / "notify")
        with server:
            assert b"READY=1" in listener.recv(4096)


def test_the_service_unit_restarts_the_server_when_it_fails():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(ROOT / "docs" / "panoh.service")
    service = unit["Service"]
    assert service["Restart"] == "on-failure"
    assert service["Type"] == "notify"
    assert " serve " in service["ExecStart"] and service["ExecStart"].split()[0].endswith("/panoh")
    assert unit["Install"]["WantedBy"] == "multi-user.target"
