"""SMS scenario (issue 17): queueing 10,000 SMS and sending them all to the local SMSC simulator.

10,000 active households of the benchmark world get a Tajik number, SMS consent and Dari as their
SMS language (on the run's working copy); one Dari notice of one UCS-2 part is queued for them
through the SMS channel, and the worker drains the outbox over a real SMPP connection (no rate
limit, a window of 50 submits), then waits for the last delivery receipt.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

from sqlalchemy import bindparam, func, select, update

from benchmarks.client import BenchError
from benchmarks.scenarios import Context, scenario

COUNT = 10_000
MESSAGE_ID = 9_000_001
TEXT = "توزیع آرد روز شنبه ساعت ۸ صبح در نقطه توزیع بلاک ۳."


def _app(env: dict):
    from app import create_app

    return create_app(
        {"DATABASE_URL": env["PANOH_DATABASE_URL"], "INSTANCE_PATH": env["PANOH_INSTANCE_PATH"], "SECRET_KEY": "bench"}
    )


@scenario("communication.sms_10k")
def sms_10k(ctx: Context) -> dict[str, float]:
    from app.db import own_transaction
    from camps.communication.channels import CHANNELS
    from camps.communication.sms import worker
    from camps.communication.sms.models import SmsOutbox
    from camps.communication.sms.simulator import SmscSimulator
    from registration.households.models import Household

    app = _app(ctx.server.env)
    smsc = SmscSimulator().start()
    try:
        with app.app_context():
            with own_transaction(write=True) as session:
                ids = list(
                    session.scalars(
                        select(Household.id).where(Household.status == "active").order_by(Household.id).limit(COUNT)
                    )
                )
                if len(ids) < COUNT:
                    raise BenchError(f"sms: {COUNT} active households needed, found {len(ids)}")
                table = Household.__table__
                session.execute(
                    update(table)
                    .where(table.c.id == bindparam("hid"))
                    .values(
                        phone=bindparam("e164"),
                        sms_consent=True,
                        sms_language="fa",
                        sms_opted_out_at=None,
                        do_not_contact=False,
                    ),
                    [{"hid": hid, "e164": f"+99293{hid % 10_000_000:07d}"} for hid in ids],
                )
            message = SimpleNamespace(id=MESSAGE_ID, camp_id=None, text_for=lambda code: TEXT if code == "fa" else None)
            started = time.perf_counter()
            with own_transaction(write=True) as session:
                result = CHANNELS["sms"].send(session, None, message, ids)
            queued_at = time.perf_counter()
            settings = worker.Settings(
                port=smsc.port,
                system_id="bench",
                password="bench",  # noqa: S106
                rate=0,
                window=50,
                batch=1000,
            )
            sms = worker.Worker(settings)
            sms.drain()
            sent_at = time.perf_counter()
            while smsc.receipts_acknowledged < result.queued and time.perf_counter() - sent_at < 60:
                sms.listen(0.2)
            sms.close()
            done = time.perf_counter()
            with own_transaction() as session:
                delivered = session.scalar(
                    select(func.count())
                    .select_from(SmsOutbox)
                    .where(SmsOutbox.message_id == MESSAGE_ID, SmsOutbox.status == "delivered")
                )
    finally:
        smsc.stop()
        app.extensions["panoh.db"].engine.dispose()
    if result.queued != COUNT or len(smsc.accepted) != COUNT:
        raise BenchError(f"sms: queued {result.queued}, the SMSC took {len(smsc.accepted)} of {COUNT}")
    return {
        "seconds": round(sent_at - started, 2),
        "queue_s": round(queued_at - started, 2),
        "send_s": round(sent_at - queued_at, 2),
        "with_receipts_s": round(done - started, 2),
        "delivered": float(delivered),
    }
