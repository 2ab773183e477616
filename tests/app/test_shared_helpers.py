"""The small shared helpers services lean on: setting changed fields, auditing one object, the people's
languages, a name record from name columns."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from app import languages
from app.audit.services import log_object
from app.db import one_of, update_fields
from registration.dedup.matching import NameRecord


def test_update_fields_sets_only_what_differs_and_names_it_sorted():
    plot = SimpleNamespace(status="vacant", capacity=5, notes=None)
    assert update_fields(plot, {"status": "reserved", "notes": "by the gate", "capacity": 5}) == ["notes", "status"]
    assert (plot.status, plot.capacity, plot.notes) == ("reserved", 5, "by the gate")
    assert update_fields(plot, {"status": "reserved"}) == []


def test_log_object_names_the_object_and_its_camp(session, make):
    household = make.household("SHR")
    event = log_object(session, None, "card.issue", "household", household, card="C00000001")
    assert (event.object_type, event.object_id, event.camp_id) == ("household", str(household.id), household.camp_id)
    assert event.details == {"card": "C00000001"}
    camp = make.camp("KHR")
    bare = log_object(session, None, "camp.update", "camp", camp, camp_id=camp.id)
    assert (bare.camp_id, bare.details) == (camp.id, None)


def test_one_table_of_the_peoples_languages():
    assert languages.tag("fa") == "fa-AF" and languages.tag("ps") == "ps"
    assert set(languages.TITLES) == set(languages.OWN_NAMES) == set(languages.FROM_ISO3.values())


def test_a_name_record_from_name_columns():
    names = {
        "given_name": "Nasir",
        "given_name_orig": "ناصر",
        "father_name": "Jalil",
        "father_name_orig": "جلیل",
        "family_name": None,
        "family_name_orig": None,
        "grandfather_name": "Karim",
    }
    record = NameRecord.of(names, "m", date(1977, 7, 1), "year", "1400-0101-23456")
    assert record == NameRecord(
        "Nasir", "ناصر", "Jalil", "جلیل", None, None, "m", date(1977, 7, 1), "year", "1400-0101-23456"
    )


def test_one_of_keeps_a_column_to_the_keys_of_its_labels():
    assert str(one_of("status", {"open": "Open", "closed": "Closed"}).sqltext) == "status IN ('open', 'closed')"
    review = one_of("review", ("confirmed", "cleared"), nullable=True)
    assert (str(review.sqltext), review.name) == ("review IS NULL OR review IN ('confirmed', 'cleared')", "review")
