"""The aggregate HXL statistics: valid against the shipped schema, no count below 5, nothing personal."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import hxl
import openpyxl
import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from camps.allocation import services as allocation
from camps.figures import hxl as panoh_hxl
from camps.figures import stats
from camps.figures.population import BAND_KEYS, years_before
from camps.sites.services import camp_today
from registration.households.models import PersonNeed

TODAY = camp_today()
SCHEMA = panoh_hxl.SCHEMAS / "stats.csv"
PERSONAL = ("Mohammad", "محمد", "Karim", "Child 2", "KHR-0")  # the factory's names and numbers


def settle(make, session, camp="KHR", households=12, members=4, plots=None, province="AF15"):
    """``households`` households of ``members`` adults, the first ``plots`` of them on the camp's plots."""
    placed = []
    free = make.layout(camp, blocks=2, plots=8) if plots else []
    for i in range(households):
        household = make.household(camp, members=members, origin_province=province)
        for person in household.members:
            person.birth_date = years_before(TODAY, 30)
        if plots and i < plots:
            allocation.allocate(session, make.user(roles=("site_manager",), camps=(camp,)), household, free[i])
        placed.append(household)
    session.flush()
    return placed


def validate(data: bytes) -> list:
    errors = []
    schema = hxl.schema(hxl.data(io.BytesIO(SCHEMA.read_bytes())), callback=errors.append)
    assert schema.validate(hxl.data(io.BytesIO(data))) is not None
    return errors


def counts(data: bytes) -> list[dict]:
    rows = list(csv.reader(io.StringIO(data.decode())))
    tags = rows[1]
    return [dict(zip(tags, row, strict=True)) for row in rows[2:]]


def test_population_table_is_valid_hxl_with_no_small_count(session, make):
    households = settle(make, session, plots=9)
    households[0].members[0].needs.append(PersonNeed(code="SV-VF"))
    camp = make.camp("KHR")
    rows = stats.population_rows(session, [camp], TODAY)
    data = panoh_hxl.to_csv(panoh_hxl.POPULATION_COLUMNS, rows, TODAY)
    assert validate(data) == []
    source = hxl.data(io.BytesIO(data))
    assert "#affected+refugees+f+children+age_5_11" in [str(c.get_display_tag()) for c in source.columns]
    lines = counts(data)
    assert [line["#loc+type"] for line in lines][0] == "camp"
    camp_line = lines[0]
    assert camp_line["#affected+refugees+total"] == "48" and camp_line["#affected+refugees+hh"] == "12"
    assert camp_line["#affected+refugees+m+adults+age_18_59"] == "48"
    for line in lines:
        for tag, value in line.items():
            if tag.startswith("#affected") and value:
                assert int(value) >= stats.MIN_CELL, (tag, value)
    text = data.decode()
    assert [word for word in PERSONAL if word in text] == []
    assert "need+sv" not in text and "need+tr" not in text


def _line(true: dict) -> stats.Row:
    return stats.Row(type("Camp", (), {"id": 1, "code": "KHR"})(), true=true)


def _female(line: stats.Row):
    return ([(line, f"f_{band}") for band in BAND_KEYS], (line, "f_total"))


def test_a_lone_small_count_is_not_left_recoverable_from_a_total():
    line = _line({"f_0_4": 20, "f_5_11": 30, "f_12_17": 3, "f_18_59": 40, "f_60": 10, "f_total": 103})
    stats.suppress([line], [_female(line)])
    assert line.values["f_12_17"] is None
    assert line.values["f_60"] is None  # the next smallest, so 103 - 20 - 30 - 40 leaves two unknowns
    assert line.values["f_total"] == 103


def test_a_blank_zero_does_not_hide_a_small_count():
    """1 and a blank 0 are two blanks, but the total still gives away one person: a third cell is blanked."""
    line = _line({"f_0_4": 20, "f_5_11": 30, "f_12_17": 1, "f_18_59": 40, "f_60": 0, "f_total": 91})
    stats.suppress([line], [_female(line)])
    hidden = [band for band in BAND_KEYS if line.values[f"f_{band}"] is None]
    assert hidden == ["0_4", "12_17", "60"]
    assert line.true["f_total"] - sum(line.values[f"f_{b}"] or 0 for b in BAND_KEYS) >= stats.MIN_CELL


def test_block_lines_and_the_no_plot_line_give_nothing_away(session, make):
    settle(make, session, households=12, members=4, plots=9)  # 36 people on plots, 12 on none
    household = settle(make, session, households=1, members=2)[0]  # 2 more on no plot: a small count
    for person in household.members:
        person.birth_date = years_before(TODAY, 70)
    camp = make.camp("KHR")
    rows = stats.population_rows(session, [camp], TODAY)
    camp_line, *parts = rows
    assert [r.level for r in parts][-1] == "no_plot" and all(r.level == "block" for r in parts[:-1])
    assert camp_line.true["m_60"] == 2 and parts[-1].true["m_60"] == 2
    for column in stats.COLUMNS:
        assert camp_line.true[column] == sum(r.true[column] for r in parts), column
        if camp_line.values[column] is None:
            continue
        hidden = [r.true[column] for r in parts if r.values[column] is None]
        assert len([n for n in hidden if n]) != 1 and not 0 < sum(hidden) < stats.MIN_CELL, column


def test_origin_table_is_valid_and_suppressed(session, make):
    settle(make, session, households=6, members=2, province="AF15")
    settle(make, session, households=5, members=2, province="AF18")
    settle(make, session, households=1, members=2, province="AF01")
    rows = stats.origin_rows(session, [make.camp("KHR")])
    data = panoh_hxl.to_csv(panoh_hxl.ORIGIN_COLUMNS, rows, TODAY)
    assert validate(data) == []
    lines = {line["#adm1+code+origin"]: line for line in counts(data)}
    assert lines["AF15"]["#affected+refugees+total"] == "12" and lines["AF15"]["#adm1+name+origin"] == "Badakhshan"
    # 2 people from Kabul are hidden, and so is the smallest other count: else the camp's total would give them away
    assert [lines[p]["#affected+refugees+total"] for p in ("AF15", "AF18", "AF01")] == ["12", "", ""]
    assert [lines[p]["#affected+refugees+hh"] for p in ("AF15", "AF18", "AF01")] == ["6", "", ""]


def test_the_schema_catches_a_small_count_and_a_bad_region():
    bad = (
        b"Date,Country,Region code,Region,Camp code,Camp,People\n"
        b"#date+reported,#country+code,#adm1+code,#adm1+name,#loc+code,#loc+name,#affected+refugees+total\n"
        b"2026-11-28,TJK,TJ-XX,Khatlon,KHR,Camp,3\n"
    )
    errors = validate(bad)
    assert {str(e.rule.tag_pattern) for e in errors} == {"#adm1+code-origin", "#affected"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_viewer_downloads_the_export_and_it_is_audited(client, login_as, session, make, fmt):
    settle(make, session, households=6, members=3)
    settle(make, session, "SHR", households=5, members=2)
    viewer = login_as("viewer", camp=None)
    response = client.get(f"/figures/stats.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="panoh-stats-all-{TODAY:%Y%m%d}.{fmt}"'
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(response.data))
        assert book.sheetnames == ["population", "origin", "About"]
        population = list(book["population"].values)
        assert population[1][0] == "#date+reported" and {r[4] for r in population[2:]} == {"KHR", "SHR"}
        about = dict(book["About"].values)
        assert about["Exported by"] == viewer.username and about["Camps"] == "KHR, SHR"
    else:
        assert validate(response.data) == []
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export.stats")).one()
    assert event.username == viewer.username and event.details["camps"] == ["KHR", "SHR"]


def test_export_is_limited_to_the_users_camps(client, login_as, make, session):
    settle(make, session, households=6)
    settle(make, session, "SHR", households=6)
    login_as("site_manager", camp="KHR")
    assert client.get("/figures/stats.csv?camp=SHR").status_code == 404
    lines = counts(client.get("/figures/stats.csv").data)
    assert {line["#loc+code"] for line in lines} == {"KHR"}
    assert client.get("/figures/stats.csv?table=people").status_code == 400
    assert client.get("/figures/stats.json").status_code == 404


def test_export_stats_command_writes_csv_and_xlsx(app, session, make, tmp_path):
    settle(make, session, households=6)
    out = tmp_path / "stats.csv"
    result = app.test_cli_runner().invoke(args=["export", "stats", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert validate(out.read_bytes()) == []
    xlsx = tmp_path / "stats.xlsx"
    assert app.test_cli_runner().invoke(args=["export", "stats", "--out", str(xlsx), "--camp", "KHR"]).exit_code == 0
    assert openpyxl.load_workbook(xlsx).sheetnames == ["population", "origin", "About"]
    refused = app.test_cli_runner().invoke(args=["export", "stats", "--out", str(tmp_path / "stats.pdf")])
    assert refused.exit_code != 0 and ".csv or .xlsx" in refused.output
    assert date.fromisoformat(counts(out.read_bytes())[0]["#date+reported"]) - TODAY == timedelta(0)
