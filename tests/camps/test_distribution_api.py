"""Distribution points through the API: check, record once, offline doubles, sync, the offline package."""

from __future__ import annotations

import base64
import gzip
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from camps.distributions import rounds
from camps.distributions.models import Collection
from registration.cards import services as cards
from registration.cards.token import CardToken, sign

TODAY = date.today()


@pytest.fixture(autouse=True)
def _keys_in_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "KEYS_PATH", str(tmp_path / "keys"))


@pytest.fixture()
def round_(session, make):
    return rounds.create_round(
        session,
        None,
        make.camp("KHR"),
        {
            "name": "Food, November",
            "starts_on": TODAY - timedelta(days=1),
            "ends_on": TODAY + timedelta(days=5),
            "rule": "person",
            "statuses": ["active"],
            "alternates_allowed": True,
            "items": [
                {"name": "Wheat flour", "unit": "kg", "quantity": 12.5},
                {"name": "Oil", "unit": "l", "quantity": 1},
            ],
        },
    )


def _card(app, session, household):
    with app.app_context():
        return cards.issue(session, None, household, TODAY)


def _collection(code=None, household=None, offline=False, at=None, **extra):
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # just now, as a device online stamps it
    body = {"id": str(uuid.uuid4()), "collected_at": at or now, "point": "DP-1", "offline": offline, **extra}
    if code:
        body["code"] = code
    if household:
        body["household"] = household
    return body


def _count(session, **where):
    query = select(func.count()).select_from(Collection)
    for key, value in where.items():
        query = query.where(getattr(Collection, key) == value)
    return session.scalar(query)


def test_a_valid_card_shows_the_entitlement_and_records_once(app, session, make, api, round_):
    household = make.household(members=4)
    card = _card(app, session, household)
    officer = api("distribution_officer")
    checked = officer.post(f"/api/v1/rounds/{round_.id}/check", json={"code": card.code})
    assert checked.status_code == 200
    assert checked.json["outcome"] == "valid" and checked.json["household"]["size"] == 4
    assert checked.json["entitlement"] == [
        {"name": "Wheat flour", "unit": "kg", "quantity": 50.0},
        {"name": "Oil", "unit": "l", "quantity": 4.0},
    ]
    body = _collection(code=card.code)
    first = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=body)
    assert first.status_code == 201 and first.json["outcome"] == "recorded", first.json
    again = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=body)  # a retry of the same request
    assert again.status_code == 200 and again.json["repeat"] is True
    second = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=_collection(code=card.code))
    assert second.status_code == 409 and second.json["outcome"] == "already_collected"
    assert second.json["collection"]["point"] == "DP-1"
    assert _count(session, household_id=household.id) == 1
    refused = officer.post(f"/api/v1/rounds/{round_.id}/check", json={"code": card.code})
    assert refused.json["outcome"] == "already_collected" and refused.json["collection"]["collected_at"]


def test_a_typed_household_number_is_checked_for_its_check_character(make, api, round_):
    household = make.household(members=2)
    officer = api("distribution_officer")
    good = officer.post(f"/api/v1/rounds/{round_.id}/check", json={"household": household.number.lower()})
    assert good.json["outcome"] == "valid"
    wrong = household.number[:-1] + ("A" if household.number[-1] != "A" else "B")
    assert officer.post(f"/api/v1/rounds/{round_.id}/check", json={"household": wrong}).json["outcome"] == "malformed"


@pytest.mark.parametrize(
    "case", ["garbage", "other_key", "tampered", "revoked", "wrong_camp", "departed", "round_over", "round_closed"]
)
def test_bad_input_gets_a_clear_outcome_and_records_nothing(app, session, make, api, round_, case):
    household = make.household(members=3)
    card = _card(app, session, household)
    code, expected = card.code, case
    if case == "garbage":
        code, expected = "P1/NOPE/%%%", "malformed"
    elif case == "other_key":
        token = CardToken("P1", "ZZ99", "C99999999", household.number, TODAY + timedelta(days=300))
        code, expected = sign(token, Ed25519PrivateKey.generate()), "unknown_key"
    elif case == "tampered":
        code, expected = card.code.replace(household.number, make.household().number), "invalid_signature"
    elif case == "revoked":
        cards.report_lost(session, None, card)
    elif case == "wrong_camp":
        other = make.household("SHR")
        code = _card(app, session, other).code
    elif case == "departed":
        household.status, expected = "departed", "not_eligible"
    elif case == "round_over":
        round_.starts_on, round_.ends_on = TODAY - timedelta(days=9), TODAY - timedelta(days=2)
        expected = "round_closed"
    elif case == "round_closed":
        round_.status = "closed"
    session.flush()
    officer = api("distribution_officer", None)
    response = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=_collection(code=code))
    assert response.status_code == 422 and response.json["outcome"] == expected
    assert _count(session) == 0


def test_two_offline_devices_serving_one_household_keep_both_the_later_arrival_flagged(app, session, make, api, round_):
    """The collection that reached the server first counts, whatever the devices' clocks say (issue 14 #2)."""
    household = make.household(members=2)
    card = _card(app, session, household)
    officer = api("distribution_officer")
    yesterday = TODAY - timedelta(days=1)
    late = _collection(code=card.code, offline=True, at=f"{yesterday}T11:00:00Z")
    early = _collection(code=card.code, offline=True, at=f"{yesterday}T08:00:00Z")
    assert officer.post(f"/api/v1/rounds/{round_.id}/collections", json=late).json["outcome"] == "recorded"
    flagged = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=early)
    assert flagged.status_code == 201 and flagged.json["outcome"] == "flagged_double"
    rows = {c.uid: c.status for c in session.scalars(select(Collection))}
    assert rows == {late["id"]: "ok", early["id"]: "double"}


def test_a_collection_synced_after_the_round_ended_is_kept_and_flagged_whatever_the_device_says(
    app, session, make, api, round_
):
    """Made on the round's last day, received after it: stored, counted and flagged for review, the same
    whether the device says it was offline or not (issue 12 #13)."""
    household = make.household(members=2)
    card = _card(app, session, household)
    round_.starts_on, round_.ends_on = TODAY - timedelta(days=5), TODAY - timedelta(days=1)
    session.flush()
    officer = api("distribution_officer")
    yesterday = f"{TODAY - timedelta(days=1)}T10:00:00Z"
    online = officer.post(f"/api/v1/rounds/{round_.id}/collections", json=_collection(code=card.code, at=yesterday))
    # "online" but stamped yesterday: the device's clock is wrong too
    assert (online.status_code, online.json["outcome"]) == (201, "flagged")
    assert online.json["flags"] == ["clock", "outside_round"]
    synced = officer.post(
        f"/api/v1/rounds/{round_.id}/collections", json=_collection(code=card.code, at=yesterday, offline=True)
    )
    assert (synced.status_code, synced.json["outcome"]) == (201, "flagged_double")
    assert synced.json["flags"] == ["outside_round", "double"]


def test_sync_answers_each_collection_and_keeps_what_it_can(app, session, make, api, round_):
    households = [make.household(members=2) for _ in range(3)]
    codes = [_card(app, session, h).code for h in households]
    cards.report_lost(session, None, session.scalar(select(cards.Card).where(cards.Card.code == codes[2])))
    officer = api("distribution_officer")
    batch = [
        _collection(code=codes[0], offline=True),
        _collection(code=codes[1], offline=True),
        _collection(code=codes[2], offline=True),
        _collection(code="garbage", offline=True),
        {"id": "not-a-uuid"},
    ]
    response = officer.post(f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": batch + batch[:1]})
    assert response.status_code == 200
    outcomes = [(r["outcome"], r["status"]) for r in response.json["results"]]
    assert outcomes == [
        ("recorded", 201),
        ("recorded", 201),
        ("revoked", 422),
        ("malformed", 422),
        ("bad_request", 400),
        ("recorded", 200),
    ]
    assert _count(session, status="ok") == 2 and _count(session, offline=True) == 2


def test_sync_reads_the_keys_and_revocations_once_per_batch(app, session, make, api, round_, monkeypatch):
    from camps.distributions import scanning

    households = [make.household(members=2) for _ in range(3)]
    codes = [_card(app, session, h).code for h in households]
    cards.report_lost(session, None, session.scalar(select(cards.Card).where(cards.Card.code == codes[2])))
    reads = []
    monkeypatch.setattr(scanning, "public_keys", lambda db: reads.append("keys") or cards.public_keys(db))
    monkeypatch.setattr(scanning, "revoked_serials", lambda db: reads.append("revoked") or cards.revoked_serials(db))
    monkeypatch.setattr(scanning, "verify_code", None)  # a batch never verifies code by code
    batch = [_collection(code=code, offline=True) for code in codes]
    response = api("distribution_officer").post(
        f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": batch}
    )
    assert [r["outcome"] for r in response.json["results"]] == ["recorded", "recorded", "revoked"]
    assert reads == ["keys", "revoked"]


def test_the_offline_package_holds_keys_revocations_and_households(app, session, make, api, round_):
    served, waiting = make.household(members=5), make.household(members=1)
    make.household(members=2, status="departed")
    code = _card(app, session, served).code
    officer = api("distribution_officer")
    officer.post(f"/api/v1/rounds/{round_.id}/collections", json=_collection(code=code))
    response = officer.get(f"/api/v1/rounds/{round_.id}/package", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    package = json.loads(gzip.decompress(response.data))
    by_number = {h["n"]: h for h in package["households"]}
    assert by_number[served.number]["c"] == 1 and by_number[waiting.number]["c"] == 0
    assert by_number[served.number]["e"] == [62.5, 5.0]
    assert {h["st"] for h in package["households"]} == {"active", "departed"}
    assert package["round"]["qualifying"] == ["active"] and package["round"]["open_today"] is True
    assert package["keys"] and package["revoked"]["signature"]
    with app.app_context():
        from registration.cards.token import verify_revocation_document

        assert verify_revocation_document(package["revoked"], cards.public_keys(session))


def test_the_package_carries_stamp_sized_photos_of_heads(app, session, make, api, round_):
    import io

    from PIL import Image

    from registration.households.models import PersonPhoto

    def jpeg(colour):
        out = io.BytesIO()
        Image.new("RGB", (360, 480), colour).save(out, "JPEG")
        return out.getvalue()

    with_thumb, legacy = make.household(members=2), make.household(members=1)
    with_thumb.members[0].photo = PersonPhoto(jpeg=jpeg("red"))  # saving makes the thumbnail
    session.flush()
    session.execute(PersonPhoto.__table__.insert().values(person_id=legacy.members[0].id, jpeg=jpeg("blue")))
    assert with_thumb.members[0].photo.thumb and len(with_thumb.members[0].photo.thumb) < 2000
    package = api("distribution_officer").get(f"/api/v1/rounds/{round_.id}/package").json
    photos = {h["n"]: h["p"] for h in package["households"]}
    for number in (with_thumb.number, legacy.number):
        image = Image.open(io.BytesIO(base64.b64decode(photos[number].split(",", 1)[1])))
        assert image.size[0] <= 48 and image.size[1] <= 64


def test_rounds_of_other_camps_are_not_found(make, api, round_):
    assert (
        api("distribution_officer", "SHR").post(f"/api/v1/rounds/{round_.id}/check", json={"code": "x"}).status_code
        == 404
    )


def test_a_sync_verifies_and_looks_up_everything_before_its_short_write(
    app, session, connection, make, api, round_, monkeypatch
):
    """Issue 14 #12: signatures, households, ids and counted collections are read before the write lock is
    taken; the write itself only inserts."""
    from sqlalchemy import event

    from camps.distributions import recording, scanning

    households = [make.household(members=2) for _ in range(12)]
    codes = [_card(app, session, h).code for h in households]
    log: list[str] = []
    verify = scanning.verify
    monkeypatch.setattr(scanning, "verify", lambda *a, **k: log.append("verify") or verify(*a, **k))
    begin_write = recording.begin_write
    monkeypatch.setattr(recording, "begin_write", lambda s: log.append("write") or begin_write(s))

    def statement(_conn, _cursor, sql, *_args):
        log.append("select" if sql.lstrip().upper().startswith("SELECT") else "other")

    event.listen(connection, "before_cursor_execute", statement)
    try:
        batch = [_collection(code=code, offline=True) for code in codes]
        response = api("distribution_officer").post(
            f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": batch}
        )
    finally:
        event.remove(connection, "before_cursor_execute", statement)
    assert [r["outcome"] for r in response.json["results"]] == ["recorded"] * 12
    assert log.count("write") == 1, log
    after = log[log.index("write") :]
    assert "verify" not in after and log.count("verify") == 12
    assert after.count("select") == 0, after
