"""Distribution rounds set up by site managers: the form and its refusals, entitlement, status, alternates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.errors import UserValueError, ValidationErrors
from camps.distributions import alternates, rounds
from camps.distributions.models import AlternateCollector, DistributionRound
from camps.distributions.reconcile import entitlement_table

FORM = {
    "name": "October food",
    "starts_on": "2026-10-01",
    "ends_on": "2026-10-10",
    "rule": "household",
    "brackets": "",
    "statuses": ["active"],
    "alternates_allowed": "y",
    "items-0-name": "Wheat flour",
    "items-0-unit": "kg",
    "items-0-quantity": "25",
    "items-1-name": "Vegetable oil",
    "items-1-unit": "l",
    "items-1-quantity": "2.5",
}


def _data(**overrides) -> dict:
    data = {
        "name": "October food",
        "starts_on": date(2026, 10, 1),
        "ends_on": date(2026, 10, 10),
        "rule": "household",
        "brackets": "",
        "statuses": ["active"],
        "alternates_allowed": True,
        "items": [{"name": "Wheat flour", "unit": "kg", "quantity": 25}],
    }
    return {**data, **overrides}


def _rounds(session) -> int:
    return session.scalar(select(func.count()).select_from(DistributionRound))


def test_a_manager_creates_a_round_from_the_page(client, login_as, session, make):
    login_as("site_manager")
    page = client.get("/camps/KHR/rounds/new")
    assert page.status_code == 200 and page.data.count(b'name="items-') == 6 * 3
    response = client.post("/camps/KHR/rounds/new", data=FORM)
    assert response.status_code == 302
    round_ = session.scalar(select(DistributionRound))
    assert response.headers["Location"] == f"/distributions/rounds/{round_.id}"
    assert [(i.name, i.unit, i.quantity) for i in round_.items] == [
        ("Wheat flour", "kg", 25.0),
        ("Vegetable oil", "l", 2.5),
    ]
    assert round_.camp_id == make.camp("KHR").id and round_.status == "open" and round_.alternates_allowed
    listing = client.get("/distributions/rounds").get_data(as_text=True)
    assert "October food" in listing and "0 / 0" in listing


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"ends_on": "2026-09-20"}, "ends_on", "The last day is before the first."),
        ({"rule": "brackets", "brackets": "1-3:1 5-:2"}, "brackets", "without gaps or overlaps"),
        ({"items-1-quantity": "0"}, "items-1-quantity", "Enter a quantity above 0."),
        (
            {
                "items-0-name": "",
                "items-0-unit": "",
                "items-0-quantity": "",
                "items-1-name": "",
                "items-1-unit": "",
                "items-1-quantity": "",
            },
            "items",
            "Add at least one item.",
        ),
    ],
)
def test_a_refused_round_shows_the_message_by_its_field_keeps_the_values_and_saves_nothing(
    client, login_as, session, changes, field, message
):
    login_as("site_manager")
    response = client.post("/camps/KHR/rounds/new", data={**FORM, **changes})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = html.split(f'data-field-error="{field}"', 1)[1].split("</div>", 1)[0]
    assert message in error
    if field != "name":
        assert 'value="October food"' in html
    if field != "items":
        assert 'value="Vegetable oil"' in html
    assert _rounds(session) == 0


def test_editing_a_round_replaces_its_items_and_rule(client, login_as, session, make):
    actor = login_as("site_manager")
    round_ = rounds.create_round(session, actor, make.camp("KHR"), _data())
    page = client.get(f"/distributions/rounds/{round_.id}/edit").get_data(as_text=True)
    assert 'value="Wheat flour"' in page and 'value="2026-10-01"' in page
    response = client.post(
        f"/distributions/rounds/{round_.id}/edit",
        data={**FORM, "rule": "brackets", "brackets": "1-3:1 4-6:2 7-:3", "items-1-quantity": ""}
        | {"items-1-name": "", "items-1-unit": ""},
    )
    assert response.status_code == 302
    session.expire_all()
    round_ = session.get(DistributionRound, round_.id)
    assert round_.rule == "brackets" and round_.brackets == "1-3:1 4-6:2 7-:3" and len(round_.items) == 1


def test_entitlement_follows_the_rule(make, session):
    actor = make.user(roles=["site_manager"])
    items = [{"name": "Flour", "unit": "kg", "quantity": 10}, {"name": "Soap", "unit": "bars", "quantity": 0.5}]
    camp = make.camp("KHR")
    per_household = rounds.create_round(session, actor, camp, _data(items=items))
    per_person = rounds.create_round(session, actor, camp, _data(items=items, rule="person"))
    brackets = rounds.create_round(
        session, actor, camp, _data(items=items, rule="brackets", brackets="1-3:1 4-6:2 7-:3")
    )
    assert [q for _i, q in rounds.entitlement(per_household, 5)] == [10, 0.5]
    assert [q for _i, q in rounds.entitlement(per_person, 5)] == [50, 2.5]
    assert [rounds.rations(brackets, n) for n in (1, 3, 4, 6, 7, 12)] == [1, 1, 2, 2, 3, 3]
    table = entitlement_table(brackets)
    assert [row[0] for row in table] == list(range(1, 13)) and table[4] == (5, 2.0, [20.0, 1.0])


def test_the_round_page_shows_the_entitlement_table_and_closes_the_round(client, login_as, session, make):
    actor = login_as("site_manager")
    round_ = rounds.create_round(
        session,
        actor,
        make.camp("KHR"),
        _data(rule="person", items=[{"name": "Flour", "unit": "kg", "quantity": 12.5}]),
    )
    html = client.get(f"/distributions/rounds/{round_.id}").get_data(as_text=True)
    table = html.split('data-testid="entitlement"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">4</th><td class="text-end">4</td>' in table and ">50<" in table
    assert f"/distributions/rounds/{round_.id}/scan" in html and "Open the scan page" in html
    assert client.post(f"/distributions/rounds/{round_.id}/status", data={"status": "closed"}).status_code == 302
    session.refresh(round_)
    assert round_.status == "closed"
    assert client.post(f"/distributions/rounds/{round_.id}/status", data={"status": "nope"}).status_code == 400
    assert (
        session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "distribution.round_close")
        )
        == 1
    )


def test_rounds_and_households_of_another_camp_are_not_found(client, login_as, session, make):
    other = make.user(roles=["site_manager"], camps=["DSH"])
    round_ = rounds.create_round(session, other, make.camp("DSH"), _data())
    household = make.household("DSH")
    login_as("site_manager", "KHR")
    for path in (
        f"/distributions/rounds/{round_.id}",
        f"/distributions/rounds/{round_.id}/edit",
        f"/distributions/rounds/{round_.id}/not-served",
        f"/distributions/rounds/{round_.id}/export.csv",
        f"/distributions/rounds/{round_.id}/export.xlsx",
        "/camps/DSH/rounds/new",
        f"/households/{household.number}/alternates",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/distributions/rounds/{round_.id}/status", data={"status": "closed"}).status_code == 404
    alternate = alternates.add_alternate(session, other, household, {"name": "Nasir"})
    assert client.post(f"/alternates/{alternate.id}/deactivate").status_code == 404
    assert alternate.active
    assert "October food" not in client.get("/distributions/rounds").get_data(as_text=True)


def test_alternates_are_added_up_to_three_and_removed(client, login_as, session, make):
    login_as("site_manager")
    household = make.household("KHR")
    path = f"/households/{household.number}/alternates"
    for n in range(3):
        response = client.post(
            path, data={"name": f"Neighbour {n}", "name_orig": "نصیر", "relation": "neighbour", "document": f"T-{n}"}
        )
        assert response.status_code == 302
    refused = client.post(path, data={"name": "A fourth"})
    assert refused.status_code == 422 and "at most 3 alternate collectors" in refused.get_data(as_text=True)
    html = client.get(path).get_data(as_text=True)
    assert '<bdi class="name-orig" dir="auto">نصیر</bdi>' in html and "A fourth" not in html
    first = alternates.alternates_of(session, household.id)[0]
    assert client.post(f"/alternates/{first.id}/deactivate").status_code == 302
    assert len(alternates.alternates_of(session, household.id)) == 2
    assert len(alternates.alternates_of(session, household.id, active_only=False)) == 3
    assert client.post(path, data={"name": "A fourth"}).status_code == 302
    events = session.scalars(select(AuditEvent).where(AuditEvent.action.startswith("distribution.alternate"))).all()
    assert len(events) == 5 and all("Neighbour" not in str(e.details) for e in events)


def test_an_alternate_needs_a_name_and_an_active_household(client, login_as, session, make):
    actor = login_as("site_manager")
    household = make.household("KHR")
    response = client.post(f"/households/{household.number}/alternates", data={"name": "", "relation": "x" * 61})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-field-error="name"' in html and 'data-field-error="relation"' in html
    with pytest.raises(ValidationErrors) as refused:
        alternates.add_alternate(session, actor, household, {"name": "  ", "document": "x" * 41})
    assert set(refused.value.errors) == {"name", "document"}
    household.status = "departed"
    with pytest.raises(UserValueError, match="active household"):
        alternates.add_alternate(session, actor, household, {"name": "Nasir"})
    assert session.scalar(select(func.count()).select_from(AlternateCollector)) == 0


def test_the_rounds_service_holds_the_rules_the_form_used_to_check_too(session, make):
    """The page's form converts types only: who qualifies, the name and the items' lengths are the service's."""
    actor = make.user(roles=["site_manager"])
    camp = make.camp("KHR")
    with pytest.raises(ValidationErrors) as refused:
        rounds.create_round(
            session, actor, camp, _data(statuses=[], name=" ", items=[{"name": "x" * 81, "unit": "kg"}])
        )
    assert refused.value.by_field() == {
        "name": ["This field is required."],
        "statuses": ["Choose which households qualify."],
        "items-0-name": ["Name the item."],
        "items-0-quantity": ["Enter a quantity above 0."],
    }
    without = {key: value for key, value in _data().items() if key != "statuses"}
    assert rounds.create_round(session, actor, camp, without).qualifying == ("active",)


def test_a_round_page_refused_for_who_qualifies_keeps_what_was_typed(client, login_as, session):
    login_as("site_manager")
    response = client.post("/camps/KHR/rounds/new", data={**FORM, "statuses": []})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="Vegetable oil"' in html
    assert "Choose which households qualify." in html.split('data-field-error="statuses"', 1)[1].split("</div>", 1)[0]
    assert _rounds(session) == 0
