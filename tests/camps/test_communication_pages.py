"""Communication pages: writing, the second person's check, printing, the public notice board, the loop."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import date, timedelta

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.db import utcnow
from camps.communication import services
from camps.communication.models import Message, MessageCase, NoticeBoard
from camps.distributions.models import DistributionRound
from camps.feedback import services as feedback
from registration.cards import fonts
from tests.camps.communication_helpers import approved, message_data

DARI = "توزیع آرد روز شنبه در نقطه ۲ است."
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))


def _form(**overrides) -> dict:
    data = {
        "title": "Flour distribution",
        "purpose": "distribution",
        "audience": "camp",
        "audience_ids": "",
        "round_id": "",
        "household_number": "",
        "theme": "",
        "expires_on": "",
        "text_fa_AF": DARI,
        "text_tg": "Тақсимоти орд рӯзи шанбе дар нуқтаи 2.",
    }
    data.update(overrides)
    return data


def _text(response) -> str:
    return response.get_data(as_text=True)


def _case(session, make, **overrides):
    data = {
        "channel": "help_desk",
        "received_on": feedback.camp_today(),
        "type": "complaint",
        "sensitive_category": None,
        "sector": "wash",
        "description": "Karim Ahmadi of KHR-000777-A says tap 3 leaks.",
        "language": "fa",
        "household": "",
        "person_seq": None,
        "anonymous": False,
        "consent_to_contact": False,
        "contact": "",
        **overrides,
    }
    return feedback.intake(session, None, make.camp("KHR"), data, now=utcnow())


def test_write_then_a_second_person_approves_and_a_change_voids_it(client, login_as, make, session):
    make.household()
    author = login_as("communication_officer")
    response = client.post("/camps/KHR/messages/new", data=_form())
    assert response.status_code == 302
    message = session.scalar(select(Message))
    assert (message.status, message.created_by_id) == ("draft", author.id)
    page = _text(client.get(f"/communication/messages/{message.id}"))
    assert 'data-testid="needs-second-person"' in page and "approve-form" not in page
    assert client.post(f"/communication/messages/{message.id}/approve", data={"version": 1}).status_code == 422
    login_as("communication_officer")
    page = _text(client.get(f"/communication/messages/{message.id}"))
    assert 'data-testid="approve-form"' in page
    assert client.post(f"/communication/messages/{message.id}/approve", data={"version": 1}).status_code == 302
    session.refresh(message)
    assert message.status == "approved"
    assert "approval-void-warning" in _text(client.get(f"/communication/messages/{message.id}/edit"))
    client.post(f"/communication/messages/{message.id}/edit", data=_form(text_tg="Тақсимот рӯзи якшанбе."))
    session.refresh(message)
    assert (message.status, message.version) == ("draft", 2)


def test_a_refused_message_keeps_what_was_typed_and_says_why_next_to_the_field(client, login_as, make, session):
    make.household()
    login_as("communication_officer")
    response = client.post("/camps/KHR/messages/new", data=_form(text_tg="Тақсимот " * 80, title=""))
    page = _text(response)
    assert response.status_code == 422
    assert re.search(r'data-field-error="text_tg">[^<]*600', page) and 'data-field-error="title"' in page
    assert DARI in page and "Тақсимот Тақсимот" in page
    assert session.scalar(select(func.count()).select_from(Message)) == 0


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def _qr_texts(pdf: bytes, tmp_path, dpi: int = 100) -> list[str]:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(path), str(tmp_path / "notice")], check=True)
    image = Image.open(tmp_path / "notice.png")
    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.mark.parametrize("fmt", ["a4", "a3", "handout"])
def test_the_poster_has_shaped_dari_tajik_and_a_qr_to_the_notice_page(client, login_as, make, session, tmp_path, fmt):
    make.household()
    writer = login_as("communication_officer")
    message = approved(session, make, writer, make.camp("KHR"), text_fa_AF=DARI)
    response = client.get(f"/communication/messages/{message.id}/notice-{fmt}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = _pdf_text(response.data, tmp_path)
    arabic = [
        unicodedata.normalize("NFKC", line.translate(BIDI_CONTROLS)).strip()
        for line in text.splitlines()
        if fonts.is_arabic(line)
    ]
    assert any("آرد" in line for line in arabic)
    assert any("\ufb50" <= char <= "\ufeff" for char in text)  # letters joined (presentation forms)
    flat = " ".join(text.split())
    assert "Тақсимоти орд рӯзи шанбе" in flat and "Эълони тақсимот" in flat
    url = f"http://localhost/notices/{message.public_id}"
    assert set(_qr_texts(response.data, tmp_path)) == {url}
    assert client.get(url).status_code == 200
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "message.print"))
    assert event.details == {"format": fmt, "version": 1}


def test_a_draft_cannot_be_printed(client, login_as, make, session):
    make.household()
    writer = login_as("communication_officer")
    message = services.create_message(session, writer, make.camp("KHR"), message_data())
    assert client.get(f"/communication/messages/{message.id}/notice-a4.pdf").status_code == 409
    one = approved(
        session, make, writer, make.camp("KHR"), audience="household", household_number=make.household().number
    )
    assert client.get(f"/communication/messages/{one.id}/notice-a4.pdf").status_code == 409
    assert "print-links" not in _text(client.get(f"/communication/messages/{one.id}"))


def test_the_notice_board_shows_current_notices_in_the_readers_language(client, login_as, make, session):
    make.household()
    writer = login_as("communication_officer")
    camp = make.camp("KHR")
    shown = approved(session, make, writer, camp, text_fa_AF=DARI)
    services.create_message(session, writer, camp, message_data(title="draft", text_tg="Лоиҳа"))
    expired = approved(session, make, writer, camp, text_tg="Кӯҳна")
    expired.expires_on = date.today() - timedelta(days=1)
    one = approved(
        session,
        make,
        writer,
        camp,
        audience="household",
        household_number=make.household().number,
        text_tg="Танҳо барои як хонавода",
    )
    login_as("communication_officer")
    created = _text(client.post("/admin/notice-boards", data={"camp": "KHR", "name": "Help desk screen"}))
    link = re.search(r'data-testid="board-link">([^<]+)<', created).group(1)
    client.post("/logout")
    page = _text(client.get(link))
    assert DARI in page and 'lang="fa-AF"' in page and 'dir="rtl"' in page
    assert "Лоиҳа" not in page and "Кӯҳна" not in page and "Танҳо" not in page
    tajik = _text(client.get(link + "?lang=tg"))
    assert "Тақсимоти орд" in tajik and "Эълони тақсимот" in tajik and '<html lang="tg" dir="ltr">' in tajik
    assert client.get(f"/notices/{one.public_id}").status_code == 404
    assert client.get(f"/notices/{expired.public_id}").status_code == 404
    assert client.get(f"/notices/{shown.public_id}").status_code == 200
    board = session.scalar(select(NoticeBoard))
    board.revoked_at = utcnow()
    session.flush()
    assert client.get(link).status_code == 404


def test_the_round_page_offers_a_prefilled_reminder(client, login_as, make, session):
    make.household(languages="prs")
    camp = make.camp("KHR")
    round_ = DistributionRound(
        camp_id=camp.id, name="December flour", starts_on=date.today(), ends_on=date.today() + timedelta(days=5)
    )
    session.add(round_)
    session.flush()
    login_as("site_manager")
    assert 'data-testid="round-reminder"' in _text(client.get(f"/distributions/rounds/{round_.id}"))
    day = (date.today() + timedelta(days=2)).isoformat()
    page = _text(client.get(f"/distributions/rounds/{round_.id}/reminder?day={day}&point=DP-2"))
    assert f"توزیع شما در تاریخ {day} در DP-2 است" in page
    assert f"Тақсимоти шумо {day} дар DP-2 аст" in page
    assert '<option selected value="round_not_served">' in page
    response = client.post(
        "/camps/KHR/messages/new",
        data=_form(
            audience="round_not_served", round_id=str(round_.id), text_fa_AF=f"توزیع شما در تاریخ {day} در DP-2 است."
        ),
    )
    assert response.status_code == 302
    message = session.scalar(select(Message))
    assert message.round_id == round_.id
    assert 'data-testid="audience-size">1 household<' in _text(client.get(response.headers["Location"]))


def test_a_case_becomes_a_notice_without_personal_detail_and_the_dashboard_counts_it(client, login_as, make, session):
    make.household()
    case = _case(session, make)
    case.response = "Karim: the tap at point 3 was repaired."
    session.flush()
    writer = login_as("feedback_officer")
    page = _text(client.get(f"/feedback/cases/{case.reference}"))
    assert 'data-testid="make-notice"' in page
    form = _text(client.get(f"/camps/KHR/messages/new?case={case.reference}"))
    assert "Karim" not in form and "KHR-000777" not in form and "tap" not in form
    assert "شما گفتید: … ما انجام دادیم: …" in form and '<option selected value="wash">' in form
    response = client.post(
        "/camps/KHR/messages/new",
        data=_form(
            purpose="you_said",
            theme="wash",
            case=case.reference,
            text_tg="Шумо гуфтед: қубур шикаст. Мо таъмир кардем.",
        ),
    )
    assert response.status_code == 302
    message = session.scalar(select(Message))
    assert session.scalar(select(MessageCase.case_id)) == case.id
    services.approve_message(session, make.user(roles=["communication_officer"]), message, message.version)
    login_as("feedback_officer")
    dashboard = _text(client.get("/feedback/dashboard"))
    assert "Public answers" in dashboard
    assert writer.id == message.created_by_id


def test_a_sensitive_case_never_becomes_a_notice(client, login_as, make, session):
    make.household()
    case = _case(session, make, type="sensitive", sensitive_category="fraud", sector="distribution")
    login_as("protection_officer")
    assert client.get(f"/camps/KHR/messages/new?case={case.reference}").status_code in (403, 404)
    writer = make.user(roles=["communication_officer"])
    message = services.create_message(session, writer, make.camp("KHR"), message_data(purpose="rumour"))
    login_as("communication_officer")
    response = client.post(f"/communication/messages/{message.id}/link", data={"reference": case.reference})
    assert response.status_code == 422
    assert session.scalar(select(func.count()).select_from(MessageCase)) == 0


def test_a_rumour_case_is_linked_to_the_response_notice(client, login_as, make, session):
    make.household()
    case = _case(session, make, type="rumour", description="People say the camp closes next week.")
    writer = make.user(roles=["communication_officer"])
    message = services.create_message(session, writer, make.camp("KHR"), message_data(purpose="rumour"))
    login_as("communication_officer")
    assert (
        client.post(f"/communication/messages/{message.id}/link", data={"reference": case.reference}).status_code == 302
    )
    assert case.reference in _text(client.get(f"/communication/messages/{message.id}"))


def test_a_case_of_another_camp_is_not_linked_to_a_new_notice(client, login_as, make, session):
    """A writer of two camps answers a case of SHR from KHR's form: the case would list a notice of
    another camp; the form is refused as for an unknown case (as the link form already does)."""
    make.household()
    data = {
        "channel": "help_desk",
        "received_on": feedback.camp_today(),
        "type": "complaint",
        "sensitive_category": None,
        "sector": "wash",
        "description": "tap 3 leaks",
        "language": "fa",
        "household": "",
        "person_seq": None,
        "anonymous": False,
        "consent_to_contact": False,
        "contact": "",
    }
    case = feedback.intake(session, None, make.camp("SHR"), data, now=utcnow())
    login_as("feedback_officer", camp=None)
    assert client.get(f"/camps/KHR/messages/new?case={case.reference}").status_code == 404
    response = client.post("/camps/KHR/messages/new", data=_form(purpose="you_said", case=case.reference))
    assert response.status_code == 404
    assert session.scalar(select(func.count()).select_from(MessageCase)) == 0


def test_the_sms_preview_names_dari_not_its_code(client, login_as, make, session):
    """The SMS channel counts parts under ISO 639-1 ``fa``; the page showed "fa: 2" beside "Tajik: 1"."""
    import camps.communication.sms  # noqa: F401  (registers the SMS channel)

    make.household(phone="+992931110001", phone_digits="992931110001", sms_consent=True, sms_language="fa")
    writer = make.user(roles=["communication_officer"])
    message = approved(session, make, writer, make.camp("KHR"))
    login_as("communication_officer")
    preview = _text(client.get(f"/communication/messages/{message.id}")).split('data-testid="send-preview"')[1]
    row = preview.split('data-channel="sms"')[1].split("</tr>")[0]
    assert "Dari: 1" in row and "fa:" not in row


@pytest.mark.parametrize("name", ["", "x" * 81])
def test_a_screen_s_name_is_refused_next_to_the_field_by_the_service_s_rule(client, login_as, session, make, name):
    make.camp("KHR")
    login_as("communication_officer")
    response = client.post("/admin/notice-boards", data={"camp": "KHR", "name": name})
    page = _text(response)
    assert response.status_code == 422 and 'data-testid="board-link"' not in page
    assert "Name the screen (at most 80 characters)" in page.split('data-field-error="name"', 1)[1].split("</div>")[0]
    assert session.scalar(select(func.count()).select_from(NoticeBoard)) == 0
