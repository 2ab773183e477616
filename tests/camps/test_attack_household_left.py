"""Attack on the household_left signal: the pages that make a household leave free its plot, with the same audit."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from camps.allocation import services as allocation
from camps.allocation.models import current_plot_of
from tests.serving import ROOT


@pytest.fixture()
def placed(make, session):
    make.camp("KHR")
    make.camp("SHR")
    (plot,) = make.layout(blocks=1, plots=1)
    household = make.household(members=1)
    allocation.allocate(session, None, household, plot)
    session.flush()
    return household, plot


@pytest.mark.parametrize(
    ("path", "data", "reason"),
    [
        ("status", {"status": "departed"}, "departed"),
        ("status", {"status": "inactive"}, "inactive"),
        ("members/1/end", {"status": "departed", "on": "2026-11-02"}, "departed"),
        ("members/1/end", {"status": "deceased", "on": "2026-11-02"}, "inactive"),
        ("transfer", {"camp_id": "SHR"}, "transferred"),
    ],
)
def test_a_household_that_leaves_through_its_page_frees_its_plot(
    client, login_as, session, make, placed, path, data, reason
):
    household, plot = placed
    login_as("registration_supervisor", None)
    if path == "transfer":
        data = {"camp_id": str(make.camp("SHR").id)}
    response = client.post(f"/households/{household.number}/{path}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    session.expire_all()
    assert current_plot_of(session, household.id) is None
    assert plot.household_count == 0 and plot.status == "vacant"
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "plot.vacate")).all()
    assert [(e.object_type, str(e.object_id), e.details) for e in events] == [
        ("household", str(household.id), {"plot": plot.code, "reason": reason})
    ]


def test_two_apps_in_one_process_connect_one_receiver():
    code = (
        "from app.factory import create_app\n"
        "from registration.households.signals import household_left\n"
        "for _ in range(3): create_app({'DATABASE_URL': 'sqlite://', 'SECRET_KEY': 'x', 'TESTING': True})\n"
        "print(len(list(household_left.receivers_for(object()))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "1", out.stderr[-2000:]


def test_moving_the_last_member_out_frees_the_plot(client, login_as, session, make, placed):
    household, plot = placed
    target = make.household(members=2)
    session.flush()
    login_as("registration_supervisor", None)
    response = client.post(f"/households/{household.number}/members/1/move", data={"target": target.number})
    assert response.status_code == 302
    session.expire_all()
    assert current_plot_of(session, household.id) is None and plot.household_count == 0
    (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "plot.vacate")).all()
    assert event.details == {"plot": plot.code, "reason": "inactive"}
