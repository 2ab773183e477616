"""Registration tells allocation that a household left (registration/households/signals.py): the plot is freed."""

from __future__ import annotations

from sqlalchemy import select

from camps.allocation import services
from camps.allocation.models import current_plot_of
from registration.dedup import review
from registration.dedup.models import DuplicatePair
from registration.households.signals import household_left
from tests.registration.test_review import _register


def test_the_factory_connects_allocation_once_however_often_it_runs(app):
    services.connect()
    services.connect()
    receivers = list(household_left.receivers_for(object()))
    assert receivers == [services._household_left]


def test_a_merge_that_empties_a_household_frees_its_plot(session, make):
    camp = make.camp("KHR")
    (plot,) = make.layout(blocks=1, plots=1)
    supervisor = make.user(roles=["registration_supervisor"], camps=["KHR"])
    a = _register(session, camp, "Mohammad", "محمد", "1985")
    b = _register(session, camp, "Muhammad", "Муҳаммад", "1985")
    services.allocate(session, supervisor, b, plot)
    assert current_plot_of(session, b.id) == plot
    pair = session.scalar(select(DuplicatePair))
    review.merge(session, supervisor, pair, a.head)
    session.flush()
    assert current_plot_of(session, b.id) is None
    assert plot.household_count == 0 and plot.status == "vacant"
