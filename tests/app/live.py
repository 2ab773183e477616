"""``panoh serve`` in a process of its own, and a small browser-like HTTP client for it."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def serve(database_url: str, folder: Path, *, workers: int = 2, env: dict | None = None):
    """Run ``panoh serve --workers N`` on a free port; yields its base URL; stopped on the way out."""
    port = free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PANOH_DATABASE_URL": database_url,
        "PANOH_INSTANCE_PATH": str(folder / "instance"),
        "PANOH_SECRET_KEY": "live-test-secret",
        "PANOH_ARGON2_PROFILE": "fast",
        **(env or {}),
    }
    log_path = folder / f"serve-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from app.factory import main; main()",
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=environment,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"panoh serve exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(base + "/login", timeout=2).close()  # noqa: S310 - the test's own server on loopback
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"panoh serve did not answer:\n{log_path.read_text()[-3000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class Browser:
    """Cookies kept, redirects not followed, a fresh connection for every request."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method=method)  # noqa: S310 - likewise
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, page: str, path: str, data: dict):
        """POST ``data`` with the CSRF token of the form on ``page``."""
        _status, _headers, html = self.get(page)
        token = re.search(rb'name="csrf_token" value="([^"]+)"', html).group(1).decode()
        return self.request("POST", path, {**data, "csrf_token": token})

    def login(self, username: str, password: str) -> None:
        status, headers, _body = self.post_form("/login", "/login", {"username": username, "password": password})
        assert status == 302 and "/login" not in headers["Location"], status
