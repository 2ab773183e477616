"""Each criterion of a plot suggestion on its own: its points and its line of "why this plot?"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from camps.allocation import suggestions as s
from camps.allocation.rules import HouseholdNeeds

NEEDS = HouseholdNeeds(size=4, accessible_because=(), near_wash=False)
DISABLED = HouseholdNeeds(size=4, accessible_because=("disability",), near_wash=True)


def _row(**fields):
    plot = {"id": 1, "code": "KHR-B01-001", "block_id": 1, "x": 0.0, "y": 0.0, "width": 10.0, "depth": 10.0}
    plot |= {"covered_m2": 14.0, "features": "", "water_m": None, "latrine_m": None}
    return SimpleNamespace(**(plot | fields))


def _plot(needs=NEEDS, **kw) -> s.Candidate:
    """A plot of 14 m² covered for 4 people in a 3.5 m² climate: exactly the threshold."""
    fields = {"row": _row(), "needs": needs, "because": "disability", "threshold": 3.5, "people_there": 0}
    return s.Candidate(**(fields | {"block": ("B01", 0, 10)} | kw))


def test_every_criterion_has_a_tone_and_a_reason():
    assert {c.tone for c in s.CRITERIA.values()} == {"good", "bad", "info"}
    assert all(c.says.strip() for c in s.CRITERIA.values())
    assert [c.warning for c in s.CRITERIA.values() if c.warning] == ["covered"]


@pytest.mark.parametrize(
    ("covered", "points", "name"),
    [(14, 100, "space"), (28, 92, "space"), (140, 76, "space"), (7, -100, "crowded"), (10.5, -75, "crowded")],
)
def test_space_rewards_the_tightest_fit_at_or_above_the_threshold(covered, points, name):
    judgement = s._space(_plot(row=_row(covered_m2=covered)))
    assert judgement.criterion == name and judgement.points == pytest.approx(points)
    assert judgement.values == {"area": covered, "people": 4, "each": covered / 4, "min": 3.5}


def test_people_already_there_count_in_the_space_and_are_said():
    plot = _plot(people_there=4)
    assert s._space(plot).values["people"] == 8 and s._space(plot).criterion == "crowded"
    assert s._communal(plot) == s.Judgement(0, "communal", {"n": 4}) and s._communal(_plot()) is None


def test_accessible_plots_go_to_those_who_need_them():
    accessible = _row(features="accessible flood_risk")
    assert s._accessible(_plot(DISABLED, row=accessible)) == (60, "accessible", {"why": "disability"})
    assert s._accessible(_plot(DISABLED)) == (0, "not_accessible", {"why": "disability"})
    assert s._accessible(_plot(row=accessible)) == (-15, "keep_accessible", {})
    assert s._accessible(_plot()) is None


def test_near_water_and_latrines_only_for_those_who_need_it():
    near = _row(water_m=80, latrine_m=40)
    assert s._near_wash(_plot(DISABLED, row=near)).points == 30
    assert s._near_wash(_plot(DISABLED, row=_row(features="near_wash"))).criterion == "near_wash"
    assert s._near_wash(_plot(DISABLED, row=_row(water_m=80, latrine_m=60))) == (0, "not_near_wash", {})
    assert s._near_wash(_plot(row=near)) is None


def test_far_water_and_flood_risk_cost_points():
    assert s._water_far(_plot(row=_row(water_m=600))) == (-20, "water_far", {"m": 600})
    assert s._water_far(_plot(row=_row(water_m=500))) is None and s._water_far(_plot()) is None
    assert s._flood_risk(_plot(row=_row(features="accessible flood_risk"))) == (-20, "flood_risk", {})
    assert s._flood_risk(_plot()) is None


def test_relatives_closer_is_better_and_the_same_block_better_still():
    relatives = SimpleNamespace(number="KHR-000001-A")
    anchor = SimpleNamespace(x=0.0, y=0.0, width=10.0, depth=10.0, block_id=1, code="KHR-B01-002")
    assert s._relatives(_plot(anchor=anchor, near_household=relatives)) == (
        65,
        "near_relatives",
        {"m": 0, "number": "KHR-000001-A", "plot": "KHR-B01-002"},
    )
    elsewhere = SimpleNamespace(**(vars(anchor) | {"x": 100.0, "block_id": 2}))
    assert s._relatives(_plot(anchor=elsewhere, near_household=relatives)).points == 20
    far = SimpleNamespace(**(vars(elsewhere) | {"x": 175.0}))
    assert s._relatives(_plot(anchor=far, near_household=relatives)) == (5, None, {})  # counts, beyond 150 m unsaid
    farther = SimpleNamespace(**(vars(elsewhere) | {"x": 300.0}))
    assert s._relatives(_plot(anchor=farther, near_household=relatives)).points == 0
    assert s._relatives(_plot(near_household=relatives)) == (0, "relatives_unplaced", {"number": "KHR-000001-A"})
    assert s._relatives(_plot()) is None


def test_same_origin_counts_up_to_ten_households_and_emptier_blocks_come_first():
    assert s._same_origin(_plot(same_origin=3)) == (21, "same_origin", {"n": 3})
    assert s._same_origin(_plot(same_origin=20)).points == 35 and s._same_origin(_plot()) is None
    assert s._block_fill(_plot(block=("B02", 30, 40))) == (5, "block_fill", {"block": "B02", "pct": 75})
    assert s._block_fill(_plot(block=("B03", 0, 0))) == (0, "block_fill", {"block": "B03", "pct": 100})


def test_score_adds_the_points_and_lists_one_line_per_criterion_in_order(app):
    row = _row(covered_m2=10.5, features="accessible flood_risk", water_m=600, latrine_m=10)
    plot = _plot(DISABLED, row=row, block=("B01", 5, 10))
    with app.test_request_context("/"):
        suggestion = s._score(plot)
        lines = [(r.tone, r.text) for r in suggestion.reasons]
    # -75 crowded, +60 accessible, 0 not near (water 600 m), -20 water far, -20 flood risk, +10 half-full block
    assert suggestion.score == -45 and suggestion.warnings == ["covered"]
    assert lines == [
        ("bad", "10.5 m² covered for 4 people: 2.6 m² each (Sphere: 3.5)."),
        ("good", "Accessible plot, needed for: disability."),
        ("bad", "Not near water and latrines, though needed."),
        ("bad", "Water point 600 m away (Sphere: at most 500 m)."),
        ("bad", "Flood risk."),
        ("info", "Block B01 is 50% full."),
    ]
    assert suggestion.covered_per_person == 2.62 and suggestion.block_code == "B01"
