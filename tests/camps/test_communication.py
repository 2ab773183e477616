"""Messages: validation, the second person's approval, audiences, languages, sending once."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import UserValueError, ValidationErrors
from camps.communication import audience, services
from camps.communication.models import MessageSend
from camps.distributions.models import Collection, DistributionRound
from tests.camps.communication_helpers import approved, block_plots, fake_channel, house_on_block, message_data


@pytest.fixture()
def writer(make):
    return make.user(roles=["communication_officer"])


@pytest.fixture()
def camp(make):
    return make.camp("KHR")


def test_a_message_needs_a_text_within_the_limit_and_a_title(session, make, writer, camp):
    make.household()
    with pytest.raises(ValidationErrors) as refused:
        services.create_message(session, writer, camp, message_data(title="", text_fa_AF="  ", text_tg=""))
    assert set(refused.value.errors) == {"title", "text_fa_AF"}
    with pytest.raises(ValidationErrors) as refused:
        services.create_message(session, writer, camp, message_data(text_tg="x" * 601))
    assert list(refused.value.errors) == ["text_tg"]
    assert "601" in refused.value.errors["text_tg"][0]


def test_an_audience_of_zero_is_refused(session, make, writer, camp):
    with pytest.raises(UserValueError, match="No household"):
        services.create_message(session, writer, camp, message_data())
    make.household(status="departed")
    with pytest.raises(UserValueError, match="No household"):
        services.create_message(session, writer, camp, message_data())


def test_unknown_blocks_and_needs_are_named(session, make, writer, camp):
    block_plots(session, make)
    make.household()
    with pytest.raises(ValidationErrors) as refused:
        services.create_message(session, writer, camp, message_data(audience="blocks", audience_ids="B01 B09"))
    assert "B09" in refused.value.errors["audience_ids"][0] and "B01" not in refused.value.errors["audience_ids"][0]
    with pytest.raises(ValidationErrors):
        services.create_message(session, writer, camp, message_data(audience="needs", audience_ids="XX-YY"))


def test_the_author_cannot_approve_and_a_second_person_can(session, make, writer, camp):
    make.household()
    message = services.create_message(session, writer, camp, message_data())
    with pytest.raises(UserValueError, match="second person"):
        services.approve_message(session, writer, message, message.version)
    assert message.status == "draft"
    checker = make.user(roles=["site_manager"])
    services.approve_message(session, checker, message, message.version)
    assert (message.status, message.approved_by_id) == ("approved", checker.id)
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "message").order_by(AuditEvent.id)
    ).all()
    assert actions == ["message.create", "message.approve"]


def test_editing_an_approved_message_voids_its_approval(session, make, writer, camp):
    make.household()
    message = approved(session, make, writer, camp)
    editor = make.user(roles=["communication_officer"])
    services.update_message(session, editor, message, message_data(text_tg="Тақсимот рӯзи якшанбе."))
    assert (message.status, message.approved_by_id, message.version) == ("draft", None, 2)
    # neither the writer nor the editor may check it; a third person reading the old version may not either
    for author in (editor, writer):
        with pytest.raises(UserValueError, match="second person"):
            services.approve_message(session, author, message, 2)
    third = make.user(roles=["communication_officer"])
    with pytest.raises(UserValueError, match="changed while you read"):
        services.approve_message(session, third, message, 1)
    services.approve_message(session, third, message, 2)
    assert message.status == "approved"


def test_block_and_need_audiences(session, make, writer, camp):
    plots = block_plots(session, make)
    in_b01 = [house_on_block(make, session, plots[i]) for i in range(3)]
    in_b02 = house_on_block(make, session, plots[4])
    make.household()  # no plot
    message = services.create_message(session, writer, camp, message_data(audience="blocks", audience_ids="b01"))
    assert set(session.scalars(audience.household_ids(session, message))) == {h.id for h in in_b01}
    message = services.create_message(session, writer, camp, message_data(audience="sectors", audience_ids="S1"))
    assert audience.count(session, message) == 4
    message = services.create_message(session, writer, camp, message_data(audience="needs", audience_ids="DS-PM"))
    assert audience.count(session, message) == 5  # the factory gives every head DS-PM
    in_b02.members[0].needs.clear()
    session.flush()
    assert audience.count(session, message) == 4


def test_round_not_served_leaves_out_those_who_collected(session, make, writer, camp):
    served, waiting, departed = make.household(), make.household(), make.household(status="departed")
    round_ = DistributionRound(
        camp_id=camp.id, name="December", starts_on=date.today(), ends_on=date.today() + timedelta(days=3)
    )
    session.add(round_)
    session.flush()
    session.add(
        Collection(
            uid="00000000-0000-4000-8000-000000000001",
            round_id=round_.id,
            household_id=served.id,
            point="DP-1",
            collected_at=round_.created_at,
        )
    )
    session.flush()
    message = services.create_message(
        session, writer, camp, message_data(audience="round_not_served", round_id=round_.id)
    )
    assert list(session.scalars(audience.household_ids(session, message))) == [waiting.id]
    assert departed.id not in set(session.scalars(audience.household_ids(session, message)))


def test_languages_missing_for_part_of_the_audience_are_counted(session, make, writer, camp):
    make.household(languages="prs")
    make.household(languages="pus")
    make.household(languages="uzb tgk")
    make.household(languages=None)
    message = services.create_message(session, writer, camp, message_data())
    assert audience.missing_languages(session, message) == {"ps": 1}
    assert audience.coverage(session, message) == {"fa-AF": 1, "ps": 1, "uz": 1, "unknown": 1}


def test_approval_refused_when_nobody_reads_the_languages(session, make, writer, camp):
    make.household(languages="pus")
    message = services.create_message(session, writer, camp, message_data(text_fa_AF="", text_tg="", text_en="Hi"))
    with pytest.raises(UserValueError, match="languages"):
        services.approve_message(session, make.user(roles=["communication_officer"]), message, message.version)


def test_sending_needs_approval_and_happens_once_per_form(session, make, writer, camp, monkeypatch, caplog):
    channel = fake_channel(monkeypatch)
    make.household(languages="prs")
    make.household(languages="pus")
    draft = services.create_message(session, writer, camp, message_data())
    with pytest.raises(UserValueError, match="approve"):
        services.send_message(session, writer, draft, "fake", "token-1")
    assert channel.sent == []
    message = approved(session, make, writer, camp)
    caplog.set_level(logging.DEBUG)
    first = services.send_message(session, writer, message, "fake", "token-2")
    again = services.send_message(session, writer, message, "fake", "token-2")
    assert first is again and len(channel.sent) == 1
    assert (first.audience_size, first.queued, first.skipped) == (2, 1, {"no_text_in_language": 1})
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "message.send"))
    assert event.details["queued"] == 1 and event.details["channel"] == "fake"
    logged = caplog.text + str(event.details)
    assert "آرد" not in logged and "орд" not in logged
    assert session.scalar(select(MessageSend.channel)) == "fake"


def test_an_unknown_channel_is_refused(session, make, writer, camp):
    make.household()
    message = approved(session, make, writer, camp)
    with pytest.raises(UserValueError, match="channel"):
        services.send_message(session, writer, message, "pigeon", "token-3")
