"""What a distribution device says is weighed against what the server knows (issues 12 #13 and 14 #1-3, #13).

Every handout a device made is stored and counted; an implausible time, a collection outside the open
round, a double or a reused id is kept as received and listed for review. Only what the server itself
saw decides: its receipt time, its camp day, the order in which collections reached it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.audit.models import AuditEvent
from camps.distributions import reconcile, rounds
from camps.distributions.models import Collection
from registration.cards import services as cards

TODAY = date.today()


@pytest.fixture(autouse=True)
def _keys_in_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "KEYS_PATH", str(tmp_path / "keys"))


def _round(session, make, starts_on, ends_on, name="Food, December"):
    return rounds.create_round(
        session,
        None,
        make.camp("KHR"),
        {
            "name": name,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "rule": "household",
            "statuses": ["active"],
            "alternates_allowed": True,
            "items": [{"name": "Wheat flour", "unit": "kg", "quantity": 25}],
        },
    )


@pytest.fixture()
def round_(session, make):
    return _round(session, make, TODAY - timedelta(days=1), TODAY + timedelta(days=5))


@pytest.fixture()
def card(app, session):
    def _issue(household, today=None):
        with app.app_context():
            return cards.issue(session, None, household, today or TODAY).code

    return _issue


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _collection(*, code=None, household=None, at=None, offline=True, **extra):
    body = {
        "id": str(uuid.uuid4()),
        "collected_at": at or _iso(_now() - timedelta(minutes=30)),
        "point": "DP-1",
        "offline": offline,
        **extra,
    }
    if code:
        body["code"] = code
    if household:
        body["household"] = household
    return body


def _rows(session, round_):
    return session.scalars(select(Collection).where(Collection.round_id == round_.id).order_by(Collection.id)).all()


# ---- issue 14 #1: a wrong clock never loses a handout ----------------------------------------------------


def _wrong_clocks() -> dict[str, str]:
    now = _now()
    local = now + timedelta(hours=5)  # the camp's wall clock, sent without a zone
    return {
        "ahead": _iso(now + timedelta(hours=2)),
        "no_zone": local.strftime("%Y-%m-%dT%H:%M:%S"),
        "reset": "2020-01-01T08:00:00Z",
    }


@pytest.mark.parametrize("clock", ["ahead", "no_zone", "reset"])
def test_a_collection_with_a_wrong_clock_is_stored_counted_and_flagged(session, make, api, round_, clock, card):
    household = make.household(members=3)
    code = card(household)
    officer = api("distribution_officer")
    sent = _collection(code=code, at=_wrong_clocks()[clock])
    response = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=sent)
    assert response.status_code == 201, response.json
    assert response.json["outcome"] == "flagged" and response.json["flags"] == ["clock"]
    stored = session.scalar(select(Collection).where(Collection.uid == sent["id"]))
    assert stored.status == "ok" and stored.device_time == sent["collected_at"] and stored.flags == "clock"
    # the household was served: it cannot collect again, and the collection is listed for review
    online = _collection(code=code, at=_iso(_now()), offline=False)
    again = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=online)
    assert again.status_code == 409 and again.json["outcome"] == "already_collected"
    assert [c.uid for c, _number in session.execute(reconcile.flagged_query(round_))] == [sent["id"]]


def test_a_sync_of_three_wrong_clocks_keeps_all_three_and_nobody_collects_twice(session, make, api, round_, card):
    households = [make.household(members=2) for _ in range(3)]
    codes = [card(h) for h in households]
    officer = api("distribution_officer")
    batch = [_collection(code=code, at=at) for code, at in zip(codes, _wrong_clocks().values(), strict=True)]
    response = officer.post(f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": batch})
    assert response.status_code == 200
    answers = [(r["status"], r["outcome"], r["flags"]) for r in response.json["results"]]
    assert answers == [(201, "flagged", ["clock"])] * 3
    assert sorted(c.uid for c in _rows(session, round_)) == sorted(b["id"] for b in batch)
    for code in codes:
        online = _collection(code=code, at=_iso(_now()), offline=False)
        again = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=online)
        assert again.status_code == 409
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "distribution.collection_flagged")).all()
    assert sorted(e.details["collection"] for e in audit) == sorted(b["id"] for b in batch)
    assert all(set(e.details) == {"collection", "flags"} for e in audit)  # an id and the reasons, nothing personal


def test_the_server_tells_a_device_its_clock_is_off(make, api, round_):
    officer = api("distribution_officer")
    slow = _iso(_now() - timedelta(minutes=20))
    synced = officer.post(f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": [], "sent_at": slow})
    assert synced.status_code == 200
    assert abs(synced.json["clock_skew_seconds"] + 1200) < 120
    assert datetime.fromisoformat(synced.json["server_time"].replace("Z", "+00:00")) > datetime.now(UTC) - timedelta(
        minutes=1
    )
    on_time = officer.post(
        f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": [], "sent_at": _iso(_now())}
    )
    assert on_time.json["clock_skew_seconds"] is None and on_time.json["server_time"]
    household = make.household(members=1)
    recorded = officer.post(
        f"/api/v1/rounds/{round_.id}/collections",
        json=_collection(household=household.number, at=_iso(_now() + timedelta(hours=1))),
    )
    assert recorded.json["server_time"] and abs(recorded.json["clock_skew_seconds"] - 3600) < 120
    assert officer.get(f"/api/v1/rounds/{round_.id}/package").json["server_time"]


# ---- issue 14 #2: the server's order decides which of two collections counts ----------------------------


def test_the_online_collection_counts_when_an_offline_one_claims_an_earlier_time(session, make, api, round_, card):
    household = make.household(members=2)
    code = card(household)
    officer = api("distribution_officer")
    online = _collection(code=code, at=_iso(_now()), offline=False)
    assert officer.post(f"/api/v1/rounds/{round_.id}/collections", json=online).status_code == 201
    first_minute = f"{round_.starts_on - timedelta(days=1)}T19:00:00Z"  # 00:00 of the first day, camp time
    synced = _collection(code=code, at=first_minute)
    response = officer.post(f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": [synced]})
    assert response.json["results"][0]["outcome"] == "flagged_double"
    assert {c.uid: c.status for c in _rows(session, round_)} == {online["id"]: "ok", synced["id"]: "double"}


def test_doubles_of_two_offline_devices_count_the_first_to_reach_the_server(session, make, api, round_, card):
    household = make.household(members=2)
    code = card(household)
    officer = api("distribution_officer")
    late = _collection(code=code, at=_iso(_now() - timedelta(hours=1)))
    early = _collection(code=code, at=_iso(_now() - timedelta(hours=3)))
    assert officer.post(f"/api/v1/rounds/{round_.id}/collections", json=late).json["outcome"] == "recorded"
    flagged = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=early)
    assert flagged.status_code == 201 and flagged.json["outcome"] == "flagged_double"
    assert {c.uid: (c.status, c.flags) for c in _rows(session, round_)} == {
        late["id"]: ("ok", None),
        early["id"]: ("double", "double"),
    }


def test_within_one_sync_the_device_time_orders_doubles(session, make, api, round_, card):
    household = make.household(members=2)
    code = card(household)
    late = _collection(code=code, at=_iso(_now() - timedelta(hours=1)))
    early = _collection(code=code, at=_iso(_now() - timedelta(hours=3)))
    response = api("distribution_officer").post(
        f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": [late, early]}
    )
    assert [r["outcome"] for r in response.json["results"]] == ["flagged_double", "recorded"]
    assert {c.uid: c.status for c in _rows(session, round_)} == {late["id"]: "double", early["id"]: "ok"}


# ---- issue 14 #3: a reused collection id is a conflict, kept for review ---------------------------------


def test_a_reused_id_with_another_household_is_a_conflict_kept_for_review(session, make, api, round_):
    first, second = make.household(members=2), make.household(members=3)
    officer = api("distribution_officer")
    sent = _collection(household=first.number)
    assert officer.post(f"/api/v1/rounds/{round_.id}/collections", json=sent).status_code == 201
    retry = {**sent, "offline": not sent["offline"]}  # a retry may change only the offline mark
    repeat = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=retry)
    assert repeat.status_code == 200 and repeat.json["repeat"] is True and repeat.json["outcome"] == "recorded"
    reused = {**sent, "household": second.number}
    conflict = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=reused)
    assert conflict.status_code == 201 and conflict.json["outcome"] == "id_conflict", conflict.json
    again = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=reused)  # a retry of the conflicting one
    assert (again.status_code, again.json["outcome"], again.json["repeat"]) == (200, "id_conflict", True)
    rows = {c.household_id: c for c in _rows(session, round_)}
    assert set(rows) == {first.id, second.id} and len(rows) == 2
    kept = rows[second.id]
    assert kept.status == "ok" and kept.flags == "id_conflict" and kept.device_uid == sent["id"] != kept.uid
    assert (
        officer.post(f"/api/v1/rounds/{round_.id}/check", json={"household": second.number}).json["outcome"]
        == "already_collected"
    )


def test_a_reused_id_within_one_batch_is_a_conflict(session, make, api, round_):
    first, second = make.household(members=2), make.household(members=3)
    sent = _collection(household=first.number)
    batch = [sent, {**sent, "household": second.number}]
    response = api("distribution_officer").post(
        f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": batch}
    )
    assert [(r["status"], r["outcome"]) for r in response.json["results"]] == [(201, "recorded"), (201, "id_conflict")]
    assert sorted(c.household_id for c in _rows(session, round_)) == sorted([first.id, second.id])


def test_an_id_reused_in_another_round_is_a_conflict_too(session, make, api, round_):
    other = _round(session, make, round_.starts_on, round_.ends_on, name="Blankets")
    household = make.household(members=2)
    officer = api("distribution_officer")
    sent = _collection(household=household.number)
    assert officer.post(f"/api/v1/rounds/{round_.id}/collections", json=sent).status_code == 201
    conflict = officer.post(f"/api/v1/rounds/{other.id}/collections", json=sent)
    assert conflict.status_code == 201 and conflict.json["outcome"] == "id_conflict"
    assert [(c.flags, c.device_uid) for c in _rows(session, other)] == [("id_conflict", sent["id"])]


# ---- issue 12 #13: the device's word for "offline" changes nothing -------------------------------------


def test_a_back_dated_offline_claim_in_an_ended_round_is_flagged_not_recorded(session, make, api, round_, card):
    household = make.household(members=2)
    code = card(household)
    round_.starts_on, round_.ends_on = TODAY - timedelta(days=9), TODAY - timedelta(days=3)
    session.flush()
    officer = api("distribution_officer")
    back_dated = _collection(code=code, at=f"{TODAY - timedelta(days=4)}T06:00:00Z")
    response = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=back_dated)
    assert response.status_code == 201 and response.json["outcome"] == "flagged"
    assert response.json["flags"] == ["outside_round"]
    assert [c.flags for c in _rows(session, round_)] == ["outside_round"]


def test_claiming_offline_turns_a_refusal_into_a_flagged_double_at_most(session, make, api, round_, card):
    household = make.household(members=2)
    code = card(household)
    officer = api("distribution_officer")
    assert (
        officer.post(
            f"/api/v1/rounds/{round_.id}/collections", json=_collection(code=code, at=_iso(_now()), offline=False)
        ).status_code
        == 201
    )
    online = officer.post(
        f"/api/v1/rounds/{round_.id}/collections", json=_collection(code=code, at=_iso(_now()), offline=False)
    )
    assert online.status_code == 409 and online.json["outcome"] == "already_collected"
    claimed = _collection(code=code, at=_iso(_now()), offline=True)
    answer = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=claimed)
    assert (answer.status_code, answer.json["outcome"], answer.json["flags"]) == (201, "flagged_double", ["double"])
    assert [c.status for c in _rows(session, round_)] == ["ok", "double"]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "distribution.collection_flagged"))
    assert event.details == {"collection": claimed["id"], "flags": ["double"]} and event.user_id is not None


def test_an_online_collection_stamped_long_before_it_arrived_is_flagged_not_clean(session, make, api, round_):
    household = make.household(members=2)
    sent = _collection(household=household.number, at=_iso(_now() - timedelta(minutes=40)), offline=False)
    answer = api("distribution_officer").post(f"/api/v1/rounds/{round_.id}/collections", json=sent)
    assert (answer.status_code, answer.json["outcome"], answer.json["flags"]) == (201, "flagged", ["clock"])
    stored = _rows(session, round_)[0]
    assert stored.device_time == sent["collected_at"] and stored.collected_at > _now() - timedelta(minutes=5)


def test_another_camps_household_number_answers_like_an_unknown_one(session, make, api, round_):
    from registration.households.numbers import format_number

    elsewhere = make.household("SHR", members=2)
    officer = api("distribution_officer")
    unknown = format_number("SHR", 999_998)
    for path, body in (
        (f"/api/v1/rounds/{round_.id}/check", {}),
        (f"/api/v1/rounds/{round_.id}/collections", _collection(at=_iso(_now()))),
    ):
        answers = [officer.post(path, json={**body, "household": number}) for number in (elsewhere.number, unknown)]
        assert answers[0].status_code == answers[1].status_code
        assert answers[0].json["outcome"] == answers[1].json["outcome"] == "unknown_household"
        assert answers[0].json.get("household") is None


# ---- issue 14 #13: the camp's day, whatever the server's time zone -------------------------------------


def test_handouts_are_judged_on_the_camps_day_at_04_30_and_23_30(session, make, api, card):
    first_day, last_day = date(2026, 12, 10), date(2026, 12, 12)
    with freeze_time("2026-12-09 23:30:00") as clock:  # the server runs in UTC; 04:30 on the first day in the camp
        round_ = _round(session, make, first_day, last_day)
        households = [make.household(members=2) for _ in range(3)]
        codes = [card(h, first_day) for h in households]
        officer = api("distribution_officer")
        checked = officer.post(f"/api/v1/rounds/{round_.id}/check", json={"code": codes[0]})
        assert checked.json["outcome"] == "valid"
        online = officer.post(
            f"/api/v1/rounds/{round_.id}/collections",
            json=_collection(code=codes[0], at="2026-12-09T23:30:00Z", offline=False),
        )
        assert (online.status_code, online.json["outcome"]) == (201, "recorded")
        queued = _collection(code=codes[1], at="2026-12-09T23:20:00Z")  # 04:20 in the camp, synced ten minutes later
        synced = officer.post(f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": [queued]})
        assert synced.json["results"][0]["outcome"] == "recorded"
        assert officer.get("/api/v1/rounds").json["items"][0]["open_today"] is True
        assert officer.get(f"/api/v1/rounds/{round_.id}/package").json["today"] == "2026-12-10"

        clock.move_to("2026-12-12 18:30:00")  # 23:30 on the last day in the camp: still open
        assert officer.post(f"/api/v1/rounds/{round_.id}/check", json={"code": codes[2]}).json["outcome"] == "valid"
        clock.move_to("2026-12-12 19:30:00")  # 00:30 the next day in the camp: over
        late = officer.post(
            f"/api/v1/rounds/{round_.id}/collections",
            json=_collection(code=codes[2], at="2026-12-12T19:30:00Z", offline=False),
        )
        assert late.json["outcome"] == "round_closed"
        assert officer.get("/api/v1/rounds").json["items"][0]["open_today"] is False


def test_the_round_page_lists_flagged_collections_with_the_time_the_device_sent(
    client, login_as, session, make, api, round_
):
    household = make.household(members=2)
    sent = _collection(household=household.number, at="2020-01-01T08:00:00Z")
    api("distribution_officer").post(f"/api/v1/rounds/{round_.id}/collections", json=sent)
    login_as("site_manager")
    html = client.get(f"/distributions/rounds/{round_.id}").get_data(as_text=True)
    card = html.split(f'data-flagged="{sent["id"]}"', 1)[1].split("</form>", 1)[0]
    assert 'data-flags="clock"' in html and household.number in card and "2020-01-01T08:00:00Z" in card
    assert 'data-flag="clock"' in card and 'data-testid="flagged-pending">1<' in html
    response = client.post(
        f"/distributions/collections/{sent['id']}/review",
        data={"decision": "cleared", "note": "Tablet clock was reset; handed out today"},
    )
    assert response.status_code == 302
    assert reconcile.round_summary(session, round_).flagged == 0


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "yesterday", 12])
def test_a_time_that_is_no_time_is_a_bad_request_not_a_crash(make, api, round_, value):
    household = make.household(members=1)
    response = api("distribution_officer").post(
        f"/api/v1/rounds/{round_.id}/collections", json=_collection(household=household.number, at=value)
    )
    assert response.status_code == 400 and response.json["outcome"] == "bad_request"


@pytest.mark.parametrize(
    "bad",
    [
        {"collected_by": ["head"]},
        {"collected_by": {"who": "head"}},
        {"collected_by": "alternate", "alternate_id": 10**30},
        {"collected_by": "alternate", "alternate_id": -(2**63) - 1},
    ],
)
def test_one_wrongly_typed_collection_does_not_fail_the_sync_of_the_others(session, make, api, round_, bad):
    good, other = make.household(members=2), make.household(members=3)
    batch = [_collection(household=good.number), _collection(household=other.number, **bad)]
    response = api("distribution_officer").post(
        f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": batch}
    )
    assert response.status_code == 200
    assert [(r["status"], r["outcome"]) for r in response.json["results"]] == [(201, "recorded"), (400, "bad_request")]
    assert [c.household_id for c in _rows(session, round_)] == [good.id]


@pytest.mark.parametrize("typed", ["KHR-۰۰۰۰۰۵-*", "KHR-٠٠٠٠٠٥-*", "KHR-௦௦௦௦௦௫-*"])
def test_a_household_number_typed_with_non_ascii_digits_is_malformed_not_a_crash(session, make, api, round_, typed):
    good = make.household(members=2)
    officer = api("distribution_officer")
    assert officer.post(f"/api/v1/rounds/{round_.id}/check", json={"household": typed}).json["outcome"] == "malformed"
    batch = [_collection(household=good.number), _collection(household=typed)]
    response = officer.post(f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": batch})
    assert response.status_code == 200
    assert [(r["status"], r["outcome"]) for r in response.json["results"]] == [(201, "recorded"), (422, "malformed")]
    assert [c.household_id for c in _rows(session, round_)] == [good.id]
