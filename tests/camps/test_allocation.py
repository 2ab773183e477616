"""Plot suggestions and allocation: Sphere space, needs, preferences, history, and refusals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import UserValueError
from camps.allocation import services
from camps.allocation.models import PlotAllocation
from camps.allocation.suggestions import Preferences, suggest_plots
from registration.households import lifecycle

TODAY = date(2026, 11, 27)


def _without_needs(household):
    for person in household.members:
        person.needs.clear()
    return household


def _stays(session, household):
    return session.scalars(
        select(PlotAllocation).where(PlotAllocation.household_id == household.id).order_by(PlotAllocation.id)
    ).all()


def test_a_household_with_a_disabled_member_gets_an_accessible_plot_first_with_the_reason(make, session):
    plots = make.layout(blocks=2, plots=4)
    plots[6].features = "accessible"
    household = make.household(members=4)  # the factory's head has DS-PM (physical disability)
    ranked = suggest_plots(session, household, today=TODAY)
    assert ranked[0].code == plots[6].code
    assert any("Accessible plot, needed for: disability" in r.text and r.tone == "good" for r in ranked[0].reasons)


def test_accessible_plots_are_kept_for_those_who_need_them(make, session):
    plots = make.layout(blocks=1, plots=3)
    plots[0].features = "accessible"
    household = _without_needs(make.household(members=3))
    ranked = suggest_plots(session, household, today=TODAY)
    assert ranked[-1].code == plots[0].code
    assert any("better kept" in r.text for r in ranked[-1].reasons)


def test_covered_space_below_sphere_ranks_last_and_needs_a_reason(make, session, login_as):
    small, big = make.layout(blocks=1, plots=2)
    small.covered_m2 = 10.0  # 5 people: 2 m² each, below 3.5
    big.covered_m2 = 20.0  # 4 m² each
    household = _without_needs(make.household(members=5))
    ranked = suggest_plots(session, household, today=TODAY)
    assert [s.code for s in ranked] == [big.code, small.code]
    assert ranked[1].warnings == ["covered"] and ranked[1].reasons[0].tone == "bad"
    actor = make.user(roles=["site_manager"])
    with pytest.raises(UserValueError) as refused:
        services.allocate(session, actor, household, small)
    assert refused.value.field == "override_reason" and "below the Sphere threshold" in refused.value.message
    assert _stays(session, household) == []
    stay = services.allocate(session, actor, household, small, override_reason="Family asked to stay together")
    assert stay.warnings == "covered" and stay.override_reason == "Family asked to stay together"


def test_a_cold_camp_uses_the_higher_threshold(make, session):
    camp = make.camp("ISH", region_code="TJ-GB", climate="cold")
    assert camp.climate == "cold"
    (plot,) = make.layout("ISH", blocks=1, plots=1, covered_m2=16.0)
    household = _without_needs(make.household("ISH", members=4))  # 4 m² each: fine at 3.5, short of 4.5
    assert suggest_plots(session, household, today=TODAY)[0].warnings == ["covered"]


def test_tightest_fit_comes_first_so_big_shelters_stay_for_big_families(make, session):
    plots = make.layout(blocks=1, plots=2)
    plots[0].covered_m2 = 40.0
    plots[1].covered_m2 = 12.0
    couple = _without_needs(make.household(members=2))
    assert suggest_plots(session, couple, today=TODAY)[0].code == plots[1].code


def test_near_relatives_and_same_origin_when_asked(make, session):
    plots = make.layout(blocks=3, plots=4)
    actor = make.user(roles=["site_manager"])
    relatives = _without_needs(make.household(members=2, origin_province="AF15"))
    services.allocate(session, actor, relatives, plots[9])  # block B03
    household = _without_needs(make.household(members=3, origin_province="AF15"))
    plain = suggest_plots(session, household, today=TODAY)
    assert plain[0].code.startswith("KHR-B01") or plain[0].code.startswith("KHR-B02")  # emptier blocks first
    near = suggest_plots(session, household, today=TODAY, preferences=Preferences(near_household=relatives))
    assert near[0].code.startswith("KHR-B03")
    assert any(relatives.number in r.text for r in near[0].reasons)
    same = suggest_plots(session, household, today=TODAY, preferences=Preferences(same_origin=True))
    assert same[0].code.startswith("KHR-B03")
    assert any("same place of origin" in r.text for r in same[0].reasons)


def test_blocks_fill_evenly(make, session):
    plots = make.layout(blocks=2, plots=4)
    actor = make.user(roles=["site_manager"])
    for plot in plots[:3]:  # B01 three quarters full
        services.allocate(session, actor, _without_needs(make.household(members=1)), plot)
    household = _without_needs(make.household(members=3))
    assert suggest_plots(session, household, today=TODAY)[0].code.startswith("KHR-B02")


def test_relocation_and_vacating_keep_history_and_counts(make, session):
    first, second = make.layout(blocks=1, plots=2)
    actor = make.user(roles=["site_manager"])
    household = make.household(members=3)
    services.allocate(session, actor, household, first)
    with pytest.raises(UserValueError, match="relocate it instead"):
        services.allocate(session, actor, household, second)
    again = services.allocate(session, actor, household, first)  # a double click changes nothing
    assert len(_stays(session, household)) == 1 and again.plot_id == first.id
    services.allocate(session, actor, household, second, relocate=True)
    assert (first.status, first.household_count, second.status, second.household_count) == ("vacant", 0, "occupied", 1)
    services.vacate(session, actor, household)
    stays = _stays(session, household)
    assert [(s.plot_id, s.end_reason) for s in stays] == [(first.id, "relocated"), (second.id, "vacated")]
    assert second.status == "vacant" and second.household_count == 0


def test_a_communal_hall_holds_several_households_up_to_its_capacity(make, session):
    (hall,) = make.layout(blocks=1, plots=1, shelter_type="communal", capacity=2, covered_m2=80.0, area_m2=120.0)
    actor = make.user(roles=["site_manager"])
    one, two, three = (_without_needs(make.household(members=4)) for _ in range(3))
    services.allocate(session, actor, one, hall)
    assert suggest_plots(session, two, today=TODAY)[0].reasons[1].text.startswith("Communal shelter: 4 people")
    services.allocate(session, actor, two, hall)
    assert hall.household_count == 2
    assert suggest_plots(session, three, today=TODAY) == []
    with pytest.raises(UserValueError, match="was just taken"):
        services.allocate(session, actor, three, hall)


def test_departed_households_and_out_of_use_plots_are_refused_and_nothing_changes(make, session):
    plots = make.layout(blocks=1, plots=2)
    plots[1].status = "out_of_use"
    actor = make.user(roles=["site_manager"])
    gone = make.household(members=2, status="departed")
    with pytest.raises(UserValueError, match="not active"):
        services.allocate(session, actor, gone, plots[0])
    with pytest.raises(UserValueError, match="out of use"):
        services.allocate(session, actor, make.household(members=2), plots[1])
    other = make.layout("SHR", blocks=1, plots=1)[0]
    with pytest.raises(UserValueError, match="another camp"):
        services.allocate(session, actor, make.household(members=2), other)
    assert session.scalar(select(func.count()).select_from(PlotAllocation)) == 0
    assert plots[0].household_count == 0 and plots[0].status == "vacant"


@pytest.mark.parametrize("leave", ["departed", "transfer", "last_member", "inactive"])
def test_the_plot_is_freed_when_the_household_leaves(make, session, leave):
    (plot,) = make.layout(blocks=1, plots=1)
    actor = make.user(roles=["registration_supervisor"])
    household = make.household(members=1)
    services.allocate(session, actor, household, plot)
    if leave == "transfer":
        lifecycle.transfer(session, actor, household, make.camp("SHR"))
        expected = "transferred"
    elif leave == "last_member":
        lifecycle.end_membership(session, actor, household.members[0], "departed", TODAY, TODAY)
        expected = "departed"
    else:
        lifecycle.set_status(session, actor, household, leave)
        expected = leave
    session.flush()
    assert plot.household_count == 0 and plot.status == "vacant"
    assert _stays(session, household)[0].end_reason == expected


def test_the_shelter_page_allocates_relocates_and_refuses_bad_input(make, session, client, login_as):
    plots = make.layout(blocks=1, plots=3)
    plots[2].features = "accessible"
    login_as("site_manager", "KHR")
    household = make.household(members=3)
    page = client.get(f"/households/{household.number}/shelter")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index(plots[2].code) < html.index(plots[0].code)  # accessible first
    assert "Accessible plot, needed for: disability" in html
    assert "accessible (disability)" in html and "near water and latrines" in html  # what the family needs
    refused = client.post(f"/households/{household.number}/shelter", data={"plot": "KHR-B09-999"})
    assert refused.status_code == 422 and "No plot with this code" in refused.get_data(as_text=True)
    assert 'value="KHR-B09-999"' in refused.get_data(as_text=True)
    done = client.post(f"/households/{household.number}/shelter", data={"plot": plots[2].code})
    assert done.status_code == 302
    twice = client.post(f"/households/{household.number}/shelter", data={"plot": plots[2].code})
    assert twice.status_code == 302 and len(_stays(session, household)) == 1
    moved = client.post(f"/households/{household.number}/shelter", data={"plot": plots[0].code, "relocate": "1"})
    assert moved.status_code == 302
    history = client.get(f"/households/{household.number}/shelter").get_data(as_text=True)
    assert "Relocated" in history and plots[0].code in history
    gone = client.post(f"/households/{household.number}/shelter/vacate", data={"reason": "vacated"})
    assert gone.status_code == 302 and plots[0].household_count == 0


def test_a_site_manager_of_another_camp_gets_404(make, client, login_as):
    make.layout(blocks=1, plots=1)
    household = make.household("KHR")
    login_as("site_manager", "SHR")
    assert client.get(f"/households/{household.number}/shelter").status_code == 404


def test_api_suggests_allocates_idempotently_and_vacates(make, session, api):
    plots = make.layout(blocks=1, plots=2)
    plots[1].features = "accessible"
    household = make.household(members=2)
    caller = api("site_manager")
    ranked = caller.get(f"/api/v1/households/{household.number}/plot-suggestions")
    assert ranked.status_code == 200 and ranked.json["items"][0]["plot"] == plots[1].code
    assert {"tone", "text"} <= ranked.json["items"][0]["reasons"][0].keys()
    first = caller.put(f"/api/v1/households/{household.number}/plot", json={"plot": plots[1].code})
    assert first.status_code == 201 and first.json["plot"] == plots[1].code
    again = caller.put(f"/api/v1/households/{household.number}/plot", json={"plot": plots[1].code})
    assert again.status_code == 200 and len(again.json["history"]) == 1
    clash = caller.put(f"/api/v1/households/{household.number}/plot", json={"plot": plots[0].code})
    assert clash.status_code == 422 and "relocate" in clash.json["error"]["detail"]
    moved = caller.put(f"/api/v1/households/{household.number}/plot", json={"plot": plots[0].code, "relocate": True})
    assert moved.status_code == 201 and [h["end_reason"] for h in moved.json["history"]] == [None, "relocated"]
    gone = caller.delete(f"/api/v1/households/{household.number}/plot")
    assert gone.status_code == 200 and gone.json["plot"] is None
    assert caller.put(f"/api/v1/households/{household.number}/plot", json={"plot": "nope"}).status_code == 422


def test_cards_carry_the_plot_and_print_by_block_in_plot_order(app, make, session):
    from registration.cards import services as cards

    plots = make.layout(blocks=2, plots=3)
    actor = make.user(roles=["site_manager"])
    in_b02 = [make.household(members=2) for _ in range(2)]
    elsewhere = make.household(members=2)
    services.allocate(session, actor, in_b02[0], plots[5])  # KHR-B02-003
    services.allocate(session, actor, in_b02[1], plots[3])  # KHR-B02-001
    services.allocate(session, actor, elsewhere, plots[0])
    hq = make.user(roles=["registration_clerk"], camps=[], all_camps=True)
    camp_id = in_b02[0].camp_id
    queue = session.scalars(cards.print_queue(hq, camp_id, TODAY, "b02")).all()
    assert [h.id for h in queue] == [in_b02[1].id, in_b02[0].id]
    with app.app_context():  # the signing key lives in the instance folder
        card = cards.issue(session, actor, in_b02[0], TODAY)
        assert cards.card_data(session, card).plot == "KHR-B02-003"
        card = cards.issue(session, actor, make.household(members=1), TODAY)
        assert cards.card_data(session, card).plot is None
