""" "Today" is the camp's day (UTC+5) in every rule, whatever the server's clock zone: the rules run
here at 23:30 and at 04:30 camp time on a server that keeps UTC."""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.campday import camp_now, camp_today
from registration.cards import services
from registration.cards.models import Card

CAMP = ZoneInfo("Asia/Dushanbe")
#: (camp wall-clock time, the camp's day then); at 04:30 it is still the day before in UTC
MOMENTS = [
    (datetime(2026, 12, 1, 23, 30, tzinfo=CAMP), date(2026, 12, 1)),
    (datetime(2026, 12, 2, 4, 30, tzinfo=CAMP), date(2026, 12, 2)),
]
IDS = ["23:30", "04:30"]


@pytest.fixture()
def server_in_utc():
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = before
    time.tzset()


def _household(day: date) -> dict:
    return {
        "camp": "KHR",
        "arrival_date": day.isoformat(),
        "consent": True,
        "token": f"day-{day}",
        "members": [
            {"given_name": "Mohammad", "father_name": "Karim", "sex": "m", "born": "1985", "relation_to_head": "head"}
        ],
    }


@pytest.mark.parametrize("moment,day", MOMENTS, ids=IDS)
def test_the_camp_day_and_time(app, moment, day, server_in_utc):
    with time_machine.travel(moment.astimezone(ZoneInfo("UTC")), tick=False), app.app_context():
        assert date.today() != day or moment.hour == 23  # the server's own date is UTC's
        assert camp_today() == day and camp_now().strftime("%H:%M") == moment.strftime("%H:%M")


@pytest.mark.parametrize("moment,day", MOMENTS, ids=IDS)
def test_an_arrival_today_in_the_camp_registers_and_tomorrow_is_refused(api, make, moment, day, server_in_utc):
    make.camp("KHR")
    caller = api("registration_clerk")
    with time_machine.travel(moment.astimezone(ZoneInfo("UTC")), tick=False):
        tomorrow = caller.post("/api/v1/households", json=_household(day + timedelta(days=1)))
        today = caller.post("/api/v1/households", json=_household(day))
    assert tomorrow.status_code == 422 and "arrival_date" in tomorrow.get_json()["error"]["fields"]
    assert today.status_code == 201, today.get_json()


@pytest.mark.parametrize("moment,day", MOMENTS, ids=IDS)
def test_cards_are_issued_and_expire_on_the_camp_day(app, client, login_as, make, session, moment, day, server_in_utc):
    household, ends_yesterday, ends_today = (make.household("KHR") for _ in range(3))
    with app.app_context():  # cards run two years from their issue: these expire on either side of the day
        expired = services.issue(session, None, ends_yesterday, _years_before(day, 2) - timedelta(days=1))
        valid = services.issue(session, None, ends_today, _years_before(day, 2))
    session.flush()
    with time_machine.travel(moment.astimezone(ZoneInfo("UTC")), tick=False):
        login_as("registration_clerk")  # signed session cookies carry the time they were made
        printed = client.post(f"/households/{household.number}/card")
        assert printed.status_code == 200
        assert session.scalar(select(Card.issued_on).where(Card.household_id == household.id)) == day
        for card, outcome in ((expired, "expired"), (valid, "valid")):
            assert client.post("/api/v1/cards/verify", json={"code": card.code}).get_json()["outcome"] == outcome
            page = client.post("/cards/verify", data={"code": card.code}).data.decode()
            assert f'data-outcome="{outcome}"' in page


def _years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)
