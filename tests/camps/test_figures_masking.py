"""Accounts that see no household (viewers, admins) get small counts hidden the same way everywhere: on
/figures, in the situation report, through the API, on the occupancy pages and the site plan, and so
that no hidden count comes back as a total minus the counts shown, nor as all camps minus one camp."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest

from camps.sites.services import camp_today
from tests.camps.test_figures import born, people
from tests.camps.test_occupancy_indicators import allocate

TODAY = camp_today()


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "sitrep.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def adults(make, camp, women=0, men=0, **kwargs):
    """Households of one adult each (their heads), ``women`` women and ``men`` men, aged 30."""
    for sex, count in (("f", women), ("m", men)):
        for _ in range(count):
            people(make, camp, dates=[born(30)], sex=sex, **kwargs)


# --- the situation report --------------------------------------------------------------------------------


def test_the_situation_report_hides_what_figures_hides(client, login_as, make, session, tmp_path):
    """Fails on main before this change: the report gave a viewer the exact 3 that /figures showed as "<5"."""
    adults(make, "KHR", women=3, arrival_date=TODAY - timedelta(days=1))
    login_as("viewer", None)
    text = pdf_text(client.get("/figures/sitrep.pdf?camp=KHR").data, tmp_path)
    assert "Women and girls: hidden" in text and not re.search(r"Women and girls: \d", text)
    assert not re.search(r"\b3\b", text.split("Population by sex")[1].split("Men and boys")[0])
    page = client.get("/figures?camp=KHR").get_data(as_text=True)
    assert 'data-testid="fig-people">hidden<' in page
    login_as("site_manager", "KHR")
    text = pdf_text(client.get("/figures/sitrep.pdf?camp=KHR").data, tmp_path)
    assert "Women and girls: 3" in text


# --- no hidden count comes back by subtraction --------------------------------------------------------------


def _left_over(body: dict) -> tuple[int, int]:
    """How many hidden age and sex cells, and how many people they hold as the total minus the cells shown."""
    cells = body["age_sex"].values()
    return len([v for v in cells if v is None]), body["people"] - sum(v for v in cells if v is not None)


def test_a_total_minus_the_counts_shown_gives_no_hidden_count_back(api, make):
    """Fails on main before this change: 23 people, 20 men shown, so the 3 hidden women were 3."""
    adults(make, "KHR", women=3, men=20)
    body = api("viewer", None).get("/api/v1/figures?camp=KHR").get_json()
    assert body["age_sex"]["f_18_59"] is None
    if body["people"] is not None:
        hidden, held = _left_over(body)
        assert held == 0 or (hidden >= 2 and held >= 5), body


def test_all_camps_minus_one_camp_gives_no_hidden_count_back(api, make):
    """Fails on main before this change: all camps 10 women, SHR 7, so KHR's hidden women were 3."""
    adults(make, "KHR", women=3, men=20)
    adults(make, "SHR", women=7, men=20)
    viewer = api("viewer", None)
    khr, shr, both = (viewer.get(f"/api/v1/figures{q}").get_json() for q in ("?camp=KHR", "?camp=SHR", ""))
    assert khr["age_sex"]["f_18_59"] is None
    for key in both["age_sex"]:
        for one, other in ((khr, shr), (shr, khr)):
            if one["age_sex"][key] is None:
                assert both["age_sex"][key] is None or other["age_sex"][key] is None, key
    for key in ("people", "households"):
        if khr[key] is None:
            assert both[key] is None or shr[key] is None


def _table(page: str, testid: str) -> dict[str, tuple[str, str]]:
    body = page.split(f'data-testid="{testid}"')[1].split("</table>")[0]
    return {
        day: (hh, pp)
        for day, hh, pp in re.findall(
            r'<th scope="row" class="fw-normal">([\d-]+)</th><td class="text-end">([^<]+)</td>'
            r'<td class="text-end">([^<]+)</td>',
            body,
        )
    }


def test_a_weeks_arrivals_minus_its_days_give_no_hidden_day_back(client, login_as, make):
    """Fails on main before this change: 23 arrived in the week, 20 on Monday, so Tuesday's "<5" was 3."""
    monday = TODAY - timedelta(days=TODAY.weekday() + 7)
    people(make, "KHR", dates=[born(30)] * 20, arrival_date=monday)
    people(make, "KHR", dates=[born(30)] * 3, arrival_date=monday + timedelta(days=1))
    login_as("viewer", None)
    page = client.get("/figures?camp=KHR").get_data(as_text=True)
    days, weeks = _table(page, "daily-arrivals-table"), _table(page, "weekly-arrivals-table")
    tuesday = days[(monday + timedelta(days=1)).isoformat()]
    assert tuesday[1] == "hidden"
    assert days[monday.isoformat()][1] == "hidden" or weeks[monday.isoformat()][1] == "hidden"


def test_charts_and_meters_give_no_hidden_count_away(client, login_as, make):
    """Fails on main before this change: the bar of a "<5" was drawn to scale and the needs meter held 3."""
    adults(make, "KHR", women=3, men=20)  # every head has a DS-PM need: 23 of them, 3 women's
    login_as("viewer", None)
    page = client.get("/figures?camp=KHR").get_data(as_text=True)
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"[^>]*><title>18–59 · female: ([^<]+)</title>', page)
    assert bars == [("0.0", "hidden")]
    for value in re.findall(r'<meter[^>]*value="(\d+)"', page):
        assert int(value) == 0 or int(value) >= 5


# --- occupancy, the site plan and a plot ---------------------------------------------------------------------


@pytest.fixture()
def settled(make, session):
    """KHR: two plots of B01 with 6 people each, and 3 people on no plot."""
    plots = make.layout("KHR", blocks=1, plots=2)
    for plot in plots:
        allocate(session, plot, make.household("KHR", members=6))
    make.household("KHR", members=3)
    return plots


def test_people_on_plots_do_not_give_those_on_no_plot_back(client, login_as, api, settled):
    """Fails on main before this change: 15 people, 12 on plots: the 3 on no plot were there to see."""
    login_as("viewer", None)
    page = client.get("/figures?camp=KHR").get_data(as_text=True)
    assert 'data-testid="fig-people">15<' in page
    row = page.split('data-testid="occupancy-table"')[1].split('data-camp="KHR"')[1].split("</tr>")[0]
    assert ">12<" not in row and "hidden" in row
    indicators = client.get("/camps/KHR/indicators").get_data(as_text=True)
    assert 'data-testid="ind-people">hidden<' in indicators
    assert api("viewer", None).get("/api/v1/camps/KHR/indicators").get_json()["camp"]["people"] is None
    assert api("site_manager", "KHR").get("/api/v1/camps/KHR/indicators").get_json()["camp"]["people"] == 12


def test_the_site_plan_shows_a_viewer_no_plots_people(client, login_as, settled):
    """Fails on main before this change: each plot carried data-pp="6" and its space per person."""
    login_as("viewer", None)
    for path in ("/camps/KHR/plan", "/camps/KHR/plan.svg?colour=crowding"):
        page = client.get(path).get_data(as_text=True)
        assert 'data-pp="hidden"' in page and not re.search(r'data-(pp|hh|cv)="\d', page), path
        assert "people" not in page.split("<svg", 1)[1].split("</svg>")[0] and "cr-hidden" in page
    login_as("site_manager", "KHR")
    assert 'data-pp="6"' in client.get("/camps/KHR/plan").get_data(as_text=True)


def test_a_plot_page_shows_a_viewer_no_people(client, login_as, settled):
    """Fails on main before this change: "1 households, 6 people." and 2.7 m² per person."""
    login_as("viewer", None)
    page = client.get("/plots/KHR-B01-001").get_data(as_text=True)
    assert "6 people" not in page and "m² (" not in page and "hidden" in page
    login_as("site_manager", "KHR")
    assert "6 people" in client.get("/plots/KHR-B01-001").get_data(as_text=True)


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_plot_lists_and_the_plots_api_give_no_household_count_per_plot(client, login_as, api, settled, role):
    """Fails on main before this change: the plot list showed "1 / 4" households on each occupied plot, the
    plot page "1 households." and "0 earlier stays.", and the API household_count 1, to accounts that see no
    household, where the site plan shows them "hidden"."""
    login_as(role, None)
    rows = client.get("/camps/KHR/plots").get_data(as_text=True).split('data-testid="plots"')[1].split("</table>")[0]
    counts = re.findall(r'<td class="text-end" data-testid="plot-households">([^<]*)</td>', rows)
    assert len(counts) == 2 and all(c.startswith("hidden /") for c in counts), counts
    page = client.get("/plots/KHR-B01-001").get_data(as_text=True)
    details = page.split('data-testid="plot-details"')[1].split("</dl>")[0]
    assert not re.search(r'<dd class="col-sm-7">\d+ / \d+</dd>', details) and "hidden /" in details
    assert "1 households" not in page and "earlier stays" not in page
    caller = api(role, None)
    listed = caller.get("/api/v1/camps/KHR/plots").get_json()["items"]
    assert [p["household_count"] for p in listed] == [None, None]
    assert caller.get("/api/v1/plots/KHR-B01-001").get_json()["household_count"] is None
    manager = api("site_manager", "KHR")
    assert [p["household_count"] for p in manager.get("/api/v1/camps/KHR/plots").get_json()["items"]] == [1, 1]
    login_as("site_manager", "KHR")
    assert ">1 / " in client.get("/camps/KHR/plots").get_data(as_text=True)


def test_a_vacant_plot_shows_its_zero_households_to_a_viewer(client, login_as, api, make):
    make.layout("KHR", blocks=1, plots=1)
    assert api("viewer", None).get("/api/v1/plots/KHR-B01-001").get_json()["household_count"] == 0
    login_as("viewer", None)
    assert 'data-testid="plot-households">0 / ' in client.get("/camps/KHR/plots").get_data(as_text=True)


# --- the HXL statistics agree with the pages -------------------------------------------------------------


def _hxl_lines(client, camp="KHR") -> list[dict]:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(client.get(f"/figures/stats.csv?camp={camp}").data.decode())))
    return [dict(zip(rows[1], row, strict=True)) for row in rows[2:]]


def test_the_statistics_file_and_figures_hide_the_same_counts(client, login_as, api, make):
    """Fails on main before this change: the file gave the 20 men of 18-59 that, with the page's band total of
    23, gave back the 3 hidden women."""
    adults(make, "KHR", women=3, men=20)
    login_as("viewer", None)
    page = client.get("/figures?camp=KHR").get_data(as_text=True)
    band = page[page.index('data-band="18_59"') :].split("</tr>")[0]
    camp_line = next(line for line in _hxl_lines(client) if line["#loc+type"] == "camp")
    men = camp_line["#affected+refugees+m+adults+age_18_59"]
    assert not (men and ">23<" in band), (men, band)
    body = api("viewer", None).get("/api/v1/figures?camp=KHR").get_json()
    for sex in "fm":
        shown = body["age_sex"][f"{sex}_18_59"]
        assert camp_line[f"#affected+refugees+{sex}+adults+age_18_59"] == ("" if not shown else str(shown))


def test_the_statistics_file_and_the_occupancy_pages_hide_the_same_counts(client, login_as, make, session):
    """Fails on main before this change: the file gave B01's 16 people, the indicators 18 on plots: B02's 2."""
    from tests.camps.test_occupancy_indicators import build_world

    build_world(make, session)
    login_as("viewer", None)
    lines = {
        (line["#loc+type"], line["#loc+block+code"]): line["#affected+refugees+total"] for line in _hxl_lines(client)
    }
    on_plots = client.get("/camps/KHR/indicators").get_data(as_text=True)
    assert lines[("block", "B02")] == ""
    if 'data-testid="ind-people">18<' in on_plots:
        assert lines[("block", "B01")] == "", lines  # else 18 - 16


def test_camp_lists_and_the_site_page_hide_small_counts_too(client, login_as, api, make, settled):
    """Fails on main before this change: the camp list, page and API gave 3 households and their people, and
    /site the 1 household waiting for a plot (3 on plots beside it: 2 of them)."""
    make.household("SHR", members=2)
    login_as("viewer", None)
    items = {c["code"]: c for c in api("viewer", None).get("/api/v1/camps").get_json()["items"]}
    assert (items["SHR"]["households"], items["SHR"]["people"]) == (None, None)
    assert api("viewer", None).get("/api/v1/camps/SHR").get_json()["people"] is None
    assert 'data-testid="camp-people">hidden<' in client.get("/camps/SHR").get_data(as_text=True)
    assert 'data-testid="waiting-KHR">hidden<' in client.get("/site").get_data(as_text=True)
    login_as("site_manager", "KHR")
    assert 'data-testid="waiting-KHR">1<' in client.get("/site").get_data(as_text=True)
