"""Closing the loop with feedback: notices that answer what people said, asked or heard.

A notice made from a case takes its theme (the sector) and purpose from the case, never its words:
the description and the response may name people, so the texts start from a neutral frame that staff
complete in general terms. Sensitive cases are never linked to a public notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeGuard

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from camps.communication.models import Message, MessageCase
from camps.communication.wording import REMINDER
from camps.distributions.models import Collection, DistributionRound
from camps.feedback.models import FeedbackCase

#: case type -> the notice that answers it
PURPOSE_FOR_TYPE = {"rumour": "rumour", "information_request": "answer"}
ANSWERING = ("you_said", "rumour", "answer")
#: a neutral frame per purpose and language, to complete without personal detail
FRAMES = {
    "you_said": {
        "fa-AF": "شما گفتید: … ما انجام دادیم: …",
        "ps": "تاسو وویل: … موږ وکړل: …",
        "tg": "Шумо гуфтед: … Мо кардем: …",
        "ru": "Вы сказали: … Мы сделали: …",
        "uz": "Siz aytdingiz: … Biz qildik: …",
        "en": "You said: … We did: …",
    },
    "rumour": {
        "fa-AF": "شنیده‌اید که … این درست نیست. حقیقت: …",
        "ps": "تاسو اورېدلي چې … دا سمه نه ده. رښتیا: …",
        "tg": "Шумо шунидаед, ки … Ин дуруст нест. Ҳақиқат: …",
        "ru": "Вы слышали, что … Это неправда. Правда: …",
        "uz": "Siz … deb eshitgansiz. Bu toʻgʻri emas. Haqiqat: …",
        "en": "You may have heard that … This is not true. The truth: …",
    },
    "answer": {
        "fa-AF": "سوال: … پاسخ: …",
        "ps": "پوښتنه: … ځواب: …",
        "tg": "Савол: … Ҷавоб: …",
        "ru": "Вопрос: … Ответ: …",
        "uz": "Savol: … Javob: …",
        "en": "Question: … Answer: …",
    },
}


def linkable(case: FeedbackCase | None) -> TypeGuard[FeedbackCase]:
    return case is not None and not case.sensitive


def prefill_from_case(case: FeedbackCase, languages=("fa-AF", "tg")) -> dict:
    """The new message's fields for a notice answering ``case``: purpose, theme and neutral frames only."""
    purpose = PURPOSE_FOR_TYPE.get(case.type, "you_said")
    data = {"purpose": purpose, "theme": case.sector, "audience": "camp"}
    for code in languages:
        data["text_" + code.replace("-", "_")] = FRAMES[purpose][code]
    return data


def reminder_texts(day: date, point: str) -> dict:
    """The reminder in every language, with the day (ISO, read the same in every script) and point."""
    return {
        "text_" + code.replace("-", "_"): text.format(date=day.isoformat(), point=point)
        for code, text in REMINDER.items()
    }


def usual_point(session: Session, round_: DistributionRound) -> str | None:
    """The point most of the round's collections were made at (what a reminder suggests)."""
    return session.scalar(
        select(Collection.point)
        .where(Collection.round_id == round_.id)
        .group_by(Collection.point)
        .order_by(func.count().desc(), Collection.point)
        .limit(1)
    )


@dataclass
class FrequentQuestion:
    sector: str
    count: int
    answered: bool


def frequent_questions(
    session: Session, camp_id: int, today: date, days: int = 90, least: int = 3
) -> list[FrequentQuestion]:
    """Sectors people asked about at least ``least`` times in ``days`` days, and whether a current
    published answer covers them."""
    rows = session.execute(
        select(FeedbackCase.sector, func.count())
        .where(
            FeedbackCase.camp_id == camp_id,
            FeedbackCase.sensitive == false(),
            FeedbackCase.type == "information_request",
            FeedbackCase.received_on >= today - timedelta(days=days),
        )
        .group_by(FeedbackCase.sector)
        .having(func.count() >= least)
        .order_by(func.count().desc(), FeedbackCase.sector)
    ).all()
    answered = public_answers(session, [camp_id])
    return [FrequentQuestion(sector, count, answered.get(sector, 0) > 0) for sector, count in rows]


def public_answers(session: Session, camp_ids: list[int]) -> dict[str, int]:
    """Feedback theme (sector) -> approved notices answering it (you said we did, rumour, question)."""
    if not camp_ids:
        return {}
    rows = session.execute(
        select(Message.theme, func.count())
        .where(
            Message.camp_id.in_(camp_ids),
            Message.status == "approved",
            Message.purpose.in_(ANSWERING),
            Message.theme.is_not(None),
        )
        .group_by(Message.theme)
    ).all()
    return {theme: count for theme, count in rows if theme is not None}


def messages_for_case(session: Session, case_id: int) -> list[Message]:
    return list(
        session.scalars(
            select(Message)
            .join(MessageCase, MessageCase.message_id == Message.id)
            .where(MessageCase.case_id == case_id)
            .order_by(Message.id)
        )
    )


def cases_of(session: Session, message: Message) -> list[str]:
    """References of the non-sensitive cases the message answers."""
    return list(
        session.scalars(
            select(FeedbackCase.reference)
            .join(MessageCase, MessageCase.case_id == FeedbackCase.id)
            .where(MessageCase.message_id == message.id, FeedbackCase.sensitive == false())
            .order_by(FeedbackCase.reference)
        )
    )
