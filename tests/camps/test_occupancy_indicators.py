"""Occupancy indicators: counts, space per person, congestion bands, WASH ratios, plots below threshold."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from camps.allocation.models import PlotAllocation
from camps.figures.indicators import camp_indicators, camp_totals
from camps.layout.models import Block, Facility


def allocate(session, plot, household, ended: bool = False) -> PlotAllocation:
    """What the allocation service will do: an allocation row and the plot's count and status."""
    allocation = PlotAllocation(
        camp_id=plot.camp_id,
        plot_id=plot.id,
        household_id=household.id,
        ended_at=datetime(2026, 11, 1) if ended else None,
        end_reason="vacated" if ended else None,
    )
    session.add(allocation)
    if not ended:
        plot.household_count += 1
        plot.status = "occupied"
    session.flush()
    return allocation


def build_world(make, session) -> dict:
    """Two blocks of four 100 m² plots with 16 m² tents; 18 people on four plots, facilities in B01.

    B01-001: 3 people (5.3 m² each) · B01-002: 5 people (3.2) · B01-003: 4 + 4 people in a communal
    plot (2.0) · B01-004 out of use · B02-001: 2 people · B02-002 reserved · B02-003 had a household
    that left · B02-004 vacant.
    """
    plots = {p.code: p for p in make.layout("KHR", blocks=2, plots=4)}
    plots["KHR-B01-003"].capacity = 2
    plots["KHR-B01-004"].status = "out_of_use"
    plots["KHR-B02-002"].status = "reserved"
    plots["KHR-B01-001"].latrine_m = 60.0  # too far
    plots["KHR-B01-004"].latrine_m = 80.0  # too far, but out of use: not counted
    plots["KHR-B02-001"].water_m = 600.0  # too far
    plots["KHR-B02-001"].latrine_m = 20.0
    households = {}
    for code, sizes in (("KHR-B01-001", [3]), ("KHR-B01-002", [5]), ("KHR-B01-003", [4, 4]), ("KHR-B02-001", [2])):
        for size in sizes:
            household = make.household("KHR", members=size)
            allocate(session, plots[code], household)
            households.setdefault(code, []).append(household)
    allocate(session, plots["KHR-B02-003"], make.household("KHR", members=7), ended=True)
    make.household("KHR", members=6)  # registered, not on a plot
    camp = make.camp("KHR")
    b01 = session.scalar(select(Block).where(Block.camp_id == camp.id, Block.code == "B01"))
    session.add_all(
        [
            Facility(camp_id=camp.id, block_id=b01.id, kind="latrine_block", code="LAT-B01", capacity=2, x=20, y=30),
            Facility(
                camp_id=camp.id,
                block_id=b01.id,
                kind="latrine_block",
                code="LAT-B01B",
                capacity=5,
                x=25,
                y=30,
                in_service=False,
            ),
            Facility(camp_id=camp.id, block_id=None, kind="water_point", code="WP-1", capacity=1, x=50, y=10),
            Facility(camp_id=camp.id, block_id=b01.id, kind="health_post", code="HP-1", capacity=40, x=30, y=40),
        ]
    )
    session.flush()
    return {"camp": camp, "plots": plots, "households": households}


def test_block_sector_and_camp_rows(make, session):
    world = build_world(make, session)
    figures = camp_indicators(session, world["camp"])
    b01, b02 = figures.blocks
    assert (b01.code, b01.sector, b01.households, b01.people) == ("B01", "S1", 4, 16)
    assert (b01.plots, b01.vacant, b01.reserved, b01.occupied, b01.out_of_use) == (4, 0, 0, 3, 1)
    assert b01.capacity == 4  # 1 + 1 + 2; the plot out of use holds nobody
    assert b01.covered_m2 == 48 and b01.covered_per_person == pytest.approx(3.0)
    assert (b02.households, b02.people, b02.vacant, b02.reserved, b02.occupied) == (1, 2, 2, 1, 1)
    assert b02.covered_per_person == pytest.approx(8.0)
    camp = figures.camp
    assert (camp.households, camp.people, camp.plots, camp.occupied) == (5, 18, 8, 4)
    assert camp.covered_per_person == pytest.approx(64 / 18)
    [sector] = figures.sectors
    assert (sector.code, sector.people, sector.plots, sector.site_m2) == ("S1", 18, 8, 4050.0)


def test_site_area_falls_back_and_gives_the_congestion_band(make, session):
    world = build_world(make, session)
    camp = world["camp"]
    b02 = session.scalar(select(Block).where(Block.camp_id == camp.id, Block.code == "B02"))
    b02.area_m2 = None  # the sum of its plots: 400 m²
    session.flush()
    figures = camp_indicators(session, camp)
    b01, b02_row = figures.blocks
    assert b01.site_per_person == pytest.approx(2025 / 16) and b01.band == "none"
    assert b02_row.site_m2 == 400 and b02_row.site_per_person == 200
    assert figures.camp.site_m2 == 2025 + 400
    camp.site_area_m2 = 360.0  # 20 m² per person: moderate (high is under 20)
    session.flush()
    assert camp_indicators(session, camp).camp.band == "moderate"
    camp.site_area_m2 = 540.0  # 30 m² per person: low
    session.flush()
    assert camp_indicators(session, camp).camp.band == "low"
    camp.site_area_m2 = 300.0
    session.flush()
    assert camp_indicators(session, camp).camp.band == "high"


def test_camp_totals_agree_with_the_camp_row_when_only_some_blocks_have_an_area(make, session):
    world = build_world(make, session)
    camp = world["camp"]
    b02 = session.scalar(select(Block).where(Block.camp_id == camp.id, Block.code == "B02"))
    b02.area_m2 = None  # B01 keeps its 2,025 m², B02 falls back to its plots' 400 m²
    camp.site_area_m2 = None
    session.flush()
    totals = camp_totals(session, camp).as_dict()
    row = camp_indicators(session, camp).camp.as_dict()
    assert totals["site_m2"] == row["site_m2"] == 2025 + 400
    for name in (
        "site_per_person",
        "band",
        "households",
        "people",
        "plots",
        "vacant",
        "reserved",
        "occupied",
        "out_of_use",
        "capacity",
        "covered_m2",
        "covered_per_person",
        "latrines",
        "taps",
    ):
        assert totals[name] == row[name], name


def test_latrines_taps_and_distances(make, session):
    figures = camp_indicators(session, build_world(make, session)["camp"])
    b01, b02 = figures.blocks
    assert b01.latrines == 2 and b01.people_per_latrine == pytest.approx(8.0)  # the closed block does not count
    assert b01.taps == 0 and b01.people_per_tap is None
    assert b02.latrines == 0 and b02.people_per_latrine is None
    camp = figures.camp
    assert (camp.latrines, camp.taps) == (2, 1)  # the camp counts the tap outside any block
    assert camp.people_per_latrine == pytest.approx(9.0) and camp.people_per_tap == pytest.approx(18.0)
    assert figures.sectors[0].taps == 0
    assert (b01.far_from_latrine, b01.far_from_water, b02.far_from_latrine, b02.far_from_water) == (1, 0, 0, 1)
    assert (camp.far_from_latrine, camp.far_from_water) == (1, 1)


def test_plots_below_the_covered_threshold_worst_first_and_paged(make, session):
    camp = build_world(make, session)["camp"]
    figures = camp_indicators(session, camp)
    assert figures.covered_threshold == 3.5
    below = figures.below_threshold
    assert below.total == 2
    assert [(i.code, i.block, i.people) for i in below.items] == [("KHR-B01-003", "B01", 8), ("KHR-B01-002", "B01", 5)]
    assert below.items[0].covered_per_person == pytest.approx(2.0)
    second = camp_indicators(session, camp, page=2, per_page=1).below_threshold
    assert (second.total, second.pages, [i.code for i in second.items]) == (2, 2, ["KHR-B01-002"])
    camp.climate = "cold"
    session.flush()
    cold = camp_indicators(session, camp)
    assert cold.covered_threshold == 4.5 and cold.below_threshold.total == 2  # 5.3 still meets 4.5


def test_empty_camp_has_rows_without_ratios(make, session):
    make.layout("KHR", blocks=1, plots=2)
    figures = camp_indicators(session, make.camp("KHR"))
    assert figures.camp.people == 0 and figures.camp.plots == 2 and figures.camp.vacant == 2
    assert figures.camp.covered_per_person is None and figures.camp.band is None
    assert figures.below_threshold.total == 0


def test_indicators_page_for_a_viewer_has_figures_but_no_household(client, login_as, make, session):
    world = build_world(make, session)
    login_as("viewer", "KHR")
    response = client.get("/camps/KHR/indicators")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-testid="ind-people">18<' in page
    assert "KHR-B01-003" in page and "KHR-B01-002" in page and "KHR-B01-001" not in page.split("ind-below")[1]
    assert "band band-none" in page and "3.5 m²" in page
    for households in world["households"].values():
        assert all(h.number not in page for h in households)
    assert ' style="' not in page and "<style" not in page


def test_indicators_page_is_scoped_to_the_users_camps(client, login_as, make):
    make.camp("SHR")
    login_as("site_manager", "KHR")
    assert client.get("/camps/SHR/indicators").status_code == 404
    assert client.get("/camps/KHR/indicators").status_code == 200


def test_indicators_api(api, make, session):
    world = build_world(make, session)
    make.camp("SHR")
    caller = api("viewer", "KHR")
    response = caller.get("/api/v1/camps/KHR/indicators")
    assert response.status_code == 200
    data = response.get_json()
    assert data["camp"]["people"] == 18 and data["camp"]["band"] == "none"
    # B02's 2 people are hidden from a viewer, and so are B01's 16 (18 - 16 would give the 2 back)
    assert [(b["code"], b["people"], b["covered_per_person"]) for b in data["blocks"]] == [
        ("B01", None, None),
        ("B02", None, None),
    ]
    exact = api("site_manager", "KHR").get("/api/v1/camps/KHR/indicators").get_json()
    assert exact["blocks"][0]["covered_per_person"] == 3.0 and exact["blocks"][1]["people"] == 2
    assert data["thresholds"]["covered_m2_per_person"] == 3.5
    assert [i["plot"] for i in data["below_threshold"]["items"]] == ["KHR-B01-003", "KHR-B01-002"]
    text = response.get_data(as_text=True)
    assert all(h.number not in text for hs in world["households"].values() for h in hs)
    assert caller.get("/api/v1/camps/SHR/indicators").status_code == 404


def test_indicators_are_documented_in_openapi(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/camps/{code}/indicators"]["get"]
    assert operation["x-permission"] == "figures.view"
    assert "OccupancyIndicators" in document["components"]["schemas"]


def test_sectors_and_blocks_are_in_natural_order(make, session):
    """Issue 15: S1, S2, S10 as people count them, not S1, S10, S2 as strings sort."""
    from camps.layout.models import Sector

    camp = make.camp("KHR")
    for sector_code in ("S10", "S2", "S1"):
        sector = Sector(camp_id=camp.id, code=sector_code)
        session.add(sector)
        session.flush()
        for block_code in ("B10", "B9", "B1"):
            session.add(
                Block(
                    camp_id=camp.id,
                    sector_id=sector.id,
                    code=f"{sector_code}-{block_code}",
                    x=0.0,
                    y=0.0,
                    width=10.0,
                    depth=10.0,
                    area_m2=100.0,
                )
            )
    session.flush()
    figures = camp_indicators(session, camp)
    assert [row.code for row in figures.sectors] == ["S1", "S2", "S10"]
    assert [row.code for row in figures.blocks][:4] == ["S1-B1", "S1-B9", "S1-B10", "S2-B1"]
    assert figures.blocks[-1].code == "S10-B10"
