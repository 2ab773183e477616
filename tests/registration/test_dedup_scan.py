"""The whole-registry duplicate scan: resumable, and re-keys people whose keys an older matcher made."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from registration.dedup import review
from registration.dedup.matching import KEYS_VERSION
from registration.dedup.models import DedupScanState, DuplicatePair
from registration.households import desk
from registration.households.models import PersonKey

#: (given, original script, father, born): each name registered twice in another spelling or script
PEOPLE = [
    ("Mohammad Nabi", "محمد نبی", "Karim", "1985"),
    ("Nabi", "Набӣ", "Karim", "1985"),
    ("Habibullah", "حبیب الله", "Rahim", "1990"),
    ("Habib Ullah", "Хабибулло", "Rahim", "1990"),
    ("Zahra", "زهرا", "Hassan", "2001"),
    ("Zohra", "Зуҳро", "Hasan", "2001"),
    ("Jahongir", "جهانگیر", "Aziz", "1979"),
    ("Jahangir", "Чахонгир", "Azeez", "1979"),
]


def _register(session, camp, given, given_orig, father, born):
    raw = {
        "camp_id": camp.id,
        "arrival_date": date(2026, 10, 1),
        "consent": True,
        "members": [
            {
                "given_name": given,
                "given_name_orig": given_orig,
                "father_name": father,
                "born": born,
                "sex": "f" if given in ("Zahra", "Zohra") else "m",
                "relation_to_head": "head",
            }
        ],
    }
    household, _ = desk.register_household(
        session, None, desk.clean_household(session, None, raw, date.today()), check_duplicates=False
    )
    return household.head


def _pairs(session) -> set[tuple[int, int]]:
    return {tuple(row) for row in session.execute(select(DuplicatePair.person_a_id, DuplicatePair.person_b_id))}


@pytest.fixture
def registry(session, make):
    camp = make.camp("KHR")
    people = [_register(session, camp, *person) for person in PEOPLE]
    session.execute(DuplicatePair.__table__.delete())  # the scan must find them itself
    return people


def test_scan_finds_each_person_registered_twice(session, registry):
    assert review.scan(session, None) == 4
    assert _pairs(session) == {tuple(sorted((registry[i].id, registry[i + 1].id))) for i in range(0, 8, 2)}


def test_a_stopped_scan_continues_where_it_was(session, registry):
    class Stop(Exception):
        pass

    def stop_at_first_checkpoint(phase, done, total):
        if phase == "pairs" and done < total:
            raise Stop

    with pytest.raises(Stop):
        review.scan(session, None, batch=1, progress=stop_at_first_checkpoint)
    state = session.scalar(select(DedupScanState).where(DedupScanState.scope == "all"))
    first_part = _pairs(session)
    assert state.last_key is not None and state.finished_at is None and len(first_part) < 4
    seen = []
    assert review.scan(session, None, batch=1, progress=lambda phase, done, total: seen.append(done)) == 4
    assert seen[0] > 0, "the second run started from the beginning"
    assert len(_pairs(session)) == 4 and first_part <= _pairs(session)
    assert state.finished_at is not None and state.last_key is None
    assert review.scan(session, None) == 0  # a finished scan starts afresh and finds nothing new


def test_keys_made_by_an_older_matcher_are_computed_again(session, registry):
    session.execute(PersonKey.__table__.delete())
    session.add_all(PersonKey(person_id=p.id, key=f"old:{p.id}") for p in registry)
    session.flush()
    assert review.ensure_keys(session) == len(registry)
    keys = set(session.scalars(select(PersonKey.key)))
    assert not any(k.startswith("old:") for k in keys) and any(k.startswith("gp:") for k in keys)
    assert session.scalar(select(DedupScanState.keys_version).where(DedupScanState.scope == "keys")) == KEYS_VERSION
    assert review.ensure_keys(session) == 0  # recorded: not again
    assert review.scan(session, None) == 4


def test_current_keys_are_not_computed_again(session, registry):
    assert review.ensure_keys(session) == 0


def test_a_key_too_common_to_pair_everyone_still_pairs_people_born_close_together():
    day = date(1990, 7, 1).toordinal()
    group = [(i, day + i * 365) for i in range(1, review.MAX_GROUP + 40)]  # one a year, for a century
    pairs = set(review._group_pairs("gp:krm|mhmd|m", group))
    assert (1, 2) in pairs and (1, 5) in pairs and (1, 6) not in pairs  # within four years, not beyond
    assert len(pairs) < len(group) * 5
    assert not set(review._group_pairs("ny:mhmd|m|663", group))  # a name and a year: the two-name keys find them
    small = group[:10]
    assert len(set(review._group_pairs("ny:mhmd|m|663", small))) == 45  # a small group: every pair


def test_reading_the_keys_page_by_page_finds_the_same_pairs(session, registry, monkeypatch):
    monkeypatch.setattr(review, "PAGE", 3)  # groups cut by page ends are read whole
    assert review.scan(session, None) == 4
