"""Slow work (reading a list, photos, duplicate matching) runs before a request takes its write lock,
so that one slow upload or one slow registration never stalls every desk (issue 12 finding 5, issue
14 item 12).

Real transactions on an SQLite file and on PostgreSQL. While the slow step runs, a second connection
checks that it could write at once: on SQLite by taking the write lock (BEGIN IMMEDIATE, no wait);
on PostgreSQL by locking the camp's household counter row as the counter's UPDATE does (FOR NO KEY
UPDATE NOWAIT): every registration of the camp needs that row.
"""

from __future__ import annotations

import io
import os
import sqlite3
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.db import make_engine, own_transaction
from camps.layout.models import Plot
from registration.dedup.services import store_keys
from registration.households.models import Household
from registration.imports.models import ImportBatch
from tests.conftest import PG_URL, migrate
from tests.factories import Factories
from tests.registration.test_desk import jpeg
from tests.registration.test_desk_pages import form
from tests.registration.test_upload_limits import padded

SCHEMA = f"slow_work_test_{os.getpid()}"


@pytest.fixture(params=["sqlite-file"] + (["postgresql"] if PG_URL else []))
def real_app(request, tmp_path):
    """An app on a database of its own, where every request really commits."""
    if request.param == "postgresql":
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        engine.dispose()
        url = PG_URL + ("&" if "?" in PG_URL else "?") + f"options=-csearch_path%3D{SCHEMA}"
    else:
        url = f"sqlite:///{tmp_path / 'desks.sqlite3'}"
    migrate(url)
    application = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "ARGON2_PROFILE": "fast",
            "WTF_CSRF_ENABLED": False,
            "IMPORTS_INLINE": True,
        }
    )
    yield application
    application.extensions["panoh.db"].engine.dispose()
    if request.param == "postgresql":
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
        engine.dispose()


class Desk:
    """A camp, a signed-in supervisor's browser and an API token, all committed."""

    def __init__(self, app, role: str = "registration_supervisor") -> None:
        from app.users.services import create_token, start_session

        self.app = app
        with app.app_context(), own_transaction() as session:
            make = Factories(session)
            self.camp_id = make.camp("KHR").id
            user = make.user(roles=[role, "site_manager"], camps=["KHR"])
            household = make.household("KHR")
            session.flush()
            for person in household.members:
                store_keys(session, person, new=True)  # so that a likely duplicate of its head is found
            self.household = household.number
            self.token = create_token(session, None, user, "desk")[1]
            secret = start_session(session, user)
            user_id, self.user_id = user.get_id(), user.id
        self.client = app.test_client()
        with self.client.session_transaction() as cookie:  # as tests.conftest.sign_in, with a committed session
            cookie["_user_id"], cookie["_fresh"], cookie["sid"] = user_id, True, secret
            cookie["seen"] = int(time.time())
        self.free: list[bool] = []

    def could_write(self) -> bool:
        """Whether another desk could write now, without waiting."""
        engine = self.app.extensions["panoh.db"].engine
        if engine.dialect.name == "sqlite":
            probe = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                return True
            except sqlite3.OperationalError:
                return False
            finally:
                probe.close()
        with engine.connect() as conn:
            try:
                conn.execute(
                    text("SELECT household_counter FROM camps WHERE id = :id FOR NO KEY UPDATE NOWAIT"),
                    {"id": self.camp_id},
                )
                return True
            except OperationalError:
                return False
            finally:
                conn.rollback()

    def spy(self, monkeypatch, owner, name: str) -> None:
        """Record, each time ``owner.name`` runs, whether another desk could write meanwhile."""
        real = getattr(owner, name)

        def probed(*args, **kwargs):
            self.free.append(self.could_write())
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, probed)

    def count(self, model) -> int:
        with self.app.app_context(), own_transaction() as session:
            return session.scalar(select(func.count()).select_from(model))


def test_a_list_is_read_and_checked_before_the_upload_takes_the_write_lock(real_app, monkeypatch):
    from registration.imports import services

    desk = Desk(real_app)
    desk.spy(monkeypatch, services, "read_table")
    desk.spy(monkeypatch, services, "_check_household")
    good = desk.client.post(
        "/imports",
        data={
            "camp_id": str(desk.camp_id),
            "file": (
                io.BytesIO(
                    b"household_ref,relationship,given_name,sex,born,arrival_date\nH1,head,Nasir,m,1977,2026-11-01\n"
                ),
                "list.csv",
            ),
        },
        content_type="multipart/form-data",
    )
    assert good.status_code == 302 and desk.free == [True, True]
    bomb = desk.client.post(
        "/imports",
        data={"camp_id": str(desk.camp_id), "file": (io.BytesIO(padded(60)), "list.xlsx")},
        content_type="multipart/form-data",
    )
    assert bomb.status_code == 302 and desk.free == [True, True, True]
    assert "unpacks to more than 50 MB" in desk.client.get(bomb.headers["Location"]).data.decode()
    assert desk.count(ImportBatch) == 2


def test_desk_photos_and_duplicate_matching_run_before_the_write(real_app, monkeypatch):
    from registration import photos
    from registration.dedup import services as dedup

    desk = Desk(real_app)
    desk.spy(monkeypatch, photos, "_check_pixels")
    desk.spy(monkeypatch, dedup, "find_matches")
    data = form(
        desk.camp_id,
        members=[
            {},
            {
                "given_name": "Fatima",
                "given_name_orig": "فاطمه",
                "sex": "f",
                "relation_to_head": "spouse",
                "born": "1988",
            },
        ],
    )
    data["members-0-photo"] = (io.BytesIO(jpeg((2400, 1800))), "head.jpg")
    data["members-1-photo"] = (io.BytesIO(jpeg((1800, 2400))), "spouse.jpg")
    response = desk.client.post("/register", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.data
    assert desk.free == [True] * 4  # two photos, two people matched
    assert desk.count(Household) == 2


def test_registration_without_the_duplicate_question_matches_before_taking_the_counter(real_app, monkeypatch):
    """The API's skip_duplicate_check (and a list's import) still records likely pairs for review: that
    matching ran while the camp's counter row was held, so each desk of the camp waited for it."""
    from registration.dedup import services as dedup

    desk = Desk(real_app)
    desk.spy(monkeypatch, dedup, "find_matches")
    body = {
        "camp": "KHR",
        "arrival_date": "2026-11-01",
        "consent": True,
        "token": "api-1",
        "skip_duplicate_check": True,
        "members": [
            {"given_name": "Mohammad", "father_name": "Karim", "sex": "m", "born": "1991", "relation_to_head": "head"},
            {"given_name": "Zahra", "sex": "f", "born": "1993", "relation_to_head": "spouse"},
        ],
    }
    response = desk.client.post("/api/v1/households", json=body, headers={"Authorization": f"Bearer {desk.token}"})
    assert response.status_code == 201, response.data
    assert desk.free == [True, True]
    from registration.dedup.models import DuplicatePair

    assert desk.count(DuplicatePair) == 1  # Mohammad Karim, 1991, is likely the factory's head


def test_a_member_photo_is_processed_before_the_write(real_app, monkeypatch):
    from registration import photos

    desk = Desk(real_app)
    desk.spy(monkeypatch, photos, "_check_pixels")
    edited = desk.client.post(
        f"/households/{desk.household}/members/2/edit",
        data={
            "given_name": "Child",
            "father_name": "Karim",
            "sex": "m",
            "born": "1992",
            "relation_to_head": "son",
            "photo": (io.BytesIO(jpeg((2400, 1800))), "son.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert edited.status_code == 302, edited.data
    added = desk.client.post(
        f"/households/{desk.household}/members/new",
        data={
            "given_name": "Baby",
            "father_name": "Mohammad",
            "sex": "f",
            "born": "2026",
            "relation_to_head": "daughter",
            "photo": (io.BytesIO(jpeg((2400, 1800))), "baby.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert added.status_code == 302, added.data
    assert desk.free == [True, True]


def test_a_camp_layout_is_checked_before_the_import_takes_the_write_lock(real_app, monkeypatch):
    from camps.layout import imports
    from tests.camps.test_layout_import import GOOD_CSV

    desk = Desk(real_app)
    desk.spy(monkeypatch, imports._Checker, "finish")
    response = desk.client.post(
        "/camps/KHR/layout/import",
        data={"file": (io.BytesIO(GOOD_CSV.encode()), "survey.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data
    assert desk.free == [True] and desk.count(Plot) == 4


def test_an_imported_list_is_saved_household_by_household_each_matched_before_its_write(real_app, monkeypatch):
    """The import thread held the write lock (SQLite) or the camp's counter row (PostgreSQL) from its
    first household to its last: 20 s for a list of 1,000 households, while every desk waited."""
    from registration.dedup import services as dedup
    from registration.dedup.models import DuplicatePair
    from registration.imports import jobs

    desk = Desk(real_app)
    listed = (
        "household_ref,relationship,given_name,father_name,sex,born,arrival_date\n"
        "H1,head,Nasir,Jalil,m,1977,2026-11-01\n"
        "H1,spouse,Setara,Saboor,f,1983,2026-11-01\n"
        "H2,head,Nasir,Jalil,m,1977,2026-11-02\n"  # listed twice: found against H1, saved a moment before
        "H3,head,Karima,Rahim,f,1990,2026-11-02\n"
    )
    desk.client.post(
        "/imports",
        data={"camp_id": str(desk.camp_id), "file": (io.BytesIO(listed.encode()), "list.csv")},
        content_type="multipart/form-data",
    )
    with real_app.app_context(), own_transaction() as session:
        batch_id = session.scalar(select(ImportBatch.id))
    desk.spy(monkeypatch, dedup, "find_matches")
    jobs.run(real_app, batch_id, desk.user_id)
    assert desk.free == [True] * 4
    with real_app.app_context(), own_transaction() as session:
        batch = session.get(ImportBatch, batch_id)
        assert (batch.status, batch.imported) == ("done", 3)
        assert session.scalar(select(func.count()).select_from(Household).where(Household.status == "pending")) == 3
        assert session.scalar(select(func.count()).select_from(DuplicatePair)) == 1


def test_an_import_that_fails_part_of_the_way_keeps_what_it_saved_and_says_so(real_app, monkeypatch):
    from registration.imports import jobs, services

    desk = Desk(real_app)
    listed = (
        "household_ref,relationship,given_name,father_name,sex,born,arrival_date\n"
        "H1,head,Nasir,Jalil,m,1977,2026-11-01\nH2,head,Karima,Rahim,f,1990,2026-11-02\n"
    )
    desk.client.post(
        "/imports",
        data={"camp_id": str(desk.camp_id), "file": (io.BytesIO(listed.encode()), "list.csv")},
        content_type="multipart/form-data",
    )
    with real_app.app_context(), own_transaction() as session:
        batch_id = session.scalar(select(ImportBatch.id))
    real_save = services.save_household

    def second_fails(session, actor, report, data):
        if data.household_ref == "H2":
            raise RuntimeError("the disk is full")
        return real_save(session, actor, report, data)

    monkeypatch.setattr(services, "save_household", second_fails)
    jobs.run(real_app, batch_id, desk.user_id)
    with real_app.app_context(), own_transaction() as session:
        batch = session.get(ImportBatch, batch_id)
        assert (batch.status, batch.imported) == ("failed", 1)
        assert session.scalar(select(func.count()).select_from(Household).where(Household.status == "pending")) == 1
    page = desk.client.get(f"/imports/{batch_id}").data.decode()
    assert "The import stopped after 1 households were saved. Upload the same list again" in page
