"""Screenshots for the README: the desk, the scan page and a feedback case at 800×600 in Tajik.

    python -m tests.browser.screens [--out docs/screens]

Builds a throw-away demo camp (SQLite in a temporary folder), serves it on a thread, and drives Debian's Chromium
as the walking accounts of tests/browser/walk.py. Run it again after the pages change.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import threading
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SIZE = {"width": 800, "height": 600}
#: file name, account, path (a function of the round's scan path and the case path)
SHOTS = (
    ("desk-tg-800x600.png", "walk.clerk", lambda urls: "/register"),
    ("scan-tg-800x600.png", "walk.distribution", lambda urls: urls["scan"]),
    ("feedback-case-tg-800x600.png", "walk.feedback", lambda urls: urls["case"]),
)


def _app(folder: Path):
    from app import create_app
    from app.cli import cli_session
    from app.demo.world import build_world
    from tests.browser.walk import ensure_examples
    from tests.conftest import migrate

    url = f"sqlite:///{folder / 'screens.sqlite3'}"
    migrate(url)
    app = create_app(
        {"DATABASE_URL": url, "INSTANCE_PATH": str(folder), "SECRET_KEY": "screens", "ARGON2_PROFILE": "fast"}
    )
    with app.app_context(), cli_session() as session:
        build_world(session, households=40, seed=7)
    ensure_examples(app)
    return app


def _urls(app) -> dict[str, str]:
    from sqlalchemy import select

    from app.cli import cli_session
    from camps.distributions.models import DistributionRound
    from camps.feedback.models import FeedbackCase
    from camps.sites.models import Camp

    with app.app_context(), cli_session() as session:
        khr = session.scalar(select(Camp.id).where(Camp.code == "KHR"))  # the walking accounts' camp
        round_id = session.scalar(
            select(DistributionRound.id)
            .where(DistributionRound.camp_id == khr, DistributionRound.status == "open")
            .order_by(DistributionRound.id)
        )
        reference = session.scalar(select(FeedbackCase.reference).order_by(FeedbackCase.id))
    return {"scan": f"/distributions/rounds/{round_id}/scan", "case": f"/feedback/cases/{reference}"}


def _compact(png: bytes) -> bytes:
    """At most 256 colours, optimised: a screenshot of a form is about a quarter of Chromium's size."""
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def take(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from tests.browser.fixtures import CHROMIUM, CHROMIUM_ARGS
    from tests.browser.walk import PASSWORD

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder))
        urls = _urls(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, username, path in SHOTS:
                    context = browser.new_context(base_url=base, viewport=SIZE, locale="tg-TJ")
                    page = context.new_page()
                    page.goto("/login")
                    page.fill("input[name=username]", username)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("main button[type=submit]")
                    page.wait_for_url(lambda url: "/login" not in url)
                    page.goto("/account/password")
                    with page.expect_navigation():
                        page.evaluate("""() => { const s = document.querySelector('footer select[name=language]');
                                                 s.value = 'tg'; s.form.submit(); }""")
                    page.goto(path(urls))
                    page.wait_for_load_state("networkidle")
                    page.evaluate("window.scrollTo(0, 0)")  # the desk's first field has the focus, further down
                    target = out / name
                    target.write_bytes(_compact(page.screenshot()))
                    written.append(target)
                    context.close()
                browser.close()
        finally:
            server.shutdown()
            app.extensions["panoh.db"].engine.dispose()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    for path in take(parser.parse_args().out):
        print(f"{path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
