"""Plots and facilities: the list, the plot page, editing with its rules, camp scoping, and the API."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.errors import UserValueError
from camps.allocation.models import PlotAllocation
from camps.layout import services
from camps.layout.models import Facility, Plot

PLOT_FORM = {
    "area_m2": "100",
    "covered_m2": "16",
    "shelter_type": "family_tent",
    "capacity": "1",
    "status": "vacant",
    "notes": "",
}


def _live_on(session, plot, household, ended: bool = False):
    """What the allocation service does: a stay, and the plot's count and status kept in step."""
    session.add(
        PlotAllocation(
            camp_id=plot.camp_id,
            plot_id=plot.id,
            household_id=household.id,
            started_at=datetime(2026, 10, 2),
            ended_at=datetime(2026, 10, 20) if ended else None,
            end_reason="relocated" if ended else None,
        )
    )
    if not ended:
        plot.household_count += 1
        plot.status = "occupied"
    session.flush()


@pytest.fixture()
def manager(make):
    return make.user(roles=["site_manager"], camps=["KHR"])


# --- services --------------------------------------------------------------------------------


def test_update_plot_saves_and_audits(session, make, manager):
    plot = make.layout("KHR", blocks=1, plots=1)[0]
    services.update_plot(
        session,
        manager,
        plot,
        {
            "area_m2": 120,
            "covered_m2": 21,
            "shelter_type": "rhu",
            "capacity": 2,
            "status": "reserved",
            "features": ["shade", "accessible"],
            "notes": " Near the gate ",
        },
    )
    assert (plot.area_m2, plot.covered_m2, plot.shelter_type, plot.capacity, plot.status) == (
        120,
        21,
        "rhu",
        2,
        "reserved",
    )
    assert plot.features == "accessible shade" and plot.notes == "Near the gate"
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "layout.update_plot"))
    assert event.object_id == str(plot.id) and "covered_m2" in event.details["fields"]
    assert "Near the gate" not in str(event.details)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"area_m2": -10}, "area_m2", "more than 0"),
        ({"area_m2": 0}, "area_m2", "more than 0"),
        ({"covered_m2": 150}, "covered_m2", "cannot exceed"),
        ({"covered_m2": -1}, "covered_m2", "negative"),
        ({"capacity": 0}, "capacity", "From 1 to 50"),
        ({"shelter_type": "castle"}, "shelter_type", "shelter type"),
        ({"status": "occupied"}, "status", "follows from allocations"),
        ({"features": ["pool"]}, "features", "Unknown feature"),
    ],
)
def test_update_plot_refuses_bad_values(session, make, manager, change, field, message):
    plot = make.layout("KHR", blocks=1, plots=1)[0]
    with pytest.raises(UserValueError) as refused:
        services.update_plot(session, manager, plot, {**PLOT_FORM, **change})
    assert refused.value.field == field and message in refused.value.message
    session.refresh(plot)
    assert (plot.area_m2, plot.covered_m2, plot.status) == (100, 16, "vacant")


def test_occupied_plot_keeps_its_status_and_capacity(session, make, manager):
    plot = make.layout("KHR", blocks=1, plots=1, capacity=2)[0]
    _live_on(session, plot, make.household("KHR"))
    _live_on(session, plot, make.household("KHR"))
    for status in ("out_of_use", "reserved"):
        with pytest.raises(UserValueError) as refused:
            services.update_plot(session, manager, plot, {**PLOT_FORM, "capacity": 2, "status": status})
        assert refused.value.field == "status" and "Households live on this plot" in refused.value.message
    with pytest.raises(UserValueError) as refused:
        services.update_plot(session, manager, plot, {**PLOT_FORM, "capacity": 1, "status": "occupied"})
    assert refused.value.field == "capacity" and "2 households live here" in refused.value.message
    services.update_plot(session, manager, plot, {**PLOT_FORM, "capacity": 3, "status": "vacant"})
    assert plot.status == "occupied" and plot.capacity == 3  # occupied follows from the households


def test_facilities_are_created_and_edited_and_move_distances(session, make, manager):
    camp = make.camp("KHR")
    plot = make.layout("KHR", blocks=1, plots=1)[0]  # centre (5, 5)
    tap = services.create_facility(
        session,
        manager,
        camp,
        {"kind": "water_point", "code": "wp-9", "name": "Gate", "capacity": 4, "x": 5, "y": 45, "block": "B01"},
    )
    assert tap.code == "WP-9" and tap.block_id == plot.block_id
    assert plot.water_m == 40 and plot.latrine_m is None
    services.update_facility(session, manager, tap, {"y": 25})
    assert plot.water_m == 20
    services.update_facility(session, manager, tap, {"in_service": False})
    assert plot.water_m is None
    with pytest.raises(UserValueError) as refused:
        services.create_facility(session, manager, camp, {"kind": "latrine_block", "code": "WP-9", "x": 1, "y": 1})
    assert refused.value.field == "code"
    for bad, field in (
        ({"capacity": -1}, "capacity"),
        ({"kind": "pool"}, "kind"),
        ({"block": "B77"}, "block"),
        ({"x": None}, "x"),
        ({"y": "north"}, "y"),
    ):
        with pytest.raises(UserValueError) as refused:
            services.create_facility(session, manager, camp, {"kind": "school", "code": "SCH-9", "x": 1, "y": 1, **bad})
        assert refused.value.field == field
    assert [
        e.action
        for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("layout.%")).order_by(AuditEvent.id))
    ] == ["layout.create_facility", "layout.update_facility", "layout.update_facility"]


def test_plot_lookups_are_scoped(session, make):
    make.layout("KHR", blocks=2, plots=3)
    make.layout("SHR", blocks=1, plots=1)
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    assert services.plot_for_user(session, clerk, "khr-b01-002").code == "KHR-B01-002"
    assert services.plot_for_user(session, clerk, "SHR-B01-001") is None
    assert services.plot_for_user(session, clerk, "KHR-B09-001") is None
    camp = make.camp("KHR")
    assert [b.code for b in services.blocks_of(session, camp)] == ["B01", "B02"]
    codes = list(session.scalars(services.plots_query(camp, block_code="b02")))
    assert [p.code for p in codes] == ["KHR-B02-001", "KHR-B02-002", "KHR-B02-003"]


# --- pages -----------------------------------------------------------------------------------


def test_plot_list_filters_and_links(client, login_as, session, make):
    plots = make.layout("KHR", blocks=2, plots=3)
    plots[1].status = "reserved"
    session.flush()
    login_as("viewer", "KHR")
    page = client.get("/camps/KHR/plots").data.decode()
    assert 'href="/plots/KHR-B02-003"' in page and "Lay out sectors" not in page
    page = client.get("/camps/KHR/plots?status=reserved").data.decode()
    assert "KHR-B01-002" in page and "KHR-B01-001" not in page
    page = client.get("/camps/KHR/plots?block=B02").data.decode()
    assert "KHR-B02-001" in page and "KHR-B01-001" not in page
    assert client.get("/camps/KHR/plots?status=nonsense").status_code == 200


def test_plot_list_paginates_with_its_filters(client, login_as, app, make):
    make.layout("KHR", blocks=1, plots=4)
    login_as("site_manager", "KHR")
    app.config["PAGE_SIZE"] = 3
    try:
        page = client.get("/camps/KHR/plots?block=B01").data.decode()
        assert "Page 1 of 2" in page and 'href="/camps/KHR/plots?block=B01&amp;page=2"' in page
        assert "KHR-B01-004" in client.get("/camps/KHR/plots?block=B01&page=2").data.decode()
    finally:
        app.config["PAGE_SIZE"] = 50


def test_plot_page_shows_occupants_only_to_household_readers(client, login_as, session, make):
    plot = make.layout("KHR", blocks=1, plots=1, covered_m2=17.5)[0]
    now, earlier = make.household("KHR", members=5), make.household("KHR", members=2)
    _live_on(session, plot, now)
    _live_on(session, plot, earlier, ended=True)
    login_as("site_manager", "KHR")
    page = client.get("/plots/KHR-B01-001").data.decode()
    assert f'href="/households/{now.number}"' in page and f'href="/households/{earlier.number}"' in page
    assert "3.5 m² (5 people)" in page and "meets 3.5 m²" in page
    login_as("viewer", "KHR")
    page = client.get("/plots/KHR-B01-001").data.decode()
    assert now.number not in page and earlier.number not in page
    # how many live on the plot, and how many households share it or lived there before, are a family's
    # housing: not for an account that sees no household (as on the site plan)
    assert "1 households" not in page and "5 people" not in page and "earlier stays" not in page
    assert "hidden / " in page


def test_plot_pages_are_scoped_to_the_users_camps(client, login_as, make):
    make.layout("SHR", blocks=1, plots=1)
    make.layout("KHR", blocks=1, plots=1)
    login_as("site_manager", "KHR")
    assert client.get("/plots/SHR-B01-001").status_code == 404
    assert client.get("/plots/SHR-B01-001/edit").status_code == 404
    assert client.post("/plots/SHR-B01-001/edit", data=PLOT_FORM).status_code == 404
    assert client.get("/camps/SHR/plots").status_code == 404
    assert client.get("/camps/SHR/facilities").status_code == 404
    assert client.get("/plots/KHR-B01-001").status_code == 200


def test_edit_plot_page_saves(client, login_as, session, make):
    plot = make.layout("KHR", blocks=1, plots=1)[0]
    login_as("site_manager", "KHR")
    form = client.get("/plots/KHR-B01-001/edit").data.decode()
    assert 'value="100.0"' in form
    response = client.post("/plots/KHR-B01-001/edit", data={**PLOT_FORM, "covered_m2": "20", "features": ["flat"]})
    assert response.status_code == 302 and response.headers["Location"] == "/plots/KHR-B01-001"
    session.refresh(plot)
    assert plot.covered_m2 == 20 and plot.features == "flat"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("area_m2", "-5", b"Number must be between 0.1 and 10000"),
        ("covered_m2", "150", b"cannot exceed the plot"),
        ("capacity", "two", b"Not a valid integer value"),
        ("status", "occupied", b"Not a valid choice"),
    ],
)
def test_edit_plot_page_refuses_bad_input_next_to_the_field(client, login_as, session, make, field, value, message):
    plot = make.layout("KHR", blocks=1, plots=1)[0]
    login_as("site_manager", "KHR")
    response = client.post("/plots/KHR-B01-001/edit", data={**PLOT_FORM, field: value})
    assert response.status_code == 422 and message in response.data
    assert f'value="{value}"'.encode() in response.data or field == "status"
    session.refresh(plot)
    assert (plot.area_m2, plot.covered_m2, plot.capacity, plot.status) == (100, 16, 1, "vacant")


def test_edit_page_refuses_out_of_use_while_households_live_there(client, login_as, session, make):
    plot = make.layout("KHR", blocks=1, plots=1)[0]
    _live_on(session, plot, make.household("KHR"))
    login_as("site_manager", "KHR")
    response = client.post("/plots/KHR-B01-001/edit", data={**PLOT_FORM, "status": "out_of_use"})
    assert response.status_code == 422 and "Households live on this plot" in response.data.decode()
    session.refresh(plot)
    assert plot.status == "occupied"


def test_facility_pages(client, login_as, session, make):
    make.layout("KHR", blocks=1, plots=1)
    login_as("site_manager", "KHR")
    assert client.get("/camps/KHR/facilities/new").status_code == 200
    response = client.post(
        "/camps/KHR/facilities/new",
        data={
            "kind": "water_point",
            "code": "WP-1",
            "name": "",
            "capacity": "4",
            "x": "5",
            "y": "45",
            "block": "B01",
            "in_service": "y",
        },
    )
    assert response.status_code == 302
    facility = session.scalar(select(Facility).where(Facility.code == "WP-1"))
    assert session.scalar(select(Plot.water_m).where(Plot.code == "KHR-B01-001")) == 40
    page = client.get("/camps/KHR/facilities").data.decode()
    assert "WP-1" in page and f"/facilities/{facility.id}/edit" in page
    response = client.post(
        f"/facilities/{facility.id}/edit",
        data={"kind": "water_point", "code": "WP-1", "capacity": "-3", "x": "5", "y": "45", "block": "B01"},
    )
    assert response.status_code == 422 and b"Number must be between 0 and 100000" in response.data
    response = client.post(
        "/camps/KHR/facilities/new",
        data={"kind": "school", "code": "wp-1", "capacity": "1", "x": "1", "y": "1", "block": ""},
    )
    assert response.status_code == 422 and b"Another facility of this camp has this code." in response.data
    assert session.scalar(select(func.count()).select_from(Facility)) == 1


def test_facility_of_another_camp_is_not_found(client, login_as, session, make):
    camp = make.camp("SHR")
    facility = Facility(camp_id=camp.id, kind="school", code="SCH-1", capacity=1, x=0, y=0)
    session.add(facility)
    session.flush()
    login_as("site_manager", "KHR")
    assert client.get(f"/facilities/{facility.id}/edit").status_code == 404


# --- API -------------------------------------------------------------------------------------


def test_api_blocks_with_counts(api, session, make):
    plots = make.layout("KHR", blocks=2, plots=3)
    plots[0].status = "reserved"
    session.flush()
    body = api("site_manager").get("/api/v1/camps/KHR/blocks").get_json()
    assert [b["code"] for b in body["items"]] == ["B01", "B02"]
    assert body["items"][0]["sector"] == "S1" and body["items"][0]["plots"] == 3
    assert body["items"][0]["by_status"] == {"vacant": 2, "reserved": 1, "occupied": 0, "out_of_use": 0}


def test_api_plots_filters_and_paginates(api, session, make):
    plots = make.layout("KHR", blocks=2, plots=3)
    plots[4].status = "out_of_use"
    session.flush()
    caller = api("viewer")
    body = caller.get("/api/v1/camps/KHR/plots").get_json()
    assert body["total"] == 6 and body["page"] == 1 and body["pages"] == 1
    assert body["items"][0]["code"] == "KHR-B01-001" and body["items"][0]["block"] == "B01"
    assert [p["code"] for p in caller.get("/api/v1/camps/KHR/plots?status=out_of_use").get_json()["items"]] == [
        "KHR-B02-002"
    ]
    assert caller.get("/api/v1/camps/KHR/plots?block=B02").get_json()["total"] == 3
    assert caller.get("/api/v1/camps/KHR/plots?status=bad").status_code == 400
    assert caller.get("/api/v1/camps/SHR/plots").status_code == 404


def test_api_plot_shows_households_only_to_household_readers(api, session, make):
    make.camp("SHR")
    plot = make.layout("KHR", blocks=1, plots=1)[0]
    household = make.household("KHR")
    _live_on(session, plot, household)
    manager_view = api("site_manager").get("/api/v1/plots/KHR-B01-001").get_json()
    assert manager_view["households"] == [household.number] and manager_view["status"] == "occupied"
    viewer_view = api("viewer").get("/api/v1/plots/KHR-B01-001").get_json()
    assert "households" not in viewer_view and household.number not in str(viewer_view)
    assert viewer_view["household_count"] is None and viewer_view["camp"] == "KHR"
    assert api("site_manager", "SHR").get("/api/v1/plots/KHR-B01-001").status_code == 404


def test_api_is_documented(client, app):
    document = client.get("/api/v1/openapi.json").get_json()
    assert {"/api/v1/camps/{code}/blocks", "/api/v1/camps/{code}/plots", "/api/v1/plots/{plot_code}"} <= set(
        document["paths"]
    )
    assert {"Block", "BlockList", "Plot", "PlotPage"} <= set(document["components"]["schemas"])
    assert document["paths"]["/api/v1/plots/{plot_code}"]["get"]["x-permission"] == "plots.view"
