"""The one interface every outgoing channel implements, and the registry of channels.

A channel is a small adapter: it counts who it can reach before sending (``preview``) and queues
the message for them (``send``). The SMS and spoken channels register themselves from their own
modules (``camps.communication.sms``, ``camps.communication.audio``); printed notices and the notice
board need no queue and are served by ``camps.communication.posters`` and ``noticeboard``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from app.users.actors import Actor


@dataclass
class ChannelPreview:
    """Who the channel can reach, before anything is sent."""

    reachable: int
    #: reason -> households left out (no consent, no number, opted out, no text in their language ...)
    skipped: dict[str, int] = field(default_factory=dict)
    #: language code -> SMS segments one message takes in that language (UCS-2 or GSM-7)
    segments: dict[str, int] = field(default_factory=dict)


@dataclass
class SendResult:
    """What ``send`` queued; delivery is reported later by the channel's outbox."""

    queued: int
    skipped: dict[str, int] = field(default_factory=dict)


@runtime_checkable
class Channel(Protocol):
    name: str

    def preview(self, session, message, households) -> ChannelPreview:
        """Count who would get ``message`` among ``households`` (a Select of Household ids)."""

    def send(self, session, actor: Actor, message, households) -> SendResult:
        """Queue ``message`` for ``households``; a retry must never queue it twice."""


CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    """Make ``channel`` available under its name (registering the same name again replaces it)."""
    CHANNELS[channel.name] = channel
    return channel


def load_channels() -> dict[str, Channel]:
    """Import the channel modules that exist on this install, so that they register themselves."""
    import importlib

    for module in ("camps.communication.sms", "camps.communication.audio"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):
                raise
    return CHANNELS
