"""What the help-desk tablet says, in the languages refugees read: Dari, Pashto, Tajik, Russian.

Translated in the residents' gettext catalogue (app.i18n.residents, msgctxt ``kiosk``), not the staff's: Dari and
Pashto are not staff languages, and the tablet must speak the person's language whatever the server's.
"""

from __future__ import annotations

from app.i18n.residents import R_, gettext_in

#: language code -> (name in that language, text direction), in the order of the chooser
KIOSK_LANGUAGES = {"fa": ("دری", "rtl"), "ps": ("پښتو", "rtl"), "tg": ("Тоҷикӣ", "ltr"), "ru": ("Русский", "ltr")}
DEFAULT_LANGUAGE = "fa"

#: what the person picks -> the case type staff see (design.md §6)
KIOSK_TYPES = {
    "question": "information_request",
    "request": "assistance_request",
    "suggestion": "suggestion",
    "thanks": "appreciation",
    "complaint": "complaint",
    "serious": "sensitive",
}
#: sector codes with the pictogram drawn for each (static/img/feedback/<icon>.svg)
KIOSK_SECTORS = {
    "shelter": "house",
    "food": "bread",
    "wash": "drop",
    "health": "cross",
    "protection": "shield",
    "registration": "id-card",
    "distribution": "box",
    "other": "dots",
}

#: key -> what the tablet says, in English: the msgid in the residents' catalogue (app.i18n.residents), whose
#: Dari, Pashto, Tajik and Russian the page shows. ``{reference}`` is filled in by the page.
MESSAGES = {
    "title": R_("kiosk", "Feedback and complaints"),
    "language": R_("kiosk", "Language"),
    "intro": R_("kiosk", "Tell us what you think. You do not need to give your name."),
    "type_legend": R_("kiosk", "What kind of message is it?"),
    "type_question": R_("kiosk", "Question"),
    "type_request": R_("kiosk", "Request for help"),
    "type_suggestion": R_("kiosk", "Suggestion"),
    "type_thanks": R_("kiosk", "Thanks"),
    "type_complaint": R_("kiosk", "Complaint"),
    "type_serious": R_("kiosk", "Something serious, or about how staff behave"),
    "serious_help": R_("kiosk", "Only trained protection staff read it."),
    "sector_legend": R_("kiosk", "What is it about?"),
    "sector_shelter": R_("kiosk", "Shelter"),
    "sector_food": R_("kiosk", "Food"),
    "sector_wash": R_("kiosk", "Water and hygiene"),
    "sector_health": R_("kiosk", "Health"),
    "sector_protection": R_("kiosk", "Safety and protection"),
    "sector_registration": R_("kiosk", "Registration"),
    "sector_distribution": R_("kiosk", "Distribution of aid"),
    "sector_other": R_("kiosk", "Other"),
    "description": R_("kiosk", "Your message"),
    "description_help": R_("kiosk", "Write in your own words, in any language."),
    "contact_question": R_("kiosk", "Do you want us to contact you?"),
    "contact_yes": R_("kiosk", "Yes, contact me"),
    "contact_label": R_("kiosk", "How can we reach you? (phone number, or your block and tent)"),
    "submit": R_("kiosk", "Send"),
    "thanks_title": R_("kiosk", "Thank you"),
    "number_label": R_("kiosk", "Your case number"),
    "thanks": R_("kiosk", "Your case number is {reference}; keep it to ask about your case at the help desk."),
    "new_message": R_("kiosk", "New message"),
    "done": R_("kiosk", "Done"),
    "clears_soon": R_("kiosk", "This page is cleared in a few seconds so that nobody else sees your message."),
    "rate_limited": R_("kiosk", "Too many messages were just sent from this tablet. Please ask the help desk staff."),
    "empty_description": R_("kiosk", "Please write your message."),
    "too_long": R_("kiosk", "Your message is too long."),
    "choose_type": R_("kiosk", "Please choose what kind of message it is."),
    "choose_sector": R_("kiosk", "Please choose what it is about."),
    "contact_missing": R_("kiosk", "Please write how we can reach you, or untick “Yes, contact me”."),
    "invalid": R_("kiosk", "Please check the marked fields."),
    "expired": R_("kiosk", "This page was open too long. Please press “Send” again."),
}


def texts(lang: str) -> dict[str, str]:
    """Every text of the tablet in ``lang``: key -> text."""
    return {key: gettext_in(lang, text) for key, text in MESSAGES.items()}


def kiosk_language(value: str | None) -> str:
    """The chosen language if the tablet speaks it, else Dari."""
    return value if value in KIOSK_LANGUAGES else DEFAULT_LANGUAGE
