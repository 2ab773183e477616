"""Generating a camp layout: codes, positions, spacing, firebreaks, facilities, distances, limits, speed."""

from __future__ import annotations

import math
import random

import pytest
from sqlalchemy import func, insert, select

from app.audit.models import AuditEvent
from app.errors import UserValueError
from camps.layout import services
from camps.layout.generator import FIREBREAK_M, PLOT_GAP_M, ROAD_M, SCHOOL_STRIP_M
from camps.layout.models import Block, Facility, Plot, Sector


def _plots(session, camp):
    return list(session.scalars(select(Plot).where(Plot.camp_id == camp.id).order_by(Plot.code)))


def _overlap(a, b) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.depth and b.y < a.y + a.depth


def _no_overlaps(rects) -> bool:
    ordered = sorted(rects, key=lambda r: r.x)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.x >= a.x + a.width:
                break
            if _overlap(a, b):
                return False
    return True


def _brute(plot, points):
    cx, cy = plot.x + plot.width / 2, plot.y + plot.depth / 2
    return round(min(math.dist((cx, cy), p) for p in points), 1) if points else None


@pytest.fixture()
def manager(make):
    return make.user(roles=["site_manager"], camps=["KHR"])


def test_first_generation_makes_sectors_blocks_plots_and_facilities(session, make, manager):
    camp = make.camp("KHR")
    summary = services.generate_layout(
        session,
        manager,
        camp,
        {
            "sectors": 1,
            "blocks_per_sector": 4,
            "plot_rows": 4,
            "plot_columns": 4,
            "plot_width": 10,
            "plot_depth": 12,
            "covered_m2": 17.5,
            "shelter_type": "family_tent",
            "capacity": 1,
            "path_m": 6,
        },
    )
    assert summary.sectors == ["S1"] and summary.blocks == ["B01", "B02", "B03", "B04"] and summary.plots == 64
    plots = _plots(session, camp)
    assert len(plots) == 64
    assert plots[0].code == "KHR-B01-001" and plots[-1].code == "KHR-B04-016"
    assert {p.area_m2 for p in plots} == {120.0} and {p.covered_m2 for p in plots} == {17.5}
    assert {p.status for p in plots} == {"vacant"} and {p.household_count for p in plots} == {0}
    assert _no_overlaps(plots)
    block_one = [p for p in plots if p.block.code == "B01"]
    first, second, fifth = block_one[0], block_one[1], block_one[4]
    assert second.x - (first.x + first.width) == pytest.approx(PLOT_GAP_M)
    assert fifth.y - (first.y + first.depth) == pytest.approx(6.0)  # the path between rows
    blocks = list(session.scalars(select(Block).where(Block.camp_id == camp.id)))
    assert _no_overlaps(blocks)
    for plot in plots:  # every plot inside its block
        b = plot.block
        assert b.x <= plot.x and plot.x + plot.width <= b.x + b.width + 1e-6
        assert b.y <= plot.y and plot.y + plot.depth <= b.y + b.depth + 1e-6
    assert all(b.area_m2 == pytest.approx(b.width * b.depth, abs=1) for b in blocks)

    facilities = list(session.scalars(select(Facility).where(Facility.camp_id == camp.id)))
    kinds = sorted(f.kind for f in facilities)
    assert kinds == sorted(
        ["water_point"] * 4 + ["latrine_block"] * 4 + ["school", "health_post", "distribution_point", "help_desk"]
    )
    water = next(f for f in facilities if f.code == "WP-B01")
    latrine = next(f for f in facilities if f.code == "LAT-B01")
    assert water.capacity == 1 and latrine.capacity == 4  # 16 plots × 5 people: 80 / 80 taps, 80 / 20 latrines
    # WASH strip: below the plots, inside the block, on no plot
    b01 = next(b for b in blocks if b.code == "B01")
    assert max(p.y + p.depth for p in block_one) < water.y < b01.y + b01.depth
    points = {k: [(f.x, f.y) for f in facilities if f.kind == k] for k in ("water_point", "latrine_block")}
    for plot in plots:
        assert plot.water_m == pytest.approx(_brute(plot, points["water_point"]), abs=0.11)
        assert plot.latrine_m == pytest.approx(_brute(plot, points["latrine_block"]), abs=0.11)
    x0 = min([b.x for b in blocks] + [f.x for f in facilities])
    y0 = min([b.y for b in blocks] + [f.y for f in facilities])
    x1, y1 = max(b.x + b.width for b in blocks), max(b.y + b.depth for b in blocks)
    assert camp.site_area_m2 == pytest.approx((x1 - x0) * (y1 - y0), rel=0.01)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "layout.generate"))
    assert event.details["plots"] == 64 and event.camp_id == camp.id


def test_firebreaks_between_sectors_stay_empty(session, make, manager):
    camp = make.camp("KHR")
    services.generate_layout(
        session, manager, camp, {"sectors": 3, "blocks_per_sector": 2, "plot_rows": 2, "plot_columns": 3}
    )
    sectors = list(session.scalars(select(Sector).where(Sector.camp_id == camp.id).order_by(Sector.code)))
    assert [s.code for s in sectors] == ["S1", "S2", "S3"]
    boxes = []
    for sector in sectors:
        blocks = list(session.scalars(select(Block).where(Block.sector_id == sector.id)))
        boxes.append(
            (
                min(b.x for b in blocks),
                min(b.y for b in blocks),
                max(b.x + b.width for b in blocks),
                max(b.y + b.depth for b in blocks),
            )
        )
    plots = _plots(session, camp)
    facilities = list(session.scalars(select(Facility).where(Facility.camp_id == camp.id)))
    # sectors sit in a near-square grid: S1 S2 on the first row, S3 under S1
    (ax0, ay0, ax1, ay1), (bx0, by0, _bx1, _by1), (cx0, cy0, _cx1, _cy1) = boxes
    assert bx0 - ax1 == pytest.approx(FIREBREAK_M) and by0 == ay0
    assert cx0 == ax0 and cy0 - ay1 == pytest.approx(FIREBREAK_M + SCHOOL_STRIP_M + ROAD_M)
    assert not [p for p in plots if p.x < bx0 and p.x + p.width > ax1]
    assert not [f for f in facilities if ax1 < f.x < bx0]
    assert not [p for p in plots if p.y < ay1 + FIREBREAK_M and p.y + p.depth > ay1]
    assert not [f for f in facilities if ay1 < f.y < ay1 + FIREBREAK_M and ax0 <= f.x <= ax1]
    assert len({f.code for f in facilities if f.kind == "school"}) == 3


def test_second_generation_is_appended_to_the_east(session, make, manager):
    camp = make.camp("KHR")
    services.generate_layout(
        session, manager, camp, {"sectors": 1, "blocks_per_sector": 2, "plot_rows": 2, "plot_columns": 2}
    )
    east_end = max(p.x + p.width for p in _plots(session, camp))
    summary = services.generate_layout(
        session, manager, camp, {"sectors": 1, "blocks_per_sector": 3, "plot_rows": 1, "plot_columns": 2}
    )
    assert summary.sectors == ["S2"] and summary.blocks == ["B03", "B04", "B05"] and summary.plots == 6
    new = [p for p in _plots(session, camp) if p.block.code in summary.blocks]
    assert min(p.x for p in new) >= east_end + FIREBREAK_M
    assert _no_overlaps(_plots(session, camp))
    assert (
        session.scalar(
            select(func.count())
            .select_from(Facility)
            .where(Facility.camp_id == camp.id, Facility.kind == "health_post")
        )
        == 1
    )  # only on the first generation
    assert session.scalar(select(func.count()).select_from(Plot).where(Plot.camp_id == camp.id)) == 14


def test_generation_without_facilities_leaves_distances_empty(session, make, manager):
    camp = make.camp("KHR")
    services.generate_layout(
        session,
        manager,
        camp,
        {"sectors": 1, "blocks_per_sector": 1, "plot_rows": 2, "plot_columns": 2, "with_facilities": False},
    )
    assert session.scalar(select(func.count()).select_from(Facility).where(Facility.camp_id == camp.id)) == 0
    assert {(p.water_m, p.latrine_m) for p in _plots(session, camp)} == {(None, None)}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"sectors": 20, "blocks_per_sector": 100, "plot_rows": 10, "plot_columns": 10}, "sectors"),
        ({"covered_m2": 101}, "covered_m2"),
        ({"plot_width": -5}, "plot_width"),
        ({"plot_depth": 0}, "plot_depth"),
        ({"plot_rows": 40, "plot_columns": 40}, "plot_columns"),
        ({"shelter_type": "palace"}, "shelter_type"),
        ({"capacity": "many"}, "capacity"),
    ],
)
def test_bad_parameters_are_refused_and_nothing_is_made(session, make, manager, change, field):
    camp = make.camp("KHR")
    with pytest.raises(UserValueError) as refused:
        services.generate_layout(session, manager, camp, {"plot_width": 10, "plot_depth": 10, **change})
    assert refused.value.field == field
    assert session.scalar(select(func.count()).select_from(Plot).where(Plot.camp_id == camp.id)) == 0
    assert session.scalar(select(func.count()).select_from(Block).where(Block.camp_id == camp.id)) == 0


def test_five_thousand_plots_are_generated(session, make, manager):
    camp = make.camp("KHR")
    summary = services.generate_layout(
        session, manager, camp, {"sectors": 5, "blocks_per_sector": 4, "plot_rows": 10, "plot_columns": 25}
    )
    assert summary.plots == 5000
    assert session.scalar(select(func.count()).select_from(Plot).where(Plot.camp_id == camp.id)) == 5000


def test_refresh_distances_is_right_for_ten_thousand_plots(session, make, manager):
    camp = make.camp("KHR")
    services.generate_layout(
        session,
        manager,
        camp,
        {"sectors": 4, "blocks_per_sector": 5, "plot_rows": 20, "plot_columns": 25, "with_facilities": False},
    )
    plots = _plots(session, camp)
    width = max(p.x + p.width for p in plots)
    depth = max(p.y + p.depth for p in plots)
    rng = random.Random(7)
    rows = [
        {
            "camp_id": camp.id,
            "kind": kind,
            "code": f"F{i}",
            "capacity": 1,
            "x": rng.uniform(0, width),
            "y": rng.uniform(0, depth),
            "in_service": i % 10 != 0,
        }
        for i, kind in enumerate(["water_point", "latrine_block"] * 150)
    ]
    session.execute(insert(Facility), rows)
    changed = services.refresh_distances(session, camp)
    assert changed == 10_000
    in_service = [r for r in rows if r["in_service"]]
    points = {k: [(r["x"], r["y"]) for r in in_service if r["kind"] == k] for k in ("water_point", "latrine_block")}
    for plot in rng.sample(_plots(session, camp), 200):
        assert plot.water_m == pytest.approx(_brute(plot, points["water_point"]), abs=0.11)
        assert plot.latrine_m == pytest.approx(_brute(plot, points["latrine_block"]), abs=0.11)


def test_site_manager_generates_from_the_page(client, login_as, session, make):
    make.camp("KHR")
    login_as("site_manager", "KHR")
    assert client.get("/camps/KHR/layout/generate").status_code == 200
    form = {
        "sectors": "1",
        "blocks_per_sector": "2",
        "plot_rows": "2",
        "plot_columns": "2",
        "plot_width": "10",
        "plot_depth": "10",
        "path_m": "6",
        "covered_m2": "16",
        "shelter_type": "family_tent",
        "capacity": "1",
        "with_facilities": "y",
    }
    response = client.post("/camps/KHR/layout/generate", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/camps/KHR/plots"
    assert session.scalar(select(func.count()).select_from(Plot)) == 8


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("plot_width", "-3", b"Number must be between 2"),
        ("plot_depth", "wide", b"Not a valid float value"),
        ("covered_m2", "500", b"cannot exceed the plot"),
        ("sectors", "20", b"at most 20,000 at a time"),
    ],
)
def test_bad_generate_input_is_shown_next_to_the_field(client, login_as, session, make, field, value, message):
    make.camp("KHR")
    login_as("site_manager", "KHR")
    form = {
        "sectors": "1",
        "blocks_per_sector": "10",
        "plot_rows": "20",
        "plot_columns": "20",
        "plot_width": "10",
        "plot_depth": "10",
        "path_m": "6",
        "covered_m2": "16",
        "shelter_type": "family_tent",
        "capacity": "1",
        field: value,
    }
    response = client.post("/camps/KHR/layout/generate", data=form)
    assert response.status_code == 422
    assert message in response.data
    assert f'value="{value}"'.encode() in response.data  # what was typed stays
    assert session.scalar(select(func.count()).select_from(Plot)) == 0


def test_generate_page_is_scoped_to_the_users_camps(client, login_as, make):
    make.camp("SHR")
    login_as("site_manager", "KHR")
    assert client.get("/camps/SHR/layout/generate").status_code == 404
