"""Nothing about sensitive complaints can be worked out by anyone but protection officers: not their number
(by subtracting one camp's figures from all camps'), not how many are overdue, not where they fall
among the references."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from camps.feedback import services
from camps.feedback.dashboard import feedback_figures
from camps.sites.services import camp_today
from tests.camps.feedback_helpers import NOW, TODAY, case_data

GENERAL = re.compile(r"FB-[A-Z]{3}-\d{6}")


@pytest.fixture(autouse=True)
def _context(app):
    services.reset_kiosk_limits()
    with app.app_context():
        yield
    services.reset_kiosk_limits()


def _data(**overrides) -> dict:
    return case_data(**overrides)


def _case(session, camp, sensitive=False, now=NOW, **overrides):
    if sensitive:
        overrides.update(type="sensitive", sensitive_category="sea", sector="protection")
    return services.intake(session, None, camp, _data(**overrides), now=now)


# --- counts ------------------------------------------------------------------------------------------


def _world(session, make):
    """KHR: 5 sensitive cases (one overdue); SHR: 1 sensitive case; a general case in each."""
    khr, shr = make.camp("KHR"), make.camp("SHR")
    for _ in range(5):
        _case(session, khr, sensitive=True)
    _case(session, shr, sensitive=True)
    _case(session, khr)
    _case(session, shr)
    late = _case(session, khr, sensitive=True, received_on=TODAY - timedelta(days=10))
    late.status = "acknowledged"
    session.flush()
    return khr, shr


def test_sensitive_counts_are_for_protection_officers_only(session, make):
    """Fails on main before this change: all camps 7, KHR 6, SHR "fewer than 5": SHR's one case was known."""
    khr, shr = _world(session, make)
    for camps in ([khr.id, shr.id], [khr.id], [shr.id]):
        figures = feedback_figures(session, camps, weeks=4, today=TODAY, now=NOW)
        assert (figures.sensitive_total, figures.sensitive_overdue) == (None, None)
        assert figures.sensitive_hidden
    protection = feedback_figures(session, [shr.id], weeks=4, today=TODAY, now=NOW, sensitive=True)
    assert (protection.sensitive_total, protection.sensitive_overdue) == (1, 0)  # exact: they see the cases
    protection = feedback_figures(session, [khr.id], weeks=4, today=TODAY, now=NOW, sensitive=True)
    assert (protection.sensitive_total, protection.sensitive_overdue) == (6, 1)
    assert protection.total == 1 and protection.overdue == 0  # never in the general figures either


def _card(page: str) -> str:
    found = re.search(r'data-testid="fb-sensitive">(.*?)</div></div>', page, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize("role", ["viewer", "site_manager", "feedback_officer", "admin"])
def test_the_dashboard_shows_no_sensitive_number_but_to_protection(client, login_as, make, session, role):
    """Fails on main before this change: the page gave 6 for all camps and 5 for KHR to every reader."""
    khr, shr = make.camp("KHR"), make.camp("SHR")
    today = camp_today()
    for _ in range(5):
        _case(session, khr, sensitive=True, received_on=today, now=None)
    _case(session, shr, sensitive=True, received_on=today, now=None)
    login_as(role, None)
    for query in ("", "?camp=KHR", "?camp=SHR"):
        page = client.get("/feedback/dashboard" + query).get_data(as_text=True)
        assert 'data-testid="fb-sensitive"' not in page, query
        assert "protection officers" in page


def test_a_protection_officer_sees_the_exact_sensitive_counts(client, login_as, make, session):
    make.camp("KHR")
    shr = make.camp("SHR")
    _case(session, shr, sensitive=True, received_on=camp_today(), now=None)
    login_as("protection_officer", None)
    card = _card(client.get("/feedback/dashboard?camp=SHR").get_data(as_text=True))
    assert ">1<" in card and "0 overdue now" in card


# --- references -----------------------------------------------------------------------------------------


def test_general_references_run_without_gaps_in_each_camp(session, make):
    """Fails on main before this change: FB-KHR-000001, then FB-KHR-000004 (an SHR and a sensitive case between)."""
    khr, shr = make.camp("KHR"), make.camp("SHR")
    first = _case(session, khr)
    other_camp = _case(session, shr)
    sensitive = _case(session, khr, sensitive=True)
    second = _case(session, khr)
    assert (first.reference, second.reference, other_camp.reference) == (
        "FB-KHR-000001",
        "FB-KHR-000002",
        "FB-SHR-000001",
    )
    assert not GENERAL.fullmatch(sensitive.reference)
    assert re.fullmatch(r"FB-KHR-[A-Z][A-Z0-9]{5}", sensitive.reference)


def test_sensitive_references_follow_no_sequence(session, make):
    khr = make.camp("KHR")
    references = [_case(session, khr, sensitive=True).reference for _ in range(6)]
    assert len(set(references)) == 6
    assert _case(session, khr).reference == "FB-KHR-000001"
    found = services.case_for_user(
        session, make.user(roles=["protection_officer"], camps=["KHR"]), references[0].lower(), audit=False
    )
    assert found is not None and found.reference == references[0]


def test_the_migration_continues_each_camps_numbers_after_its_highest(tmp_path):
    from alembic import command

    from app.migrations import alembic_config

    url = f"sqlite:///{tmp_path / 'refs.sqlite3'}"
    command.upgrade(alembic_config(url), "0007")
    engine = create_engine(url)
    with engine.begin() as conn:
        for camp_id, code in ((1, "KHR"), (2, "SHR"), (3, "JAY")):
            conn.execute(
                text(
                    "INSERT INTO camps (id, code, name, region_code, status, household_counter, "
                    "created_at) VALUES (:id, :code, 'C', 'TJ-KT', 'open', 0, '2026-01-01')"
                ),
                {"id": camp_id, "code": code},
            )
        for case_id, camp_id, ref in (
            (1, 1, "FB-KHR-000001"),
            (2, 2, "FB-SHR-000002"),
            (3, 1, "FB-KHR-000003"),
            (7, 1, "FB-KHR-000007"),
        ):
            conn.execute(
                text(
                    "INSERT INTO feedback_cases (id, reference, camp_id, channel, received_on, type, sensitive, "
                    "sector, "
                    "description, language, anonymous, consent_to_contact, status, due_at, created_at, updated_at) "
                    "VALUES (:id, :ref, :camp, 'hotline', '2026-01-01', 'complaint', 0, 'food', 'x', 'fa', 0, 0, "
                    "'new', '2026-01-02', '2026-01-01', '2026-01-01')"
                ),
                {"id": case_id, "ref": ref, "camp": camp_id},
            )
    engine.dispose()
    command.upgrade(alembic_config(url), "0008e")
    engine = create_engine(url)
    with engine.connect() as conn:
        counters = dict(conn.execute(text("SELECT camp_id, last FROM feedback_counters")).all())
    engine.dispose()
    assert counters == {1: 7, 2: 2}  # new KHR cases start at 000008: no reference is given twice
    command.downgrade(alembic_config(url), "0007")


# --- the tablets' "last used" -----------------------------------------------------------------------------


def test_a_tablets_last_use_tells_no_administrator_of_a_sensitive_message(client, login_as, make, session):
    """Fails on main before this change: after a "serious" message from the tablet its "last used" moved to
    that minute, while the audit log a camp administrator reads showed no case from the tablet then: a
    sensitive case had been sent, and when."""
    kiosk, _secret = services.create_kiosk(session, None, make.camp("KHR"), "Help desk, block 3")
    earlier = NOW - timedelta(days=2)
    services.intake(session, None, make.camp("KHR"), _data(received_on=earlier.date()), kiosk=kiosk, now=earlier)
    services.intake(
        session,
        None,
        make.camp("KHR"),
        {"type": "sensitive", "sector": "protection", "description": "A guard asked for money.", "language": "ps"},
        kiosk=kiosk,
        now=NOW,
    )
    assert kiosk.last_used_at == earlier
    login_as("admin", "KHR")
    page = client.get("/admin/kiosks").get_data(as_text=True)
    assert earlier.strftime("%Y-%m-%d %H:%M") in page and NOW.strftime("%Y-%m-%d %H:%M") not in page
