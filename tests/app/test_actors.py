"""The named system actor: what the command line, imports and jobs pass instead of ``None``."""

import dataclasses

import pytest

from app import visibility
from app.audit.services import log_action
from app.users.actors import SYSTEM, SystemActor, is_system
from app.users.models import actor_by_id
from registration import needs


def test_system_is_one_frozen_actor_without_an_account_or_permissions():
    assert isinstance(SYSTEM, SystemActor) and SYSTEM.id is None and SYSTEM.username == "system"
    assert not hasattr(SYSTEM, "can") and not hasattr(SYSTEM, "camp_ids")
    with pytest.raises(dataclasses.FrozenInstanceError):
        SYSTEM.username = "admin"


def test_is_system_for_system_and_for_the_older_none_but_not_for_a_user(make):
    assert is_system(SYSTEM) and is_system(None)
    assert not is_system(make.user())


def test_a_job_acts_as_its_user_or_as_system_when_there_is_none(make, session):
    user = make.user()
    session.flush()
    assert actor_by_id(session, user.id) is user
    assert actor_by_id(session, None) is SYSTEM
    assert actor_by_id(session, user.id + 1000) is SYSTEM  # the account is gone


def test_the_audit_log_records_system_as_it_recorded_none(app, session):
    by_system, by_none = log_action(session, SYSTEM, "test.system"), log_action(session, None, "test.none")
    assert (by_system.user_id, by_system.username) == (by_none.user_id, by_none.username) == (None, "cli")
    with app.test_request_context("/"):
        in_request = log_action(session, SYSTEM, "test.kiosk"), log_action(session, None, "test.anonymous")
    assert [(e.user_id, e.username) for e in in_request] == [(None, None), (None, None)]
    named = log_action(session, SYSTEM, "test.named", username="clerk")
    assert named.username == "clerk"


def test_the_audit_log_records_a_user_as_before(make, session):
    user = make.user(username="desk.one")
    session.flush()
    event = log_action(session, user, "test.user")
    assert (event.user_id, event.username) == (user.id, "desk.one")


def test_system_sees_every_field_as_none_did_and_keeps_a_persons_restricted_needs():
    fields = (visibility.PHONE, visibility.TAZKIRA, visibility.RESTRICTED_NEEDS, visibility.DO_NOT_CONTACT)
    assert all(visibility.can_see(SYSTEM, f) and visibility.can_see(SYSTEM, f, bulk=True) for f in fields)
    assert needs.shown_to(SYSTEM, ["LP-CR", "DS-PM"]) == needs.shown_to(None, ["LP-CR", "DS-PM"])
    assert "LP-CR" in needs.shown_to(SYSTEM, ["LP-CR"])
    assert needs.merge_codes(SYSTEM, ["LP-CR"], ["DS-PM"]) == ["DS-PM"]  # it sees the held code: typed replaces it
