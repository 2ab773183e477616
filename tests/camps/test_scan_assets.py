"""The scan page's ES modules are all cached for offline use: every module distribution-scan.js imports,
directly or through another, is in OFFLINE_ASSETS (the service worker caches those at the first visit)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from camps.distributions.rounds import create_round
from camps.distributions.scan_views import OFFLINE_ASSETS

STATIC = Path(__file__).resolve().parents[2] / "static"
IMPORT = re.compile(r"""^\s*import\s[^'"]*?from\s+['"](\.{1,2}/[^'"]+)['"]""", re.MULTILINE | re.DOTALL)


def _imported(entry: str) -> set[str]:
    """Paths under static/ of entry and of every module it imports, followed through the imports."""
    seen: set[str] = set()
    todo = [STATIC / entry]
    while todo:
        path = todo.pop()
        name = path.resolve().relative_to(STATIC.resolve()).as_posix()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(path.parent / target for target in IMPORT.findall(path.read_text(encoding="utf-8")))
    return seen


def test_every_module_of_the_scan_page_is_cached_for_offline():
    modules = _imported("js/distribution-scan.js")
    assert {"js/scan/state.js", "js/scan/verdict.js", "js/scan/sync.js", "js/scan/decoder.js"} <= modules
    assert modules - set(OFFLINE_ASSETS) == set()


def test_every_cached_file_exists():
    assert [name for name in OFFLINE_ASSETS if not (STATIC / name).is_file()] == []


def test_the_scan_page_lists_its_modules_for_the_service_worker(client, login_as, session, make):
    login_as("distribution_officer")
    round_ = create_round(
        session,
        make.user(roles=["site_manager"]),
        make.camp("KHR"),
        {
            "name": "Assets round",
            "starts_on": date.today(),
            "ends_on": date.today(),
            "rule": "household",
            "brackets": "",
            "statuses": ["active"],
            "alternates_allowed": True,
            "items": [{"name": "Wheat flour", "unit": "kg", "quantity": 25}],
        },
    )
    html = client.get(f"/distributions/rounds/{round_.id}/scan").get_data(as_text=True)
    assets = re.search(r'data-assets="([^"]*)"', html).group(1).split()
    assert {f"/static/{name}" for name in _imported("js/distribution-scan.js")} <= set(assets)
