"""Pre-registration lists: checked by the desk's own rules, row by row, and imported as pending households."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from registration import births
from registration.households.models import Household
from registration.imports import columns
from registration.imports.parse import normalise_header, read_table
from registration.imports.services import import_valid, validate_file
from registration.imports.xlsform import build_xlsform, write_xlsform

TODAY = date(2026, 6, 1)
HEADER = [
    "household_ref",
    "person_ref",
    "relationship",
    "given_name",
    "given_name_orig",
    "father_name",
    "family_name",
    "sex",
    "born",
    "marital_status",
    "tazkira",
    "needs",
    "arrival_date",
    "crossing_point",
    "origin_province",
    "origin_district",
    "phone",
    "languages",
    "consent",
    "notes",
]
GOOD = [
    [
        "H1",
        "P1",
        "head",
        "Mohammad",
        "محمد",
        "Karim",
        "Ahmadi",
        "M",
        "17.05.1980",
        "married",
        "1400-0101-23456",
        "DS-PM",
        "2026-05-17",
        "PPY",
        "AF15",
        "AF1501",
        "+992 93 123 4567",
        "prs tgk",
        "yes",
        "came by truck",
    ],
    [
        "H1",
        "P2",
        "spouse",
        "Fatima",
        "فاطمه",
        "Rahim",
        "Ahmadi",
        "female",
        "1984",
        "married",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "H1",
        "P3",
        "son",
        "Ali",
        "",
        "Mohammad",
        "Ahmadi",
        "m",
        "7",
        "",
        "",
        "SM-CI DS-BD",
        "2026-05-17",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "H2",
        "P4",
        "head",
        "Zahra",
        "زهرا",
        "Nabi",
        "Sultani",
        "f",
        "05.1975",
        "widowed",
        "",
        "",
        "17.05.2026",
        "AYV",
        "AF16",
        "",
        "",
        "pus",
        "",
        "",
    ],
]


def csv_bytes(rows, header=HEADER, delimiter=",", bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def xlsx_bytes(rows, header=HEADER, title="Sheet1") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count_households(session) -> int:
    return session.scalar(select(func.count()).select_from(Household))


def with_row(*changes, base=GOOD):
    """GOOD with some cells changed: (row index, column, value)."""
    rows = [list(r) for r in base]
    for index, column, value in changes:
        rows[index][HEADER.index(column)] = value
    return rows


def _name(i: int) -> str:
    """A made-up Latin name, different for each i (so that the people are not likely duplicates)."""
    return "".join(chr(97 + int(c, 16) % 26) for c in hashlib.sha256(str(i).encode()).hexdigest()[:8]).capitalize()


def problems_of(report):
    return [(p.row_number, p.household_ref, p.field) for p in report.problems]


# --- good lists --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "csv-semicolon-bom", "xlsx"])
def test_good_list_imports_as_pending_households_keeping_references(session, make, kind):
    camp = make.camp("KHR")
    if kind == "xlsx":
        data, name = xlsx_bytes(GOOD), "khorog-may.xlsx"
    else:
        data, name = csv_bytes(GOOD, delimiter=";" if "semicolon" in kind else ",", bom="bom" in kind), "khorog-may.csv"
    before = count_households(session)

    report = validate_file(session, None, camp, name, data, TODAY)
    assert report.problems == [] and report.usable
    assert (report.households_ok, report.people_ok, report.list_name) == (2, 4, "khorog-may")
    assert count_households(session) == before  # checking saves nothing

    saved = import_valid(session, None, report)
    assert count_households(session) == before + 2
    first, second = saved
    assert {h.status for h in saved} == {"pending"} and {h.source_list for h in saved} == {"khorog-may"}
    assert first.number.startswith("KHR-") and first.size == 3
    assert [p.source_ref for p in first.members] == ["P1", "P2", "P3"]
    head, spouse, son = first.members
    assert (head.given_name, head.given_name_orig, head.sex, head.birth_date, head.birth_precision) == (
        "Mohammad",
        "محمد",
        "m",
        date(1980, 5, 17),
        "day",
    )
    assert head.tazkira == "1400010123456" and head.need_codes == ["DS-PM"]
    assert (spouse.sex, spouse.birth_precision, son.birth_precision) == ("f", "year", "age")
    assert son.need_codes == ["DS-BD", "SM-CI"]
    assert (first.arrival_date, first.crossing_point, first.origin_province, first.origin_district) == (
        date(2026, 5, 17),
        "PPY",
        "AF15",
        "AF1501",
    )
    assert first.language_list == ["prs", "tgk"] and first.notes == "came by truck"
    # consent: the list's answer is kept; where the list says nothing it is not yet recorded
    assert first.consent is True and first.consent_at is not None
    assert second.consent is None and second.consent_at is None and second.consent_by_id is None
    assert second.arrival_date == date(2026, 5, 17) and second.members[0].birth_precision == "month"


def test_import_is_audited_without_personal_data_and_reports_progress(session, make):
    camp = make.camp("KHR")
    user = make.user(roles=["registration_supervisor"], camps=["KHR"])
    rows = [
        [
            f"H{i}",
            f"P{i}",
            "head",
            _name(i),
            "",
            "",
            _name(i + 1000),
            "m",
            str(1940 + i % 60),
            "",
            "",
            "",
            "2026-05-01",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
        for i in range(120)
    ]
    report = validate_file(session, user, camp, "big.csv", csv_bytes(rows), TODAY, list_name="May list")
    calls = []
    saved = import_valid(session, user, report, progress=lambda done, total: calls.append((done, total)))
    assert len(saved) == 120 and calls == [(50, 120), (100, 120), (120, 120)]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "import.commit"))
    assert event.user_id == user.id and event.camp_id == camp.id
    assert event.details["list"] == "May list" and event.details["households"] == 120
    assert _name(0) not in str(event.details)
    assert {h.source_list for h in saved} == {"May list"} and [h.members[0].source_ref for h in saved[:2]] == [
        "P0",
        "P1",
    ]
    assert all(h in session for h in saved)  # loaded again after the session let go of them on the way


def test_importing_the_same_list_twice_does_not_duplicate_households(session, make):
    camp = make.camp("KHR")
    import_valid(session, None, validate_file(session, None, camp, "list.csv", csv_bytes(GOOD), TODAY))
    before = count_households(session)
    again = validate_file(session, None, camp, "list.csv", csv_bytes(GOOD), TODAY)
    assert again.households_ok == 0 and again.already_imported == 2 and again.households_bad == 0
    assert {p.field for p in again.problems} == {"household_ref"}
    assert import_valid(session, None, again) == [] and count_households(session) == before


def test_kobo_headers_with_group_paths_and_aliases_are_understood(session, make):
    camp = make.camp("KHR")
    kobo = [
        "start",
        "end",
        "household/household_ref",
        "member/person_ref",
        "member/Relationship",
        "member/names/given_name",
        "member/names/given_name_orig",
        "member/names/father_name",
        "member/names/family_name",
        "member/gender",
        "member/born",
        "member/marital_status",
        "member/tazkira",
        "member/needs",
        "household/arrival_date",
        "household/crossing_point",
        "household/origin_province",
        "household/origin_district",
        "household/phone",
        "household/languages",
        "household/consent",
        "household/notes",
        "household/languages/prs",
        "_id",
        "_uuid",
        "_submission_time",
        "meta/instanceID",
        "colour",
    ]
    rows = [
        ["2026-05-17T09:00", "2026-05-17T09:05", *row, "1", "17", "uuid", "2026-05-17", "uuid:x", "blue"]
        for row in GOOD
    ]
    report = validate_file(session, None, camp, "kobo.csv", csv_bytes(rows, header=kobo, delimiter=";"), TODAY)
    assert report.problems == [] and report.households_ok == 2
    assert report.ignored_columns == ["household/languages/prs", "colour"]
    assert normalise_header(" Member/Given Name ") == "given_name"
    table = read_table(
        "x.csv",
        csv_bytes(
            [["H1", "head", "Ali", "m", "30", "2026-05-01"]],
            header=["HH_ID", "relation", "first_name", "Gender", "DOB", "arrival"],
        ),
    )
    assert table.rows == [
        (
            2,
            {
                "household_ref": "H1",
                "relationship": "head",
                "given_name": "Ali",
                "sex": "m",
                "born": "30",
                "arrival_date": "2026-05-01",
            },
        )
    ]


def test_xlsx_with_dates_numbers_and_a_kobo_repeat_sheet(session, make):
    camp = make.camp("KHR")
    book = Workbook()
    main = book.active
    main.title = "Panoh household"
    main.append(["household/household_ref", "household/arrival_date", "household/origin_province", "_index"])
    main.append(["H9", date(2026, 5, 2), "AF15", 1])
    members = book.create_sheet("members")
    members.append(
        [
            "member/relationship",
            "member/given_name",
            "member/sex",
            "member/born",
            "member/tazkira",
            "member/person_ref",
            "_parent_index",
        ]
    )
    members.append(["head", "Karim", "M", date(1980, 5, 17), 1400010123456, 101, 1])
    members.append(["daughter", "Laila", "F", 1999, None, 102, 1])
    out = io.BytesIO()
    book.save(out)
    report = validate_file(session, None, camp, "kobo.xlsx", out.getvalue(), TODAY)
    assert report.problems == [] and report.sheet == "members"
    household = import_valid(session, None, report)[0]
    assert household.arrival_date == date(2026, 5, 2) and household.origin_province == "AF15"
    head, daughter = household.members
    assert (head.birth_date, head.birth_precision, head.tazkira, head.source_ref) == (
        date(1980, 5, 17),
        "day",
        "1400010123456",
        "101",
    )
    assert (daughter.birth_precision, daughter.source_ref) == ("year", "102")


# --- bad lists ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "field", "message"),
    [
        ("garbage.csv", bytes(range(256)) * 40, "", "not a readable CSV"),
        ("garbage.xlsx", b"PK\x03\x04" + bytes(range(256)) * 40, "", "not a readable XLSX"),
        ("list.pdf", b"%PDF-1.4 whatever", "", "Upload a CSV"),
        ("empty.csv", b"", "", "empty"),
        ("header-only.csv", csv_bytes([]), "", "no rows"),
        ("huge.csv", b"a" * (10 * 1024 * 1024 + 1), "", "larger than 10 MB"),
        (
            "twice.csv",
            csv_bytes([["H1", "H1"]], header=["household_ref", "hh_ref", "household_ref"]),
            "household_ref",
            "appears twice",
        ),
    ],
)
def test_unusable_file_is_one_file_level_problem(session, make, name, data, field, message):
    camp, before = make.camp("KHR"), count_households(session)
    report = validate_file(session, None, camp, name, data, TODAY)
    assert not report.usable and len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.row_number, problem.field) == (0, field) and message in problem.message
    assert report.valid == [] and import_valid(session, None, report) == []
    assert count_households(session) == before


def test_missing_required_columns_are_named(session, make):
    data = csv_bytes([["H1", "Ali", "m"]], header=["household_ref", "given_name", "sex"])
    report = validate_file(session, None, make.camp("KHR"), "short.csv", data, TODAY)
    assert problems_of(report) == [(0, None, "relationship"), (0, None, "born"), (0, None, "arrival_date")]
    assert {p.message for p in report.problems} == {"This required column is missing."}


def test_too_many_rows_is_refused(app, session, make, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)  # PANOH_IMPORT_MAX_ROWS
    camp = make.camp("KHR")
    with app.app_context():
        report = validate_file(session, None, camp, "list.csv", csv_bytes(GOOD), TODAY)
    assert not report.usable and "more than 3 rows" in report.problems[0].message


def test_camp_outside_the_users_camps_is_refused(session, make):
    make.camp("SHR")
    user = make.user(camps=["KHR"])
    report = validate_file(session, user, "SHR", "list.csv", csv_bytes(GOOD), TODAY)
    assert problems_of(report) == [(0, None, "camp")]


def test_bad_rows_are_reported_by_row_and_their_households_are_not_imported(session, make):
    camp = make.camp("KHR")
    rows = with_row(
        (1, "born", "03.09.2027"),  # row 3: future birth date
        (2, "sex", "x"),  # row 4: wrong sex
        (2, "needs", "DS-PM ZZ-QQ"),
    )  # row 4: unknown needs code
    rows += [
        # H3: two heads (rows 6 and 7)
        ["H3", "P5", "head", "Nabi", "", "", "", "m", "1970", "", "", "", "2026-05-01", "", "", "", "", "", "", ""],
        ["H3", "P6", "head", "Gul", "", "", "", "f", "1972", "", "", "", "2026-05-01", "", "", "", "", "", "", ""],
        # H4: arrival dates contradict (rows 8 and 9)
        ["H4", "P7", "head", "Wali", "", "", "", "m", "1960", "", "", "", "2026-05-01", "", "", "", "", "", "", ""],
        ["H4", "P8", "son", "Jan", "", "", "", "m", "1990", "", "", "", "02.05.2026", "", "", "", "", "", "", ""],
    ]
    before = count_households(session)
    report = validate_file(session, None, camp, "bad.csv", csv_bytes(rows), TODAY)
    assert report.usable and report.households == 4 and report.households_ok == 1 and report.households_bad == 3
    found = {(p.row_number, p.household_ref, p.field): p.message for p in report.problems}
    assert found[(3, "H1", "born")] == "The date of birth is in the future."
    assert found[(4, "H1", "sex")] == "Choose female or male."
    assert found[(4, "H1", "needs")] == "Unknown specific-needs codes: ZZ-QQ"
    assert found[(2, "H1", "")].startswith("Not imported: row(s) 3, 4")  # every row of a bad household is listed
    assert "rows 6, 7 are marked head" in found[(6, "H3", "relationship")]
    assert (7, "H3", "relationship") in found
    assert "row 8 has a different value" in found[(9, "H4", "arrival_date")]
    assert found[(8, "H4", "")].startswith("Not imported: row(s) 9")
    assert not any(p.household_ref == "H2" for p in report.problems)
    assert [p.row_number for p in report.problems] == sorted(p.row_number for p in report.problems)
    assert str(report.problems[0]).startswith("row 2 (household H1): ")
    assert count_households(session) == before  # validating saves nothing
    saved = import_valid(session, None, report)  # only the good household
    assert [h.members[0].source_ref for h in saved] == ["P4"] and count_households(session) == before + 1


def test_a_list_of_only_bad_households_saves_nothing(session, make):
    camp = make.camp("KHR")
    rows = with_row(
        (0, "relationship", "son"),
        (3, "given_name", "Зоҳра"),
        (3, "born", "long ago"),
        (3, "arrival_date", "2026-13-40"),
        (3, "languages", "prs xyz"),
        (3, "consent", "maybe"),
        (3, "household_ref", ""),
    )
    before = count_households(session)
    report = validate_file(session, None, camp, "bad.csv", csv_bytes(rows), TODAY)
    found = {(p.row_number, p.field): p.message for p in report.problems}
    assert found[(2, "relationship")] == "No member of this household is marked head."
    assert found[(5, "household_ref")].startswith("Enter the household reference")
    assert found[(5, "born")].startswith("Write a date as 17.05.1990")
    assert found[(5, "arrival_date")] == "Write the date as 2026-05-17 or 17.05.2026."
    assert found[(5, "languages")].startswith("Unknown language codes: xyz")
    assert found[(5, "consent")].startswith("Write yes or no")
    assert report.households_ok == 0 and report.valid == []
    assert import_valid(session, None, report) == [] and count_households(session) == before


def test_duplicate_person_references_and_unknown_codes(session, make):
    rows = with_row((1, "person_ref", "P1"), (3, "crossing_point", "XXX"), (3, "origin_province", "af99"))
    report = validate_file(session, None, make.camp("KHR"), "dup.csv", csv_bytes(rows), TODAY)
    found = {(p.row_number, p.field): p.message for p in report.problems}
    assert found[(2, "person_ref")] == "The same person reference is on row 3."
    assert found[(3, "person_ref")] == "The same person reference is on row 2."
    assert found[(5, "crossing_point")] == "Choose a border crossing point."
    assert found[(5, "origin_province")] == "Choose a province."


# --- command line ------------------------------------------------------------------------------


def test_cli_dry_run_then_commit(app, session, make, tmp_path):
    make.camp("KHR")
    path = tmp_path / "may-list.csv"
    path.write_bytes(csv_bytes(with_row((1, "sex", "x"))))
    runner = app.test_cli_runner()
    before = count_households(session)

    result = runner.invoke(args=["registration", "import", str(path), "--camp", "KHR"])
    assert result.exit_code == 0, result.output
    assert "Ready to import: 1 households (1 people)" in result.output
    assert "row 3 (household H1): sex: Choose female or male." in result.output
    assert "Dry run: nothing was saved" in result.output
    assert count_households(session) == before

    result = runner.invoke(
        args=["registration", "import", str(path), "--camp", "khr", "--commit", "--list-name", "May 2026"]
    )
    assert result.exit_code == 0, result.output
    assert "Imported 1 households (1 people) as pending" in result.output
    assert session.scalars(select(Household.source_list).where(Household.status == "pending")).all() == ["May 2026"]


def test_cli_exits_1_on_an_unusable_file(app, session, make, tmp_path):
    make.camp("KHR")
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)))
    result = app.test_cli_runner().invoke(args=["registration", "import", str(path), "--camp", "KHR", "--commit"])
    assert result.exit_code == 1 and "file: The file is not a readable CSV file" in result.output
    result = app.test_cli_runner().invoke(args=["registration", "import", str(path), "--camp", "NOPE"])
    assert result.exit_code == 1 and "camp: Choose one of your camps." in result.output


def test_cli_writes_the_xlsform(app, tmp_path):
    out = tmp_path / "form.xlsx"
    result = app.test_cli_runner().invoke(args=["registration", "xlsform", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["survey", "choices", "settings"]


# --- the XLSForm and the docs ------------------------------------------------------------------


def test_xlsform_has_the_three_sheets_and_only_known_columns(tmp_path):
    path = tmp_path / "form.xlsx"
    write_xlsform(path)
    book = load_workbook(path)
    assert book.sheetnames == ["survey", "choices", "settings"]
    survey = list(book["survey"].iter_rows(values_only=True))
    header, rows = survey[0], [dict(zip(survey[0], r, strict=True)) for r in survey[1:]]
    assert header[:3] == ("type", "name", "label")
    assert [r["name"] for r in rows] == [c.name for c in columns.COLUMNS]
    assert all(r["name"] in columns.BY_NAME for r in rows)
    types = {r["name"]: r["type"] for r in rows}
    for name in ("sex", "relationship", "marital_status", "crossing_point", "origin_province", "consent"):
        assert types[name] == f"select_one {name}"
    assert types["languages"] == "select_multiple languages" and types["arrival_date"] == "date"
    assert rows[[r["name"] for r in rows].index("born")]["constraint"].startswith("regex(.")
    choices = list(book["choices"].iter_rows(values_only=True))
    lists = {r[0] for r in choices[1:]}
    assert lists == {
        "sex",
        "relationship",
        "marital_status",
        "crossing_point",
        "origin_province",
        "consent",
        "languages",
    }
    assert ("sex", "f", "Female") in choices and ("origin_province", "AF15") in [r[:2] for r in choices]
    settings = list(book["settings"].iter_rows(values_only=True))
    values = dict(zip(settings[0], settings[1], strict=True))
    assert values["form_title"] == "Panoh pre-registration" and values["form_id"] == "panoh_prereg"
    assert values["version"]


def test_xlsform_birth_constraint_accepts_what_the_desk_accepts():
    pattern = re.compile(columns.BORN_REGEX)
    for typed in ("17.05.1990", "1990-05-17", "05.1990", "1990-05", "1990", "34", "0", "120", "7.5.2001"):
        assert pattern.search(typed), typed
        births.parse_born(typed, TODAY)
    for typed in ("121", "1990/5", "abc", "17.05.90", ""):
        assert not pattern.search(typed), typed


def test_an_export_shaped_like_the_xlsform_imports(session, make):
    """A KoboToolbox export of the form (XML names, household questions empty except on the head's row)."""
    names = [r[1] for r in build_xlsform()["survey"].iter_rows(min_row=2, values_only=True)]
    sample = {c.name: c.example for c in columns.COLUMNS}
    head = [sample[n] for n in names]
    child = [
        {
            "person_ref": "KHR-PRE-0042-02",
            "relationship": "daughter",
            "given_name": "Laila",
            "sex": "f",
            "born": "2015",
            "tazkira": "",
            "needs": "",
            "marital_status": "single",
        }.get(n, "")
        if columns.BY_NAME[n].level == columns.PERSON
        else ""
        for n in names
    ]
    child[names.index("household_ref")] = sample["household_ref"]
    report = validate_file(
        session, None, make.camp("KHR"), "export.xlsx", xlsx_bytes([head, child], header=names), TODAY
    )
    assert report.problems == [] and (report.households_ok, report.people_ok) == (1, 2)


def test_docs_show_the_column_table():
    docs = Path(__file__).resolve().parents[2] / "docs" / "import-format.md"
    assert columns.markdown_table() in docs.read_text(encoding="utf-8")
