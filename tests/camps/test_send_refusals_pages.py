"""The message page's send refusals (app.views.put_on_form): 422 with the service's message on the page, nothing
queued or audited; a message of another camp is not found."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from camps.communication import services
from camps.communication.models import MessageSend
from tests.camps.communication_helpers import approved, fake_channel, message_data


def _sent(session) -> tuple[int, int]:
    sends = session.scalar(select(func.count()).select_from(MessageSend))
    events = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "message.send"))
    return sends, events


def test_a_refused_send_says_why_and_queues_nothing(client, login_as, session, make, monkeypatch):
    channel = fake_channel(monkeypatch)
    camp = make.camp("KHR")
    make.household(languages="prs")
    writer = make.user(roles=["communication_officer"], username="writer.send")
    draft = services.create_message(session, writer, camp, message_data())
    session.flush()
    login_as("communication_officer")
    token = secrets.token_urlsafe(24)
    response = client.post(f"/communication/messages/{draft.id}/send", data={"channel": "fake", "token": token})
    assert response.status_code == 422
    assert "A second person must approve the message before it goes out." in response.get_data(as_text=True)
    message = approved(session, make, writer, camp)
    response = client.post(f"/communication/messages/{message.id}/send", data={"channel": "fake", "token": ""})
    assert response.status_code == 422 and "The form has expired" in response.get_data(as_text=True)
    assert _sent(session) == (0, 0) and channel.sent == []


def test_a_message_of_another_camp_is_not_sent(client, login_as, session, make, monkeypatch):
    channel = fake_channel(monkeypatch)
    shr = make.camp("SHR")
    make.camp("KHR")
    make.household("SHR", languages="prs")
    writer = make.user(roles=["communication_officer"], camps=["SHR"], username="writer.shr")
    message = approved(session, make, writer, shr)
    login_as("communication_officer", "KHR")
    token = secrets.token_urlsafe(24)
    response = client.post(f"/communication/messages/{message.id}/send", data={"channel": "fake", "token": token})
    assert response.status_code == 404 and _sent(session) == (0, 0) and channel.sent == []
