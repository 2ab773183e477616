"""Closing a sensitive case needs its outcome and a confirmation; protection officers are alerted before
its 72-hour due time; due times read in camp time; a staff translation sits beside the person's words."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.db import utcnow
from app.errors import ValidationErrors
from camps.feedback import services
from camps.feedback.models import FeedbackCase
from tests.camps.test_feedback_pages import _case as logged_case


@pytest.fixture(autouse=True)
def _kiosk_limits():
    services.reset_kiosk_limits()
    yield
    services.reset_kiosk_limits()


#: an anonymous sensitive complaint, as a protection hotline logs one
SENSITIVE = {
    "type": "sensitive",
    "sensitive_category": "sea",
    "sector": "protection",
    "anonymous": True,
    "consent_to_contact": False,
    "contact": "",
    "description": "Words the person chose to say.",
}


def _case(session, make, actor=None, *, now=None, camp="KHR", **overrides) -> FeedbackCase:
    return logged_case(session, make, actor, camp=camp, now=now, **{**SENSITIVE, **overrides})


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- closing a sensitive case -------------------------------------------------------------------


def test_one_click_no_longer_closes_a_new_anonymous_sensitive_case(client, login_as, session, make):
    """Regression: the page offered a bare "Close the case" button that closed it with no outcome."""
    login_as("protection_officer")
    case = _case(session, make)
    response = client.post(f"/feedback/cases/{case.reference}/close", data={})
    assert response.status_code == 422
    session.refresh(case)
    assert case.status == "new" and case.closed_at is None
    page = _text(response)
    assert "Choose how the case ended." in page and "Confirm that the case is finished." in page


def test_a_sensitive_case_closes_with_its_outcome_and_confirmation(client, login_as, session, make):
    officer = login_as("protection_officer")
    case = _case(session, make)
    page = _text(client.get(f"/feedback/cases/{case.reference}"))
    assert 'data-testid="close-sensitive"' in page and 'name="outcome"' in page and 'name="confirm"' in page
    unconfirmed = client.post(
        f"/feedback/cases/{case.reference}/close", data={"outcome": "unreachable", "detail": "Called twice, no answer."}
    )
    assert unconfirmed.status_code == 422 and "Confirm that the case is finished." in _text(unconfirmed)
    assert "Called twice, no answer." in _text(unconfirmed)  # what was typed stays
    done = client.post(
        f"/feedback/cases/{case.reference}/close",
        data={"outcome": "unreachable", "detail": "Called twice, no answer.", "confirm": "y"},
    )
    assert done.status_code == 302
    session.refresh(case)
    assert case.status == "closed" and case.closing_outcome == "unreachable"
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "feedback.close")).one()
    assert audit.details["outcome"] == "unreachable" and "Called" not in str(audit.details)
    assert audit.user_id == officer.id
    shown = _text(client.get(f"/feedback/cases/{case.reference}"))
    assert "The person could not be reached" in shown and "Called twice, no answer." in shown


def test_the_closing_form_speaks_tajik_and_says_what_the_outcome_needs(client, login_as, session, make):
    """Regression: in Tajik the outcomes stayed English (labels fixed when the form class was made)
    and an empty detail got WTForms' English "This field is required." instead of what it must say."""
    login_as("protection_officer").locale = "tg"
    session.flush()
    case = _case(session, make)
    page = _text(
        client.post(
            f"/feedback/cases/{case.reference}/close", data={"outcome": "referred", "detail": "", "confirm": "y"}
        )
    )
    assert "Ба хадамот фиристода шуд" in page and "Referred to a service" not in page
    assert "Нависед, ки парванда ба кӣ фиристода шуд." in page and "This field is required." not in page
    # the outcomes are a group of radios named by a legend (no list bullets, no label pointing at a list)
    assert '<legend class="form-label fs-6">Парванда чӣ гуна анҷом ёфт</legend>' in page
    assert "<ul" not in page.split('data-testid="close-sensitive"')[1].split("</form>")[0]
    session.refresh(case)
    assert case.status == "new"


def test_referred_outcome_records_who_and_responded_needs_the_person_told(session, make, app):
    with app.app_context():
        officer = make.user(roles=["protection_officer"], camps=["KHR"])
        referred = _case(session, make)
        with pytest.raises(ValidationErrors) as refused:
            services.transition(session, officer, referred, "close", {"outcome": "referred", "confirm": True})
        assert set(refused.value.by_field()) == {"detail"}
        services.transition(
            session,
            officer,
            referred,
            "close",
            {"outcome": "referred", "detail": "UNHCR protection desk", "confirm": True},
        )
        assert referred.referred_to == "UNHCR protection desk" and referred.status == "closed"

        named = _case(session, make, anonymous=False, consent_to_contact=True, contact="through the block leader")
        with pytest.raises(ValidationErrors) as untold:
            services.transition(
                session,
                officer,
                named,
                "close",
                {"outcome": "responded", "detail": "Told her the staff member was moved.", "confirm": True},
            )
        assert "outcome" in untold.value.by_field() and named.status == "new"
        with pytest.raises(ValidationErrors):
            services.transition(
                session, officer, named, "close", {"outcome": "nonsense", "detail": "x", "confirm": True}
            )


def test_a_general_anonymous_case_still_closes_without_the_sensitive_form(session, make, app):
    with app.app_context():
        officer = make.user(roles=["feedback_officer"], camps=["KHR"])
        case = _case(session, make, type="suggestion", sensitive_category=None, sector="food")
        services.transition(session, officer, case, "close")
        assert case.status == "closed" and case.closing_outcome is None


# --- alerts before the 72-hour due time ---------------------------------------------------------


def test_protection_officers_see_a_badge_and_a_list_of_sensitive_cases_due_soon(client, login_as, session, make):
    now = utcnow()
    soon = _case(session, make, now=now - timedelta(hours=60))  # due in 12 hours
    _case(session, make, now=now - timedelta(hours=10))  # due in 62 hours: not yet
    other_camp = _case(session, make, now=now - timedelta(hours=60), camp="DNG")
    login_as("protection_officer")
    page = _text(client.get("/"))
    badge = re.search(r'data-testid="nav-badge"[^>]*>(\d+)', page)
    assert badge and badge.group(1) == "1"  # the other camp's case is not the officer's
    listed = _text(client.get("/feedback?due=soon"))
    assert soon.reference in listed and other_camp.reference not in listed
    assert listed.count('data-due-soon="1"') == 1
    case_page = _text(client.get(f"/feedback/cases/{soon.reference}"))
    assert 'data-testid="case-due-soon"' in case_page


def test_feedback_officers_get_no_sensitive_badge(client, login_as, session, make):
    _case(session, make, now=utcnow() - timedelta(hours=71))
    login_as("feedback_officer")
    assert 'data-testid="nav-badge"' not in _text(client.get("/feedback"))


# --- camp time, language names, translation, ids ----------------------------------------------


def test_due_time_reads_in_camp_time_not_utc(client, login_as, session, make):
    login_as("feedback_officer")
    case = _case(session, make, type="complaint", sensitive_category=None, sector="food")
    case.due_at = case.due_at.replace(hour=21, minute=30)  # 02:30 the next day in Dushanbe (UTC+5)
    session.flush()
    page = _text(client.get(f"/feedback/cases/{case.reference}"))
    due = re.search(r'data-testid="case-due">([^<]+)<', page).group(1)
    expected = (case.due_at + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M")
    assert due.strip() == expected and "UTC" not in page


def test_the_language_is_named_in_the_readers_language_beside_its_own_name(client, login_as, session, make):
    login_as("feedback_officer")
    case = _case(session, make, type="complaint", sensitive_category=None, sector="food")
    page = _text(client.get(f"/feedback/cases/{case.reference}"))
    assert "Dari (دری)" in page


def test_the_intake_page_has_one_element_per_id(client, login_as):
    login_as("registration_clerk")
    page = _text(client.get("/feedback/new"))
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_a_staff_translation_is_kept_beside_the_persons_words(client, login_as, session, make):
    login_as("feedback_officer")
    response = client.post(
        "/feedback/new",
        data={
            "camp": "KHR",
            "channel": "help_desk",
            "received_on": services.camp_today().isoformat(),
            "type": "complaint",
            "sector": "food",
            "description": "آرد تر بود",
            "translation": "The flour was wet.",
            "language": "fa",
            "household": "",
            "contact": "",
        },
    )
    assert response.status_code == 302, _text(response)
    case = session.scalars(select(FeedbackCase)).one()
    assert case.description == "آرد تر بود" and case.translation == "The flour was wet."
    updated = client.post(
        f"/feedback/cases/{case.reference}/translate", data={"translation": "The flour given on Monday was wet."}
    )
    assert updated.status_code == 302
    session.refresh(case)
    assert case.translation == "The flour given on Monday was wet." and case.description == "آرد تر بود"
    page = _text(client.get(f"/feedback/cases/{case.reference}"))
    assert 'data-testid="case-translation"' in page
