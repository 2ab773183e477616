"""An approval and an edit of the same message at the same moment, in real transactions: the approver
read version 1, so the edit (version 2) must stay a draft (PostgreSQL row lock; SQLite BEGIN IMMEDIATE)."""

from __future__ import annotations

import threading
import time

from app.db import own_transaction
from camps.communication import services
from camps.communication.models import Message
from tests.camps.communication_helpers import message_data
from tests.factories import Factories


def test_an_approval_racing_an_edit_never_approves_the_unread_version(race_app):
    with race_app.app_context(), own_transaction(write=True) as session:
        make = Factories(session)
        make.household()
        writer, editor, approver = (
            make.user(roles=["communication_officer"], username=f"officer{n}") for n in range(3)
        )
        message_id = services.create_message(session, writer, make.camp("KHR"), message_data()).id
        ids = writer.id, editor.id, approver.id
    edited, outcome = threading.Event(), {}

    def edit():
        with race_app.app_context(), own_transaction(write=True) as session:
            from app.users.models import User

            message = session.get(Message, message_id)
            services.update_message(
                session, session.get(User, ids[1]), message, message_data(text_tg="Матни дигар, ки касе нахонд.")
            )
            session.flush()
            edited.set()
            time.sleep(0.5)  # the approver's request arrives while the edit is being committed

    def approve():
        edited.wait(5)
        try:
            with race_app.app_context(), own_transaction(write=True) as session:
                from app.users.models import User

                message = session.get(Message, message_id)
                services.approve_message(session, session.get(User, ids[2]), message, 1)
            outcome["approved"] = True
        except Exception as exc:  # noqa: BLE001 - the refusal is the expected outcome
            outcome["refused"] = type(exc).__name__

    threads = [threading.Thread(target=edit), threading.Thread(target=approve)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with race_app.app_context(), own_transaction() as session:
        message = session.get(Message, message_id)
        assert (message.version, message.status, message.approved_by_id) == (2, "draft", None), outcome
