"""A real SQLite file with a connection per request, as the server has (the per-test transaction of
the other tests shares one connection), and a second worker process to try limits from."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import select

from app import create_app
from app.db import own_transaction
from tests.conftest import migrate
from tests.factories import PASSWORD


@pytest.fixture()
def file_app(tmp_path):
    url = f"sqlite:///{tmp_path / 'real.sqlite3'}"
    migrate(url)
    application = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "ARGON2_PROFILE": "fast",
            "WTF_CSRF_ENABLED": False,
        }
    )
    yield application
    application.extensions["panoh.db"].engine.dispose()


def make_user(app, username: str, **kwargs) -> None:
    from app.users.services import create_user
    from camps.sites.models import Camp

    with app.app_context(), own_transaction() as session:
        camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
        if camp is None:
            camp = Camp(code="KHR", name="K", region_code="TJ-KT", status="open", household_counter=0)
            session.add(camp)
            session.flush()
        create_user(
            session,
            None,
            username=username,
            full_name="Z",
            password=PASSWORD,
            roles=["registration_clerk"],
            camp_ids=[camp.id],
            must_change_password=False,
            **kwargs,
        )


def in_another_process(app, work) -> None:
    """Run ``work(app)`` in a forked process, as a second worker of the server would."""
    app.extensions["panoh.db"].engine.dispose(close=False)
    process = multiprocessing.get_context("fork").Process(target=_child, args=(app, work))
    process.start()
    process.join(60)
    assert process.exitcode == 0


def _child(app, work) -> None:
    app.extensions["panoh.db"].engine.dispose(close=False)
    work(app)
