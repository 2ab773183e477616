"""SMS through a real SMPP exchange with the local SMSC simulator: receipts, refusals, a link
that is down, opt-outs, UCS-2 segments, and never a second copy."""

from __future__ import annotations

import logging
from datetime import datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from app.db import utcnow
from app.errors import UserValueError
from camps.communication.channels import CHANNELS
from camps.communication.sms import encoding, worker
from camps.communication.sms.channel import status_counts
from camps.communication.sms.link import LinkDown
from camps.communication.sms.models import SmsOutbox
from camps.communication.sms.simulator import SmscSimulator

DARI = "توزیع بعدی روز شنبه ساعت هشت صبح در نقطه توزیع بلاک سه است. کارت خود را بیاورید."  # 80 characters
TAJIK = "Тақсимоти навбатӣ рӯзи шанбе соати 8 дар нуқтаи блоки 3."


def message(camp_id: int, message_id: int = 1, **texts):
    texts = texts or {"fa": DARI, "tg": TAJIK}
    return SimpleNamespace(id=message_id, camp_id=camp_id, text_for=lambda code: texts.get(code))


@pytest.fixture()
def smsc():
    simulator = SmscSimulator().start()
    yield simulator
    simulator.stop()


@pytest.fixture()
def settings(smsc):
    return worker.Settings(
        port=smsc.port, system_id="panoh", password="secret", rate=1000, retry_base_s=60, answer_timeout_s=5
    )


@pytest.fixture()
def households(make):
    """Three households of a block that agreed to SMS (two Dari, one Tajik), and one that said STOP."""

    def household(phone, language, **kwargs):
        return make.household(
            "KHR", members=1, phone=phone, phone_digits=phone[1:], sms_consent=True, sms_language=language, **kwargs
        )

    return [
        household("+992931110001", "fa"),
        household("+992931110002", "fa"),
        household("+93701110003", "tg"),
        household("+992931110004", "fa", sms_opted_out_at=datetime(2026, 11, 1)),
    ]


def queue(session, make, households, msg=None):
    msg = msg or message(make.camp("KHR").id)
    result = CHANNELS["sms"].send(session, None, msg, households)
    session.flush()
    return result


def rows(session) -> list[SmsOutbox]:
    session.expire_all()
    return list(session.scalars(select(SmsOutbox).order_by(SmsOutbox.id)))


def test_dari_is_ucs2_and_counted_in_parts_of_67():
    assert encoding.count("Distribution on Saturday at 8") == ("gsm", 1)
    assert encoding.count("a" * 160) == ("gsm", 1) and encoding.count("a" * 161) == ("gsm", 2)
    assert encoding.count("[]" * 40) == ("gsm", 1) and encoding.count("[]" * 41) == ("gsm", 2)  # escapes count 2
    assert len(DARI) == 80 and encoding.count(DARI) == ("ucs2", 2)
    assert encoding.count("س" * 70) == ("ucs2", 1) and encoding.count("س" * 71) == ("ucs2", 2)
    assert encoding.count("س" * 134) == ("ucs2", 2) and encoding.count("س" * 135) == ("ucs2", 3)
    parts = encoding.encode(DARI, reference=7).payloads
    assert [p[:6] for p in parts] == [bytes([5, 0, 3, 7, 2, 1]), bytes([5, 0, 3, 7, 2, 2])]
    assert b"".join(p[6:] for p in parts).decode("utf-16-be") == DARI


def test_preview_counts_who_can_be_reached_and_why_not(session, make, households):
    camp = make.camp("KHR")
    others = [
        make.household("KHR", members=1, phone="+992931110005", sms_consent=False),
        make.household("KHR", members=1, sms_consent=True, sms_language="fa"),
        make.household(
            "KHR", members=1, phone="+992931110006", sms_consent=True, sms_language="fa", do_not_contact=True
        ),
        make.household("KHR", members=1, phone="+992931110007", sms_consent=True, sms_language="ru"),
    ]
    preview = CHANNELS["sms"].preview(session, message(camp.id), households + others)
    assert preview.reachable == 3
    # the protection mark is counted with "no consent": a preview does not reveal it
    assert preview.skipped == {"opted_out": 1, "no_consent": 2, "no_phone": 1, "no_text": 1}
    assert preview.segments == {"fa": 2, "tg": 1}


def test_queueing_twice_queues_nothing_more(session, make, households):
    first = queue(session, make, households)
    again = queue(session, make, households)
    assert first.queued == 3 and first.skipped == {"opted_out": 1}
    assert again.queued == 0 and again.skipped == {"opted_out": 1, "already_queued": 3}
    assert [(r.language, r.encoding, r.segments) for r in rows(session)] == [
        ("fa", "ucs2", 2),
        ("fa", "ucs2", 2),
        ("tg", "ucs2", 1),
    ]


def test_a_text_over_ten_sms_is_refused_before_anything_is_queued(session, make, households):
    camp = make.camp("KHR")
    assert CHANNELS["sms"].preview(session, message(camp.id, fa="س" * 700), households).segments == {"fa": 11}
    with pytest.raises(UserValueError, match="Too long for SMS"):
        CHANNELS["sms"].send(session, None, message(camp.id, fa="س" * 700), households)
    assert rows(session) == []
    assert encoding.count("س" * 100_000) == ("ucs2", 1493)  # counted, even beyond what one SMS message can carry


def test_a_real_smpp_exchange_records_ids_and_delivery_reports(app, session, make, households, smsc, settings, caplog):
    caplog.set_level(logging.DEBUG)
    queue(session, make, households)
    with app.app_context():
        sms = worker.Worker(settings)
        sms.drain()
        sms.listen(0.5)
        sms.close()
    sent = rows(session)
    assert [r.status for r in sent] == ["delivered"] * 3
    assert all(r.smsc_message_id and r.report_at and r.attempts == 1 for r in sent)
    assert [len(r.parts) for r in sent] == [2, 2, 1] and all(p.status == "delivered" for r in sent for p in r.parts)
    # the SMSC got each part once, in UCS-2, reassembling to the household's language
    assert sorted(s.destination for s in smsc.accepted) == [
        "93701110003",
        "992931110001",
        "992931110001",
        "992931110002",
        "992931110002",
    ]
    assert "".join(s.text for s in smsc.sent_to("+992931110001")) == DARI
    assert smsc.sent_to("+93701110003")[0].text == TAJIK and smsc.sent_to("+93701110003")[0].data_coding == 8
    assert smsc.sent_to("+992931110004") == []  # opted out: never queued, never sent
    assert status_counts(session, 1) == {"delivered": 3} and status_counts(session, 2) == {}
    assert smsc.receipts_acknowledged == 5
    # neither numbers nor texts in the logs, even at debug level (the library's PDU dumps are off)
    assert caplog.records and "1110001" not in caplog.text and b"992931110001".hex() not in caplog.text
    assert DARI[:8] not in caplog.text and DARI[:8].encode("utf-16-be").hex() not in caplog.text


def test_an_undelivered_report_marks_the_sms_failed(app, session, make, households, smsc, settings):
    smsc.outcomes["93701110003"] = "UNDELIV"
    queue(session, make, households)
    with app.app_context():
        sms = worker.Worker(settings)
        sms.drain()
        sms.listen(0.3)
        sms.close()
    by_phone = {r.phone: r for r in rows(session)}
    assert by_phone["+93701110003"].status == "failed" and by_phone["+93701110003"].error == "UNDELIV"
    assert by_phone["+992931110001"].status == "delivered"


def test_a_refusing_smsc_gets_the_sms_again_later_and_once(app, session, make, households, smsc, settings):
    queue(session, make, households)
    smsc.set_mode("refuse")
    with app.app_context():
        sms = worker.Worker(settings)
        sms.drain()
        queued = rows(session)
        assert [(r.status, r.attempts, r.error) for r in queued] == [("queued", 1, "0x00000008")] * 3
        assert all(r.next_attempt_at > utcnow() for r in queued)  # backed off, not hammering the SMSC
        sms.drain()
        assert smsc.refused == 5 and smsc.accepted == []  # not due yet: nothing more was tried
        smsc.set_mode("accept")
        session.execute(update(SmsOutbox).values(next_attempt_at=utcnow()))
        sms.drain()
        sms.drain()
        sms.listen(0.3)
        sms.close()
    assert [(r.status, r.attempts) for r in rows(session)] == [("delivered", 2)] * 3
    assert len(smsc.accepted) == 5  # every part once


def test_a_down_smsc_leaves_the_sms_queued_then_sends_them_once(app, session, make, households, smsc, settings):
    queue(session, make, households)
    smsc.set_mode("down")
    with app.app_context():
        with pytest.raises(LinkDown):
            worker.Worker(settings).drain()
        assert [(r.status, r.attempts) for r in rows(session)] == [("queued", 0)] * 3
        smsc.set_mode("accept")
        sms = worker.Worker(settings)
        sms.drain()
        sms.drain()
        sms.listen(0.3)
        sms.close()
    assert [r.status for r in rows(session)] == ["delivered"] * 3
    assert len(smsc.accepted) == 5 and smsc.binds == 1


def test_a_link_lost_before_the_answer_never_sends_twice(app, session, make, households, smsc, settings):
    """The third submit reaches the SMSC, which drops the link before answering: that SMS may have
    gone, so it is marked unconfirmed, not sent again; the one not yet written is sent after.
    (One submit in flight at a time here: with a wider window, every unanswered one is unconfirmed.)"""
    queue(session, make, households)
    smsc.drop_after = 2
    settings.window = 1
    with app.app_context():
        with pytest.raises(LinkDown):
            worker.Worker(settings).drain()
        first = rows(session)
        assert first[0].status in ("sent", "delivered") and [r.status for r in first[1:]] == ["failed", "queued"]
        assert first[1].error == "unconfirmed" and first[2].attempts == 0
        smsc.set_mode("accept")
        sms = worker.Worker(settings)
        sms.drain()
        sms.listen(0.3)
        sms.close()
    assert [r.status for r in rows(session)] == ["delivered", "failed", "delivered"]
    assert len(smsc.sent_to("+992931110002")) == 0 and len(smsc.sent_to("+93701110003")) == 1


@pytest.mark.parametrize("reply", ["STOP", "stop please", "لغو", "لغو.", "БАС", "Стоп"])
def test_a_stop_reply_opts_the_household_out(app, session, make, households, smsc, settings, reply):
    later = message(make.camp("KHR").id, message_id=2)
    queue(session, make, households)
    with app.app_context():
        sms = worker.Worker(settings)
        sms.drain()
        smsc.send_reply("+992931110002", reply)
        sms.listen(0.5)
        sms.close()
    household = households[1]
    session.refresh(household)
    assert household.sms_opted_out_at is not None
    assert queue(session, make, households, later).skipped == {"opted_out": 2}


def test_a_reply_that_is_not_stop_changes_nothing(app, session, make, households, smsc, settings):
    queue(session, make, households)
    with app.app_context():
        sms = worker.Worker(settings)
        sms.drain()
        smsc.send_reply("+992931110002", "سلام، تشکر")
        sms.listen(0.5)
        sms.close()
    session.refresh(households[1])
    assert households[1].sms_opted_out_at is None


def test_a_household_that_opts_out_while_queued_is_not_sent(app, session, make, households, smsc, settings):
    queue(session, make, households)
    households[0].sms_opted_out_at = utcnow()
    households[1].do_not_contact = True
    session.flush()
    with app.app_context():
        sms = worker.Worker(settings)
        sms.drain()
        sms.listen(0.3)
        sms.close()
    assert [(r.status, r.error) for r in rows(session)] == [
        ("opted_out", None),
        ("skipped", "no_consent"),
        ("delivered", None),
    ]
    assert [s.destination for s in smsc.accepted] == ["93701110003"]


def test_the_worker_command_sends_once_and_reports(app, session, make, households, smsc, monkeypatch):
    queue(session, make, households)
    for key, value in {"SMPP_PORT": smsc.port, "SMS_RATE": 1000.0}.items():
        monkeypatch.setitem(app.config, key, value)
    result = app.test_cli_runner().invoke(args=["sms", "send", "--once", "--receipt-wait", "0.2"])
    assert result.exit_code == 0, result.output
    assert "sent: 3" in result.output and "receipts: 5" in result.output
    assert "9929" not in result.output and DARI[:10] not in result.output  # no numbers, no text
    smsc.set_mode("down")
    result = app.test_cli_runner().invoke(args=["sms", "send", "--once"])
    assert result.exit_code == 1 and "cannot be reached" in result.output


def test_anonymising_a_household_removes_the_number_and_text_of_its_sms(session, make, households):
    from registration.subject.retention import anonymise_household

    queue(session, make, households)
    household = households[0]
    household.status = "departed"
    anonymise_household(session, None, household, utcnow())
    kept = {r.household_id: r for r in rows(session)}
    assert (kept[household.id].phone, kept[household.id].text, kept[household.id].status) == ("", "", "queued")
    assert kept[households[1].id].phone == "+992931110002"


@pytest.mark.parametrize("change", ["edit", "withdraw"])
def test_sms_still_queued_are_not_sent_once_the_approval_is_void(
    app, session, make, households, smsc, settings, change
):
    """Queued while the SMSC was down, then the message is edited or withdrawn: nothing unapproved goes out,
    and after a new approval the households get the new text."""
    from camps.communication import services
    from tests.camps.communication_helpers import approved, message_data

    writer = make.user(roles=["communication_officer"])
    camp = make.camp("KHR")
    msg = approved(session, make, writer, camp, text_fa_AF=DARI, text_tg=TAJIK)
    services.send_message(session, writer, msg, "sms", "tok-1")
    session.flush()
    assert [r.status for r in rows(session)] == ["queued"] * 3
    editor = make.user(roles=["communication_officer"])
    if change == "edit":
        services.update_message(session, editor, msg, message_data(text_fa_AF="متن درست شده", text_tg="Матни нав"))
    else:
        services.withdraw_message(session, editor, msg)
    session.commit()
    with app.app_context():
        sms = worker.Worker(settings)
        sms.drain()
        sms.close()
    assert smsc.accepted == []
    if change == "edit":
        services.approve_message(session, make.user(roles=["communication_officer"]), msg, msg.version)
        services.send_message(session, writer, msg, "sms", "tok-2")
        session.flush()
        assert sorted(r.text for r in rows(session)) == ["Матни нав", "متن درست شده", "متن درست شده"]


def test_a_worker_killed_mid_send_strands_at_most_a_few_seconds_of_sms(app, session, make, smsc, monkeypatch):
    """kill -9 while sending: the rows it had claimed end "unconfirmed" (never resent), so it claims only
    what it sends in a couple of seconds at the contract's rate, not a whole batch of 200."""
    households = [
        make.household(
            "KHR",
            members=1,
            phone=f"+9929322{i:05d}",
            phone_digits=f"9929322{i:05d}",
            sms_consent=True,
            sms_language="tg",
        )
        for i in range(60)
    ]
    queue(session, make, households)
    session.commit()
    settings = worker.Settings(port=smsc.port, system_id="panoh", password="secret", rate=10, window=5)
    sms = worker.Worker(settings)
    submitted = []

    def dies_on_the_third(phone, encoded, part):
        if len(submitted) == 2:
            raise SystemExit("killed")
        submitted.append(phone)
        return real_submit(phone, encoded, part)

    real_submit = sms.link.submit
    monkeypatch.setattr(sms.link, "submit", dies_on_the_third)
    monkeypatch.setattr(sms, "_record", lambda *_a: None)  # a killed process records nothing
    with app.app_context(), pytest.raises(SystemExit):
        sms.drain()
    sms.close()
    statuses = [r.status for r in rows(session)]
    assert statuses.count("sending") <= 2 * settings.rate
    assert statuses.count("queued") >= 60 - 2 * settings.rate
