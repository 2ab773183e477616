"""What a distribution device keeps ends with the session: the package expires, sign-out clears the
browser's storage and cache, except collections not yet sent (issue 12 #10)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from camps.distributions import rounds


def test_signing_out_tells_the_browser_to_clear_its_storage_and_cache(client, login_as):
    login_as("distribution_officer")
    response = client.post("/logout")
    assert response.status_code == 302 and response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_signing_out_with_collections_not_yet_sent_keeps_the_storage(client, login_as):
    login_as("distribution_officer")
    response = client.post("/logout", data={"keep_queue": "1"})
    assert response.headers["Clear-Site-Data"] == '"cache"'
    # the sign-in page removes the rest (the package, the cached scan page, collections already sent)
    page = client.get("/login").get_data(as_text=True)
    assert "js/offline-data.js" in page and 'action="/login"' in page


def test_the_package_expires_and_says_the_camps_day(session, make, api):
    round_ = rounds.create_round(
        session,
        None,
        make.camp("KHR"),
        {
            "name": "Kits",
            "starts_on": date.today() - timedelta(days=1),
            "ends_on": date.today() + timedelta(days=2),
            "rule": "household",
            "statuses": ["active"],
            "items": [{"name": "Kit", "unit": "kit", "quantity": 1}],
        },
    )
    package = api("distribution_officer").get(f"/api/v1/rounds/{round_.id}/package").json
    generated = datetime.fromisoformat(package["generated_at"].replace("Z", "+00:00"))
    expires = datetime.fromisoformat(package["expires_at"].replace("Z", "+00:00"))
    assert expires - generated == timedelta(seconds=package["max_age_seconds"]) == timedelta(hours=24)
    assert package["camp_utc_offset_minutes"] == 300
    assert package["today"] == (datetime.now(UTC) + timedelta(hours=5)).date().isoformat()
