"""Feedback pages: intake at a desk, the case list and page, my cases, the kiosks' admin and the tablet."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.campday import camp_today
from app.db import utcnow
from camps.distributions import rounds
from camps.feedback import services
from camps.feedback.kiosk_text import KIOSK_LANGUAGES, MESSAGES, texts
from camps.feedback.models import FeedbackCase, Kiosk
from camps.sites.models import Camp

WARNING = "Do not investigate. Write down only what the person chose to say"


@pytest.fixture(autouse=True)
def _kiosk_limits():
    services.reset_kiosk_limits()
    yield
    services.reset_kiosk_limits()


def _form(**overrides) -> dict:
    data = {
        "camp": "KHR",
        "channel": "help_desk",
        "received_on": services.camp_today().isoformat(),
        "type": "complaint",
        "sensitive_category": "",
        "sector": "food",
        "description": "The flour in the last distribution was wet.",
        "language": "fa",
        "household": "",
        "contact": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(FeedbackCase))


def _case(session, make, actor=None, camp="KHR", now=None, **overrides) -> FeedbackCase:
    now = now or utcnow()
    data = {
        "channel": "help_desk",
        "received_on": services.camp_today(now),
        "type": "complaint",
        "sensitive_category": None,
        "sector": "food",
        "description": "Water point 3 is broken.",
        "language": "fa",
        "household": "",
        "person_seq": None,
        "anonymous": False,
        "consent_to_contact": True,
        "contact": "+992 900 000 000",
        **overrides,
    }
    return services.intake(session, actor, make.camp(camp), data, now=now)


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- intake ------------------------------------------------------------------------------------


def test_a_clerk_logs_feedback_from_the_scan_link_and_gets_the_reference(client, login_as, session, make):
    household = make.household("KHR")
    login_as("registration_clerk")
    page = _text(client.get(f"/feedback/new?household={household.number}&channel=distribution_point"))
    assert f'value="{household.number}"' in page
    assert '<option selected value="distribution_point">' in page
    response = client.post("/feedback/new", data=_form(household=household.number, channel="distribution_point"))
    assert response.status_code == 302 and response.headers["Location"] == "/feedback/new"
    case = session.scalar(select(FeedbackCase))
    assert (case.household_id, case.channel, case.created_by_id is not None) == (
        household.id,
        "distribution_point",
        True,
    )
    shown = _text(client.get("/feedback/new"))
    assert case.reference in shown and "Feedback saved." in shown
    assert case.reference not in _text(client.get("/feedback/new"))  # shown once


def test_refused_intake_answers_422_with_messages_by_the_fields_keeps_values_and_saves_nothing(
    client, login_as, session, make
):
    login_as("feedback_officer")
    response = client.post("/feedback/new", data=_form(description="", type="", contact="block 4, tent 12"))
    page = _text(response)
    assert response.status_code == 422
    assert 'data-field-error="description"' in page and 'data-field-error="type"' in page
    assert 'value="block 4, tent 12"' in page
    # the service's refusals land next to their fields too
    response = client.post("/feedback/new", data=_form(household="XYZ-1", contact="block 4, tent 12"))
    page = _text(response)
    assert response.status_code == 422
    assert 'data-field-error="household"' in page and 'data-field-error="contact"' in page
    assert "The flour in the last distribution was wet." in page
    assert _count(session) == 0


def test_the_intake_form_warns_how_to_take_a_sensitive_complaint(client, login_as, session, make):
    login_as("distribution_officer")
    page = _text(client.get("/feedback/new"))
    warning = page[page.index('data-testid="sensitive-warning"') - 80 :]
    assert 'role="alert"' in warning[:200] and WARNING in page
    assert 'name="sensitive_category"' in page and "js/feedback.js" in page


def test_after_a_sensitive_complaint_the_page_only_says_it_was_handed_over(client, login_as, session, make):
    login_as("registration_clerk")
    response = client.post(
        "/feedback/new",
        data=_form(type="sensitive", sensitive_category="sea", description="Words the person chose to say."),
    )
    assert response.status_code == 302
    page = _text(client.get("/feedback/new"))
    logged = page[page.index('data-testid="logged"') : page.index("</section>")]
    assert "Handed over to protection staff." in logged
    case = session.scalar(select(FeedbackCase))
    assert case.sensitive and case.reference in logged
    assert "Words the person chose to say." not in page and "Sexual exploitation" not in logged


# --- the list, the case page and my cases ------------------------------------------------------


def test_the_list_filters_and_puts_overdue_cases_first(client, login_as, session, make):
    officer = login_as("feedback_officer")
    make.camp("DNG")
    old = utcnow() - timedelta(days=40)
    late = _case(session, make, officer, now=old, sector="shelter")
    food = _case(session, make, officer, type="suggestion", sector="food")
    water = _case(session, make, officer, sector="wash")
    services.transition(session, officer, water, "acknowledge")
    other_camp = _case(session, make, None, camp="DNG")
    page = _text(client.get("/feedback"))
    assert page.index(late.reference) < page.index(food.reference)
    assert f'data-case="{late.reference}" class="feedback-overdue"' in page
    assert other_camp.reference not in page  # not the officer's camp
    assert camp_today(old + timedelta(days=30)).isoformat() in page  # the due date, on the camp's calendar

    def shown(query: str) -> set[str]:
        return set(re.findall(r'data-case="(FB-[A-Z]+-\d+)"', _text(client.get("/feedback?" + query))))

    assert shown("overdue=1") == {late.reference}
    assert shown("type=suggestion") == {food.reference}
    assert shown("sector=wash") == {water.reference}
    assert shown("status=acknowledged") == {water.reference}
    assert shown("status=new&camp=KHR") == {late.reference, food.reference}


def test_a_case_goes_from_acknowledged_to_closed_only_after_the_person_was_told(client, login_as, session, make):
    officer = login_as("feedback_officer")
    case = _case(session, make, officer)
    url = f"/feedback/cases/{case.reference}"
    page = _text(client.get(url))
    assert "Water point 3 is broken." in page and f'action="{url}/acknowledge"' in page
    assert client.post(f"{url}/acknowledge").status_code == 302
    assert client.post(f"{url}/refer", data={"referred_to": "WASH cluster"}).status_code == 302
    assert client.post(f"{url}/respond", data={"response": "Repaired on Monday."}).status_code == 302
    refused = client.post(f"{url}/close")
    assert refused.status_code == 422
    assert "The person has not been told the response yet" in _text(refused)
    session.refresh(case)
    assert case.status == "responded"
    assert (
        client.post(
            f"{url}/communicate", data={"how": "by phone", "when": services.camp_today().isoformat()}
        ).status_code
        == 302
    )
    assert client.post(f"{url}/close").status_code == 302
    session.refresh(case)
    assert case.status == "closed" and case.communicated_how == "by phone"
    page = _text(client.get(url))
    for event in ("acknowledged", "referred", "responded", "communicated", "closed"):
        assert f'data-event="{event}"' in page
    assert "Repaired on Monday." in page and f'action="{url}/reopen"' in page


def test_a_refused_step_keeps_what_was_typed_next_to_its_field(client, login_as, session, make):
    officer = login_as("feedback_officer")
    case = _case(session, make, officer)
    response = client.post(f"/feedback/cases/{case.reference}/refer", data={"referred_to": ""})
    assert response.status_code == 422 and 'data-field-error="referred_to"' in _text(response)
    response = client.post(
        f"/feedback/cases/{case.reference}/communicate",
        data={"how": "by phone", "when": services.camp_today().isoformat()},
    )
    assert response.status_code == 422 and "Record the response first" in _text(response)
    assert client.post(f"/feedback/cases/{case.reference}/nonsense").status_code == 404


def test_a_case_is_assigned_to_a_feedback_officer_of_its_camp(client, login_as, session, make):
    officer = login_as("feedback_officer")
    colleague = make.user(roles=["feedback_officer"], camps=["KHR"], full_name="Nigora Rahimova")
    make.user(roles=["registration_clerk"], camps=["KHR"], full_name="Clerk Not Listed")
    case = _case(session, make, officer)
    page = _text(client.get(f"/feedback/cases/{case.reference}"))
    assert "Nigora Rahimova" in page and "Clerk Not Listed" not in page
    assert (
        client.post(f"/feedback/cases/{case.reference}/assign", data={"owner_id": str(colleague.id)}).status_code == 302
    )
    session.refresh(case)
    assert case.owner_id == colleague.id


def test_sensitive_cases_are_for_protection_officers_only(client, login_as, session, make):
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    case = _case(
        session,
        make,
        clerk,
        type="sensitive",
        sensitive_category="misconduct",
        description="What the person said about a guard.",
    )
    household = make.household("KHR")
    other = _case(session, make, clerk, household=household.number)
    login_as("feedback_officer")
    assert client.get(f"/feedback/cases/{case.reference}").status_code == 404
    assert client.post(f"/feedback/cases/{case.reference}/acknowledge").status_code == 404
    listing = _text(client.get("/feedback"))
    assert case.reference not in listing and other.reference in listing
    assert "Sensitive complaint" not in listing.split('name="type"')[1].split("</select>")[0]
    # the feedback officer may not open households: the number is not a link
    assert f'href="/households/{household.number}"' not in _text(client.get(f"/feedback/cases/{other.reference}"))

    login_as("protection_officer")
    page = _text(client.get(f"/feedback/cases/{case.reference}"))
    assert "What the person said about a guard." in page and "Staff misconduct" in page
    assert case.reference in _text(client.get("/feedback"))
    assert f'href="/households/{household.number}"' in _text(client.get(f"/feedback/cases/{other.reference}"))


def test_my_cases_show_a_sensitive_case_only_as_handed_over(client, login_as, session, make):
    clerk = login_as("registration_clerk")
    sensitive = _case(session, make, clerk, type="sensitive", sensitive_category="sea", description="Not shown here.")
    plain = _case(session, make, clerk, type="suggestion", description="Not shown either.")
    _case(session, make, make.user(roles=["registration_clerk"]), description="Someone else’s")
    page = _text(client.get("/feedback/mine"))
    assert sensitive.reference in page and plain.reference in page
    row = page[page.index(f'data-case="{sensitive.reference}"') :]
    row = row[: row.index("</tr>")]
    assert "Sensitive case – handed over" in row and "New" in row
    assert "Not shown" not in page and "Someone else" not in page and "Suggestion" in page


# --- kiosks --------------------------------------------------------------------------------------


def _kiosk(session, make, camp="KHR") -> tuple[Kiosk, str]:
    return services.create_kiosk(session, None, make.camp(camp), "Help desk, block 3")


def test_an_admin_adds_a_tablet_sees_its_link_once_and_revokes_it(client, login_as, session, make):
    make.camp("KHR")
    login_as("admin", None)
    response = client.post("/admin/kiosks", data={"camp": "KHR", "name": "Help desk, block 3"})
    page = _text(response)
    assert response.status_code == 200
    link = re.search(r'data-testid="kiosk-link">([^<]+)<', page).group(1)
    assert link.startswith("http://localhost/kiosk/")
    kiosk = session.scalar(select(Kiosk))
    assert kiosk.name == "Help desk, block 3" and link.rsplit("/", 1)[1] not in kiosk.token_digest
    listing = _text(client.get("/admin/kiosks"))
    assert "Help desk, block 3" in listing and link not in listing
    path = link.removeprefix("http://localhost")
    assert client.get(path).status_code == 200
    assert client.post(f"/admin/kiosks/{kiosk.id}/revoke").status_code == 302
    assert client.get(path).status_code == 404
    assert client.post("/admin/kiosks", data={"camp": "KHR", "name": ""}).status_code == 422


def test_the_tablet_speaks_dari_right_to_left_by_default_without_the_staff_menu(client, session, make):
    _kiosk_, secret = _kiosk(session, make)
    page = _text(client.get(f"/kiosk/{secret}"))
    assert '<html lang="fa" dir="rtl">' in page and "bootstrap.rtl.min.css" in page
    assert texts("fa")["intro"] in page and texts("fa")["sector_shelter"] in page
    assert 'data-testid="main-menu"' not in page and "Sign out" not in page
    for code, (name, _dir) in KIOSK_LANGUAGES.items():
        assert f'href="/kiosk/{secret}?lang={code}"' in page and name in page
    page = _text(client.get(f"/kiosk/{secret}?lang=ru"))
    assert '<html lang="ru" dir="ltr">' in page and texts("ru")["intro"] in page
    assert client.get("/kiosk/not-a-secret").status_code == 404


def test_a_message_from_the_tablet_becomes_a_case_and_shows_its_number(client, session, make):
    kiosk, secret = _kiosk(session, make)
    response = client.post(
        f"/kiosk/{secret}?lang=ps", data={"type": "request", "sector": "shelter", "description": "زموږ خېمه اوبه څڅوي"}
    )
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    case = session.scalar(select(FeedbackCase))
    assert 'data-testid="kiosk-thanks"' in page and case.reference in page and texts("ps")["new_message"] in page
    assert (case.channel, case.language, case.type, case.kiosk_id, case.created_by_id, case.anonymous) == (
        "kiosk",
        "ps",
        "assistance_request",
        kiosk.id,
        None,
        True,
    )
    assert case.camp_id == session.scalar(select(Camp.id).where(Camp.code == "KHR"))
    assert 'data-testid="kiosk-form"' in _text(client.get(f"/kiosk/{secret}?lang=ps"))  # the next person


def test_something_serious_from_the_tablet_goes_to_protection_only(client, login_as, session, make):
    _kiosk_, secret = _kiosk(session, make)
    client.post(
        f"/kiosk/{secret}",
        data={
            "type": "serious",
            "sector": "protection",
            "description": "A guard…",
            "consent_to_contact": "y",
            "contact": "tent 7",
        },
    )
    case = session.scalar(select(FeedbackCase))
    assert case.sensitive and case.consent_to_contact and case.contact == "tent 7" and not case.anonymous
    login_as("feedback_officer")
    assert case.reference not in _text(client.get("/feedback"))


@pytest.mark.parametrize("lang", ["tg", "fa"])
def test_a_refused_tablet_message_is_explained_in_the_chosen_language(client, session, make, lang):
    _kiosk_, secret = _kiosk(session, make)
    response = client.post(
        f"/kiosk/{secret}?lang={lang}",
        data={"type": "complaint", "sector": "food", "description": "  ", "consent_to_contact": "y"},
    )
    page = _text(response)
    assert response.status_code == 422
    assert texts(lang)["empty_description"] in page and texts(lang)["contact_missing"] in page
    assert 'id="type-complaint" value="complaint" autocomplete="off"\n                 checked' in page
    assert _count(session) == 0


def test_a_tablet_may_send_five_messages_in_ten_minutes(client, session, make):
    _kiosk_, secret = _kiosk(session, make)
    data = {"type": "thanks", "sector": "other", "description": "Thank you"}
    for _ in range(5):
        assert client.post(f"/kiosk/{secret}?lang=ru", data=data).status_code == 302
    response = client.post(f"/kiosk/{secret}?lang=ru", data=data)
    assert response.status_code == 429 and texts("ru")["rate_limited"] in _text(response)
    assert _count(session) == 5


@pytest.fixture()
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_the_tablet_form_needs_its_csrf_token(client, session, make, csrf_on):
    _kiosk_, secret = _kiosk(session, make)
    data = {"type": "question", "sector": "health", "description": "When is the doctor here?"}
    refused = client.post(f"/kiosk/{secret}?lang=tg", data=data)
    assert refused.status_code == 400 and texts("tg")["expired"] in _text(refused)
    assert _count(session) == 0
    page = _text(client.get(f"/kiosk/{secret}?lang=tg"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(f"/kiosk/{secret}?lang=tg", data={**data, "csrf_token": token}).status_code == 302
    assert _count(session) == 1


def test_every_language_of_the_tablet_has_every_text():
    keys = texts("fa").keys()
    assert all(texts(lang).keys() == keys and all(texts(lang).values()) for lang in KIOSK_LANGUAGES)
    assert all("{reference}" in texts(lang)["thanks"] for lang in KIOSK_LANGUAGES)
    # an untranslated text would show its English (the msgid)
    assert all(texts(lang)[key] != text.message for lang in KIOSK_LANGUAGES for key, text in MESSAGES.items())


# --- the scan page's link ------------------------------------------------------------------------


def test_the_scan_page_offers_to_log_feedback_for_the_household_shown(client, login_as, session, make):
    officer = login_as("distribution_officer")
    manager = make.user(roles=["site_manager"])
    round_ = rounds.create_round(
        session,
        manager,
        make.camp("KHR"),
        {
            "name": "October food",
            "starts_on": date.today(),
            "ends_on": date.today(),
            "rule": "household",
            "brackets": "",
            "statuses": ["active"],
            "alternates_allowed": True,
            "items": [{"name": "Wheat flour", "unit": "kg", "quantity": 25}],
        },
    )
    assert officer.can("feedback.log")
    page = _text(client.get(f"/distributions/rounds/{round_.id}/scan"))
    assert 'data-feedback-url="/feedback/new"' in page and 'id="outcome-feedback-link"' in page
