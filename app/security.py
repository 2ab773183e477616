"""HTTP hardening: security headers, a strict Content-Security-Policy and cookie flags."""
from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface

CSP = '; '.join([
    "default-src 'self'",
    "script-src 'self'",          # no inline script, no eval
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure on HTTPS requests when COOKIE_SECURE is 'auto'."""

    def get_cookie_secure(self, app: Flask) -> bool:
        setting = str(app.config.get('COOKIE_SECURE', 'auto')).lower()
        if setting == 'auto':
            return request.is_secure
        return setting in {'1', 'true', 'yes', 'on'}


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault('Content-Security-Policy', CSP)
    headers.setdefault('X-Content-Type-Options', 'nosniff')
    headers.setdefault('X-Frame-Options', 'DENY')
    headers.setdefault('Referrer-Policy', 'no-referrer')
    headers.setdefault('Cross-Origin-Opener-Policy', 'same-origin')
    headers.setdefault('Permissions-Policy', 'camera=(self), microphone=(), geolocation=()')
    if request.is_secure:
        headers.setdefault('Strict-Transport-Security', 'max-age=31536000')
    if not request.path.startswith('/static/'):
        # Pages hold personal data: shared laptops must not keep copies in their cache.
        headers.setdefault('Cache-Control', 'no-store')
    return response
