"""The figures dashboard and the situation report: right numbers, camp scope, no personal data."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta

import pytest

from camps.figures import dashboard, population
from camps.sites.services import camp_today
from registration.households.models import PersonNeed

TODAY = camp_today()


def born(years: int, days: int = 0) -> date:
    """The date of birth of someone ``years`` old today (``days`` more before that birthday)."""
    return population.years_before(TODAY, years) - timedelta(days=days)


def people(make, camp="KHR", dates=(), sex="f", **kwargs):
    household = make.household(camp, members=len(dates), **kwargs)
    for person, birth in zip(household.members, dates, strict=True):
        person.birth_date, person.sex = birth, sex
    make.session.flush()
    return household


def test_age_bands_follow_birthdays_to_the_day(session, make):
    camp = make.camp("KHR")
    # 5 tomorrow is 0-4; 5 today is 5-11; 17 is 12-17; 18 today is 18-59; 59 is 18-59; 60 is 60+
    people(make, dates=[born(5, -1), born(5), born(17, 300), born(18), born(59, 364), born(60)])
    cells = population.pyramid(session, [camp.id], TODAY).cells["f"]
    assert cells == {"0_4": 1, "5_11": 1, "12_17": 1, "18_59": 2, "60": 1}
    tomorrow = population.pyramid(session, [camp.id], TODAY + timedelta(days=1)).cells["f"]
    assert tomorrow["0_4"] == 0 and tomorrow["5_11"] == 2  # the first one turns 5 tomorrow


def test_years_before_a_leap_day():
    assert population.years_before(date(2028, 2, 29), 5) == date(2023, 2, 28)


def test_dashboard_counts_only_what_the_camps_hold(session, make):
    khr, shr = make.camp("KHR"), make.camp("SHR")
    first = people(make, "KHR", dates=[born(30), born(3)], arrival_date=TODAY - timedelta(days=2))
    first.members[1].needs = [PersonNeed(code="SV-VF"), PersonNeed(code="DS-BD")]
    people(make, "KHR", dates=[born(70)], sex="m", arrival_date=TODAY - timedelta(days=100))
    people(make, "KHR", dates=[born(20)], status="departed", arrival_date=TODAY - timedelta(days=20))
    people(make, "SHR", dates=[born(25)] * 4, arrival_date=TODAY)

    board = dashboard.build(session, [khr], TODAY, protection=False)
    assert board.people == 3 and board.households == 2
    assert board.pyramid.cells["f"]["18_59"] == 1 and board.pyramid.cells["m"]["60"] == 1
    assert {s.status: (s.households, s.people) for s in board.by_status} == {"active": (2, 3), "departed": (1, 1)}
    assert [(n.code, n.recorded) for n in board.needs] == [("DS", 3)]  # two heads' DS-PM and the child's DS-BD
    assert sum(a.people for a in board.arrivals) == 3 and board.arrived_last_week == 2
    # arrivals count households that came, whatever became of them; 100 days ago is before the 12 weeks
    assert sum(w.households for w in board.weekly_arrivals) == 2
    assert [n.code for n in dashboard.build(session, [khr], TODAY, protection=True).needs] == ["DS", "SV"]
    both = dashboard.build(session, [khr, shr], TODAY, protection=False)
    assert both.people == 7 and both.arrived_last_week == 6


def test_the_page_shows_the_figures_of_the_users_camps_only(client, login_as, make, session):
    people(make, "KHR", dates=[born(30)] * 3)
    people(make, "SHR", dates=[born(30)] * 7)
    login_as("site_manager", camp="KHR")
    page = client.get("/figures")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="fig-people">3<' in html and 'data-testid="pyramid-chart"' in html
    assert "Mohammad" not in html and "محمد" not in html  # aggregate only
    assert client.get("/figures?camp=SHR").status_code == 404
    assert client.get("/figures?camp=KHR").status_code == 200


def test_a_viewer_sees_every_camp_and_the_downloads_but_no_person(client, login_as, make):
    people(make, "KHR", dates=[born(30)] * 3)
    people(make, "SHR", dates=[born(30)] * 7)
    login_as("viewer", camp=None)
    html = client.get("/figures").get_data(as_text=True)
    assert 'data-testid="stats-xlsx"' in html
    # 3 people of 18-59 in KHR and 7 in SHR: KHR's 3 are hidden, SHR's 7 shown, so all camps' 10 are hidden
    # (10 - 7 would give the 3 back)
    assert 'data-testid="fig-people">hidden<' in html and ">10<" not in html
    khr = client.get("/figures?camp=KHR").get_data(as_text=True)
    band = khr[khr.index('data-band="18_59"') :].split("</tr>")[0]
    assert band.count(">hidden<") == 3 and ">3<" not in band  # women, the band total and its share; men are 0
    shr = client.get("/figures?camp=SHR").get_data(as_text=True)
    assert 'data-testid="fig-people">7<' in shr
    assert client.get("/households").status_code == 403


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "sitrep.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_the_situation_report_is_one_page_with_the_key_figures(client, login_as, make, tmp_path):
    people(make, "KHR", dates=[born(30), born(31), born(2)], arrival_date=TODAY - timedelta(days=1))
    login_as("site_manager", camp="KHR")
    response = client.get("/figures/sitrep.pdf?camp=KHR")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert "Situation report" in text and "KHR" in text and TODAY.isoformat() in text
    assert "0–4" in text and "18–59" in text and "Mohammad" not in text
    info = subprocess.run(["pdfinfo", str(tmp_path / "sitrep.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert client.get(f"/figures/sitrep.pdf?camp=KHR&date={TODAY + timedelta(days=1)}").status_code == 400
    assert client.get("/figures/sitrep.pdf?camp=KHR&date=yesterday").status_code == 400
    assert client.get("/figures/sitrep.pdf?camp=KHR&date=0001-01-01").status_code == 400
    assert client.get("/figures/sitrep.pdf").status_code == 404


@pytest.mark.parametrize("args", [["--date", "2020-01-01"], []])
def test_sitrep_command_writes_the_pdf(app, session, make, tmp_path, args):
    people(make, "KHR", dates=[born(30)] * 2)
    out = tmp_path / "khr.pdf"
    result = app.test_cli_runner().invoke(args=["sitrep", "--camp", "khr", "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and "KHR" in pdf_text(out.read_bytes(), tmp_path)
    refused = app.test_cli_runner().invoke(args=["sitrep", "--camp", "XXX", "--out", str(out)])
    assert refused.exit_code != 0 and "no camp XXX" in refused.output
    refused = app.test_cli_runner().invoke(args=["sitrep", "--camp", "KHR", "--out", str(out), "--date", "1900-01-01"])
    assert refused.exit_code != 0 and "give a date from 2020-01-01" in refused.output


def test_the_api_gives_the_standard_age_and_sex_fields(api, make):
    people(make, "KHR", dates=[born(30), born(2), born(65)])
    people(make, "SHR", dates=[born(30)])
    body = api("site_manager", camp="KHR").get("/api/v1/figures").get_json()
    assert body["camps"] == ["KHR"] and body["people"] == 3
    assert body["age_sex"] == {
        "f_0_4": 1,
        "f_5_11": 0,
        "f_12_17": 0,
        "f_18_59": 1,
        "f_60": 1,
        "m_0_4": 0,
        "m_5_11": 0,
        "m_12_17": 0,
        "m_18_59": 0,
        "m_60": 0,
    }
    shr = api("viewer", camp=None).get("/api/v1/figures?camp=SHR").get_json()
    assert shr["people"] is None and shr["masked_below"] == 5  # one person: fewer than 5
    assert shr["age_sex"]["f_18_59"] is None and shr["age_sex"]["m_18_59"] == 0  # one woman: fewer than 5
    assert api("site_manager", camp="KHR").get("/api/v1/figures?camp=SHR").status_code == 404
    assert api("registration_clerk", camp="KHR").get("/api/v1/figures").status_code == 403


def test_arrivals_stay_as_they_were_when_members_leave_or_split_off(session, make):
    from registration.households import lifecycle

    camp = make.camp("KHR")
    household = people(
        make, "KHR", dates=[born(40), born(38), born(15), born(12)], arrival_date=TODAY - timedelta(days=3)
    )
    lifecycle.end_membership(session, None, household.members[3], "departed", TODAY, TODAY)
    lifecycle.split_household(session, None, household, [household.members[2]], household.members[2])
    days = population.arrivals_by_day(session, [camp.id], TODAY - timedelta(days=6), TODAY)
    assert sum(d.households for d in days) == 1 and sum(d.people for d in days) == 4
    assert dashboard.build(session, [camp], TODAY, protection=False).people == 3  # who is here now
