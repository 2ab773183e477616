"""The subject access report: everything held about a household, in Tajik and English, audited once."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from camps.allocation import services as allocation
from camps.distributions.models import AlternateCollector, Collection, DistributionRound, RoundItem
from camps.feedback.models import FeedbackCase
from registration.cards import services as cards
from registration.households.models import PersonNeed, PersonPhoto
from registration.subject import report as reports

TODAY = date(2026, 11, 27)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (90, 120), (120, 80, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _keys_in_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "KEYS_PATH", str(tmp_path / "keys"))


def _case(session, household, reference: str, *, sensitive=False, person_id=None, **fields) -> FeedbackCase:
    case = FeedbackCase(
        reference=reference,
        camp_id=household.camp_id,
        channel="help_desk",
        received_on=TODAY,
        type="sensitive" if sensitive else "complaint",
        sensitive=sensitive,
        sensitive_category="safety" if sensitive else None,
        sector="shelter",
        language="fa",
        description=fields.pop("description", "The tent leaks"),
        due_at=datetime(2026, 12, 10),
        household_id=None if person_id else household.id,
        person_id=person_id,
        **fields,
    )
    session.add(case)
    session.flush()
    return case


@pytest.fixture()
def household(app, session, make):
    """Three members with names in both scripts, a photo, a restricted need, a card, a plot and a collection."""
    household = make.household(
        "KHR",
        members=3,
        phone="+992 93 555 0101",
        phone_digits="992935550101",
        notes="Asked for a tent near the clinic",
        languages="prs tgk",
    )
    family = [
        ("Mohammad", "محمد", "Karim", "کریم", "Rahimi", "رحیمی"),
        ("Zahra", "زهرا", "Mohammad", "محمد", "Rahimi", "رحیمی"),
        ("Ahmad", "احمد", "Mohammad", "محمد", "Rahimi", "رحیمی"),
    ]
    for person, names in zip(household.members, family, strict=True):
        (
            person.given_name,
            person.given_name_orig,
            person.father_name,
            person.father_name_orig,
            person.family_name,
            person.family_name_orig,
        ) = names
        person.grandfather_name, person.grandfather_name_orig = "Nabi", "نبی"
    household.members[0].tazkira = "1400123456789"
    household.members[1].needs.append(PersonNeed(code="SV-VF"))
    household.members[0].photo = PersonPhoto(jpeg=jpeg())
    plot = make.layout(blocks=1, plots=1)[0]
    manager = make.user(roles=["site_manager"])
    allocation.allocate(session, manager, household, plot)
    with app.app_context():
        card = cards.issue(session, None, household, TODAY)
    round_ = DistributionRound(
        camp_id=household.camp_id,
        name="November food",
        starts_on=TODAY,
        ends_on=TODAY,
        items=[RoundItem(position=1, name="Wheat flour", unit="kg", quantity=25)],
    )
    session.add(round_)
    session.flush()
    session.add(
        Collection(
            uid="c0ffee00-0000-4000-8000-000000000001",
            round_id=round_.id,
            household_id=household.id,
            card_serial=card.serial,
            point="DP-1",
            collected_at=datetime(2026, 11, 20, 9, 30),
        )
    )
    session.add(
        AlternateCollector(
            household_id=household.id, name="Gul Ahmad", name_orig="گل احمد", relation="neighbour", document="TZ-998877"
        )
    )
    _case(session, household, "FB-KHR-000001")
    _case(session, household, "FB-KHR-000002", sensitive=True, description="Threatened at the water point")
    session.flush()
    return household


def _get(client, household):
    return client.get(f"/households/{household.number}/subject-report")


def _audits(session, household) -> int:
    return session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "household.subject_report", AuditEvent.object_id == str(household.id))
    )


def test_the_report_holds_every_member_in_both_scripts_and_all_records(client, login_as, household, session):
    login_as("registration_supervisor")
    response = _get(client, household)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for person in household.members:
        for name in (
            person.given_name,
            person.given_name_orig,
            person.father_name,
            person.father_name_orig,
            person.family_name,
            person.family_name_orig,
            person.grandfather_name_orig,
        ):
            assert name in page
    assert '<bdi dir="auto">زهرا</bdi>' in page
    assert "1400123456789" in page and "+992 93 555 0101" in page and "Asked for a tent near the clinic" in page
    card = cards.household_cards(session, household)[0]
    assert card.serial in page and card.expires_on.isoformat() in page and card.code not in page
    assert "KHR-B01-001" in page  # the plot stay
    assert "November food" in page and "2026-11-20" in page and "Wheat flour (kg)" in page
    assert "Gul Ahmad" in page and "گل احمد" in page and "TZ-998877" not in page
    assert "FB-KHR-000001" in page and "The tent leaks" in page
    # a photo is held, and staff who may see it get the thumbnail from the photo page
    assert f"/households/{household.number}/photos/1" in page
    # headings are Tajik and English whatever the page's language; the family's rights and who printed it
    assert "Аъзои хонавода" in page and "Members of the household" in page
    assert "Ҳуқуқҳои шумо" in page and "registration desk" in page and "730 days" in page
    assert "Some information is shared only in person by protection staff." in page
    assert f"/households/{household.number}/edit" in page  # correction: the normal edit flow
    assert "subject-report.js" in page and "subject-report.css" in page and "<script>" not in page


def test_restricted_needs_and_sensitive_cases_only_for_protection(client, login_as, household, session):
    login_as("registration_supervisor")
    page = _get(client, household).get_data(as_text=True)
    assert "SV-VF" not in page and "FB-KHR-000002" not in page and "Threatened" not in page
    assert "DS-PM" in page and "Маъюбии ҷисмонӣ, миёна" in page and "Physical disability, moderate" in page
    assert "protection-warning" not in page
    login_as("protection_officer")
    page = _get(client, household).get_data(as_text=True)
    assert "SV-VF" in page and "protection-warning" in page
    # a sensitive case is listed for the officer to discuss in person; its content is never printed
    assert "FB-KHR-000002" in page and "Threatened" not in page and "discussed only in person" in page


def test_report_service_withholds_for_others_and_reads_cases_linked_by_person(app, session, make, household):
    supervisor = make.user(roles=["registration_supervisor"])
    _case(session, household, "FB-KHR-000003", person_id=household.members[2].id, description="Lost my card")
    with app.test_request_context():
        report = reports.gather(session, supervisor, household)
    assert report.withheld and not report.protection_shown
    assert [c.reference for c in report.cases] == ["FB-KHR-000001", "FB-KHR-000003"]
    assert [m.seq for m in report.members] == [1, 2, 3] and report.members[0].has_photo
    assert not report.members[1].has_photo


def test_one_audit_event_without_personal_data(client, login_as, household, session):
    user = login_as("registration_supervisor")
    assert _get(client, household).status_code == 200
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "household.subject_report"))
    assert event.object_id == str(household.id) and event.camp_id == household.camp_id
    assert event.username == user.username and event.details is None
    views = session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "household.view", AuditEvent.object_id == str(household.id))
    )
    assert _audits(session, household) == 1 and views == 0
    # the next report lists the earlier print in the history
    assert "Report for the family printed" in _get(client, household).get_data(as_text=True)


def test_another_camps_household_is_not_found(client, login_as, make, session):
    other = make.household("DSH")
    login_as("registration_supervisor", "KHR")
    assert _get(client, other).status_code == 404
    assert client.get("/households/KHR-999999-X/subject-report").status_code == 404
    assert _audits(session, other) == 0


@pytest.mark.parametrize("role", ["registration_clerk", "site_manager", "viewer"])
def test_roles_without_the_permission_are_refused(client, login_as, household, session, role):
    login_as(role)
    assert _get(client, household).status_code == 403
    assert _audits(session, household) == 0


def test_the_household_page_links_to_the_report_for_those_who_may_print_it(client, login_as, household):
    login_as("registration_clerk")
    assert "subject-report-link" not in client.get(f"/households/{household.number}").get_data(as_text=True)
    login_as("protection_officer")
    page = client.get(f"/households/{household.number}").get_data(as_text=True)
    assert f"/households/{household.number}/subject-report" in page


def test_print_assets_are_static_files(client):
    with client.get("/static/css/subject-report.css") as css, client.get("/static/js/subject-report.js") as js:
        assert "@page { size: A4" in css.get_data(as_text=True) and "window.print()" in js.get_data(as_text=True)
