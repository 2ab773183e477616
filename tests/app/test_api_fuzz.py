"""Fuzz every /api/v1 operation from its OpenAPI document (schemathesis, in-process over WSGI).

Three callers, each a token of an account scoped to camp KHR while camp SHR holds data of its own
(plots, households with cards, an open round, feedback cases): a registration clerk, a viewer,
and staff whose roles reach every other operation. Each sends valid and invalid requests
(schemathesis' positive and negative modes) to every operation; most of them carry real
identifiers of both camps and lay the generated fields over a valid body, so that they get past
the first check and try the other camp's records. No answer may be a 5xx, and afterwards no row
that belongs to SHR (through its camp or its household, person, round, plot...) may have changed.

Generation is derandomized and bounded (``EXAMPLES``): the same requests on every run, about 1350
per database.
"""

from __future__ import annotations

import copy
import logging
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode
from sqlalchemy import select

import app.models  # noqa: F401  every table in the metadata
from app.db import Base
from app.users.models import ApiToken
from app.users.services import create_token
from camps.allocation import services as allocation
from camps.distributions import rounds
from camps.feedback import services as feedback
from registration.cards import services as cards

TODAY = date.today()
#: examples per operation the caller may use, and per operation it is refused (403 before any input is read)
EXAMPLES, REFUSED_EXAMPLES = 20, 3
#: the callers: a clerk and a viewer, and staff whose roles together reach every other operation
CALLERS = {
    "clerk": ["registration_clerk"],
    "viewer": ["viewer"],
    "staff": ["registration_supervisor", "site_manager", "distribution_officer", "feedback_officer"],
}
#: tables whose rows belong to no camp and that a caller may change for itself
OWN_ROWS = {"users": "id", "api_tokens": "user_id"}


@pytest.fixture(autouse=True)
def _keys_in_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "KEYS_PATH", str(tmp_path / "keys"))


def _camp_data(app, session, make, code: str) -> dict:
    """Plots, households on plots with cards, an open round and two feedback cases in one camp."""
    camp = make.camp(code)
    plots = make.layout(code, blocks=1, plots=4)
    households = [make.household(code, members=3) for _ in range(3)]
    for household, plot in zip(households, plots, strict=False):
        allocation.allocate(session, None, household, plot)
    with app.app_context():
        issued = [cards.issue(session, None, household, TODAY) for household in households]
    round_ = rounds.create_round(
        session,
        None,
        camp,
        {
            "name": f"Food {code}",
            "starts_on": TODAY - timedelta(days=1),
            "ends_on": TODAY + timedelta(days=5),
            "rule": "person",
            "statuses": ["active"],
            "alternates_allowed": True,
            "items": [{"name": "Wheat flour", "unit": "kg", "quantity": 12.5}],
        },
    )
    officer = make.user(roles=["feedback_officer"], camps=[code])
    cases = [
        feedback.intake(
            session,
            officer,
            camp,
            {
                "channel": "help_desk",
                "type": kind,
                "sensitive_category": category,
                "sector": "shelter",
                "language": "fa",
                "description": "The tent leaks when it rains.",
                "household": households[0].number,
                "received_on": TODAY,
                "anonymous": False,
                "consent_to_contact": False,
            },
        )
        for kind, category in (("complaint", None), ("sensitive", "fraud"))
    ]
    session.flush()
    return {
        "code": code,
        "numbers": [h.number for h in households],
        "plots": [p.code for p in plots],
        "cards": [c.code for c in issued],
        "round": round_.id,
        "cases": [c.reference for c in cases],
    }


@pytest.fixture()
def world(app, session, make):
    return {code: _camp_data(app, session, make, code) for code in ("KHR", "SHR")}


def _snapshot(session) -> dict[str, dict]:
    """Every row of every table, by primary key."""
    rows = {}
    for table in Base.metadata.sorted_tables:
        keys = [c.name for c in table.primary_key.columns]
        rows[table.name] = {tuple(r[k] for k in keys): dict(r) for r in session.execute(select(table)).mappings()}
    return rows


def _camps_of(table_name: str, row: dict, before: dict, after: dict, seen=()) -> set:
    """The camps a row belongs to: its camp_id, or the camps of the rows its foreign keys point to."""
    table = Base.metadata.tables[table_name]
    if table_name == "camps":
        return {row["id"]}
    if "camp_id" in table.c and row.get("camp_id") is not None:
        return {row["camp_id"]}
    found = set()
    for column in table.c:
        for fk in column.foreign_keys:
            target = fk.column.table.name
            if target in ("users", "signing_keys") or target in seen or row.get(column.name) is None:
                continue
            key = (row[column.name],)
            parent = after.get(target, {}).get(key) or before.get(target, {}).get(key)
            if parent is not None:
                found |= _camps_of(target, parent, before, after, (*seen, table_name))
    return found


def _foreign_writes(before: dict, after: dict, allowed: set, user_id: int) -> list[str]:
    """Rows added, changed or removed that belong to a camp outside ``allowed``, or to nobody's camp
    and not to the caller."""
    writes = []
    for name in after:
        old, new = before[name], after[name]
        for key in old.keys() | new.keys():
            if old.get(key) == new.get(key):
                continue
            row = new.get(key) or old.get(key)
            camps = _camps_of(name, row, before, after)
            if camps - allowed or (
                not camps and name != "audit_events" and row.get(OWN_ROWS.get(name, "-")) != user_id
            ):
                writes.append(f"{name} {key}: {old.get(key)} -> {new.get(key)}")
    return writes


def _values(world: dict) -> dict[str, list]:
    """Real values, of both camps, that generated requests use most of the time."""
    khr, shr = world["KHR"], world["SHR"]
    numbers = khr["numbers"] + shr["numbers"]
    return {
        "number": numbers + ["KHR-۰۰۰۰۰۱-7", "ＫＨＲ-０００００１-７"],
        "near": numbers,
        "household": numbers,
        "code": ["KHR", "SHR"] + khr["cards"] + shr["cards"],
        "camp": ["KHR", "SHR"],
        "plot_code": khr["plots"] + shr["plots"],
        "plot": khr["plots"] + shr["plots"],
        "round_id": [khr["round"], shr["round"]],
        "reference": khr["cases"] + shr["cases"],
        "seq": [1, 2, 3],
        "q": ["Mohammad", "KHR-000001", shr["numbers"][0]],
    }


def _templates(world: dict) -> dict[tuple[str, str], dict]:
    """A valid body for each operation that takes one: generated fields are laid over it, so that
    requests get past the first check and into the services (and try the other camp's records)."""
    member = {"given_name": "Ahmad", "father_name": "Karim", "sex": "m", "born": "1980", "relation_to_head": "head"}
    card = world["KHR"]["cards"][0]
    collection = {"point": "DP-1", "code": card, "collected_by": "head"}
    return {
        ("POST", "/households"): {
            "camp": "KHR",
            "arrival_date": TODAY.isoformat(),
            "consent": True,
            "skip_duplicate_check": True,
            "members": [member],
        },
        ("PATCH", "/households/{number}"): {"phone": "+992 93 000 1111", "origin_province": "AF15"},
        ("PATCH", "/households/{number}/members/{seq}"): {"given_name": "Karim", "born": "1990"},
        ("POST", "/people/duplicate-check"): member,
        ("POST", "/households/search"): {"q": "Mohammad"},
        ("POST", "/feedback"): {
            "camp": "KHR",
            "channel": "hotline",
            "type": "complaint",
            "sector": "shelter",
            "language": "fa",
            "description": "The tent leaks.",
            "household": world["KHR"]["numbers"][0],
            "person_seq": 1,
        },
        ("PUT", "/households/{number}/plot"): {"plot": world["KHR"]["plots"][3], "relocate": True},
        ("POST", "/cards/verify"): {"code": card},
        ("POST", "/rounds/{round_id}/check"): {"code": card},
        ("POST", "/rounds/{round_id}/collections"): collection,
        ("POST", "/rounds/{round_id}/collections/sync"): {"collections": [collection]},
        ("POST", "/tokens"): {"name": "tablet"},
    }


def _realistic(case, data, values: dict, templates: dict) -> None:
    """Most of the time, put real identifiers in the path, the query and the body, and lay the
    generated body over a valid one."""
    template = templates.get((case.method, case.operation.path.removeprefix("/api/v1")))
    if template is not None and isinstance(case.body, dict) and data.draw(st.booleans(), label="template"):
        keep = data.draw(st.booleans(), label="keep generated fields")
        kept = {k: v for k, v in case.body.items() if keep and data.draw(st.integers(0, 3), label=f"keep {k}") == 0}
        case.body = {**copy.deepcopy(template), **kept}
    items = case.body.get("collections") if isinstance(case.body, dict) else None
    items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    for where in (case.path_parameters, case.query, case.body, *items):
        if not isinstance(where, dict):
            continue
        for name in list(where):
            if name in values and data.draw(st.integers(0, 3), label=f"real {name}") > 0:
                where[name] = data.draw(st.sampled_from(values[name]), label=name)
    collections = items + ([case.body] if case.operation.path.endswith("/collections") else [])
    for collection in collections:
        if isinstance(collection, dict) and data.draw(st.integers(0, 3), label="fresh collection") > 0:
            collection.update(
                id=str(uuid.UUID(int=data.draw(st.integers(0, 2**32), label="id"))),
                collected_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            )


class _Caller(logging.Handler):
    """The user's bearer token (a new one when the fuzz revoked it), what it sent and what failed.

    As a log handler it keeps the exception the app logged while answering 500.
    """

    def __init__(self, session, user) -> None:
        super().__init__(logging.ERROR)
        self.session, self.user = session, user
        self.headers: dict[str, str] = {}
        self.failures: list[str] = []
        self.raised: list[BaseException] = []
        self.sent = 0
        self.mint()

    def mint(self) -> None:
        _token, clear = create_token(self.session, None, self.user, "fuzz")
        self.session.flush()
        self.headers = {"Authorization": f"Bearer {clear}"}

    def revoked(self) -> bool:
        return (
            self.session.scalar(
                select(ApiToken.revoked_at)
                .where(ApiToken.user_id == self.user.id)
                .order_by(ApiToken.id.desc())
                .limit(1)
            )
            is not None
        )

    def examples(self, operation) -> int:
        permission = operation.definition.raw.get("x-permission")
        may = permission in ("public", "authenticated") or self.user.can(permission)
        return EXAMPLES if may else REFUSED_EXAMPLES

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.raised.append(record.exc_info[1])


def _fuzz_operation(app, operation, caller: _Caller, values: dict, templates: dict) -> None:
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(
        max_examples=caller.examples(operation),
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, data=st.data())
    def run(case, data):
        _realistic(case, data, values, templates)
        caller.sent += 1
        what = f"{case.method} {case.formatted_path} {case.query} {case.body!r}"[:400]
        caller.raised.clear()
        try:
            response = case.call(app=app, headers=dict(caller.headers))
        except Exception as exc:  # the request never got an answer: in production, a 500
            caller.failures.append(f"{exc!r} on {what}")
            return
        if response.status_code >= 500:
            caller.failures.append(f"{response.status_code} {caller.raised[-1] if caller.raised else ''!r} on {what}")
        if case.method == "DELETE" and caller.revoked():
            caller.mint()  # the caller revoked its own token: carry on with a new one

    run()


def _fuzz(app, session, user, world: dict) -> _Caller:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(document)
    caller = _Caller(session, user)
    values, templates = _values(world), _templates(world)
    logger = logging.getLogger("app.errors")
    logger.addHandler(caller)
    try:
        for result in schema.get_all_operations():
            _fuzz_operation(app, result.ok(), caller, values, templates)
    finally:
        logger.removeHandler(caller)
    return caller


@pytest.mark.parametrize("roles", list(CALLERS.values()), ids=list(CALLERS))
def test_fuzz_every_api_operation(app, session, make, world, roles):
    user = make.user(roles=roles, camps=["KHR"])
    before = _snapshot(session)
    caller = _fuzz(app, session, user, world)
    session.expire_all()
    after = _snapshot(session)
    failures = caller.failures
    print(f"fuzz as {'+'.join(roles)}: {caller.sent} requests, {len(failures)} failed")
    assert not failures, f"{len(failures)} of {caller.sent} requests failed:\n" + "\n".join(failures[:40])
    assert not _foreign_writes(before, after, {make.camp("KHR").id}, user.id)


def test_the_write_check_sees_a_change_in_another_camp(app, session, make, world):
    """The check above is only as good as its resolution of rows to camps: SHR's changes must show."""
    from camps.feedback.models import FeedbackCase
    from registration.households.models import Household, Person

    user = make.user(roles=["registration_clerk"], camps=["KHR"])
    before = _snapshot(session)
    shr = session.scalar(select(Household).where(Household.number == world["SHR"]["numbers"][0]))
    session.get(Person, shr.head.id).given_name = "Changed"  # a person: camp through its household
    case = session.scalar(select(FeedbackCase).where(FeedbackCase.reference == world["KHR"]["cases"][0]))
    case.description = "A change in the caller's own camp"
    session.flush()
    writes = _foreign_writes(before, _snapshot(session), {make.camp("KHR").id}, user.id)
    assert len(writes) == 1 and writes[0].startswith("persons ")
