"""``panoh serve`` with 2 workers: the allocation receiver of ``household_left`` is connected in every worker
(the app is made in the master before the fork), so a departure sent to any worker frees the plot."""

from __future__ import annotations

import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

import pytest

from app.db import own_transaction
from camps.allocation import services as allocation
from camps.allocation.models import current_plot_of
from camps.layout.models import Plot
from tests.app.test_serve_faults import _app
from tests.conftest import migrate
from tests.factories import PASSWORD, Factories
from tests.serving import Serve

pytestmark = [
    pytest.mark.serve,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="panoh serve with gunicorn (Linux)"),
]


def test_departures_sent_to_either_worker_free_their_plots(tmp_path):
    url = f"sqlite:///{tmp_path / 'left.sqlite3'}"
    migrate(url)
    app = _app(url, tmp_path)
    with app.app_context(), own_transaction() as session:
        make = Factories(session)
        make.camp("KHR")
        plots = make.layout("KHR", blocks=1, plots=6)
        households = [make.household("KHR", members=1) for _ in plots]
        for household, plot in zip(households, plots, strict=True):
            allocation.allocate(session, None, household, plot)
        make.user(roles=["registration_supervisor"], camps=["KHR"], username="left.supervisor")
        numbers = [(h.id, h.number) for h in households]
        plot_ids = [p.id for p in plots]
    app.extensions["panoh.db"].engine.dispose()

    with Serve(url, tmp_path, workers=2) as server:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def fetch(path: str, form: dict | None = None) -> str:
            body = urllib.parse.urlencode(form).encode() if form is not None else None
            request = urllib.request.Request(server.base_url + path, data=body)  # noqa: S310 - the local server
            return opener.open(request, timeout=30).read().decode()

        def token(path: str) -> str:
            page = fetch(path)
            return re.search(r'(?:csrf_token" type="hidden" value|csrf-token" content)="([^"]+)"', page).group(1)

        def post(path: str, data: dict) -> None:
            fetch(path, {**data, "csrf_token": token(path.rsplit("/", 1)[0])})

        fetch("/login", {"username": "left.supervisor", "password": PASSWORD, "csrf_token": token("/login")})
        for _id, number in numbers:  # six requests on new connections: both workers answer some
            post(f"/households/{number}/status", {"status": "departed"})

    app = _app(url, tmp_path)
    with app.app_context(), own_transaction() as session:
        assert [current_plot_of(session, household_id) for household_id, _n in numbers] == [None] * len(numbers)
        assert [session.get(Plot, i).household_count for i in plot_ids] == [0] * len(plot_ids)
    app.extensions["panoh.db"].engine.dispose()
