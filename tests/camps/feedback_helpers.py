"""Shared helpers for the feedback tests: what the intake form sends for a plain complaint."""

from __future__ import annotations

from datetime import datetime

NOW = datetime(2026, 11, 30, 8, 0)  # 13:00 in the camps
TODAY = NOW.date()


def case_data(**overrides) -> dict:
    """The intake form's fields for a general complaint about food received today, with ``overrides``."""
    data = {
        "channel": "help_desk",
        "received_on": TODAY,
        "type": "complaint",
        "sensitive_category": "",
        "sector": "food",
        "description": "The flour ration was short by two kilograms.",
        "language": "fa",
        "household": "",
        "person_seq": None,
        "anonymous": False,
        "consent_to_contact": False,
        "contact": "",
    }
    data.update(overrides)
    return data
