"""UNHCR standardized specific-needs codes (standards.md §2.2), stored as ``CAT-SUB``.

Survivors of SGBV and torture, and some legal-protection codes, are protection data: only users
with ``protection.view`` see them, anywhere (pages, forms, API, exports; ``app.visibility``), and a
form saved by anyone else keeps them as they were.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_

from app import visibility

CATEGORIES = {
    "CR": _l("Child at risk"),
    "SC": _l("Unaccompanied or separated child"),
    "WR": _l("Woman at risk"),
    "ER": _l("Older person at risk"),
    "SP": _l("Single parent or caregiver"),
    "DS": _l("Disability"),
    "SM": _l("Serious medical condition"),
    "FU": _l("Family unity"),
    "LP": _l("Legal and physical protection"),
    "TR": _l("Torture"),
    "SV": _l("Sexual and gender-based violence"),
}

NEEDS = {
    "CR-CP": _l("Child parent"),
    "CR-CS": _l("Child spouse"),
    "CR-CC": _l("Child carer"),
    "CR-TP": _l("Teenage pregnancy"),
    "CR-LW": _l("Worst forms of child labour"),
    "CR-LO": _l("Other child labour"),
    "CR-NE": _l("Not attending school"),
    "CR-SE": _l("Special education needs"),
    "CR-AF": _l("Child associated with armed forces or groups"),
    "CR-CL": _l("Child in conflict with the law"),
    "SC-SC": _l("Separated child"),
    "SC-UC": _l("Unaccompanied child"),
    "SC-CH": _l("Child-headed household"),
    "SC-IC": _l("Child in institutional care"),
    "SC-FC": _l("Child in foster care"),
    "WR-WR": _l("Woman at risk"),
    "WR-SF": _l("Single woman at risk"),
    "WR-LC": _l("Lactating woman"),
    "ER-NF": _l("Single older person"),
    "ER-MC": _l("Older person with children"),
    "ER-FR": _l("Older person unable to care for self"),
    "SP-PT": _l("Single parent"),
    "SP-GP": _l("Single grandparent"),
    "SP-CG": _l("Single caregiver"),
    "DS-BD": _l("Visual impairment"),
    "DS-DF": _l("Hearing impairment"),
    "DS-PM": _l("Physical disability, moderate"),
    "DS-PS": _l("Physical disability, severe"),
    "DS-MM": _l("Mental disability, moderate"),
    "DS-MS": _l("Mental disability, severe"),
    "DS-SD": _l("Speech impairment"),
    "SM-MI": _l("Mental illness"),
    "SM-MN": _l("Malnutrition"),
    "SM-DP": _l("Difficult pregnancy"),
    "SM-CI": _l("Chronic illness"),
    "SM-CC": _l("Critical medical condition"),
    "SM-OT": _l("Other medical condition"),
    "SM-AD": _l("Addiction"),
    "FU-TR": _l("Tracing required"),
    "FU-FR": _l("Family reunification required"),
    "LP-ND": _l("No legal documentation"),
    "LP-BN": _l("Unmet basic needs"),
    "LP-NA": _l("No access to services"),
    "LP-MM": _l("Mixed marriage"),
    "LP-MD": _l("Multiple displacements"),
    "LP-RR": _l("At risk of refoulement"),
    "LP-RD": _l("At risk of removal"),
    "LP-DA": _l("Detained in asylum country"),
    "LP-DO": _l("Detained in country of origin"),
    "LP-DT": _l("Detained elsewhere"),
    "LP-IH": _l("In hiding"),
    "LP-WP": _l("No witness protection"),
    "LP-AN": _l("Violence, abuse or neglect"),
    "LP-RP": _l("Risk due to profile"),
    "LP-MS": _l("Marginalised"),
    "LP-LS": _l("No durable-solution prospects"),
    "LP-AP": _l("Alleged perpetrator"),
    "LP-CR": _l("Criminal record"),
    "LP-ST": _l("Security threat to staff"),
    "LP-AF": _l("Formerly associated with armed forces or groups"),
    "TR-PI": _l("Impairment due to torture"),
    "TR-HO": _l("Forced to commit egregious acts"),
    "TR-WV": _l("Witness of violence"),
    "SV-VA": _l("SGBV survivor in asylum country"),
    "SV-VF": _l("SGBV survivor during flight"),
    "SV-VO": _l("SGBV survivor in country of origin"),
    "SV-GM": _l("Female genital mutilation"),
    "SV-HP": _l("Harmful traditional practices"),
    "SV-HK": _l("Threat of honour killing"),
    "SV-FM": _l("Forced or early marriage"),
    "SV-SS": _l("Survival sex"),
}

#: codes only protection officers may see
RESTRICTED_CATEGORIES = frozenset({"SV", "TR"})
RESTRICTED_CODES = frozenset({"LP-AP", "LP-CR", "LP-ST"})

#: needs that call for an accessible plot near services (used by shelter allocation)
MOBILITY_CODES = frozenset({"DS-PM", "DS-PS", "DS-BD", "ER-FR", "SM-CC"})


def restricted_clause(code_column):
    """The SQL form of :func:`is_restricted` for a column of codes."""
    return or_(func.substr(code_column, 1, 2).in_(RESTRICTED_CATEGORIES), code_column.in_(RESTRICTED_CODES))


def is_restricted(code: str) -> bool:
    return code[:2] in RESTRICTED_CATEGORIES or code in RESTRICTED_CODES


def visible_codes(codes, can_see_protection: bool) -> list[str]:
    """The codes a user may see, in a stable order."""
    return sorted(c for c in codes if can_see_protection or not is_restricted(c))


def shown_to(user, codes) -> list[str]:
    """The codes ``user`` may see (``app.visibility``), in a stable order."""
    return visible_codes(codes, visibility.can_see(user, visibility.RESTRICTED_NEEDS))


def merge_codes(user, held, typed) -> list[str]:
    """What to store when ``user`` saves ``typed`` for a person holding ``held``.

    The typed codes replace the ones the user could see; the ones hidden from the user are kept.
    """
    hidden = set(held) - set(shown_to(user, held))
    return sorted(set(typed) | hidden)


def title(code: str) -> str:
    return f"{code} · {NEEDS[code]}" if code in NEEDS else code


def parse_codes(text: str) -> tuple[list[str], list[str]]:
    """Split what a clerk typed ("ds-pm, SM-CI") into known codes and unknown entries."""
    known: list[str] = []
    unknown: list[str] = []
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        code = part.strip().upper()
        if not code:
            continue
        if len(code) == 4 and code.isalpha():
            code = f"{code[:2]}-{code[2:]}"
        (known if code in NEEDS else unknown).append(code)
    return sorted(set(known)), unknown
