"""The ``panoh`` command line and the demo world it loads."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from app.demo.world import STAFF, build_world
from app.permissions import ROLES
from app.users.models import User
from registration.households.models import Household, Person, PersonNeed
from registration.households.numbers import is_valid


def _snapshot(session):
    return [
        (h.number, h.size, h.origin_province, h.arrival_date)
        for h in session.scalars(select(Household).order_by(Household.id))
    ]


def test_demo_world_is_realistic(session):
    result = build_world(session, households=300, seed=3)
    assert result.households == 300
    households = session.scalars(select(Household)).all()
    assert all(is_valid(h.number) for h in households)
    assert {h.number[:3] for h in households} == {"KHR", "SHR", "ISH"}
    people = session.scalars(select(Person)).all()
    assert len(people) == result.people == sum(h.size for h in households)
    assert 5 <= len(people) / len(households) <= 8  # Afghan households are large
    heads = [p for p in people if p.relation_to_head == "head"]
    assert len(heads) == len(households)
    assert any("\u0600" <= ch <= "\u06ff" for p in people for ch in (p.given_name_orig or ""))
    assert any("\u0400" <= ch <= "\u04ff" for p in people for ch in (p.given_name_orig or ""))
    precisions = Counter(p.birth_precision for p in people)
    assert precisions["day"] and precisions["year"] and precisions["age"]
    needs = session.scalar(select(func.count()).select_from(PersonNeed))
    assert 0.02 * len(people) < needs < 0.4 * len(people)
    roles = {role for user in session.scalars(select(User)) for role in user.roles}
    assert roles == set(ROLES)


def test_demo_world_is_deterministic(app, session, connection):
    build_world(session, households=50, seed=11)
    first = _snapshot(session)
    session.rollback()
    nested = connection.begin_nested()
    from sqlalchemy.orm import Session

    again = Session(bind=connection, join_transaction_mode="create_savepoint")
    build_world(again, households=50, seed=11)
    assert _snapshot(again) == first
    again.close()
    nested.rollback()


def test_cli_creates_user_and_token(app, session, monkeypatch):
    runner = app.test_cli_runner()
    # without --no-password-change the temporary password would block the API (issue 12 #4)
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--username",
            "cli.admin",
            "--full-name",
            "CLI Admin",
            "--role",
            "admin",
            "--all-camps",
            "--password",
            "a long cli passphrase",
            "--no-password-change",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["tokens", "create", "--user", "cli.admin", "--name", "script"])
    assert result.exit_code == 0 and result.output.strip().startswith("panoh_")
    client = app.test_client()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {result.output.strip()}"})
    assert me.get_json()["username"] == "cli.admin"


def test_cli_refuses_weak_password_with_a_clear_message(app, session):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--username",
            "weak",
            "--full-name",
            "W",
            "--role",
            "viewer",
            "--all-camps",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0 and "Use at least 10 characters." in result.output


def test_cli_demo_prints_every_demo_login(app, session):
    result = app.test_cli_runner().invoke(args=["demo", "--households", "20", "--seed", "2"])
    assert result.exit_code == 0, result.output
    for username, *_ in STAFF:
        assert username in result.output
    again = app.test_cli_runner().invoke(args=["demo", "--households", "20", "--if-empty"])
    assert "already loaded" in again.output


def test_cli_unlocks_an_account(app, make, session):
    user = make.user(username="locked.cli")
    from app.db import utcnow

    user.locked_at = utcnow()
    session.flush()
    result = app.test_cli_runner().invoke(args=["users", "unlock", "locked.cli"])
    assert result.exit_code == 0
    session.refresh(user)
    assert not user.is_locked


def test_demo_world_has_people_registered_twice_for_the_review_queue(session):
    from registration.dedup import review
    from registration.dedup.models import DuplicatePair

    build_world(session, households=1500, seed=5)
    assert review.scan(session, None) > 0
    pairs = session.scalars(select(DuplicatePair)).all()
    cross_camp = [p for p in pairs if p.person_a.household.camp_id != p.person_b.household.camp_id]
    assert cross_camp, "someone re-registered in another camp is found"
