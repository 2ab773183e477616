"""The supervisors' duplicate review: scan, merge (nothing deleted), rule out (remembered)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from registration.dedup import review
from registration.dedup.models import DuplicatePair
from registration.households import desk
from registration.households.models import Person


def _register(session, camp, given, given_orig, born, **member):
    raw = {
        "camp_id": camp.id,
        "arrival_date": date(2026, 10, 1),
        "consent": True,
        "members": [
            {
                "given_name": given,
                "given_name_orig": given_orig,
                "father_name": "Karim",
                "sex": "m",
                "born": born,
                "relation_to_head": "head",
                **member,
            }
        ],
    }
    household, _ = desk.register_household(
        session, None, desk.clean_household(session, None, raw, date.today()), check_duplicates=False
    )
    return household


def test_scan_finds_the_same_person_registered_twice_and_not_others(session, make):
    camp = make.camp("KHR")
    a = _register(session, camp, "Mohammad", "محمد", "1985")
    b = _register(session, camp, "Muhammad", "Муҳаммад", "05.06.1985")
    _register(session, camp, "Mahmud", "محمود", "1985")
    session.execute(DuplicatePair.__table__.delete())  # forget what the desk queued: the scan must find it
    assert review.scan(session, None) == 1
    pair = session.scalar(select(DuplicatePair))
    assert {pair.person_a_id, pair.person_b_id} == {a.head.id, b.head.id}
    assert review.scan(session, None) == 0  # known pairs are not queued twice


def test_merge_keeps_one_record_and_marks_the_other(session, make):
    camp = make.camp("KHR")
    supervisor = make.user(roles=["registration_supervisor"], camps=["KHR"])
    a = _register(session, camp, "Mohammad", "محمد", "1985", needs="DS-PM")
    b = _register(session, camp, "Muhammad", "Муҳаммад", "1985", tazkira="1234567890123")
    pair = session.scalar(select(DuplicatePair))  # queued by the desk service when b was saved
    dropped = b.head
    kept = review.merge(session, supervisor, pair, a.head)
    assert kept.id == a.head.id and kept.tazkira == "1234567890123"
    assert dropped.status == "merged" and dropped.merged_into_id == kept.id
    assert b.status == "inactive" and pair.status == "merged"
    assert session.scalar(select(func.count()).select_from(Person)) == 2  # nothing deleted


def test_not_duplicates_is_remembered_by_later_scans(session, make):
    camp = make.camp("KHR")
    supervisor = make.user(roles=["registration_supervisor"], camps=["KHR"])
    a = _register(session, camp, "Mohammad", "محمد", "1985")
    b = _register(session, camp, "Muhammad", "Муҳаммад", "1985")
    session.execute(DuplicatePair.__table__.delete())
    review.scan(session, None)
    pair = session.scalar(select(DuplicatePair))
    review.decide_different(session, supervisor, pair)
    assert review.scan(session, None) == 0
    assert pair.status == "different" and {pair.person_a_id, pair.person_b_id} == {a.head.id, b.head.id}


def test_review_page_merges_and_rules_out(client, login_as, make, session):
    camp = make.camp("KHR")
    a = _register(session, camp, "Mohammad", "محمد", "1985")
    b = _register(session, camp, "Muhammad", "Муҳаммад", "1985")
    pair = session.scalar(select(DuplicatePair))
    login_as("registration_supervisor")
    page = client.get("/duplicates").data.decode()
    assert 'data-testid="pair"' in page and a.head.number in page and b.head.number in page
    # each piece of evidence with its weight in bits (Mohammad and Муҳаммад are one name: +6.5)
    assert 'same given name <span class="text-body-secondary">(+6.5)</span>' in page
    assert 'same father’s name <span class="text-body-secondary">(+5)</span>' in page
    head_a = a.head
    assert client.post(f"/duplicates/{pair.id}", data={"decision": "keep_b"}).status_code == 302
    session.refresh(head_a)
    assert head_a.status == "merged"


def test_pairs_outside_the_supervisors_camps_are_hidden(client, login_as, make, session):
    a, b = make.household("SHR"), make.household("SHR")
    pair = make.duplicate_pair(a.members[0], b.members[0])
    login_as("registration_supervisor", "KHR")
    assert 'data-testid="pair"' not in client.get("/duplicates").data.decode()
    assert client.post(f"/duplicates/{pair.id}", data={"decision": "different"}).status_code == 404


def test_pairs_csv_names_both_numbers_and_source_references(session, make):
    import io

    camp = make.camp("KHR")
    a = _register(session, camp, "Mohammad", "محمد", "1985", source_ref="BP-7")
    b = _register(session, camp, "Muhammad", "Муҳаммад", "1985", source_ref="KOBO-12")
    out = io.StringIO()
    assert review.write_csv(session, out, select(DuplicatePair)) == 1
    line = out.getvalue().splitlines()[1]
    assert a.head.number in line and b.head.number in line and "BP-7" in line and "KOBO-12" in line


def test_cli_scans_and_writes_the_pairs_csv(app, session, make, tmp_path):
    camp = make.camp("KHR")
    _register(session, camp, "Mohammad", "محمد", "1985", source_ref="BP-7")
    _register(session, camp, "Muhammad", "Муҳаммад", "1985")
    session.execute(DuplicatePair.__table__.delete())
    out = tmp_path / "pairs.csv"
    result = app.test_cli_runner().invoke(args=["registration", "duplicates", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 new pairs queued" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("person_a,person_b") and "BP-7" in lines[1]


def test_every_reason_has_words_for_staff():
    from registration.dedup.matching import REASONS
    from registration.dedup.reasons import TITLES

    assert set(REASONS) == set(TITLES)
