"""The subject access report's words, always in Tajik and English whatever the page's language.

Headings and labels are in the residents' catalogue (app.i18n.residents, msgctxt ``report``), not the staff's: the
report is handed to the family and reads the same for every member of staff who prints it. Titles of coded values
(sex, needs, statuses) come from the staff catalogue in both languages (``both``).
"""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import force_locale

from app.i18n.residents import R_, Text, lazy_gettext_in


class Label(NamedTuple):
    """One text in Tajik and in English (the Tajik of :func:`L` is looked up when read)."""

    tg: str
    en: str

    def __str__(self) -> str:
        return self.en if self.tg == self.en else f"{self.tg} / {self.en}"


def both(title) -> Label:
    """A catalogue title (a lazy string) in Tajik and English."""
    with force_locale("tg"):
        tg = str(title)
    with force_locale("en"):
        en = str(title)
    return Label(tg, en)


def L(text: Text) -> Label:  # noqa: N802 (short: the table below reads as a list of texts)
    """A text of the residents' catalogue in Tajik and its English."""
    return Label(lazy_gettext_in("tg", text), text.message)


TITLE = L(R_("report", "Information held about your household"))
INTRO = L(R_("report", "This is everything the camp registration system holds about your household and its members."))
HOUSEHOLD = L(R_("report", "Household"))
NUMBER = L(R_("report", "Household number"))
CAMP = L(R_("report", "Camp"))
STATUS = L(R_("report", "Status"))
STATUS_DATE = L(R_("report", "Status since"))
ARRIVAL = L(R_("report", "Arrival date"))
CROSSING = L(R_("report", "Border crossing"))
ORIGIN = L(R_("report", "Place of origin (province, district)"))
PHONE = L(R_("report", "Phone"))
LANGUAGES = L(R_("report", "Languages"))
CONSENT = L(R_("report", "Consent to registration"))
AGREED = L(R_("report", "Agreed"))
REFUSED = L(R_("report", "Did not agree"))
REGISTERED = L(R_("report", "Registered on"))
SOURCE_LIST = L(R_("report", "Pre-registration list"))
NOTES = L(R_("report", "Notes"))
SIZE = L(R_("report", "Number of members"))
NOT_RECORDED = L(R_("report", "Not recorded"))
NONE = L(R_("report", "None"))

MEMBERS = L(R_("report", "Members of the household"))
MEMBER = L(R_("report", "Member"))
LATIN = L(R_("report", "In Latin letters"))
ORIGINAL = L(R_("report", "In original script"))
GIVEN_NAME = L(R_("report", "Given name"))
FATHER_NAME = L(R_("report", "Father’s name"))
GRANDFATHER_NAME = L(R_("report", "Grandfather’s name"))
FAMILY_NAME = L(R_("report", "Family name"))
SEX = L(R_("report", "Sex"))
BIRTH = L(R_("report", "Date of birth"))
RELATIONSHIP = L(R_("report", "Relationship to the head"))
MARITAL = L(R_("report", "Marital status"))
NATIONALITY = L(R_("report", "Nationality"))
TAZKIRA = L(R_("report", "Tazkira number"))
NEEDS = L(R_("report", "Specific needs"))
PHOTO = L(R_("report", "Photo"))
PHOTO_HELD = L(R_("report", "A photo is held"))
NO_PHOTO = L(R_("report", "No photo"))
PROTECTION_NOTE = L(R_("report", "Some information is shared only in person by protection staff."))

CARDS = L(R_("report", "ID cards"))
SERIAL = L(R_("report", "Card serial"))
ISSUED = L(R_("report", "Issued"))
EXPIRES = L(R_("report", "Valid until"))

SHELTER = L(R_("report", "Shelter plots"))
PLOT = L(R_("report", "Plot"))
FROM = L(R_("report", "From"))
UNTIL = L(R_("report", "Until"))
REASON = L(R_("report", "Reason"))
CURRENT = L(R_("report", "Current"))

COLLECTIONS = L(R_("report", "Assistance collected"))
ROUND = L(R_("report", "Distribution"))
DATE = L(R_("report", "Date"))
ITEMS = L(R_("report", "Items"))
COLLECTED_BY = L(R_("report", "Collected by"))
ALTERNATES = L(R_("report", "People who may collect for you"))
NAME = L(R_("report", "Name"))
RELATION = L(R_("report", "Relation to you"))
ACTIVE = L(R_("report", "Active"))
ENDED = L(R_("report", "Ended"))

FEEDBACK = L(R_("report", "Feedback and complaints"))
TYPE = L(R_("report", "Type"))
SECTOR = L(R_("report", "Sector"))
DESCRIPTION = L(R_("report", "What was said"))
RESPONSE = L(R_("report", "Response"))
SENSITIVE_CASE = L(R_("report", "Confidential case: discussed only in person"))

HISTORY = L(R_("report", "History of changes"))
WHEN = L(R_("report", "When"))
WHO = L(R_("report", "Staff"))
WHAT = L(R_("report", "What"))

RIGHTS = L(R_("report", "Your rights"))
RIGHT_ACCESS = L(
    R_("report", "You have the right to know what information is held about you and to receive a copy of it.")
)
RIGHT_CORRECTION = L(
    R_(
        "report",
        "If anything is wrong or incomplete, you have the right to have it corrected: bring this "
        "report to the registration desk of the camp.",
    )
)
RIGHT_OBJECTION = L(
    R_(
        "report",
        "You have the right to object to how your information is used, or to ask why it is kept. "
        "Doing so never stops assistance.",
    )
)
RIGHT_RETENTION = L(
    R_(
        "report",
        "After the household leaves, names, photos, phone and tazkira numbers are removed after {days} "
        "days; only counts (sex, year of birth, needs) stay for statistics.",
    )
)
CONTACT = L(
    R_(
        "report",
        "For questions and complaints: the registration desk or the help desk of camp {camp}. The information "
        "is kept by the Committee of Emergency Situations, Republic of Tajikistan.",
    )
)
PRINTED_ON = L(R_("report", "Printed on"))
PRINTED_BY = L(R_("report", "Printed by"))

#: titles of audit actions the household history (registration.households.history) does not name
ACTIONS = {
    "household.subject_report": L(R_("report", "Report for the family printed")),
    "household.anonymise": L(R_("report", "Names removed after the retention period")),
    "card.issue": L(R_("report", "Card issued")),
    "card.print": L(R_("report", "Card printed")),
    "card.reprint": L(R_("report", "Card reprinted")),
    "card.replaced": L(R_("report", "Card replaced")),
    "card.lost": L(R_("report", "Card reported lost")),
    "card.revoked": L(R_("report", "Card revoked")),
    "plot.allocate": L(R_("report", "Plot allocated")),
    "plot.relocate": L(R_("report", "Moved to another plot")),
    "plot.vacate": L(R_("report", "Plot vacated")),
    "distribution.alternate_add": L(R_("report", "Alternate collector added")),
    "distribution.alternate_remove": L(R_("report", "Alternate collector removed")),
}
