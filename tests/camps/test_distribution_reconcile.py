"""Reconciliation of a round: figures, blocks and points, not served, doubles and their review, exports."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from uuid import uuid4

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, insert, select

from app.audit.models import AuditEvent
from app.errors import UserValueError
from camps.allocation.models import PlotAllocation
from camps.distributions import reconcile, rounds
from camps.distributions.models import Collection
from registration.households.models import Household
from registration.households.numbers import format_number

AT = datetime(2026, 10, 2, 9, 30)
ITEMS = [{"name": "Wheat flour", "unit": "kg", "quantity": 10}, {"name": "Oil", "unit": "l", "quantity": 1}]


def _round(session, actor, camp, **overrides):
    data = {
        "name": "October food",
        "starts_on": date(2026, 10, 1),
        "ends_on": date(2026, 10, 10),
        "rule": "brackets",
        "brackets": "1-3:1 4-6:2 7-:3",
        "statuses": ["active"],
        "items": ITEMS,
    }
    return rounds.create_round(session, actor, camp, {**data, **overrides})


def _collect(session, round_, household, point="DP-1", status="ok", **kwargs):
    collection = Collection(
        uid=str(uuid4()),
        round_id=round_.id,
        household_id=household.id,
        point=point,
        status=status,
        collected_at=kwargs.pop("collected_at", AT),
        **kwargs,
    )
    session.add(collection)
    session.flush()
    return collection


def _live_on(session, household, plot, ended=False):
    session.add(
        PlotAllocation(
            camp_id=household.camp_id,
            plot_id=plot.id,
            household_id=household.id,
            ended_at=AT if ended else None,
            end_reason="vacated" if ended else None,
        )
    )
    session.flush()


@pytest.fixture()
def camp(make, session):
    """Four qualifying households (sizes 2, 5, 8, 3: 1 + 2 + 3 + 1 rations) and a departed one."""
    plots = make.layout(blocks=2, plots=2)
    small, big, large, unhoused = (make.household(members=n) for n in (2, 5, 8, 3))
    departed = make.household(members=4, status="departed")
    _live_on(session, small, plots[0])
    _live_on(session, big, plots[1])
    _live_on(session, large, plots[2])
    _live_on(session, unhoused, plots[3], ended=True)
    actor = make.user(roles=["site_manager"])
    round_ = _round(session, actor, make.camp("KHR"))
    ok_small = _collect(session, round_, small, "DP-1")
    double = _collect(
        session,
        round_,
        small,
        "DP-2",
        status="double",
        offline=True,
        flags="double",
        collected_at=datetime(2026, 10, 2, 9, 40),
    )
    _collect(session, round_, large, "DP-2", collected_by="alternate")
    other = _round(session, actor, make.camp("KHR"), name="Hygiene", rule="household")
    _collect(session, other, big, "DP-1")
    return {
        "round": round_,
        "other": other,
        "small": small,
        "big": big,
        "large": large,
        "unhoused": unhoused,
        "departed": departed,
        "double": double,
        "ok_small": ok_small,
        "actor": actor,
    }


def test_the_summary_counts_expected_and_collected_households_and_items(session, camp):
    summary = reconcile.round_summary(session, camp["round"])
    assert (summary.expected_households, summary.collected_households) == (4, 2)
    assert [(i.name, q) for i, q in summary.expected_items] == [("Wheat flour", 70.0), ("Oil", 7.0)]
    assert [(i.name, q) for i, q in summary.collected_items] == [("Wheat flour", 40.0), ("Oil", 4.0)]
    assert summary.flagged == 1
    assert [
        (s.key, s.expected_households, s.collected_households, s.expected_rations, s.collected_rations)
        for s in summary.by_block
    ] == [("B01", 2, 1, 3.0, 1.0), ("B02", 1, 1, 3.0, 3.0), (None, 1, 0, 1.0, 0.0)]
    assert [(s.key, s.collected_households, s.collected_rations) for s in summary.by_point] == [
        ("DP-1", 1, 1.0),
        ("DP-2", 1, 3.0),
    ]
    other = reconcile.round_summary(session, camp["other"])
    assert (other.expected_households, other.collected_households, other.flagged) == (4, 1, 0)
    assert reconcile.round_counts(session, [camp["round"], camp["other"]]) == {
        camp["round"].id: (2, 4),
        camp["other"].id: (1, 4),
    }


def test_a_per_person_round_counts_people(session, make, camp):
    round_ = _round(
        session, camp["actor"], make.camp("KHR"), name="Blankets", rule="person", statuses=["active", "departed"]
    )
    _collect(session, round_, camp["big"])
    summary = reconcile.round_summary(session, round_)
    assert summary.expected_households == 5 and summary.total.expected_rations == 2 + 5 + 8 + 3 + 4
    assert summary.collected_items[0][1] == 50.0


def test_the_round_page_shows_the_reconciliation(client, login_as, camp):
    login_as("site_manager")
    html = client.get(f"/distributions/rounds/{camp['round'].id}").get_data(as_text=True)
    assert 'data-testid="collected-households">2<' in html and 'data-testid="expected-households">4<' in html
    blocks = html.split('data-testid="by-block"', 1)[1].split("</table>", 1)[0]
    assert "No plot" in blocks and "40 / 70" not in blocks and "10 / 30" in blocks
    assert 'data-point="DP-2"' in html and f'data-flagged="{camp["double"].uid}"' in html
    assert "Households not served yet (2)" in html


def test_the_not_served_list_has_qualifying_households_without_a_collection(client, login_as, session, camp):
    query = reconcile.not_served_query(camp["round"])
    assert [h.number for h in session.scalars(query)] == sorted([camp["big"].number, camp["unhoused"].number])
    login_as("site_manager")
    html = client.get(f"/distributions/rounds/{camp['round'].id}/not-served").get_data(as_text=True)
    assert f'href="/households/{camp["big"].number}"' in html and "KHR-B01-002" in html
    assert camp["small"].number not in html and camp["departed"].number not in html
    assert [c.uid for c, _number in session.execute(reconcile.flagged_query(camp["round"]))] == [camp["double"].uid]


def test_a_manager_reviews_a_double(client, login_as, session, camp):
    login_as("site_manager")
    uid = camp["double"].uid
    refused = client.post(f"/distributions/collections/{uid}/review", data={"decision": "maybe"})
    assert refused.status_code == 422 and 'data-field-error="decision"' in refused.get_data(as_text=True)
    response = client.post(
        f"/distributions/collections/{uid}/review",
        data={"decision": "cleared", "note": "Second device retried; one handout"},
    )
    assert response.status_code == 302
    session.refresh(camp["double"])
    assert camp["double"].review == "cleared" and camp["double"].reviewed_at is not None
    assert reconcile.round_summary(session, camp["round"]).flagged == 0
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "distribution.flag_review"))
    assert event.object_id == uid and event.details == {"round": camp["round"].id, "decision": "cleared"}
    with pytest.raises(UserValueError):
        reconcile.review_flagged(session, camp["actor"], camp["ok_small"], "confirmed", None)
    assert client.post("/distributions/collections/unknown/review", data={"decision": "cleared"}).status_code == 404


def test_the_csv_export_has_every_household_and_collection_and_is_audited(client, login_as, session, camp):
    login_as("site_manager")
    response = client.get(f"/distributions/rounds/{camp['round'].id}/export.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"] == f"attachment; filename=panoh-round-{camp['round'].id}.csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == [
        "Household",
        "Size",
        "Block",
        "Plot",
        "Collected",
        "Collected at (UTC)",
        "Point",
        "Collected by",
        "Status",
    ]
    by_number = {}
    for row in rows[1:]:
        by_number.setdefault(row[0], []).append(row)
    assert len(rows) == 6 and camp["departed"].number not in by_number
    assert by_number[camp["small"].number] == [
        [camp["small"].number, "2", "B01", "KHR-B01-001", "yes", "2026-10-02 09:30:00", "DP-1", "head", "ok"],
        [camp["small"].number, "2", "B01", "KHR-B01-001", "no", "2026-10-02 09:40:00", "DP-2", "head", "double"],
    ]
    assert by_number[camp["unhoused"].number] == [
        [camp["unhoused"].number, "3", "", "", "no", "", "", "", "not_collected"]
    ]
    assert by_number[camp["large"].number][0][7] == "alternate"
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "distribution.export"))
    assert event.details == {"round": camp["round"].id, "format": "csv"} and event.object_id == str(camp["round"].id)


def test_the_xlsx_export_opens_in_a_spreadsheet(client, login_as, session, camp):
    login_as("site_manager")
    response = client.get(f"/distributions/rounds/{camp['round'].id}/export.xlsx")
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Household" and len(rows) == 6
    assert (camp["large"].number, 8, "B02", "KHR-B02-001", "yes") == rows[
        [r[0] for r in rows].index(camp["large"].number)
    ][:5]
    assert (
        session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "distribution.export"))
        == 1
    )


def test_a_camp_of_thousands_of_households_is_reconciled_in_sql(session, make):
    """Sizes for speed are in `make bench`; here the set-based figures must add up at a real scale."""
    plots = make.layout(blocks=4, plots=5)
    camp = make.camp("KHR")
    session.execute(
        insert(Household),
        [
            {
                "number": format_number("KHR", n),
                "camp_id": camp.id,
                "status": "active",
                "arrival_date": date(2026, 9, 1),
                "size": 1 + n % 9,
            }
            for n in range(1, 2_001)
        ],
    )
    ids = session.scalars(select(Household.id).where(Household.camp_id == camp.id).order_by(Household.id)).all()
    session.execute(
        insert(PlotAllocation),
        [{"camp_id": camp.id, "plot_id": plots[i % 20].id, "household_id": hid} for i, hid in enumerate(ids[:1_500])],
    )
    round_ = _round(session, make.user(roles=["site_manager"]), camp)
    session.execute(
        insert(Collection),
        [
            {
                "uid": str(uuid4()),
                "round_id": round_.id,
                "household_id": hid,
                "point": f"DP-{i % 3}",
                "status": "ok",
                "collected_by": "head",
                "collected_at": AT,
                "recorded_at": AT,
                "offline": False,
            }
            for i, hid in enumerate(ids[::2])
        ],
    )
    summary = reconcile.round_summary(session, round_)
    rows = sum(1 for _row in reconcile.export_rows(session, round_))
    waiting = session.scalar(select(func.count()).select_from(reconcile.not_served_query(round_).subquery()))
    first = session.scalars(reconcile.not_served_query(round_).limit(50)).all()
    assert (summary.expected_households, summary.collected_households) == (2_000, 1_000)
    assert len(summary.by_block) == 5 and summary.by_block[-1].expected_households == 500
    assert rows == 2_000 and waiting == 1_000 and first[0].number == format_number("KHR", 2)
