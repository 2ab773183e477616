"""Loaders that write ids (the demo world, the benchmarks' data) leave the id sequences past them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.db import own_transaction
from app.users.models import User
from camps.sites.models import Camp
from registration.households import desk

TODAY = date.today()


def test_registration_after_the_demo_is_saved(fresh_app):
    """On PostgreSQL every registration after ``panoh demo`` failed with 500 (duplicate id)."""
    result = fresh_app.test_cli_runner().invoke(args=["demo", "--households", "30", "--seed", "4"])
    assert result.exit_code == 0, result.output
    with fresh_app.app_context():
        for _ in range(2):  # the ids of households, people and their keys all come from sequences
            with own_transaction() as session:
                clerk = session.scalar(select(User).where(User.username == "clerk"))
                camp = session.scalar(select(Camp).where(Camp.code == "KHR"))
                data = {
                    "camp_id": camp.id,
                    "arrival_date": TODAY - timedelta(days=1),
                    "crossing_point": "PPY",
                    "origin_province": "AF15",
                    "phone": "",
                    "languages": ["prs"],
                    "consent": True,
                    "token": None,
                    "members": [
                        {
                            "given_name": "Zabihullah",
                            "father_name": "Nasrullah",
                            "sex": "m",
                            "born": "1979",
                            "relation_to_head": "head",
                            "marital_status": "married",
                            "needs": "DS-PM",
                        }
                    ],
                }
                household, created = desk.register_household(
                    session, clerk, desk.clean_household(session, clerk, data, TODAY), check_duplicates=False
                )
                assert created and household.id > 30
