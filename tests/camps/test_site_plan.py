"""The site plan: server-drawn SVG, its classes and data, block filter, household numbers, the download."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from camps.layout.models import Facility
from camps.occupancy.siteplan import FILLS, render_site_plan
from tests.camps.test_occupancy_indicators import build_world

SVG = "{http://www.w3.org/2000/svg}"


def _parse(text: str | bytes) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 - our own output, parsed to prove it is well-formed


def _svg(page: str) -> ET.Element:
    return _parse(re.search(r"<svg xmlns=.*?</svg>", page, re.S).group(0))


def _plots(root: ET.Element) -> dict[str, ET.Element]:
    return {el.get("data-code"): el for el in root.iter() if el.get("data-code")}


def test_plan_draws_one_element_per_plot_with_status_and_crowding_classes(client, login_as, make, session):
    build_world(make, session)
    login_as("site_manager", "KHR")  # who sees households sees each plot's figures (a viewer: tests of masking)
    response = client.get("/camps/KHR/plan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    root = _svg(page)
    plots = _plots(root)
    assert len(plots) == 8
    assert plots["KHR-B01-001"].get("class") == "st-occupied cr-meets"
    assert plots["KHR-B01-002"].get("class") == "st-occupied cr-below"
    assert plots["KHR-B01-003"].get("class") == "st-occupied cr-far-below"
    assert plots["KHR-B01-004"].get("class") == "st-out_of_use cr-empty"
    assert plots["KHR-B02-002"].get("class") == "st-reserved cr-empty"
    assert plots["KHR-B02-003"].get("class") == "st-vacant cr-empty"  # the household left
    b01_003 = plots["KHR-B01-003"]
    assert (b01_003.get("data-hh"), b01_003.get("data-pp"), b01_003.get("data-cv")) == ("2", "8", "2.0")
    assert b01_003.get("data-sh") == "Family tent" and b01_003.tag == f"{SVG}rect"
    assert "KHR-B01-003" in b01_003.find(f"{SVG}title").text
    blocks = [g for g in root.iter(f"{SVG}g") if g.get("data-block")]
    assert [(g.get("data-block"), g.get("class")) for g in blocks] == [("B01", "blk bd-none"), ("B02", "blk bd-none")]
    labels = root.find(f".//{SVG}g[@class='blk-l']")
    assert [t.text for t in labels.iter(f"{SVG}text")] == ["B01", "B02"]
    facilities = {g.get("data-facility"): g for g in root.iter(f"{SVG}g") if g.get("data-facility")}
    assert facilities["WP-1"].find(f"{SVG}circle") is not None
    assert facilities["LAT-B01"].find(f"{SVG}polygon") is not None
    assert facilities["HP-1"].find(f"{SVG}rect") is not None
    assert "fc-off" in facilities["LAT-B01B"].get("class")
    assert facilities["LAT-B01"].find(f"{SVG}title").text.startswith("LAT-B01 · Latrine block")
    assert root.find(f".//{SVG}g[@class='scale']") is not None and root.find(f".//{SVG}g[@class='north']") is not None
    assert 'class="row g-3 plan-layout by-status"' in page
    assert (
        ' style="' not in page
        and "<style" not in page
        and 'fill="' not in page.split("<svg", 1)[1].split("swatch-symbol")[0]
    )


def test_outlined_plot_is_a_polygon(client, login_as, make, session):
    world = build_world(make, session)
    world["plots"]["KHR-B02-004"].outline = "66,0 76,0 71,9.96"
    session.flush()
    login_as("viewer", "KHR")
    polygon = _plots(_svg(client.get("/camps/KHR/plan").get_data(as_text=True)))["KHR-B02-004"]
    assert polygon.tag == f"{SVG}polygon" and polygon.get("points") == "66,0 76,0 71,10"


def test_crowding_colouring_is_chosen_by_the_address(client, login_as, make, session):
    build_world(make, session)
    login_as("viewer", "KHR")
    page = client.get("/camps/KHR/plan?colour=crowding").get_data(as_text=True)
    assert "plan-layout by-crowding" in page and 'id="colour-crowding" value="crowding" checked' in page


def test_block_filter_draws_only_that_block_fitted(client, login_as, make, session):
    build_world(make, session)
    login_as("viewer", "KHR")
    root = _svg(client.get("/camps/KHR/plan?block=b02").get_data(as_text=True))
    plots = _plots(root)
    assert sorted(plots) == ["KHR-B02-001", "KHR-B02-002", "KHR-B02-003", "KHR-B02-004"]
    x, y, width, _height = map(float, root.get("viewBox").split())
    assert 55 < x < 60 and width < 60  # B02 starts at x = 60 and is 45 m wide
    assert [g.get("data-block") for g in root.iter(f"{SVG}g") if g.get("data-block")] == ["B02"]
    assert client.get("/camps/KHR/plan?block=B09").status_code == 404


def test_household_numbers_only_for_household_readers(client, login_as, make, session):
    world = build_world(make, session)
    numbers = [h.number for hs in world["households"].values() for h in hs]
    login_as("site_manager", "KHR")
    page = client.get("/camps/KHR/plan").get_data(as_text=True)
    assert all(n in page for n in numbers)
    hn = _plots(_svg(page))["KHR-B01-003"].get("data-hn").split()
    assert hn == sorted(h.number for h in world["households"]["KHR-B01-003"])
    assert 'data-f="hn"' in page
    for role in ("viewer", "admin"):
        login_as(role, "KHR")
        page = client.get("/camps/KHR/plan").get_data(as_text=True)
        assert not any(n in page for n in numbers), role
        assert "data-hn" not in page and 'data-f="hn"' not in page
        svg = client.get("/camps/KHR/plan.svg").get_data(as_text=True)
        assert not any(n in svg for n in numbers), role


def test_standalone_svg_download_has_fills_and_is_an_attachment(client, login_as, make, session):
    build_world(make, session)
    login_as("site_manager", "KHR")
    response = client.get("/camps/KHR/plan.svg?colour=crowding")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"] == 'attachment; filename="KHR-plan.svg"'
    root = _parse(response.data)
    plots = _plots(root)
    assert plots["KHR-B01-002"].get("fill") == FILLS["cr-below"]
    assert plots["KHR-B02-004"].get("fill") == FILLS["cr-empty"]
    assert all(el.get("fill") for el in plots.values())
    by_status = _plots(_parse(client.get("/camps/KHR/plan.svg?block=B01").data))
    assert by_status["KHR-B01-001"].get("fill") == FILLS["st-occupied"] and len(by_status) == 4
    assert (
        client.get("/camps/KHR/plan.svg?block=B01")
        .headers["Content-Disposition"]
        .endswith('filename="KHR-B01-plan.svg"')
    )


def test_plan_is_scoped_to_the_users_camps(client, login_as, make):
    make.layout("SHR", blocks=1, plots=2)
    login_as("site_manager", "KHR")
    assert client.get("/camps/SHR/plan").status_code == 404
    assert client.get("/camps/SHR/plan.svg").status_code == 404
    assert client.get("/camps/KHR/plan").status_code == 200


def test_empty_camp_still_draws_a_plan(app, make, session):
    camp = make.camp("KHR")
    with app.test_request_context("/"):
        plan = render_site_plan(session, camp)
    assert plan.plots == 0 and _parse(str(plan.svg)).tag == f"{SVG}svg"


def test_plan_escapes_text(app, make, session):
    world = build_world(make, session)
    camp = world["camp"]
    session.add(Facility(camp_id=camp.id, kind="help_desk", code="HD<1>", name='Desk & "help"', capacity=1, x=5, y=5))
    session.flush()
    with app.test_request_context("/"):
        svg = str(render_site_plan(session, camp, standalone=True).svg)
    root = _parse(svg)
    desk = next(g for g in root.iter(f"{SVG}g") if g.get("data-facility") == "HD<1>")
    assert 'Desk & "help"' in desk.find(f"{SVG}title").text
