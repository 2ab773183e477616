"""Fixed wording printed on notices and shown on the notice board, in each message language.

These are for the camp's people, not for staff: they are written here in every language a message can
be in (Dari, Pashto, Tajik, Russian, Uzbek, English), not taken from the staff interface's catalogues.
"""

from __future__ import annotations

#: purpose -> language -> headline
HEADLINES = {
    "distribution": {
        "fa-AF": "اطلاعیه توزیع",
        "ps": "د وېش خبرتیا",
        "tg": "Эълони тақсимот",
        "ru": "Объявление о раздаче",
        "uz": "Tarqatish haqida eʼlon",
        "en": "Distribution notice",
    },
    "camp_rule": {
        "fa-AF": "مقررات کمپ",
        "ps": "د کمپ مقررات",
        "tg": "Қоидаи лагер",
        "ru": "Правило лагеря",
        "uz": "Lager qoidasi",
        "en": "Camp rule",
    },
    "service_hours": {
        "fa-AF": "ساعات کاری خدمات",
        "ps": "د خدمتونو وختونه",
        "tg": "Соатҳои хизматрасонӣ",
        "ru": "Часы работы служб",
        "uz": "Xizmat vaqtlari",
        "en": "Service hours",
    },
    "health_safety": {
        "fa-AF": "صحت و مصونیت",
        "ps": "روغتیا او خوندیتوب",
        "tg": "Саломатӣ ва бехатарӣ",
        "ru": "Здоровье и безопасность",
        "uz": "Sogʻliq va xavfsizlik",
        "en": "Health and safety",
    },
    "you_said": {
        "fa-AF": "شما گفتید، ما انجام دادیم",
        "ps": "تاسو وویل، موږ وکړل",
        "tg": "Шумо гуфтед, мо кардем",
        "ru": "Вы сказали — мы сделали",
        "uz": "Siz aytdingiz, biz qildik",
        "en": "You said, we did",
    },
    "rumour": {
        "fa-AF": "حقیقت چیست؟",
        "ps": "رښتیا څه دي؟",
        "tg": "Ҳақиқат чист?",
        "ru": "Что правда?",
        "uz": "Haqiqat nima?",
        "en": "What is true?",
    },
    "answer": {
        "fa-AF": "پاسخ به سوال شما",
        "ps": "ستاسو پوښتنې ته ځواب",
        "tg": "Ҷавоб ба саволи шумо",
        "ru": "Ответ на ваш вопрос",
        "uz": "Savolingizga javob",
        "en": "Answer to your question",
    },
}
#: what the poster says next to its QR code
SCAN = {
    "fa-AF": "برای خواندن در تلفن اسکن کنید",
    "ps": "په تلیفون کې د لوستلو لپاره سکن کړئ",
    "tg": "Барои хондан дар телефон скан кунед",
    "ru": "Отсканируйте, чтобы прочитать в телефоне",
    "uz": "Telefonda oʻqish uchun skanerlang",
    "en": "Scan to read on a phone",
}
#: the notice board page's own words
BOARD = {
    "fa-AF": {"title": "اطلاعیه‌های کمپ", "none": "اکنون اطلاعیه‌ای نیست.", "until": "تا", "language": "زبان"},
    "ps": {"title": "د کمپ خبرتیاوې", "none": "اوس مهال هېڅ خبرتیا نشته.", "until": "تر", "language": "ژبه"},
    "tg": {"title": "Эълонҳои лагер", "none": "Ҳоло эълоне нест.", "until": "то", "language": "Забон"},
    "ru": {"title": "Объявления лагеря", "none": "Сейчас объявлений нет.", "until": "до", "language": "Язык"},
    "uz": {"title": "Lager eʼlonlari", "none": "Hozir eʼlon yoʻq.", "until": "gacha", "language": "Til"},
    "en": {"title": "Camp notices", "none": "There are no notices now.", "until": "until", "language": "Language"},
}
#: the reminder a round's page offers, per language: {date} and {point} are filled in
REMINDER = {
    "fa-AF": "توزیع شما در تاریخ {date} در {point} است. لطفاً کارت خانوار خود را بیاورید.",
    "ps": "ستاسو وېش په {date} نېټه په {point} کې دی. مهرباني وکړئ د کورنۍ کارت راوړئ.",
    "tg": "Тақсимоти шумо {date} дар {point} аст. Лутфан корти хонаводаи худро биёред.",
    "ru": "Ваша раздача {date} в пункте {point}. Пожалуйста, возьмите карточку семьи.",
    "uz": "Tarqatish {date} kuni {point} joyida. Iltimos, oila kartangizni olib keling.",
    "en": "Your distribution is on {date} at {point}. Please bring your household card.",
}
