"""What the SMSC delivers to us: delivery receipts for our SMS, and replies (STOP) from households.

A receipt settles the part it names (``receipted_message_id``, else the ``id:`` of the receipt
text, SMPP 3.4 appendix B); a row is delivered when all its parts are, failed when one is not.
A reply whose first word is a stop word, in any of the camp's languages, opts every household
with that number out: nothing more is sent to them, queued SMS included. Neither the reply's
text nor the number is logged.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from app import phones
from app.audit.services import log_action
from app.db import utcnow
from app.errors import UserValueError
from camps.communication.sms.models import SmsOutbox, SmsPart
from registration.households.models import Household

log = logging.getLogger(__name__)

#: replies that stop SMS: English, Dari/Persian, Pashto, Tajik, Russian, Uzbek (Latin and Cyrillic)
STOP_WORDS = frozenset(
    {
        "stop",
        "stopall",
        "unsubscribe",
        "cancel",
        "end",
        "quit",
        "لغو",
        "توقف",
        "بس",
        "نه",
        "ودروه",
        "بند",
        "бас",
        "қатъ",
        "катъ",
        "стоп",
        "отписаться",
        "хватит",
        "to'xtat",
        "toxtat",
        "тўхтат",
        "тухтат",
    }
)
#: receipt states that end a part (SMPP 3.4 message_state names and their short forms in receipt texts)
DELIVERED = {"DELIVRD", "DELIVERED"}
FAILED = {"UNDELIV", "UNDELIVERABLE", "EXPIRED", "REJECTD", "REJECTED", "DELETED"}
MESSAGE_STATES = {2: "DELIVRD", 3: "EXPIRED", 4: "DELETED", 5: "UNDELIV", 8: "REJECTD"}
_RECEIPT_ID = re.compile(r"\bid:(\S+)", re.I)
_RECEIPT_STAT = re.compile(r"\bstat:(\w+)", re.I)
#: esm_class bits that mark a delivery receipt (SMSC receipt, or intermediate notification)
RECEIPT_BITS = 0x04 | 0x20
_FOLD = str.maketrans({"ك": "ک", "ي": "ی", "ى": "ی", "ۍ": "ی", "ې": "ی", "ه": "ه", "\u200c": None, "\u0640": None})


@dataclass(frozen=True)
class Receipt:
    smsc_message_id: str
    state: str


def parse_receipt(text: str, receipted_id: str | None = None, message_state: int | None = None) -> Receipt | None:
    """The receipt in a deliver_sm (its TLVs first, else its text), or None when it is not one."""
    found_id = receipted_id or (m.group(1) if (m := _RECEIPT_ID.search(text)) else None)
    state = MESSAGE_STATES.get(message_state) if message_state else None
    state = state or (m.group(1).upper() if (m := _RECEIPT_STAT.search(text)) else None)
    if not found_id or not state:
        return None
    return Receipt(found_id, state)


def is_stop(text: str) -> bool:
    """Whether a reply asks to stop: its first word is a stop word (case, Arabic letter forms and punctuation aside)."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    words = re.findall(r"[\w']+", folded)
    return bool(words) and words[0].strip("'") in STOP_WORDS | {w.replace("'", "") for w in STOP_WORDS}


def apply_receipts(session: Session, receipts: list[Receipt]) -> list[Receipt]:
    """Record receipts; return those whose id no part has (yet: one may overtake its submit's commit).

    Core statements, a few per batch: the worker applies thousands of receipts a minute.
    """
    states = {r.smsc_message_id: r.state for r in receipts}
    parts = SmsPart.__table__
    found: dict[str, tuple[int, int]] = {}
    ids = list(states)
    for start in range(0, len(ids), 500):
        found.update(
            (row.smsc_message_id, (row.id, row.outbox_id))
            for row in session.execute(
                select(parts.c.id, parts.c.outbox_id, parts.c.smsc_message_id).where(
                    parts.c.smsc_message_id.in_(ids[start : start + 500])
                )
            )
        )
    now = utcnow()
    final = [
        {"pid": found[i][0], "st": "delivered" if state in DELIVERED else "failed", "at": now}
        for i, state in states.items()
        if i in found and (state in DELIVERED or state in FAILED)
    ]
    if final:
        session.execute(
            update(parts)  # type: ignore[arg-type]  # a model's __table__ is a Table, typed as FromClause
            .where(parts.c.id == bindparam("pid"))
            .values(status=bindparam("st"), report_at=bindparam("at")),
            final,
        )
        _settle_rows(session, {found[i][1]: states[i] for i in states if i in found}, now)
    return [r for r in receipts if r.smsc_message_id not in found]


def apply_receipt(session: Session, receipt: Receipt) -> bool:
    """Record one receipt; False when no part has its id."""
    return not apply_receipts(session, [receipt])


def _settle_rows(session: Session, last_state: dict[int, str], now) -> None:
    """A row is delivered when all its parts are, failed when one failed (a sent or delivered row only)."""
    outbox, parts = SmsOutbox.__table__, SmsPart.__table__
    ids = list(last_state)
    by_row: dict[int, set[str]] = {}
    for start in range(0, len(ids), 500):
        for outbox_id, status in session.execute(
            select(parts.c.outbox_id, parts.c.status).where(parts.c.outbox_id.in_(ids[start : start + 500]))
        ):
            by_row.setdefault(outbox_id, set()).add(status)
    changes = []
    for outbox_id, statuses in by_row.items():
        if "failed" in statuses:
            changes.append(
                {
                    "oid": outbox_id,
                    "st": "failed",
                    "err": last_state[outbox_id][:40],
                    "at": now,
                    "from": ("sent", "delivered"),
                }
            )
        elif statuses == {"delivered"}:
            changes.append({"oid": outbox_id, "st": "delivered", "err": None, "at": now, "from": ("sent",)})
    for allowed in (("sent", "delivered"), ("sent",)):
        batch = [{k: v for k, v in c.items() if k != "from"} for c in changes if c["from"] == allowed]
        if batch:
            session.execute(
                update(outbox)  # type: ignore[arg-type]  # a model's __table__ is a Table, typed as FromClause
                .where(outbox.c.id == bindparam("oid"), or_(*(outbox.c.status == state for state in allowed)))
                .values(status=bindparam("st"), error=bindparam("err"), report_at=bindparam("at")),
                batch,
            )


def apply_reply(session: Session, source_addr: str, text: str) -> int:
    """Opt out the households with this number when the reply is a stop word; return how many."""
    if not is_stop(text):
        return 0
    try:
        number = phones.normalise(source_addr if source_addr.startswith("+") else "+" + source_addr)
    except UserValueError:
        return 0
    now = utcnow()
    households = session.scalars(
        select(Household).where(  # phone_digits: the indexed column
            Household.phone_digits == phones.digits(number),
            Household.phone == number,
            Household.sms_opted_out_at.is_(None),
        )
    ).all()
    for household in households:
        household.sms_opted_out_at = now
        log_action(
            session,
            None,
            "household.sms_opt_out",
            object_type="household",
            object_id=household.id,
            camp_id=household.camp_id,
            username="sms",
        )
    if households:
        session.execute(
            update(SmsOutbox)
            .where(SmsOutbox.household_id.in_([h.id for h in households]), SmsOutbox.status == "queued")
            .values(status="opted_out")
            .execution_options(synchronize_session=False)
        )
    log.info("SMS opt-out received: %d households", len(households))
    return len(households)
