"""Feedback cases: intake rules, due dates, who sees sensitive cases, the workflow, kiosks."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.errors import UserValueError, ValidationErrors
from camps.feedback import services
from camps.feedback.models import CaseEvent, FeedbackCase
from tests.camps.feedback_helpers import NOW, TODAY, case_data


@pytest.fixture(autouse=True)
def _context(app):
    services.reset_kiosk_limits()
    with app.app_context():
        yield
    services.reset_kiosk_limits()


def _data(**overrides) -> dict:
    return case_data(**overrides)


def _user(make, role: str, camp: str = "KHR"):
    return make.user(roles=[role], camps=[camp])


def _sensitive(session, make, actor=None, **overrides):
    actor = actor or _user(make, "registration_clerk")
    return services.intake(
        session,
        actor,
        make.camp("KHR"),
        _data(type="sensitive", sensitive_category="sea", sector="protection", **overrides),
        now=NOW,
    )


def _audits(session, action: str, object_id: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    return list(session.scalars(query.order_by(AuditEvent.id)))


def _count_cases(session) -> int:
    return session.scalar(select(func.count()).select_from(FeedbackCase))


# --- intake ----------------------------------------------------------------------------------


def test_an_empty_description_is_refused_next_to_its_field_and_nothing_is_saved(session, make):
    clerk = _user(make, "registration_clerk")
    with pytest.raises(ValidationErrors) as refused:
        services.intake(session, clerk, make.camp("KHR"), _data(description="   "), now=NOW)
    assert list(refused.value.errors) == ["description"]
    assert _count_cases(session) == 0
    assert _audits(session, "feedback.create") == []


def test_every_problem_is_reported_at_once(session, make):
    clerk = _user(make, "registration_clerk")
    with pytest.raises(ValidationErrors) as refused:
        services.intake(
            session,
            clerk,
            make.camp("KHR"),
            _data(
                channel="pigeon",
                type="sensitive",
                sector="space",
                language="xx",
                description="x" * 5001,
                received_on=TODAY + timedelta(days=2),
            ),
            now=NOW,
        )
    assert set(refused.value.errors) == {
        "channel",
        "sensitive_category",
        "sector",
        "language",
        "description",
        "received_on",
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_on": TODAY - timedelta(days=400)}, "received_on"),
        ({"received_on": None}, "received_on"),
        ({"type": "complaint", "sensitive_category": "sea"}, "sensitive_category"),
        ({"channel": "kiosk"}, "channel"),
        ({"consent_to_contact": True, "contact": ""}, "contact"),
        ({"consent_to_contact": False, "contact": "+992 90 123 4567"}, "contact"),
        ({"household": "KHR-000001-0"}, "household"),
        ({"person_seq": 2}, "person_seq"),
        ({"description": "x"}, "description"),
    ],
)
def test_intake_refuses(session, make, overrides, field):
    clerk = _user(make, "registration_clerk")
    with pytest.raises(ValidationErrors) as refused:
        services.intake(session, clerk, make.camp("KHR"), _data(**overrides), now=NOW)
    assert field in refused.value.errors


def test_a_case_gets_a_reference_a_history_and_an_audit_without_its_text(session, make):
    clerk = _user(make, "registration_clerk")
    case = services.intake(session, clerk, make.camp("KHR"), _data(), now=NOW)
    assert case.reference == "FB-KHR-000001"  # the camp's first general case
    assert (case.status, case.sensitive, case.created_by_id, case.kiosk_id) == ("new", False, clerk.id, None)
    assert [(e.action, e.to_status) for e in services.case_history(session, case)] == [("created", "new")]
    [audit] = _audits(session, "feedback.create", case.reference)
    assert audit.details == {"type": "complaint", "channel": "help_desk"}


@pytest.mark.parametrize(
    ("type_", "hours"),
    [
        ("sensitive", 72),
        ("complaint", 720),
        ("assistance_request", 720),
        ("suggestion", 720),
        ("rumour", 720),
        ("information_request", 168),
        ("appreciation", 168),
    ],
)
def test_the_due_date_follows_the_type(session, make, type_, hours):
    category = "fraud" if type_ == "sensitive" else ""
    case = services.intake(session, None, make.camp("KHR"), _data(type=type_, sensitive_category=category), now=NOW)
    assert services.due_hours(type_) == hours
    assert case.due_at == NOW + timedelta(hours=hours)
    assert case.sensitive is (type_ == "sensitive")


def test_the_due_hours_can_be_configured(app, session, make, monkeypatch):
    monkeypatch.setitem(app.config, "FEEDBACK_DUE_HOURS", {"complaint": 240})
    case = services.intake(session, None, make.camp("KHR"), _data(), now=NOW)
    assert case.due_at == NOW + timedelta(hours=240)
    assert services.due_hours("sensitive") == 72


def test_a_case_received_earlier_is_due_from_the_start_of_that_day_in_the_camp(session, make):
    case = services.intake(session, None, make.camp("KHR"), _data(received_on=TODAY - timedelta(days=3)), now=NOW)
    # midnight in Tajikistan (UTC+5) is 19:00 UTC the day before
    assert case.due_at == datetime(2026, 11, 26, 19, 0) + timedelta(days=30)


def test_a_case_names_a_household_and_member_of_the_actors_camps_only(session, make):
    clerk = _user(make, "registration_clerk")
    household = make.household("KHR", members=3)
    elsewhere = make.household("DSH")
    case = services.intake(
        session,
        clerk,
        make.camp("KHR"),
        _data(
            household=household.number.replace("-", "").lower(),
            person_seq=2,
            consent_to_contact=True,
            contact="Through the block leader",
        ),
        now=NOW,
    )
    assert case.household_id == household.id
    assert case.person_id == household.members[1].id
    assert (case.consent_to_contact, case.contact) == (True, "Through the block leader")
    with pytest.raises(ValidationErrors) as refused:
        services.intake(session, clerk, make.camp("KHR"), _data(household=elsewhere.number), now=NOW)
    assert "household" in refused.value.errors
    with pytest.raises(ValidationErrors) as refused:
        services.intake(session, clerk, make.camp("KHR"), _data(household=household.number, person_seq=9), now=NOW)
    assert "person_seq" in refused.value.errors


def test_an_anonymous_case_keeps_no_household_person_or_contact(session, make):
    household = make.household("KHR")
    case = services.intake(
        session,
        _user(make, "registration_clerk"),
        make.camp("KHR"),
        _data(anonymous=True, household=household.number, person_seq=1, consent_to_contact=True, contact="0901234567"),
        now=NOW,
    )
    assert case.anonymous
    assert (case.household_id, case.person_id, case.consent_to_contact, case.contact) == (None, None, False, None)


# --- who sees what ---------------------------------------------------------------------------


def test_sensitive_cases_are_listed_only_for_protection(session, make):
    camp = make.camp("KHR")
    plain = services.intake(session, None, camp, _data(), now=NOW)
    secret = _sensitive(session, make)
    other_camp = services.intake(session, None, make.camp("DSH"), _data(), now=NOW)
    for role in ("feedback_officer", "site_manager"):
        user = _user(make, role)
        assert session.scalars(services.visible_cases(user, now=NOW)).all() == [plain]
        assert session.scalars(services.visible_cases(user, type="sensitive", now=NOW)).all() == []
    protection = _user(make, "protection_officer")
    assert set(session.scalars(services.visible_cases(protection, now=NOW))) == {plain, secret}
    assert other_camp not in session.scalars(services.visible_cases(protection, now=NOW)).all()


def test_overdue_cases_come_first_and_can_be_filtered(session, make):
    camp = make.camp("KHR")
    officer = _user(make, "feedback_officer")

    def logged(days_ago: int, type_: str):
        at = NOW - timedelta(days=days_ago)
        return services.intake(session, None, camp, _data(type=type_, received_on=at.date()), now=at)

    late = logged(10, "information_request")
    recent = logged(0, "complaint")
    answered = logged(9, "information_request")
    services.transition(session, officer, answered, "respond", {"response": "Done."}, now=NOW)
    assert services.is_overdue(late, NOW) and not services.is_overdue(answered, NOW)
    assert session.scalars(services.visible_cases(officer, now=NOW)).all() == [late, recent, answered]
    assert session.scalars(services.visible_cases(officer, overdue=True, now=NOW)).all() == [late]
    assert late not in session.scalars(services.visible_cases(officer, overdue=False, now=NOW)).all()
    assert session.scalars(services.visible_cases(officer, status="responded", now=NOW)).all() == [answered]
    assert session.scalars(services.visible_cases(officer, sector="health", now=NOW)).all() == []


def test_a_sensitive_case_is_read_only_by_protection_and_every_read_is_audited(session, make):
    case = _sensitive(session, make)
    assert services.case_for_user(session, _user(make, "feedback_officer"), case.reference) is None
    assert services.case_for_user(session, _user(make, "site_manager"), case.reference) is None
    assert services.case_for_user(session, _user(make, "protection_officer", "DSH"), case.reference) is None
    assert _audits(session, "feedback.view_sensitive") == []
    protection = _user(make, "protection_officer")
    assert services.case_for_user(session, protection, case.reference.lower()) is case
    assert services.case_for_user(session, protection, case.reference) is case
    reads = _audits(session, "feedback.view_sensitive", case.reference)
    assert [e.user_id for e in reads] == [protection.id, protection.id]
    assert services.case_for_user(session, protection, "FB-KHR-999999") is None


def test_a_managers_read_of_a_plain_case_is_audited(session, make):
    case = services.intake(session, None, make.camp("KHR"), _data(), now=NOW)
    officer = _user(make, "feedback_officer")
    assert services.case_for_user(session, officer, case.reference) is case
    assert [e.user_id for e in _audits(session, "feedback.view", case.reference)] == [officer.id]


def test_my_cases_lists_what_the_user_logged_and_hides_what_sensitive_cases_are(session, make):
    clerk = _user(make, "registration_clerk")
    plain = services.intake(session, clerk, make.camp("KHR"), _data(), now=NOW)
    secret = _sensitive(session, make, actor=clerk)
    services.intake(session, None, make.camp("KHR"), _data(), now=NOW)
    assert session.scalars(services.my_cases(clerk)).all() == [secret, plain]
    assert services.type_label(secret, clerk) == "Sensitive case – handed over"
    assert services.type_label(plain, clerk) == "Complaint"
    assert services.type_label(secret, _user(make, "protection_officer")) == "Sensitive complaint"


# --- workflow --------------------------------------------------------------------------------


def test_a_case_goes_from_new_to_closed_once_the_person_was_told(session, make):
    officer = _user(make, "feedback_officer")
    case = services.intake(session, None, make.camp("KHR"), _data(), now=NOW)
    steps = [
        ("acknowledge", {}),
        ("start", {}),
        ("refer", {"referred_to": "WFP field office"}),
        ("respond", {"response": "Two kilograms were added at the next distribution."}),
        ("communicate", {"how": "By phone", "when": NOW + timedelta(hours=1)}),
    ]
    for n, (action, data) in enumerate(steps, start=1):
        services.transition(session, officer, case, action, data, now=NOW + timedelta(hours=n))
    assert case.status == "responded"
    assert case.referred_to == "WFP field office"
    assert case.responded_at == NOW + timedelta(hours=4)
    assert (case.communicated_at, case.communicated_how) == (NOW + timedelta(hours=1), "By phone")
    assert "close" in services.available_actions(case)
    event = services.transition(session, officer, case, "close", now=NOW + timedelta(hours=6))
    assert (event.action, event.from_status, event.to_status) == ("closed", "responded", "closed")
    assert (case.status, case.closed_at, case.updated_at) == (
        "closed",
        NOW + timedelta(hours=6),
        NOW + timedelta(hours=6),
    )
    assert [e.action for e in services.case_history(session, case)] == [
        "created",
        "acknowledged",
        "in_progress",
        "referred",
        "responded",
        "communicated",
        "closed",
    ]
    audits = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_id == case.reference, AuditEvent.action != "feedback.create")
        .order_by(AuditEvent.id)
    ).all()
    assert [a.action for a in audits] == [
        "feedback.acknowledge",
        "feedback.start",
        "feedback.refer",
        "feedback.respond",
        "feedback.communicate",
        "feedback.close",
    ]
    assert all(set(a.details) == {"from", "to"} for a in audits)  # no free text in the audit log


def test_closing_is_refused_until_the_response_was_communicated(session, make):
    officer = _user(make, "feedback_officer")
    case = services.intake(session, None, make.camp("KHR"), _data(), now=NOW)
    with pytest.raises(UserValueError, match="Record the response"):
        services.transition(session, officer, case, "close", now=NOW)
    services.transition(session, officer, case, "respond", {"response": "Answered."}, now=NOW)
    with pytest.raises(UserValueError) as refused:
        services.transition(session, officer, case, "close", now=NOW)
    assert refused.value.message == "The person has not been told the response yet: record how and when first."
    assert case.status == "responded"
    with pytest.raises(UserValueError) as refused:
        services.transition(
            session, officer, case, "communicate", {"how": "In person", "when": NOW + timedelta(1)}, now=NOW
        )
    assert refused.value.field == "when"


def test_the_day_the_person_was_told_is_now_today_and_the_start_of_an_earlier_day(session, make):
    officer = _user(make, "feedback_officer")
    told_today = services.intake(session, None, make.camp("KHR"), _data(type="appreciation"), now=NOW)
    services.transition(session, officer, told_today, "communicate", {"how": "In person", "when": TODAY}, now=NOW)
    assert told_today.communicated_at == NOW
    told_before = services.intake(session, None, make.camp("KHR"), _data(type="appreciation"), now=NOW)
    services.transition(
        session, officer, told_before, "communicate", {"how": "In person", "when": TODAY - timedelta(days=2)}, now=NOW
    )
    assert told_before.communicated_at == datetime(2026, 11, 28)
    with pytest.raises(UserValueError) as refused:
        services.transition(
            session,
            officer,
            told_before,
            "communicate",
            {"how": "In person", "when": TODAY + timedelta(days=1)},
            now=NOW,
        )
    assert refused.value.field == "when"


def test_an_anonymous_case_closes_without_telling_anyone(session, make):
    officer = _user(make, "feedback_officer")
    case = services.intake(session, None, make.camp("KHR"), _data(anonymous=True, type="suggestion"), now=NOW)
    services.transition(session, officer, case, "close", now=NOW)
    assert case.status == "closed" and case.communicated_at is None


def test_appreciation_closes_without_a_response_once_thanked(session, make):
    officer = _user(make, "feedback_officer")
    case = services.intake(session, None, make.camp("KHR"), _data(type="appreciation"), now=NOW)
    services.transition(session, officer, case, "acknowledge", now=NOW)
    services.transition(session, officer, case, "communicate", {"how": "Thanked at the help desk"}, now=NOW)
    services.transition(session, officer, case, "close", now=NOW)
    assert case.status == "closed"


def test_a_closed_case_is_reopened_with_a_note_and_must_be_told_again(session, make):
    officer = _user(make, "feedback_officer")
    case = services.intake(session, None, make.camp("KHR"), _data(), now=NOW)
    services.transition(session, officer, case, "respond", {"response": "Answered."}, now=NOW)
    services.transition(session, officer, case, "communicate", {"how": "By phone"}, now=NOW)
    services.transition(session, officer, case, "close", now=NOW)
    with pytest.raises(UserValueError) as refused:
        services.transition(session, officer, case, "reopen", {"note": " "}, now=NOW)
    assert refused.value.field == "note"
    event = services.transition(session, officer, case, "reopen", {"note": "The ration is still short."}, now=NOW)
    assert (event.action, event.to_status, event.note) == ("reopened", "in_progress", "The ration is still short.")
    assert (case.status, case.closed_at, case.communicated_at) == ("in_progress", None, None)
    services.transition(session, officer, case, "respond", {"response": "Corrected."}, now=NOW)
    with pytest.raises(UserValueError, match="not been told"):
        services.transition(session, officer, case, "close", now=NOW)


@pytest.mark.parametrize(
    ("setup", "action", "data"),
    [
        ([], "reopen", {"note": "x"}),
        (["acknowledge"], "acknowledge", {}),
        ([], "refer", {"referred_to": "x" * 121}),
        ([], "respond", {"response": ""}),
        ([], "communicate", {"how": "By phone"}),
        ([], "note", {}),
        ([], "escalate", {}),
    ],
)
def test_invalid_steps_are_refused_with_a_message(session, make, setup, action, data):
    officer = _user(make, "feedback_officer")
    case = services.intake(session, None, make.camp("KHR"), _data(), now=NOW)
    for step in setup:
        services.transition(session, officer, case, step, now=NOW)
    status = case.status
    with pytest.raises(UserValueError) as refused:
        services.transition(session, officer, case, action, data, now=NOW)
    assert refused.value.message
    assert case.status == status


def test_assign_only_to_feedback_managers_of_the_camp_and_sensitive_only_to_protection(session, make):
    officer = _user(make, "feedback_officer")
    protection = _user(make, "protection_officer")
    clerk = _user(make, "registration_clerk")
    elsewhere = _user(make, "feedback_officer", "DSH")
    plain = services.intake(session, None, make.camp("KHR"), _data(), now=NOW)
    secret = _sensitive(session, make)
    for refused_owner in (clerk, elsewhere):
        with pytest.raises(UserValueError) as refused:
            services.transition(session, officer, plain, "assign", {"owner_id": refused_owner.id}, now=NOW)
        assert refused.value.field == "owner_id"
    event = services.transition(session, officer, plain, "assign", {"owner_id": str(protection.id)}, now=NOW)
    assert plain.owner_id == protection.id and event.action == "assigned"
    assert _audits(session, "feedback.assign", plain.reference)[0].details["owner"] == protection.id
    with pytest.raises(UserValueError, match="protection officer"):
        services.transition(session, protection, secret, "assign", {"owner_id": officer.id}, now=NOW)
    with pytest.raises(UserValueError):  # a feedback officer cannot act on a sensitive case at all
        services.transition(session, officer, secret, "note", {"note": "x"}, now=NOW)
    services.transition(session, protection, secret, "assign", {"owner_id": protection.id}, now=NOW)
    assert secret.owner_id == protection.id
    assert services.assignable_users(session, secret) == [protection]
    assert set(services.assignable_users(session, plain)) == {officer, protection}


# --- kiosks ----------------------------------------------------------------------------------


def test_a_kiosk_secret_is_shown_once_stored_as_a_digest_and_revocable(session, make):
    admin = make.user(roles=["admin"], camps=["KHR"])
    kiosk, secret = services.create_kiosk(session, admin, make.camp("KHR"), "  Help desk, block 3 ")
    assert kiosk.name == "Help desk, block 3"
    assert secret not in kiosk.token_digest and len(kiosk.token_digest) == 64
    assert services.kiosk_for_secret(session, secret) is kiosk
    assert services.kiosk_for_secret(session, secret + "x") is None
    assert services.kiosk_for_secret(session, "") is None
    services.revoke_kiosk(session, admin, kiosk)
    assert services.kiosk_for_secret(session, secret) is None
    assert [
        a.action
        for a in session.scalars(select(AuditEvent).where(AuditEvent.object_type == "kiosk").order_by(AuditEvent.id))
    ] == ["kiosk.create", "kiosk.revoke"]
    with pytest.raises(UserValueError):
        services.create_kiosk(session, admin, make.camp("KHR"), " ")


def test_a_kiosk_case_never_names_a_household(session, make):
    kiosk, _secret = services.create_kiosk(session, None, make.camp("KHR"), "Tablet 1")
    household = make.household("KHR")
    data = _data(channel="hotline", household=household.number, person_seq=1, received_on=None)
    case = services.intake(session, None, make.camp("KHR"), data, kiosk=kiosk, now=NOW)
    assert (case.channel, case.kiosk_id, case.household_id, case.person_id) == ("kiosk", kiosk.id, None, None)
    assert case.received_on == TODAY and kiosk.last_used_at == NOW
    with pytest.raises(ValueError):
        services.intake(session, None, make.camp("DSH"), _data(), kiosk=kiosk, now=NOW)


def test_a_kiosk_case_is_anonymous_without_consent_and_sensitive_ones_go_to_protection(session, make):
    kiosk, _secret = services.create_kiosk(session, None, make.camp("KHR"), "Tablet 1")
    unnamed = services.intake(
        session,
        None,
        make.camp("KHR"),
        {
            "type": "sensitive",
            "sector": "protection",
            "description": "A guard asked for money.",
            "language": "ps",
            "contact": "+992 90 000 0000",
        },
        kiosk=kiosk,
        now=NOW,
    )
    assert (unnamed.sensitive, unnamed.sensitive_category) == (True, "misconduct")
    assert (unnamed.anonymous, unnamed.consent_to_contact, unnamed.contact) == (True, False, None)
    reachable = services.intake(
        session,
        None,
        make.camp("KHR"),
        {
            "type": "complaint",
            "sector": "food",
            "description": "The flour was wet.",
            "language": "ru",
            "sensitive_category": "fraud",
            "consent_to_contact": True,
            "contact": " +992 90 123 4567 ",
        },
        kiosk=kiosk,
        now=NOW,
    )
    assert (reachable.sensitive_category, reachable.anonymous) == (None, False)
    assert (reachable.consent_to_contact, reachable.contact) == (True, "+992 90 123 4567")


def test_a_kiosk_gives_at_most_five_cases_in_ten_minutes_and_twenty_an_hour(session):
    start = datetime(2026, 11, 30, 8, 0)
    assert all(services.kiosk_allows(1, "10.0.0.5", now=start + timedelta(minutes=n)) for n in range(5))
    assert not services.kiosk_allows(1, "10.0.0.5", now=start + timedelta(minutes=6))
    assert services.kiosk_allows(2, "10.0.0.5", now=start + timedelta(minutes=6))  # another device
    assert services.kiosk_allows(1, "10.0.0.5", now=start + timedelta(minutes=10, seconds=1))
    services.reset_kiosk_limits()
    allowed = [services.kiosk_allows(3, None, now=start + timedelta(minutes=2.5 * n)) for n in range(24)]
    assert allowed.count(True) == 20 and allowed[-1] is False
    assert services.kiosk_allows(3, None, now=start + timedelta(hours=1, minutes=1))


def test_case_events_are_kept_in_order(session, make):
    officer = _user(make, "feedback_officer")
    case = services.intake(session, None, make.camp("KHR"), _data(), now=NOW)
    services.transition(session, officer, case, "note", {"note": "Called the WFP focal point."}, now=NOW)
    history = services.case_history(session, case)
    assert [(e.action, e.note, e.actor_id) for e in history] == [
        ("created", None, None),
        ("note", "Called the WFP focal point.", officer.id),
    ]
    assert all(isinstance(e, CaseEvent) for e in history)
