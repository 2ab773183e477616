"""Person and household list exports: purpose, camp scope, fields by role, files, audit, batches."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app import tabular
from app.audit.models import AuditEvent
from app.errors import ValidationErrors
from app.tabular import defuse
from camps.allocation.models import PlotAllocation
from registration.exports import services
from registration.households.models import Person, PersonNeed

NOW = datetime(2026, 11, 28, 15, 30, 5)
CLERK, SUPERVISOR, PROTECTION = "registration_clerk", "registration_supervisor", "protection_officer"


def _data(**overrides) -> dict:
    return {
        "kind": "persons",
        "format": "csv",
        "camp": "",
        "status": "active",
        "former_members": False,
        "purpose": "distribution_planning",
        "purpose_detail": "November food round",
        "agreement": "",
        **overrides,
    }


def _rows(session, user, batch_size=services.BATCH_SIZE, **overrides):
    plan = services.prepare_export(session, user, _data(**overrides), now=NOW)
    return plan, [dict(zip(plan.keys, row, strict=True)) for row in services.export_rows(session, plan, batch_size)]


def _errors(session, user, **overrides) -> dict:
    with pytest.raises(ValidationErrors) as caught:
        services.prepare_export(session, user, _data(**overrides), now=NOW)
    return caught.value.errors


def _parse_csv(body: bytes) -> tuple[list[str], list[str], list[list[str]]]:
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines(keepends=True)
    comments = [line.rstrip("\r\n") for line in lines[: tabular.ABOUT_LINES]]
    header, *rows = list(csv.reader(io.StringIO("".join(lines[tabular.ABOUT_LINES :]))))
    return comments, header, rows


def _export_events(session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action.startswith("export."))))


# --- the request and its purpose -----------------------------------------------------------------


def test_a_purpose_is_required(session, make):
    clerk = make.user(roles=[CLERK])
    assert set(_errors(session, clerk, purpose="")) == {"purpose"}
    assert set(_errors(session, clerk, purpose="holiday")) == {"purpose"}
    assert set(_errors(session, clerk, purpose="other", purpose_detail="  ")) == {"purpose_detail"}
    assert set(_errors(session, clerk, purpose="partner_referral", agreement="")) == {"agreement"}
    assert set(_errors(session, clerk, purpose_detail="x" * 301)) == {"purpose_detail"}
    plan = services.prepare_export(
        session, clerk, _data(purpose="partner_referral", agreement=" WFP  DSA-2026-04 "), now=NOW
    )
    assert (plan.purpose, plan.agreement) == ("partner_referral", "WFP DSA-2026-04")
    assert (
        services.prepare_export(
            session, clerk, _data(purpose="other", purpose_detail="Census check"), now=NOW
        ).purpose_detail
        == "Census check"
    )


def test_bad_kind_format_and_status_are_refused(session, make):
    clerk = make.user(roles=[CLERK])
    assert set(_errors(session, clerk, kind="photos", format="pdf", status="gone")) == {"kind", "format", "status"}


def test_a_clerk_exports_only_their_camp(session, make):
    make.household("KHR", members=2)
    make.household("SHR", members=4)
    clerk = make.user(roles=[CLERK], camps=["KHR"])
    assert set(_errors(session, clerk, camp="SHR")) == {"camp"}
    assert set(_errors(session, clerk, camp="XYZ")) == {"camp"}
    plan, rows = _rows(session, clerk)
    assert plan.camp_codes == ("KHR",) and plan.camp_code is None
    assert [r["camp"] for r in rows] == ["KHR", "KHR"]
    everywhere = make.user(roles=[PROTECTION], camps=[], all_camps=True)
    _plan, rows = _rows(session, everywhere)
    assert sorted(r["camp"] for r in rows) == ["KHR"] * 2 + ["SHR"] * 4
    _plan, rows = _rows(session, everywhere, camp="shr")
    assert {r["camp"] for r in rows} == {"SHR"}


def test_file_names_hold_no_personal_data(session, make):
    clerk = make.user(roles=[CLERK])
    assert (
        services.prepare_export(session, clerk, _data(camp="KHR"), now=NOW).filename
        == "panoh-persons-KHR-20261128-1530.csv"
    )
    assert (
        services.prepare_export(session, clerk, _data(kind="households", format="xlsx"), now=NOW).filename
        == "panoh-households-all-20261128-1530.xlsx"
    )


# --- fields by role --------------------------------------------------------------------------------


def _household_with_needs(make, session):
    household = make.household("KHR", members=2, phone="+992911234567")
    head = household.members[0]
    head.tazkira = "1400123456789"
    session.add_all([PersonNeed(person_id=head.id, code="SV-VA"), PersonNeed(person_id=head.id, code="LP-AP")])
    session.flush()
    return household


def test_a_clerk_gets_no_phone_tazkira_or_restricted_needs(session, make):
    household = _household_with_needs(make, session)
    plan, rows = _rows(session, make.user(roles=[CLERK]))
    assert "phone" not in plan.keys and "tazkira" not in plan.keys and "needs" in plan.keys
    head = rows[0]
    assert head["person_number"] == f"{household.number}/01"
    assert head["needs"] == "DS-PM"
    assert "1400123456789" not in json.dumps(rows) and "+992911234567" not in json.dumps(rows)


def test_a_supervisor_gets_phone_and_tazkira_but_not_restricted_needs(session, make):
    _household_with_needs(make, session)
    plan, rows = _rows(session, make.user(roles=[SUPERVISOR]))
    assert plan.keys[-2:] == ("phone", "tazkira")
    assert (rows[0]["phone"], rows[0]["tazkira"], rows[0]["needs"]) == ("+992911234567", "1400123456789", "DS-PM")
    assert rows[1]["tazkira"] is None


def test_protection_gets_restricted_needs(session, make):
    _household_with_needs(make, session)
    plan, rows = _rows(session, make.user(roles=[PROTECTION]))
    assert "phone" in plan.keys and "tazkira" in plan.keys
    assert rows[0]["needs"] == "DS-PM LP-AP SV-VA"


def test_household_list_has_no_phone_for_a_clerk(session, make):
    _household_with_needs(make, session)
    assert "phone" not in services.prepare_export(session, make.user(roles=[CLERK]), _data(kind="households")).keys
    assert "phone" in services.prepare_export(session, make.user(roles=[SUPERVISOR]), _data(kind="households")).keys


# --- the rows -------------------------------------------------------------------------------------


def test_person_rows_carry_the_base_fields(session, make):
    household = make.household("KHR", members=2, origin_province="AF15")
    plot = make.layout("KHR", blocks=1, plots=1)[0]
    session.add(PlotAllocation(camp_id=household.camp_id, plot_id=plot.id, household_id=household.id))
    household.members[1].birth_precision = "day"
    session.flush()
    _plan, rows = _rows(session, make.user(roles=[CLERK]))
    head, son = rows
    assert head["given_name"] == "Mohammad" and head["given_name_orig"] == "محمد" and head["father_name"] == "Karim"
    assert (head["sex"], head["birth_date"], head["age"], head["relationship"]) == ("m", "≈1991", 35, "head")
    assert (son["birth_date"], son["age"], son["relationship"]) == ("1992-07-01", 34, "son")
    assert (head["camp"], head["plot"], head["arrival_date"], head["origin_province"]) == (
        "KHR",
        plot.code,
        "2026-10-01",
        "AF15",
    )
    assert (head["person_status"], head["household_status"], head["household_size"]) == ("active", "active", 2)


def test_merged_people_are_never_exported_and_former_members_only_on_request(session, make):
    household = make.household("KHR", members=4)
    merged, departed = household.members[2], household.members[3]
    merged.status, departed.status = "merged", "departed"
    session.flush()
    clerk = make.user(roles=[CLERK])
    _plan, rows = _rows(session, clerk)
    assert [r["person_number"][-2:] for r in rows] == ["01", "02"]
    _plan, rows = _rows(session, clerk, former_members=True)
    assert [(r["person_number"][-2:], r["person_status"]) for r in rows] == [
        ("01", "active"),
        ("02", "active"),
        ("04", "departed"),
    ]


def test_anonymised_and_other_status_households_are_left_out(session, make):
    kept = make.household("KHR", members=1)
    make.household("KHR", members=1, anonymised_at=NOW)
    departed = make.household("KHR", members=1, status="departed")
    clerk = make.user(roles=[CLERK])
    assert [r["household_number"] for r in _rows(session, clerk)[1]] == [kept.number]
    assert [r["household_number"] for r in _rows(session, clerk, status="")[1]] == [kept.number, departed.number]
    assert [r["household_number"] for r in _rows(session, clerk, status="departed", kind="households")[1]] == [
        departed.number
    ]


@pytest.mark.parametrize("batch_size", [1, 2, 3, 4, 7, 14, 15])
def test_batches_give_the_same_rows_across_their_boundaries(session, make, batch_size):
    for members in (3, 1, 4, 2, 4):
        make.household("KHR", members=members)
    make.household("SHR", members=2)  # out of the clerk's scope, between KHR ids
    make.household("KHR", members=1)
    clerk = make.user(roles=[CLERK])
    _plan, whole = _rows(session, clerk)
    _plan, batched = _rows(session, clerk, batch_size=batch_size)
    assert len(whole) == 15 and batched == whole
    assert len({r["person_number"] for r in batched}) == 15
    assert [r["needs"] for r in batched].count("DS-PM") == 6  # every head, wherever the batch ends
    _plan, households = _rows(session, clerk, batch_size=batch_size, kind="households")
    assert [r["household_size"] for r in households] == [3, 1, 4, 2, 4, 1]


def test_household_rows_have_head_plot_and_age_bands(session, make):
    household = make.household("KHR", members=3, phone="+992911234567")
    household.members[1].sex, household.members[1].birth_date = "f", NOW.date().replace(year=2024)
    household.members[2].birth_date = NOW.date().replace(year=2015)
    plot = make.layout("KHR", blocks=1, plots=1)[0]
    session.add(PlotAllocation(camp_id=household.camp_id, plot_id=plot.id, household_id=household.id))
    session.flush()
    plan, rows = _rows(session, make.user(roles=[SUPERVISOR]), kind="households")
    (row,) = rows
    assert (
        row["household_number"],
        row["head_given_name"],
        row["head_given_name_orig"],
        row["plot"],
        row["phone"],
    ) == (household.number, "Mohammad", "محمد", plot.code, "+992911234567")
    assert "head_grandfather_name" not in plan.keys
    bands = {k: v for k, v in row.items() if k[:2] in ("f_", "m_")}
    assert bands == {
        "f_0_4": 1,
        "f_5_11": 0,
        "f_12_17": 0,
        "f_18_59": 0,
        "f_60": 0,
        "m_0_4": 0,
        "m_5_11": 1,
        "m_12_17": 0,
        "m_18_59": 1,
        "m_60": 0,
    }


def test_csv_cells_cannot_run_as_formulas():
    assert defuse('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert defuse("-1+2") == "'-1+2"
    assert defuse("+992911234567") == "+992911234567"
    assert defuse(7) == 7


# --- the page -------------------------------------------------------------------------------------


def test_the_page_lists_the_columns_of_the_role(client, login_as):
    login_as(CLERK, "KHR")
    page = client.get("/exports").get_data(as_text=True)
    assert 'name="purpose"' in page and 'name="purpose_detail"' in page and 'name="agreement"' in page
    persons = re.search(r'<ol class="small mb-0" data-kind="persons">(.*?)</ol>', page, re.S).group(1)
    assert "Household number" in persons and "Specific needs codes" in persons
    assert "Phone" not in persons and "Tazkira" not in persons
    assert 'data-testid="withheld"' in page and 'data-testid="restricted-note"' in page
    assert '<option value="KHR">' in page and "SHR" not in page


def test_the_page_is_refused_without_the_permission(client, login_as):
    login_as("site_manager", "KHR")
    assert client.get("/exports").status_code == 403


def test_a_clerk_downloads_a_csv_that_says_who_when_and_why(client, login_as, make, session):
    household = make.household("KHR", members=2)
    make.household("SHR", members=3)
    login_as(CLERK, "KHR", username="amina", full_name="Amina Rahimova")
    response = client.post("/exports", data=_data(purpose_detail="Round 12, block B"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert re.fullmatch(
        r'attachment; filename="panoh-persons-all-\d{8}-\d{4}\.csv"', response.headers["Content-Disposition"]
    )
    assert "no-store" in response.headers["Cache-Control"]
    comments, header, rows = _parse_csv(response.get_data())
    assert all(len(cells) == 1 and cells[0].startswith("# ") for cells in csv.reader(comments))  # one cell each
    about = "\n".join(comments)
    assert "amina (Amina Rahimova)" in about and "Distribution planning: Round 12, block B" in about
    assert re.search(r"Exported at \(UTC\): \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", about)
    assert "delete when the purpose is served" in about and "Camps: KHR" in about
    assert header[:2] == ["Household number", "Person number"] and "Phone" not in header
    assert [row[:2] for row in rows] == [
        [household.number, f"{household.number}/01"],
        [household.number, f"{household.number}/02"],
    ]
    assert rows[0][header.index("Given name (original script)")] == "محمد"


def test_every_export_is_audited_once_without_personal_data(client, login_as, make, session):
    household = make.household("KHR", members=2)
    login_as(SUPERVISOR, "KHR", username="sup1")
    assert (
        client.post("/exports", data=_data(purpose="partner_referral", agreement="WFP DSA-2026-04")).status_code == 200
    )
    (event,) = _export_events(session)
    assert (event.action, event.username) == ("export.persons", "sup1")
    assert event.details["purpose"] == "partner_referral" and event.details["agreement"] == "WFP DSA-2026-04"
    assert event.details["purpose_detail"] == "November food round"
    assert event.details["camps"] == ["KHR"] and event.details["format"] == "csv"
    assert "phone" in event.details["columns"]
    text = json.dumps(event.details, ensure_ascii=False)
    assert household.number not in text and "Mohammad" not in text and "محمد" not in text
    client.post("/exports", data=_data(kind="households", format="xlsx", camp="KHR")).close()  # deletes the file
    assert [e.action for e in _export_events(session)] == ["export.persons", "export.households"]
    assert _export_events(session)[1].details["rows"] == 1


def test_a_supervisor_downloads_an_xlsx_with_an_about_sheet(client, login_as, make, session):
    household = make.household("KHR", members=2, phone="+992911234567")
    login_as(SUPERVISOR, "KHR", username="sup2", full_name="Farid Nazarov")
    response = client.post("/exports", data=_data(format="xlsx", purpose="shelter_planning", purpose_detail=""))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == services_xlsx_type()
    assert re.fullmatch(
        r"attachment; filename=panoh-persons-all-\d{8}-\d{4}\.xlsx", response.headers["Content-Disposition"]
    )
    assert response.headers["Cache-Control"] == "no-store"
    workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    assert workbook.sheetnames == ["Persons", "About"]
    header, *rows = [list(r) for r in workbook["Persons"].iter_rows(values_only=True)]
    assert header[-2:] == ["Phone", "Tazkira number"]
    assert [r[1] for r in rows] == [f"{household.number}/01", f"{household.number}/02"]
    assert rows[0][header.index("Phone")] == "+992911234567"
    about = dict(workbook["About"].iter_rows(values_only=True))
    assert about["Exported by"] == "sup2 (Farid Nazarov)" and about["Purpose"] == "Shelter and plot planning"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", about["Exported at (UTC)"])
    assert about["Rows"] == "2" and about["Camps"] == "KHR"
    assert about["Personal data"] == "keep safe, delete when the purpose is served."
    workbook.close()
    response.close()


def services_xlsx_type() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_forged_camp_is_refused_next_to_the_field(client, login_as, make, session):
    make.household("SHR", members=2)
    login_as(CLERK, "KHR")
    response = client.post("/exports", data=_data(camp="SHR", purpose_detail="Typed by me"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'data-field-error="camp">Choose one of your camps', page)
    assert "Typed by me" in page
    assert _export_events(session) == []


def test_a_missing_purpose_is_refused_and_the_form_keeps_what_was_typed(client, login_as, session):
    login_as(CLERK, "KHR")
    response = client.post("/exports", data=_data(purpose="", purpose_detail="For the list", kind="households"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'data-field-error="purpose">Say why you need this list', page)
    assert re.search(r'name="purpose_detail"[^>]*>\s*For the list</textarea>', page)
    assert re.search(r'<input checked[^>]*name="kind" type="radio" value="households"', page)
    response = client.post("/exports", data=_data(purpose="other", purpose_detail=""))
    assert re.search(r'data-field-error="purpose_detail">Describe the purpose', response.get_data(as_text=True))
    assert _export_events(session) == []


def test_the_streamed_csv_reads_in_batches(client, login_as, make, app, monkeypatch):
    numbers = [make.household("KHR", members=n).number for n in (2, 3, 1)]
    monkeypatch.setitem(app.config, "EXPORT_BATCH_SIZE", 2)
    reads = []
    real = services._keyset

    def counting(*args):
        for rows in real(*args):
            reads.append(len(rows))
            yield rows

    monkeypatch.setattr(services, "_keyset", counting)
    login_as(CLERK, "KHR")
    _comments, _header, rows = _parse_csv(client.post("/exports", data=_data()).get_data())
    assert reads == [2, 2, 2]
    assert [r[1] for r in rows] == [
        f"{n}/{s:02d}" for n, size in zip(numbers, (2, 3, 1), strict=True) for s in range(1, size + 1)
    ]


def test_people_of_other_camps_never_reach_the_file(client, login_as, make, session):
    other = make.household("SHR", members=2)
    login_as(CLERK, "KHR")
    body = client.post("/exports", data=_data(status="")).get_data()
    _comments, _header, rows = _parse_csv(body)
    assert rows == [] and other.number.encode() not in body
    assert session.scalar(select(Person.id).where(Person.household_id == other.id)) is not None


def test_a_date_of_birth_after_today_counts_as_age_zero(session, make):
    household = make.household("KHR", members=1)
    household.members[0].birth_date = NOW.date().replace(year=2027)
    session.flush()
    clerk = make.user(roles=[CLERK])
    assert _rows(session, clerk)[1][0]["age"] == 0
    assert _rows(session, clerk, kind="households")[1][0]["m_0_4"] == 1
