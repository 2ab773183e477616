"""The distribution point's scan page: a shell the browser keeps working offline.

The server renders only the frame (round name, API addresses, translated messages as data
attributes); static/js/distribution-scan.js does the rest against the JSON API under /api/v1,
and static/js/distribution-sw.js (served from /distributions/ so that its scope covers the page)
keeps the page and its scripts in the browser's cache for when the link drops.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, url_for
from flask_babel import format_date
from flask_login import current_user
from sqlalchemy import select

from app import permissions as P
from app.campday import camp_today
from app.db import get_session
from app.permissions import requires
from camps.distributions.models import COLLECTORS
from camps.distributions.rounds import is_open_on, round_for_user, rounds_query
from camps.sites.models import Camp

bp = Blueprint("scan", __name__)

#: static files the page needs offline, cached by the service worker
OFFLINE_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.rtl.min.css",
    "css/panoh.css",
    "css/distribution-scan.css",
    "js/panoh.js",
    "js/card-verify.js",
    "js/distribution-scan.js",
    "js/scan/camera-button.js",
    "js/scan/check.js",
    "js/scan/codes.js",
    "js/scan/counter.js",
    "js/scan/dom.js",
    "js/scan/format.js",
    "js/scan/net.js",
    "js/scan/package.js",
    "js/scan/state.js",
    "js/scan/status.js",
    "js/scan/store.js",
    "js/scan/sounds.js",
    "js/scan/sync.js",
    "js/scan/verdict.js",
    "js/scan/camera.js",
    "js/scan/decoder.js",
    "js/scan/qr-worker.js",
    "vendor/zxing-wasm/zxing-reader.js",
    "vendor/zxing-wasm/zxing_reader.wasm",
    "img/panoh.svg",
)


def _scope() -> str:
    """The service worker's scope: every page under /distributions/ (behind any prefix the app has)."""
    return url_for("scan.index") + "/"


@bp.route("/distributions")
@requires(P.DISTRIBUTIONS_RECORD)
def index():
    """Open rounds in the officer's camps, each with a big Scan button."""
    session = get_session()
    rounds = list(session.scalars(rounds_query(current_user, status="open")))
    camp_ids = {r.camp_id for r in rounds}
    camps = {camp.id: camp for camp in session.scalars(select(Camp).where(Camp.id.in_(camp_ids)))} if rounds else {}
    today = camp_today()
    return render_template(
        "distributions/scan_index.html",
        rounds=rounds,
        camps=camps,
        open_today={r.id: is_open_on(r, today) for r in rounds},
    )


@bp.route("/distributions/rounds/<int:round_id>/scan")
@requires(P.DISTRIBUTIONS_RECORD)
def scan_page(round_id: int):
    session = get_session()
    round_ = round_for_user(session, current_user, round_id)
    if round_ is None:
        abort(404)
    camp = session.get_one(Camp, round_.camp_id)
    urls = {
        "package": url_for("distributions_api.package", round_id=round_.id),
        "check": url_for("distributions_api.check", round_id=round_.id),
        "collections": url_for("distributions_api.record", round_id=round_.id),
        "sync": url_for("distributions_api.sync", round_id=round_.id),
        "sw": url_for("scan.service_worker"),
        "scope": _scope(),
        "page": url_for("scan.scan_page", round_id=round_.id),
        "index": url_for("scan.index"),
        "worker": url_for("scan.qr_worker"),
    }
    assets = [url_for("static", filename=name) for name in OFFLINE_ASSETS] + [urls["worker"]]
    dates = f"{format_date(round_.starts_on, 'medium')} – {format_date(round_.ends_on, 'medium')}"
    return render_template(
        "distributions/scan.html", round=round_, camp=camp, urls=urls, assets=assets, collectors=COLLECTORS, dates=dates
    )


@bp.route("/distributions/sw.js")
@requires(P.DISTRIBUTIONS_RECORD)
def service_worker():
    """The service worker's script, served under /distributions/ so it may control the scan pages."""
    assert current_app.static_folder is not None  # the app serves its static folder
    source = Path(current_app.static_folder, "js", "distribution-sw.js").read_text(encoding="utf-8")
    return Response(
        source,
        mimetype="application/javascript",
        headers={"Service-Worker-Allowed": _scope(), "Cache-Control": "no-cache"},
    )


@bp.route("/distributions/qr-worker.js")
@requires(P.DISTRIBUTIONS_RECORD)
def qr_worker():
    """The camera's decoder worker, served under /distributions/ too: a worker is controlled by the service
    worker whose scope holds the worker's own URL, and only then does it load offline (the script, zxing and
    its WebAssembly from the cache)."""
    assert current_app.static_folder is not None  # the app serves its static folder
    source = Path(current_app.static_folder, "js", "scan", "qr-worker.js").read_text(encoding="utf-8")
    return Response(source, mimetype="application/javascript", headers={"Cache-Control": "no-cache"})
