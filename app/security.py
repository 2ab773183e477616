"""HTTP hardening: security headers, a strict Content-Security-Policy, cookie flags and a check that
forms are posted from Panoh's own pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface

CSP = "; ".join(
    [
        "default-src 'self'",
        # no inline script, no eval; WebAssembly may compile (the card QR decoder, static/vendor/zxing-wasm)
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure on HTTPS requests when COOKIE_SECURE is 'auto'."""

    def get_cookie_secure(self, app: Flask) -> bool:
        setting = str(app.config.get("COOKIE_SECURE", "auto")).lower()
        if setting == "auto":
            return request.is_secure
        return setting in {"1", "true", "yes", "on"}


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # Same-origin requests carry the page's address (Flask-WTF's CSRF check refuses a form posted
    # over HTTPS without a Referer of this host); other sites never learn an address, which may
    # hold a household number. "no-referrer" made every sign-in under ``panoh serve --tls`` fail.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if not request.path.startswith("/static/"):
        # Pages hold personal data: shared laptops must not keep copies in their cache.
        headers.setdefault("Cache-Control", "no-store")
    return response


def refuse_cross_origin() -> None:
    """Refuse a state-changing request that a browser says came from another site.

    Besides the CSRF token (and, over HTTPS, Flask-WTF's Referer check), the ``Origin`` header a
    browser sends with every POST must name this host. Requests with a bearer token carry no
    ambient credentials and are not checked; neither are clients that send no ``Origin``. Pages do
    not use the Authorization header (a browser adds it by itself behind an HTTP Basic proxy), so
    it lifts the check only on the API."""
    if request.method in {"GET", "HEAD", "OPTIONS"} or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    origin = request.headers.get("Origin")
    if origin is None or (request.path.startswith("/api/") and request.headers.get("Authorization")):
        return
    if urlsplit(origin).netloc != request.host:
        abort(400, description="The request came from another site. Open Panoh and try again.")
