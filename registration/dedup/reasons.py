"""The reasons ``compare`` gives, in words staff read in their language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:
    from registration.dedup.models import DuplicatePair

TITLES = {
    "tazkira equal": _l("same tazkira"),
    "tazkira different": _l("different tazkira"),
    "tazkira nearly equal": _l("tazkira differs in one digit"),
    "given and father names swapped": _l("given and father’s names in swapped order"),
    "given name partly equal": _l("given name partly the same"),
    "no names to compare": _l("no names to compare"),
    "given and family names swapped": _l("names in swapped order"),
    "given name equal": _l("same given name"),
    "given name close": _l("given name spelt differently"),
    "given name similar": _l("given name similar"),
    "given name different": _l("different given name"),
    "given name missing": _l("given name missing"),
    "father name equal": _l("same father’s name"),
    "father name close": _l("father’s name spelt differently"),
    "father name similar": _l("father’s name similar"),
    "father name different": _l("different father’s name"),
    "father name missing": _l("father’s name missing"),
    "family name equal": _l("same family name"),
    "family name close": _l("family name spelt differently"),
    "family name similar": _l("family name similar"),
    "family name different": _l("different family name"),
    "family name missing": _l("family name missing"),
    "birth date equal": _l("same birth date"),
    "birth date one part differs": _l("birth date differs in one part"),
    "birth month matches": _l("same birth month"),
    "birth year matches": _l("same birth year"),
    "birth year within estimate": _l("birth year within the estimate"),
    "birth year near estimate": _l("birth year near the estimate"),
    "birth dates near": _l("birth dates near"),
    "birth dates apart": _l("birth dates apart"),
    "birth dates far apart": _l("birth dates far apart"),
    "sex equal": _l("same sex"),
    "sex different": _l("different sex"),
}


def describe(reasons: Iterable[str] | None) -> str:
    return ", ".join(str(TITLES.get(r, r)) for r in reasons or ())


def evidence(pair: DuplicatePair) -> list[tuple[str, str]]:
    """Each piece of evidence about a pair with its weight, for the review page:
    ``[('same given name', '+6.5'), ('birth dates far apart', '−12')]``.

    Weights are bits (log2 of how much likelier the finding is for one person registered twice than
    for two people); they add up, with the starting odds of any candidate pair, to the match score.
    The pair is compared again as the records stand now (they may have been corrected since).
    """
    from registration.dedup.matching import compare
    from registration.dedup.services import record_of

    comparison = compare(record_of(pair.person_a), record_of(pair.person_b))
    return [
        (str(TITLES.get(reason, reason)), f"{weight:+g}".replace("-", "−"))
        for reason, weight in zip(comparison.reasons, comparison.weights, strict=True)
    ]
