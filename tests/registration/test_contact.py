"""SMS consent and language on the desk and edit pages; the protection mark set by protection staff only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import UserValueError
from registration.households import contact
from registration.households.models import Household
from tests.registration.test_desk_pages import form


def test_the_desk_stores_e164_sms_consent_and_language(client, login_as, make, session):
    login_as("registration_clerk")
    camp = make.camp("KHR")
    response = client.post("/register", data=form(camp.id, phone="93 123 45 67", sms_consent="yes", sms_language="fa"))
    assert response.status_code == 302
    household = session.scalar(select(Household))
    assert (household.phone, household.phone_digits) == ("+992931234567", "992931234567")
    assert household.sms_consent is True and household.sms_consent_at is not None and household.sms_language == "fa"


def test_the_desk_refuses_an_unreadable_number_next_to_the_field_and_keeps_it(client, login_as, make, session):
    login_as("registration_clerk")
    response = client.post("/register", data=form(make.camp("KHR").id, phone="93 12", sms_consent="yes"))
    assert response.status_code == 422
    page = response.data.decode()
    assert "This is not a phone number we can read" in page and 'value="93 12"' in page
    assert session.scalar(select(Household)) is None


def test_sms_consent_is_not_asked_unless_recorded(client, login_as, make, session):
    login_as("registration_clerk")
    client.post("/register", data=form(make.camp("KHR").id))
    household = session.scalar(select(Household))
    assert household.sms_consent is None and household.sms_consent_at is None


def test_the_edit_page_changes_consent_and_an_api_patch_keeps_it(client, login_as, make, session, api):
    household = make.household("KHR", phone="+992931234567", sms_consent=True, sms_language="fa")
    login_as("registration_supervisor")
    page = client.get(f"/households/{household.number}/edit").data.decode()
    assert '<option selected value="yes">' in page
    response = client.post(
        f"/households/{household.number}/edit",
        data={
            "arrival_date": household.arrival_date.isoformat(),
            "phone": "0701234567",
            "sms_consent": "no",
            "sms_language": "ps",
        },
    )
    assert response.status_code == 302
    session.refresh(household)
    assert (household.phone, household.sms_consent, household.sms_language) == ("+93701234567", False, "ps")
    assert (
        api("registration_supervisor")
        .patch(f"/api/v1/households/{household.number}", json={"notes": "moved tent"})
        .status_code
        == 200
    )
    session.refresh(household)
    assert (household.sms_consent, household.sms_language) == (False, "ps")


def test_only_protection_staff_see_and_set_the_do_not_contact_mark(client, login_as, make, session):
    household = make.household("KHR", phone="+992931234567", sms_consent=True)
    login_as("registration_supervisor")
    assert 'data-testid="do-not-contact"' not in client.get(f"/households/{household.number}").data.decode()
    assert (
        client.post(f"/households/{household.number}/contact-protection", data={"do_not_contact": "yes"}).status_code
        == 403
    )
    client.get("/logout")
    login_as("protection_officer")
    assert 'data-testid="do-not-contact"' in client.get(f"/households/{household.number}").data.decode()
    response = client.post(f"/households/{household.number}/contact-protection", data={"do_not_contact": "yes"})
    assert response.status_code == 302
    session.refresh(household)
    assert household.do_not_contact is True and household.do_not_contact_at is not None
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "household.contact_protection"))
    assert event.object_id == str(household.id) and not event.details  # which way it changed is not in the audit
    with pytest.raises(UserValueError):
        contact.set_do_not_contact(session, make.user(roles=["registration_supervisor"]), household, False)
