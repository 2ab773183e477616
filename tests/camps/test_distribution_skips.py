"""A valid household checked but not recorded, skipped by the officer, is noted with the device's sync and
counted on the round page (issue 15 #7)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from camps.distributions import rounds, skips
from camps.distributions.models import Collection, SkippedCheck

TODAY = date.today()


@pytest.fixture()
def round_(session, make):
    return rounds.create_round(
        session,
        None,
        make.camp("KHR"),
        {
            "name": "Food, December",
            "starts_on": TODAY - timedelta(days=1),
            "ends_on": TODAY + timedelta(days=5),
            "rule": "household",
            "statuses": ["active"],
            "alternates_allowed": True,
            "items": [{"name": "Wheat flour", "unit": "kg", "quantity": 25}],
        },
    )


def _skip(number: str, **extra) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "household": number,
        "point": "DP-1",
        "skipped_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **extra,
    }


def test_skips_sent_with_a_sync_are_noted_once_and_counted(session, make, api, round_):
    first, second = make.household(), make.household()
    officer = api("distribution_officer")
    sent = [_skip(first.number), _skip(second.number.lower())]
    response = officer.post(f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": [], "skips": sent})
    assert response.status_code == 200, response.json
    assert [(r["id"], r["outcome"], r["status"]) for r in response.json["results"]] == [
        (sent[0]["id"], "skip_noted", 201),
        (sent[1]["id"], "skip_noted", 201),
    ]
    again = officer.post(f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": [], "skips": sent[:1]})
    assert again.json["results"][0]["status"] == 200  # sent twice (a retry), noted once
    assert session.scalar(select(func.count()).select_from(SkippedCheck)) == 2
    assert skips.counts(session, round_) == {"skipped": 2, "unserved": 2}
    session.add(
        Collection(
            uid=str(uuid.uuid4()),
            round_id=round_.id,
            household_id=first.id,
            point="DP-1",
            collected_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )
    session.flush()
    assert skips.counts(session, round_) == {"skipped": 2, "unserved": 1}


def test_a_skip_of_another_camp_or_malformed_is_refused_on_its_own(session, make, api, round_):
    elsewhere = make.household(camp="DSH")
    officer = api("distribution_officer")
    sent = [
        _skip(elsewhere.number),
        _skip("KHR-000001-X", id="not-a-uuid"),
        {"id": str(uuid.uuid4())},
        _skip(make.household().number),
    ]
    response = officer.post(f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": [], "skips": sent})
    assert [r["outcome"] for r in response.json["results"]] == [
        "unknown_household",
        "bad_request",
        "bad_request",
        "skip_noted",
    ]
    assert session.scalar(select(func.count()).select_from(SkippedCheck)) == 1


def test_the_round_page_counts_skipped_checks(session, make, api, client, login_as, round_):
    household = make.household()
    api("distribution_officer").post(
        f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": [], "skips": [_skip(household.number)]}
    )
    login_as("site_manager")
    page = client.get(f"/distributions/rounds/{round_.id}")
    assert page.status_code == 200
    assert "skipped, not recorded: 1. Of these households, still not served: 1." in page.get_data(as_text=True)


def test_a_skip_sent_again_with_its_id_spelt_otherwise_is_noted_once(session, make, api, round_):
    """The id is read as a UUID: upper case or without dashes it is the same skip, not a unique-index crash
    that would throw away the whole sync (its collections too)."""
    household = make.household()
    officer = api("distribution_officer")
    first = _skip(household.number)
    url = f"/api/v1/rounds/{round_.id}/collections/sync"
    assert officer.post(url, json={"collections": [], "skips": [first]}).status_code == 200
    for spelt in (first["id"].upper(), first["id"].replace("-", "")):
        again = officer.post(url, json={"collections": [], "skips": [{**first, "id": spelt}]})
        assert again.status_code == 200, again.get_data(as_text=True)[:300]
        assert [(r["id"], r["outcome"], r["status"]) for r in again.json["results"]] == [(spelt, "skip_noted", 200)]
    assert session.scalar(select(func.count()).select_from(SkippedCheck)) == 1


def test_a_skip_without_a_time_or_a_point_is_refused(session, make, api, round_):
    """skipped_at must be a time and point more than blanks: "garbage" and "   " were stored as sent."""
    number = make.household().number
    sent = [_skip(number, skipped_at="garbage"), _skip(number, point="   "), _skip(number, skipped_at="")]
    response = api("distribution_officer").post(
        f"/api/v1/rounds/{round_.id}/collections/sync", json={"collections": [], "skips": sent}
    )
    assert [(r["outcome"], r["status"]) for r in response.json["results"]] == [("bad_request", 400)] * 3
    assert session.scalar(select(func.count()).select_from(SkippedCheck)) == 0
