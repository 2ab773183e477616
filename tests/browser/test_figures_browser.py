"""Figures and exports in real Chromium: a viewer reads the dashboard and downloads aggregate HXL
statistics but can reach no person; a clerk's person list asks for a purpose and lands in the audit log."""

from __future__ import annotations

import io

import hxl
import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from camps.figures.hxl import SCHEMAS
from tests.browser.fixtures import sign_in

pytestmark = pytest.mark.browser


def _hxl_errors(data: bytes) -> list:
    errors = []
    schema = hxl.schema(hxl.data(io.BytesIO((SCHEMAS / "stats.csv").read_bytes())), callback=errors.append)
    schema.validate(hxl.data(io.BytesIO(data)))
    return errors


def _export_events(live_app, username: str) -> list:
    from app.audit.models import AuditEvent
    from app.cli import cli_session

    with live_app.app_context(), cli_session() as session:
        return [
            (e.action, e.details)
            for e in session.scalars(
                select(AuditEvent)
                .where(AuditEvent.username == username, AuditEvent.action.like("export.%"))
                .order_by(AuditEvent.id)
            )
        ]


def test_a_viewer_sees_figures_and_aggregate_exports_only(page, live_user, live_app):
    username, password = live_user("viewer", camps=())
    sign_in(page, username, password)
    menu = page.get_by_test_id("main-menu")
    expect(menu.get_by_role("link", name="Exports")).to_have_count(0)
    menu.get_by_role("link", name="Figures", exact=True).click()
    expect(page.get_by_role("heading", name="Population by sex and age")).to_be_visible()
    expect(page.get_by_test_id("pyramid-chart")).to_be_visible()
    people = int(page.get_by_test_id("fig-people").inner_text().replace(",", ""))
    assert people > 0
    footer = page.get_by_test_id("pyramid-table").locator("tfoot td").nth(2).inner_text()
    assert int(footer.replace(",", "")) == people

    with page.expect_download() as download:
        page.get_by_test_id("stats-csv").click()
    data = download.value.path().read_bytes()
    assert _hxl_errors(data) == []
    assert data.splitlines()[1].startswith(b"#date+reported,#country+code,#adm1+code")

    page.get_by_label("Camp").select_option("KHR")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Figures · Kushoniyon transit camp")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("stats-xlsx").click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert {row[4] for row in list(book["population"].values)[2:]} == {"KHR"}

    for path in ("/exports", "/households"):
        response = page.goto(path)
        assert response.status == 403
    assert [action for action, _details in _export_events(live_app, username)] == ["export.stats", "export.stats"]


def test_a_clerks_person_list_asks_for_a_purpose_and_is_audited(page, live_user, live_app):
    username, password = live_user("registration_clerk")
    sign_in(page, username, password)
    page.get_by_test_id("main-menu").get_by_role("link", name="Exports").click()
    expect(page.get_by_role("heading", name="Export person and household lists")).to_be_visible()
    page.get_by_label("CSV (UTF-8)").check()
    page.get_by_role("button", name="Export").click()
    error = page.locator('[data-field-error="purpose"]')
    expect(error).to_be_visible()
    expect(page.get_by_label("CSV (UTF-8)")).to_be_checked()  # what was chosen is kept
    assert _export_events(live_app, username) == []

    page.get_by_label("Camp").select_option("KHR")
    page.get_by_label("Purpose", exact=True).select_option("distribution_planning")
    page.get_by_label("Purpose in your words").fill("Blanket distribution in block 3")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    assert download.value.suggested_filename.startswith("panoh-persons-KHR-")
    text = download.value.path().read_text(encoding="utf-8-sig")
    about = [line for line in text.splitlines() if line.startswith("#")]
    assert any(username in line for line in about) and any("Distribution planning" in line for line in about)
    header = text.splitlines()[len(about)]
    assert "tazkira" not in header and "phone" not in header  # not a clerk's fields
    [(action, details)] = _export_events(live_app, username)
    assert action == "export.persons" and details["purpose"] == "distribution_planning"
    assert details["camps"] == ["KHR"]
