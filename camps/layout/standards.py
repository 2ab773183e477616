"""Sphere and UNHCR site-planning numbers (standards.md §1) and the bands derived from them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: covered living space per person, m², by the camp's climate (Sphere 3.5; UNHCR 4.5 in cold sites)
COVERED_M2_PER_PERSON = {"temperate": 3.5, "cold": 4.5}

#: total site area per person, m²: 45 with gardens, 30 the minimum
SITE_M2_GOOD = 45.0
SITE_M2_MIN = 30.0

#: CCCM congestion bands on site area per person: (lower bound, code, title)
CONGESTION_BANDS = (
    (45.0, "none", _l("Uncongested")),
    (30.0, "low", _l("Low congestion")),
    (20.0, "moderate", _l("Moderate congestion")),
    (0.0, "high", _l("High congestion")),
)

#: a latrine within 50 m of the dwelling; water within 500 m (Sphere), 100 m desirable (UNHCR)
LATRINE_MAX_M = 50.0
WATER_GOOD_M = 100.0
WATER_MAX_M = 500.0
#: people per latrine (Sphere 2018 acute phase 50, long term 20) and per tap (Sphere 250, UNHCR 80-100)
PEOPLE_PER_LATRINE_MAX = 50
PEOPLE_PER_LATRINE_GOAL = 20
PEOPLE_PER_TAP_MAX = 250
PEOPLE_PER_TAP_GOAL = 100


def covered_threshold(climate: str) -> float:
    return COVERED_M2_PER_PERSON.get(climate, COVERED_M2_PER_PERSON["temperate"])


def congestion_band(site_m2_per_person: float | None) -> str | None:
    """The CCCM band code for a site area per person (None when nobody lives there)."""
    if site_m2_per_person is None:
        return None
    return next(code for bound, code, _title in CONGESTION_BANDS if site_m2_per_person >= bound)


def band_title(code: str | None) -> str:
    return next((str(title) for _b, c, title in CONGESTION_BANDS if c == code), "")


def far_below_threshold(climate: str) -> float:
    """Covered m² per person under which a shelter is far below the threshold: two thirds of it."""
    return covered_threshold(climate) * 2 / 3


def covered_band(covered_m2_per_person: float | None, climate: str) -> str | None:
    """How a shelter's covered space per person compares with the Sphere threshold."""
    if covered_m2_per_person is None:
        return None
    if covered_m2_per_person >= covered_threshold(climate):
        return "meets"
    return "below" if covered_m2_per_person >= far_below_threshold(climate) else "far-below"
