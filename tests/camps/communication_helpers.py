"""Shared helpers for the communication tests: a fake channel, households on blocks, a message."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from camps.allocation.models import PlotAllocation
from camps.communication import services
from camps.communication.channels import CHANNELS, ChannelPreview, SendResult


class FakeChannel:
    """Reaches every household of the audience that reads one of the message's languages."""

    name = "fake"

    def __init__(self) -> None:
        self.sent: list[tuple[int, list[int]]] = []

    def _split(self, session, message, households):
        from camps.communication.audience import language_for
        from registration.households.models import Household

        reached, skipped = [], {}
        for household in session.scalars(select(Household).where(Household.id.in_(households))):
            if language_for(household, message):
                reached.append(household.id)
            else:
                skipped["no_text_in_language"] = skipped.get("no_text_in_language", 0) + 1
        return reached, skipped

    def preview(self, session, message, households) -> ChannelPreview:
        reached, skipped = self._split(session, message, households)
        return ChannelPreview(len(reached), skipped, dict.fromkeys(message.languages, 1))

    def send(self, session, actor, message, households) -> SendResult:
        reached, skipped = self._split(session, message, households)
        self.sent.append((message.id, reached))
        return SendResult(len(reached), skipped)


def fake_channel(monkeypatch) -> FakeChannel:
    channel = FakeChannel()
    monkeypatch.setitem(CHANNELS, "fake", channel)
    return channel


def house_on_block(make, session, plot, languages="prs", **kwargs):
    household = make.household(languages=languages, **kwargs)
    session.add(PlotAllocation(camp_id=household.camp_id, plot_id=plot.id, household_id=household.id))
    session.flush()
    return household


def message_data(**overrides) -> dict:
    data = {
        "title": "Flour distribution",
        "purpose": "distribution",
        "audience": "camp",
        "text_fa_AF": "توزیع آرد روز شنبه در نقطه ۲ است.",
        "text_tg": "Тақсимоти орд рӯзи шанбе дар нуқтаи 2.",
        "expires_on": None,
    }
    data.update(overrides)
    return data


def approved(session, make, writer, camp, **overrides):
    message = services.create_message(session, writer, camp, message_data(**overrides))
    checker = make.user(roles=["communication_officer"])
    services.approve_message(session, checker, message, message.version)
    session.flush()
    return message


def block_plots(session, make):
    from camps.layout.models import Plot

    make.layout(blocks=2, plots=4)
    return list(session.scalars(select(Plot).order_by(Plot.code)))


TODAY = date.today()
