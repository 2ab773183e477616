"""What a household needs from a plot, read from its members' specific needs and ages.

Plots are matched to needs, not to diagnoses: the reasons shown to staff name the need
("accessible plot: disability"), never the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from registration.births import age_on

#: specific-needs categories and codes that call for an accessible plot
ACCESSIBLE_CATEGORIES = frozenset({"DS", "ER"})
ACCESSIBLE_CODES = frozenset({"SM-CC", "SM-CI", "SM-DP"})
#: ...and those that call for a plot near water and latrines
NEAR_WASH_CATEGORIES = frozenset({"DS", "ER", "SM"})
NEAR_WASH_CODES = frozenset({"WR-LC", "CR-TP"})
#: why an accessible plot comes first, as staff read it
ACCESSIBLE_BECAUSE = {
    "disability": _l("disability"),
    "older_person": _l("older person"),
    "medical": _l("serious medical condition"),
}
#: an older person, by UNHCR's usual cut-off
OLDER_AGE = 60


@dataclass(frozen=True)
class HouseholdNeeds:
    size: int
    #: 'disability', 'older_person' or 'medical': why an accessible plot comes first
    accessible_because: tuple[str, ...]
    near_wash: bool

    @property
    def accessible(self) -> bool:
        return bool(self.accessible_because)

    @property
    def because(self) -> str:
        return ", ".join(str(ACCESSIBLE_BECAUSE[code]) for code in self.accessible_because)


def household_needs(members, today: date) -> HouseholdNeeds:
    """``members``: the household's active people, each with ``birth_date`` and ``needs`` (codes)."""
    because: set[str] = set()
    near_wash = False
    for person in members:
        codes = {need.code for need in person.needs}
        for code in codes:
            category = code[:2]
            if category == "DS":
                because.add("disability")
            elif category == "ER":
                because.add("older_person")
            elif code in ACCESSIBLE_CODES:
                because.add("medical")
            if category in NEAR_WASH_CATEGORIES or code in NEAR_WASH_CODES:
                near_wash = True
        if age_on(person.birth_date, today) >= OLDER_AGE:
            because.add("older_person")
            near_wash = True
    return HouseholdNeeds(size=max(len(members), 1), accessible_because=tuple(sorted(because)), near_wash=near_wash)
