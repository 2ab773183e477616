"""A small HTTP/1.1 client on the standard library: one kept-alive connection, cookies, status checks."""

from __future__ import annotations

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

_CSRF = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*>')
_VALUE = re.compile(r'\bvalue="([^"]*)"')


class BenchError(RuntimeError):
    """A response the benchmark did not expect: the run stops."""


class Client:
    """One connection to the server, as one browser tab or API client would hold it."""

    def __init__(
        self, host: str, port: int, headers: dict | None = None, cookies: dict | None = None, timeout: float = 60
    ) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = dict(headers or {})
        self.cookies = dict(cookies or {})
        self._conn: http.client.HTTPConnection | None = None

    def clone(self) -> Client:
        """A new connection with the same headers and cookies (the same signed-in session)."""
        return Client(self.host, self.port, self.headers, self.cookies, self.timeout)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """Send one request and read the whole answer; returns ``(status, headers, body)``."""
        sent = {**self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):  # a kept-alive connection the server closed is reopened once
            conn = self._conn or http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self._conn = conn
            try:
                conn.request(method, path, body=body, headers=sent)
                response = conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        if response.will_close:
            self.close()
        return response.status, response.headers, data

    def get(self, path: str, expect: int = 200) -> bytes:
        status, _headers, body = self.request("GET", path)
        _check(status, expect, "GET", path, body)
        return body

    def sign_in(self, username: str, password: str) -> None:
        """Sign in through the login form (CSRF token included), keeping the session cookie."""
        page = self.get("/login").decode()
        field = _CSRF.search(page)
        token = _VALUE.search(field.group(0)) if field else None
        if token is None:
            raise BenchError("no csrf_token input on /login")
        form = urlencode({"username": username, "password": password, "csrf_token": token.group(1)})
        status, headers, body = self.request(
            "POST", "/login", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302 or "/login" in headers.get("Location", ""):
            raise BenchError(f"signing in as {username} failed: HTTP {status} {body[:300]!r}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _keep_cookies(self, lines: list[str]) -> None:
        for line in lines:
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def _check(status: int, expect: int, method: str, path: str, body: bytes) -> None:
    if status != expect:
        raise BenchError(f"{method} {path}: HTTP {status}, expected {expect}: {body[:300]!r}")
