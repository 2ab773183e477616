"""A refused round form marks every field the rules refuse at once, also when a date or a quantity does not parse
(the form converts types, the rounds service holds the rules: the page still shows both kinds together)."""

from __future__ import annotations

from sqlalchemy import func, select

from camps.distributions.models import DistributionRound
from tests.camps.test_distribution_rounds import FORM


def _error(html: str, field: str) -> str:
    return (
        html.split(f'data-field-error="{field}"', 1)[1].split("</div>", 1)[0]
        if f'data-field-error="{field}"' in html
        else ""
    )


def test_a_round_with_a_bad_date_also_shows_the_missing_name_and_who_qualifies(client, login_as, session, make):
    make.camp("KHR")
    login_as("site_manager")
    data = {**FORM, "name": "", "starts_on": "2026-13-45", "statuses": [], "items-1-name": "x" * 81}
    response = client.post("/camps/KHR/rounds/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error(html, "starts_on") and "Not a valid date" in _error(html, "starts_on")
    assert "Enter the first day" not in html  # one message for the date: the form's
    assert "This field is required." in _error(html, "name")
    assert "Choose which households qualify." in _error(html, "statuses")
    assert _error(html, "items-1-name")
    assert 'value="Wheat flour"' in html and 'value="2026-13-45"' in html
    assert session.scalar(select(func.count()).select_from(DistributionRound)) == 0
