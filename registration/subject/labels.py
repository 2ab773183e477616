"""The subject access report's words, always in Tajik and English whatever the page's language.

Headings and labels are written here rather than in the gettext catalogue: the report is handed to
the family and reads the same for every member of staff who prints it. Titles of coded values
(sex, needs, statuses) come from the catalogue in both languages (``both``).
"""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import force_locale


class Label(NamedTuple):
    """One text in Tajik and in English."""

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


L = Label
TITLE = L("Маълумоте, ки дар бораи хонаводаи шумо нигоҳ дошта мешавад", "Information held about your household")
INTRO = L(
    "Ин ҳама маълумотест, ки дар системаи бақайдгирии лагер дар бораи хонаводаи шумо ва аъзои он нигоҳ дошта мешавад.",
    "This is everything the camp registration system holds about your household and its members.",
)
HOUSEHOLD = L("Хонавода", "Household")
NUMBER = L("Рақами хонавода", "Household number")
CAMP = L("Лагер", "Camp")
STATUS = L("Вазъ", "Status")
STATUS_DATE = L("Санаи тағйири вазъ", "Status since")
ARRIVAL = L("Санаи омадан", "Arrival date")
CROSSING = L("Гузаргоҳи сарҳадӣ", "Border crossing")
ORIGIN = L("Макони аслӣ (вилоят, ноҳия)", "Place of origin (province, district)")
PHONE = L("Телефон", "Phone")
LANGUAGES = L("Забонҳо", "Languages")
CONSENT = L("Розигӣ ба бақайдгирӣ", "Consent to registration")
AGREED = L("Розӣ шуд", "Agreed")
REFUSED = L("Розӣ нашуд", "Did not agree")
REGISTERED = L("Санаи бақайдгирӣ", "Registered on")
SOURCE_LIST = L("Рӯйхати пешакӣ", "Pre-registration list")
NOTES = L("Қайдҳо", "Notes")
SIZE = L("Шумораи аъзо", "Number of members")
NOT_RECORDED = L("Қайд нашудааст", "Not recorded")
NONE = L("Нест", "None")

MEMBERS = L("Аъзои хонавода", "Members of the household")
MEMBER = L("Аъзо", "Member")
LATIN = L("Бо ҳарфҳои лотинӣ", "In Latin letters")
ORIGINAL = L("Бо хати аслӣ", "In original script")
GIVEN_NAME = L("Ном", "Given name")
FATHER_NAME = L("Номи падар", "Father’s name")
GRANDFATHER_NAME = L("Номи бобо", "Grandfather’s name")
FAMILY_NAME = L("Насаб", "Family name")
SEX = L("Ҷинс", "Sex")
BIRTH = L("Санаи таваллуд", "Date of birth")
RELATIONSHIP = L("Хешӣ бо сарвари хонавода", "Relationship to the head")
MARITAL = L("Вазъи оилавӣ", "Marital status")
NATIONALITY = L("Шаҳрвандӣ", "Nationality")
TAZKIRA = L("Рақами тазкира", "Tazkira number")
NEEDS = L("Ниёзҳои махсус", "Specific needs")
PHOTO = L("Сурат", "Photo")
PHOTO_HELD = L("Сурат нигоҳ дошта мешавад", "A photo is held")
NO_PHOTO = L("Сурат нест", "No photo")
PROTECTION_NOTE = L(
    "Баъзе маълумотро кормандони ҳифз танҳо ҳангоми вохӯрии шахсӣ мегӯянд.",
    "Some information is shared only in person by protection staff.",
)

CARDS = L("Кортҳои шахсӣ", "ID cards")
SERIAL = L("Рақами корт", "Card serial")
ISSUED = L("Санаи додан", "Issued")
EXPIRES = L("Эътибор то", "Valid until")

SHELTER = L("Қитъаҳои манзил", "Shelter plots")
PLOT = L("Қитъа", "Plot")
FROM = L("Аз", "From")
UNTIL = L("То", "Until")
REASON = L("Сабаб", "Reason")
CURRENT = L("Ҳоло", "Current")

COLLECTIONS = L("Кӯмакҳои гирифташуда", "Assistance collected")
ROUND = L("Тақсимот", "Distribution")
DATE = L("Сана", "Date")
ITEMS = L("Ашё", "Items")
COLLECTED_BY = L("Гиранда", "Collected by")
ALTERNATES = L("Шахсоне, ки метавонанд ба ҷои шумо кӯмак гиранд", "People who may collect for you")
NAME = L("Ном", "Name")
RELATION = L("Хешӣ ё шиносоӣ", "Relation to you")
ACTIVE = L("Фаъол", "Active")
ENDED = L("Бекор шуд", "Ended")

FEEDBACK = L("Муроҷиатҳо ва шикоятҳо", "Feedback and complaints")
TYPE = L("Намуд", "Type")
SECTOR = L("Соҳа", "Sector")
DESCRIPTION = L("Матн", "What was said")
RESPONSE = L("Ҷавоб", "Response")
SENSITIVE_CASE = L("Муроҷиати махфӣ: танҳо шахсан муҳокима мешавад", "Confidential case: discussed only in person")

HISTORY = L("Таърихи тағйирот", "History of changes")
WHEN = L("Кай", "When")
WHO = L("Корманд", "Staff")
WHAT = L("Чӣ", "What")

RIGHTS = L("Ҳуқуқҳои шумо", "Your rights")
RIGHT_ACCESS = L(
    "Шумо ҳақ доред бидонед, ки чӣ маълумот дар бораи шумо нигоҳ дошта мешавад, ва нусхаи онро гиред.",
    "You have the right to know what information is held about you and to receive a copy of it.",
)
RIGHT_CORRECTION = L(
    "Агар чизе нодуруст ё нопурра бошад, шумо ҳақ доред ислоҳи онро талаб кунед: ин ҳисоботро ба "
    "мизи бақайдгирии лагер биёред.",
    "If anything is wrong or incomplete, you have the right to have it corrected: bring this "
    "report to the registration desk of the camp.",
)
RIGHT_OBJECTION = L(
    "Шумо ҳақ доред ба истифодаи маълумоти худ эътироз кунед ё пурсед, ки чаро он нигоҳ дошта "
    "мешавад. Ин ҳеҷ гоҳ кӯмакро манъ намекунад.",
    "You have the right to object to how your information is used, or to ask why it is kept. "
    "Doing so never stops assistance.",
)
RIGHT_RETENTION = L(
    "Пас аз рафтани хонавода номҳо, суратҳо, телефон ва рақами тазкира баъд аз {days} рӯз нест "
    "карда мешаванд; танҳо шумораҳо (ҷинс, соли таваллуд, ниёзҳо) барои ҳисобот мемонанд.",
    "After the household leaves, names, photos, phone and tazkira numbers are removed after {days} "
    "days; only counts (sex, year of birth, needs) stay for statistics.",
)
CONTACT = L(
    "Барои саволҳо ва шикоятҳо: мизи бақайдгирӣ ё мизи ёрии лагер {camp}. Маълумотро Кумитаи ҳолатҳои "
    "фавқулодда, Ҷумҳурии Тоҷикистон нигоҳ медорад.",
    "For questions and complaints: the registration desk or the help desk of camp {camp}. The information "
    "is kept by the Committee of Emergency Situations, Republic of Tajikistan.",
)
PRINTED_ON = L("Санаи чоп", "Printed on")
PRINTED_BY = L("Чопкунанда", "Printed by")

#: titles of audit actions the household history (registration.households.history) does not name
ACTIONS = {
    "household.subject_report": L("Ҳисобот барои хонавода чоп шуд", "Report for the family printed"),
    "household.anonymise": L(
        "Номҳо пас аз мӯҳлати нигоҳдорӣ нест карда шуданд", "Names removed after the retention period"
    ),
    "card.issue": L("Корт дода шуд", "Card issued"),
    "card.print": L("Корт чоп шуд", "Card printed"),
    "card.reprint": L("Корт дубора чоп шуд", "Card reprinted"),
    "card.replaced": L("Корт иваз карда шуд", "Card replaced"),
    "card.lost": L("Корт гумшуда эълон шуд", "Card reported lost"),
    "card.revoked": L("Корт бекор карда шуд", "Card revoked"),
    "plot.allocate": L("Қитъа дода шуд", "Plot allocated"),
    "plot.relocate": L("Ба қитъаи дигар кӯчонида шуд", "Moved to another plot"),
    "plot.vacate": L("Қитъа холӣ карда шуд", "Plot vacated"),
    "distribution.alternate_add": L("Гирандаи ивазкунанда илова шуд", "Alternate collector added"),
    "distribution.alternate_remove": L("Гирандаи ивазкунанда бекор шуд", "Alternate collector removed"),
}
