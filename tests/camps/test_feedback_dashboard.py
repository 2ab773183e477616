"""The feedback dashboard: volumes, weekly trend, time to respond, overdue cases, sensitive cases only
as a total (and only for protection officers), camp scoping, and the page without personal data."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest

from camps.feedback.dashboard import feedback_figures, open_and_overdue, period_start
from camps.feedback.models import FeedbackCase

TODAY = date(2026, 11, 25)  # a Wednesday
NOW = datetime(2026, 11, 25, 12, 0)
_numbers = itertools.count(1)


def case(
    session,
    camp,
    received: date,
    *,
    type="complaint",
    sector="food",
    channel="help_desk",
    due_days=7,
    responded_after: float | None = None,
    status=None,
    description="Water point broken",
) -> FeedbackCase:
    """A case logged at 09:00 on ``received``, due ``due_days`` later, responded ``responded_after`` days on."""
    created = datetime.combine(received, datetime.min.time()) + timedelta(hours=9)
    responded = created + timedelta(days=responded_after) if responded_after is not None else None
    row = FeedbackCase(
        reference=f"FB-{camp.code}-{next(_numbers):06d}",
        camp_id=camp.id,
        channel=channel,
        received_on=received,
        type=type,
        sensitive=type == "sensitive",
        sensitive_category="sea" if type == "sensitive" else None,
        sector=sector,
        description=description,
        language="fa",
        due_at=created + timedelta(days=due_days),
        responded_at=responded,
        status=status or ("responded" if responded else "new"),
        created_at=created,
        updated_at=created,
    )
    session.add(row)
    session.flush()
    return row


def build(make, session) -> dict:
    """Seven general cases in KHR over four weeks (one more before them) and one in SHR.

    In time: #1 (2 days), #3 (1 day, not due yet). Late: #2 (11 days, due in 7), #4 (not responded, due 11-20).
    Open: #4, #5, #6, #7; overdue: #4 and #6 (received before the period).
    """
    khr, shr = make.camp("KHR"), make.camp("SHR")
    case(session, khr, date(2026, 11, 3), responded_after=2)  # 1
    case(session, khr, date(2026, 11, 10), channel="hotline", responded_after=11, status="closed")  # 2
    case(
        session, khr, date(2026, 11, 24), type="information_request", sector="wash", channel="kiosk", responded_after=1
    )  # 3
    case(
        session, khr, date(2026, 11, 16), type="assistance_request", sector="shelter", due_days=4, status="in_progress"
    )  # 4
    case(
        session, khr, date(2026, 11, 25), type="suggestion", sector="shelter", channel="suggestion_box", due_days=30
    )  # 5
    case(session, khr, date(2026, 10, 1), sector="shelter", due_days=30, status="acknowledged")  # 6
    case(session, khr, date(2026, 11, 24), sector="wash", channel="hotline", due_days=30)  # 7
    case(session, shr, date(2026, 11, 20), sector="health", channel="hotline", responded_after=3)
    return {"khr": khr, "shr": shr}


def counts(rows) -> dict:
    return {row.key: row.count for row in rows if row.count}


def test_period_starts_on_a_monday():
    assert period_start(TODAY, 4) == date(2026, 11, 2)
    assert period_start(TODAY, 1) == date(2026, 11, 23)
    assert period_start(date(2026, 11, 23), 12).weekday() == 0


def test_volumes_by_type_sector_channel_and_week(make, session):
    world = build(make, session)
    figures = feedback_figures(session, [world["khr"].id], weeks=4, today=TODAY, now=NOW)
    assert figures.total == 6
    assert counts(figures.by_type) == {
        "complaint": 3,
        "information_request": 1,
        "assistance_request": 1,
        "suggestion": 1,
    }
    assert "sensitive" not in {row.key for row in figures.by_type}
    assert counts(figures.by_sector) == {"food": 2, "shelter": 2, "wash": 2}
    assert counts(figures.by_channel) == {"help_desk": 2, "hotline": 2, "kiosk": 1, "suggestion_box": 1}
    assert [(w.monday, w.count) for w in figures.by_week] == [
        (date(2026, 11, 2), 1),
        (date(2026, 11, 9), 1),
        (date(2026, 11, 16), 1),
        (date(2026, 11, 23), 3),
    ]
    assert figures.by_week[-1].label == "2026-W48"
    assert figures.largest(figures.by_week) == 3


def test_share_in_time_median_open_and_overdue(make, session):
    world = build(make, session)
    figures = feedback_figures(session, [world["khr"].id], weeks=4, today=TODAY, now=NOW)
    assert (figures.due, figures.in_time, figures.share_in_time) == (4, 2, 0.5)
    assert figures.responded == 3
    assert figures.median_days == pytest.approx(2.0)
    assert (figures.open, figures.overdue) == (4, 2)


def test_median_of_an_even_count_and_nothing_responded(make, session):
    khr = make.camp("KHR")
    assert feedback_figures(session, [khr.id], weeks=4, today=TODAY, now=NOW).median_days is None
    case(session, khr, date(2026, 11, 10), responded_after=1)
    case(session, khr, date(2026, 11, 10), responded_after=4)
    figures = feedback_figures(session, [khr.id], weeks=4, today=TODAY, now=NOW)
    assert figures.median_days == pytest.approx(2.5)
    assert figures.share_in_time == 1.0


def test_top_themes_are_sectors_with_most_complaints(make, session):
    world = build(make, session)
    themes = feedback_figures(session, [world["khr"].id], weeks=4, today=TODAY, now=NOW).themes
    assert [(t.sector, t.complaints, t.total) for t in themes] == [("food", 2, 2), ("wash", 1, 2)]
    assert themes[1].by_type["information_request"] == 1 and "sensitive" not in themes[1].by_type


def test_camp_scoping(make, session):
    world = build(make, session)
    both = feedback_figures(session, [world["khr"].id, world["shr"].id], weeks=4, today=TODAY, now=NOW)
    assert both.total == 7 and counts(both.by_sector)["health"] == 1
    only_shr = feedback_figures(session, [world["shr"].id], weeks=4, today=TODAY, now=NOW)
    assert (only_shr.total, only_shr.open, only_shr.responded) == (1, 0, 1)
    none = feedback_figures(session, [], weeks=4, today=TODAY, now=NOW)
    assert (none.total, none.open, none.due, none.median_days) == (0, 0, 0, None)
    assert len(none.by_week) == 4 and none.sensitive_hidden


def test_sensitive_cases_only_as_a_total_for_protection_officers(make, session):
    world = build(make, session)
    khr = world["khr"]
    for day in (3, 10, 17):
        case(session, khr, date(2026, 11, day), type="sensitive", sector="protection", due_days=3, responded_after=1)
    case(session, khr, date(2026, 11, 20), type="sensitive", sector="protection", due_days=3)  # overdue
    case(session, world["shr"], date(2026, 11, 20), type="sensitive", sector="protection")
    figures = feedback_figures(session, [khr.id], weeks=4, today=TODAY, now=NOW)
    assert figures.sensitive_hidden
    assert (figures.sensitive_total, figures.sensitive_overdue) == (None, None)
    # not in any general figure either
    assert figures.total == 6 and figures.responded == 3 and (figures.open, figures.overdue) == (4, 2)
    assert open_and_overdue(session, [khr.id], NOW) == (4, 2)
    assert open_and_overdue(session, [khr.id, world["shr"].id], NOW) == (4, 2)
    assert "protection" not in counts(figures.by_sector)
    protection = feedback_figures(session, [khr.id], weeks=4, today=TODAY, now=NOW, sensitive=True)
    assert (protection.sensitive_total, protection.sensitive_overdue) == (4, 1)

    case(session, khr, date(2026, 11, 24), type="sensitive", sector="protection", due_days=3)
    figures = feedback_figures(session, [khr.id], weeks=4, today=TODAY, now=NOW)
    assert (figures.sensitive_total, figures.sensitive_overdue) == (None, None)  # five or more: still nobody's
    assert figures.total == 6
    both = feedback_figures(session, [khr.id, world["shr"].id], weeks=4, today=TODAY, now=NOW, sensitive=True)
    assert (both.sensitive_total, both.total) == (6, 7)


# --- the page ------------------------------------------------------------------------------------


def recent_world(make, session) -> dict:
    """Cases around today (the page uses the real date), with a description that must never show."""
    today = date.today()
    khr, shr = make.camp("KHR"), make.camp("SHR")
    secret = "Ahmad Karimi at tent B04-017 says"
    rows = [
        case(session, khr, today - timedelta(days=d), description=f"{secret} #{d}", responded_after=1)
        for d in range(0, 40, 3)
    ]
    rows.append(
        case(
            session,
            khr,
            today - timedelta(days=20),
            type="assistance_request",
            sector="shelter",
            due_days=2,
            description=secret,
        )
    )
    for _ in range(2):
        case(session, khr, today - timedelta(days=2), type="sensitive", sector="protection", description=secret)
    case(session, shr, today - timedelta(days=1), sector="health", description="SHR only")
    return {"khr": khr, "shr": shr, "secret": secret, "rows": rows}


def test_page_for_a_viewer_has_figures_and_no_personal_data(client, login_as, make, session):
    world = recent_world(make, session)
    login_as("viewer", "KHR")
    response = client.get("/feedback/dashboard")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-testid="fb-total">15<' in page
    assert 'data-testid="fb-overdue">1<' in page
    assert 'data-testid="fb-sensitive"' not in page and "only protection officers see them counted" in page
    assert 'data-testid="fb-trend-chart"' in page and "<meter" in page
    assert world["secret"] not in page and "SHR only" not in page
    assert all(row.reference not in page for row in world["rows"])
    assert ' style="' not in page and "<style" not in page and "<script" not in page.split("</nav>")[-1]


def test_page_filters_by_camp_and_weeks(client, login_as, make, session):
    recent_world(make, session)
    login_as("site_manager", "KHR")
    page = client.get("/feedback/dashboard?camp=khr&weeks=4").get_data(as_text=True)
    assert "· KHR" in page and page.count('<tr><th scope="row" class="fw-normal">20') == 4
    assert client.get("/feedback/dashboard?weeks=999").status_code == 200
    assert client.get("/feedback/dashboard?camp=SHR").status_code == 404
    assert client.get("/feedback/dashboard?camp=NOPE").status_code == 404


def test_page_for_all_camps_counts_both(client, login_as, make, session):
    recent_world(make, session)
    login_as("viewer", None)
    page = client.get("/feedback/dashboard").get_data(as_text=True)
    assert 'data-testid="fb-total">16<' in page


def test_clerk_may_not_see_the_dashboard(client, login_as, make):
    login_as("registration_clerk", "KHR")
    assert client.get("/feedback/dashboard").status_code == 403
