"""Block codes on the site plan sit beside their block and never on a facility's symbol."""

from __future__ import annotations

import re

from camps.occupancy.plan_labels import place_label, symbol_box, text_box

BLOCK = (0.0, 0.0, 40.0, 30.0)


def _hits(position, size, text, obstacles) -> int:
    box = text_box(position[0], position[1], size, text)
    return sum(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in obstacles)


def test_with_nothing_in_the_way_the_code_goes_above_the_top_left_corner():
    x, baseline = place_label(BLOCK, 3.0, "B01", [])
    assert x == 1.0 and baseline < 0


def test_a_water_point_on_the_corner_moves_the_code_to_a_free_place():
    water_point = symbol_box(2.0, -1.5, 1.5)
    position = place_label(BLOCK, 3.0, "B01", [water_point])
    assert _hits(position, 3.0, "B01", [water_point]) == 0
    assert position != place_label(BLOCK, 3.0, "B01", [])


def test_with_symbols_on_every_side_the_fewest_collisions_win():
    crowded = [symbol_box(x, y, 1.5) for x in range(-2, 44, 2) for y in (-2, 31.5, 2.5)]
    position = place_label(BLOCK, 3.0, "B01", crowded)
    worst = max(_hits(p, 3.0, "B01", crowded) for p in [(1.0, -0.75), (31.42, -0.75)])
    assert _hits(position, 3.0, "B01", crowded) <= worst


def _labels_and_symbols(svg: str):
    labels = re.findall(r'<text x="([\d.-]+)" y="([\d.-]+)" font-size="([\d.]+)" stroke-width="[\d.]+">(B\d+)<', svg)
    symbols = re.findall(
        r'data-facility="[^"]+"[^>]*><title>[^<]*</title><(?:circle cx|rect x|polygon points)='
        r'"([\d.-]+)[", ]+(?:cy=")?([\d.-]+)',
        svg,
    )
    return [(float(x), float(y), float(size), code) for x, y, size, code in labels], symbols


def test_the_drawn_plan_keeps_block_codes_off_facility_symbols(client, login_as, make, session):
    """A water point moved onto the spot where B01's code used to be drawn."""
    from sqlalchemy import select

    from camps.layout.models import Facility
    from tests.camps.test_occupancy_indicators import build_world

    build_world(make, session)
    login_as("site_manager", "KHR")
    before, _symbols = _labels_and_symbols(client.get("/camps/KHR/plan").get_data(as_text=True))
    x, y, size, _code = next(label for label in before if label[3] == "B01")
    water = session.scalar(select(Facility).where(Facility.code == "WP-1"))
    water.x, water.y = x + size / 2, y - size / 2
    session.flush()
    svg = client.get("/camps/KHR/plan").get_data(as_text=True)
    after, _symbols = _labels_and_symbols(svg)
    radius = float(re.search(r'data-facility="WP-1".*?<circle cx="[\d.-]+" cy="[\d.-]+" r="([\d.]+)"', svg).group(1))
    mark = symbol_box(water.x, water.y, radius)
    for lx, ly, lsize, code in after:
        box = text_box(lx, ly, lsize, code)
        assert not (box[0] < mark[2] and mark[0] < box[2] and box[1] < mark[3] and mark[1] < box[3]), code
