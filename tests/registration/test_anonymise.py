"""Anonymisation after the retention period: personal data goes, the figures stay."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.errors import UserValueError
from camps.allocation import services as allocation
from camps.allocation.models import PlotAllocation
from camps.distributions.models import AlternateCollector, Collection, DistributionRound
from camps.feedback.models import FeedbackCase
from camps.layout.models import Plot
from registration.dedup import services as dedup
from registration.dedup.models import DuplicatePair
from registration.households import lifecycle
from registration.households.models import Household, Person, PersonKey, PersonNeed, PersonPhoto
from registration.imports.models import ImportBatch
from registration.subject.retention import PLACEHOLDER, REMOVED, anonymise_household, due_for_anonymisation

TODAY = date(2029, 6, 1)
NOW = datetime(2029, 6, 1, 8, 0)
DAYS = 730
NAMES = ("Mohammad", "محمد", "Karim", "کریم", "Rahimi", "رحیمی", "Nabi", "نبی")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (90, 120), (40, 80, 120)).save(out, "JPEG")
    return out.getvalue()


def departed(session, make, *, days_ago: int = DAYS, status: str = "departed", members: int = 3) -> Household:
    """A household with every kind of personal data, which left ``days_ago`` days before TODAY."""
    household = make.household(
        "KHR",
        members=members,
        phone="+992 93 555 0101",
        phone_digits="992935550101",
        notes="Cousin of the block leader",
        origin_province="AF15",
        origin_district="AF1501",
    )
    for person in household.members:
        (
            person.given_name,
            person.given_name_orig,
            person.father_name,
            person.father_name_orig,
            person.family_name,
            person.family_name_orig,
            person.grandfather_name,
            person.grandfather_name_orig,
        ) = NAMES
        person.tazkira, person.source_ref = f"14001234567{person.seq}", f"REF-{person.seq}"
        person.marital_status = "single"
        person.birth_date, person.birth_precision = date(1990 + person.seq, 3, 14), "day"
        person.photo = PersonPhoto(jpeg=jpeg())
    household.members[1].sex = "f"
    household.members[1].needs.append(PersonNeed(code="SM-CI"))
    session.flush()
    for person in household.members:
        dedup.store_keys(session, person, new=True)
    plot = session.scalar(select(Plot).where(Plot.status == "vacant")) or make.layout(blocks=1, plots=1)[0]
    stay = allocation.allocate(session, None, household, plot)
    stay.override_reason = "Needs to be near the clinic"
    round_ = DistributionRound(camp_id=household.camp_id, name="Food", starts_on=TODAY, ends_on=TODAY)
    session.add(round_)
    session.flush()
    alternate = AlternateCollector(
        household_id=household.id, name="Gul Ahmad", name_orig="گل احمد", relation="neighbour", document="TZ-998877"
    )
    session.add(alternate)
    session.flush()
    session.add(
        Collection(
            uid=f"c0ffee00-0000-4000-8000-{household.id:012d}",
            round_id=round_.id,
            household_id=household.id,
            collected_by="alternate",
            alternate_id=alternate.id,
            point="DP-1",
            collected_at=datetime(2027, 1, 5, 9),
            review_note="Mohammad came twice",
        )
    )
    session.add(
        FeedbackCase(
            reference=f"FB-KHR-{household.id:06d}",
            camp_id=household.camp_id,
            channel="hotline",
            received_on=date(2027, 1, 6),
            type="complaint",
            sector="food",
            description="Short ration",
            language="fa",
            household_id=household.id,
            person_id=household.members[0].id,
            consent_to_contact=True,
            contact="+992 93 555 0101",
            due_at=datetime(2027, 1, 20),
            translation="Mohammad says the ration was short",
        )
    )
    lifecycle.set_status(session, None, household, status, today=TODAY - timedelta(days=days_ago))
    session.flush()
    return household


def _person_rows(session, household) -> list[Person]:
    session.expire_all()
    return list(session.scalars(select(Person).where(Person.household_id == household.id).order_by(Person.seq)))


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_set_status_dates_a_departure_and_reactivation_clears_it(session, make):
    household = make.household("KHR")
    lifecycle.set_status(session, None, household, "departed", today=date(2027, 3, 1))
    assert household.status_date == date(2027, 3, 1)
    lifecycle.set_status(session, None, household, "departed", today=date(2027, 4, 1))  # no change: date kept
    assert household.status_date == date(2027, 3, 1)
    lifecycle.set_status(session, None, household, "active")
    assert household.status_date is None
    lifecycle.set_status(session, None, household, "inactive")  # without a date: the camp's today
    assert household.status_date is not None and abs((household.status_date - date.today()).days) <= 1


def test_the_last_member_leaving_dates_the_household(session, make):
    household = make.household("KHR", members=1)
    lifecycle.end_membership(session, None, household.head, "departed", date(2026, 9, 2), date(2026, 9, 3))
    assert household.status == "departed" and household.status_date == date(2026, 9, 2)
    emptied, target = make.household("KHR", members=1), make.household("KHR", members=1)
    lifecycle.move_person(session, None, emptied.members[0], target)
    assert emptied.status == "inactive" and emptied.status_date is not None


def test_anonymisation_removes_every_personal_field(session, make):
    household = departed(session, make)
    person_ids = [p.id for p in household.members]
    make.duplicate_pair(household.members[0], make.household("KHR", members=1).members[0])
    assert anonymise_household(session, None, household, NOW) is True
    session.flush()
    for person in _person_rows(session, household):
        assert person.given_name == PLACEHOLDER
        assert all(
            getattr(person, column) is None
            for column in (
                "given_name_orig",
                "father_name",
                "father_name_orig",
                "grandfather_name",
                "grandfather_name_orig",
                "family_name",
                "family_name_orig",
                "tazkira",
                "source_ref",
                "marital_status",
            )
        )
    row = session.get(Household, household.id)
    assert (row.phone, row.phone_digits, row.notes, row.origin_district) == (None, None, None, None)
    assert row.anonymised_at == NOW
    assert _count(session, PersonPhoto, PersonPhoto.person_id.in_(person_ids)) == 0
    assert _count(session, PersonKey, PersonKey.person_id.in_(person_ids)) == 0
    assert _count(session, DuplicatePair, DuplicatePair.person_a_id.in_(person_ids)) == 0
    alternate = session.scalar(select(AlternateCollector).where(AlternateCollector.household_id == household.id))
    assert (alternate.name, alternate.name_orig, alternate.relation, alternate.document, alternate.active) == (
        PLACEHOLDER,
        None,
        None,
        None,
        False,
    )
    assert session.scalar(select(Collection.review_note).where(Collection.household_id == household.id)) is None
    assert (
        session.scalar(select(PlotAllocation.override_reason).where(PlotAllocation.household_id == household.id))
        is None
    )
    case = session.scalar(select(FeedbackCase).where(FeedbackCase.reference == f"FB-KHR-{household.id:06d}"))
    assert (case.household_id, case.person_id, case.contact) == (None, None, None)
    # the case stays for the figures (type, sector, dates), without the family's words or link
    assert case.description == REMOVED and (case.type, case.sector, case.received_on) == (
        "complaint",
        "food",
        date(2027, 1, 6),
    )
    assert case.translation is None  # staff's translation of the same words (issue 15) goes with them
    # nothing of the names is left anywhere in the household's rows
    texts = " ".join(str(v) for p in _person_rows(session, household) for v in vars(p).values())
    assert not any(name in texts for name in NAMES + ("1400123456", "REF-"))


def test_anonymisation_keeps_the_counts(session, make):
    household = departed(session, make)
    before = [(p.sex, p.birth_date.year, p.relation_to_head, p.status, p.need_codes) for p in household.members]
    anonymise_household(session, None, household, NOW)
    session.flush()
    people = _person_rows(session, household)
    assert [(p.sex, p.birth_date.year, p.relation_to_head, p.status, p.need_codes) for p in people] == before
    assert all(p.birth_date == date(p.birth_date.year, 7, 1) and p.birth_precision == "year" for p in people)
    row = session.get(Household, household.id)
    assert (row.size, row.camp_id, row.arrival_date, row.origin_province, row.status) == (
        3,
        household.camp_id,
        date(2026, 10, 1),
        "AF15",
        "departed",
    )
    assert _count(session, Collection, Collection.household_id == household.id) == 1
    assert _count(session, PlotAllocation, PlotAllocation.household_id == household.id) == 1


def test_one_audit_event_without_personal_data_and_idempotent(session, make):
    household = departed(session, make)
    assert anonymise_household(session, None, household, NOW) is True
    assert anonymise_household(session, None, household, NOW + timedelta(days=1)) is False
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "household.anonymise")).all()
    assert len(events) == 1 and events[0].object_id == str(household.id) and events[0].details == {"members": 3}
    assert session.get(Household, household.id).anonymised_at == NOW


def test_an_active_household_is_never_anonymised(session, make):
    household = make.household("KHR")
    with pytest.raises(UserValueError):
        anonymise_household(session, None, household, NOW)
    assert household.members[0].given_name == "Mohammad" and household.anonymised_at is None


def test_an_anonymised_household_cannot_be_reactivated(session, make):
    household = departed(session, make)
    anonymise_household(session, None, household, NOW)
    with pytest.raises(UserValueError, match="anonymised"):
        lifecycle.set_status(session, None, household, "active")
    assert household.status == "departed"


def test_the_retention_period_is_respected(session, make):
    due = departed(session, make, days_ago=DAYS)
    kept = departed(session, make, days_ago=DAYS - 1)
    inactive = departed(session, make, days_ago=DAYS + 30, status="inactive")
    active = make.household("KHR")
    done = departed(session, make, days_ago=DAYS + 400)
    anonymise_household(session, None, done, NOW)
    ids = due_for_anonymisation(session, TODAY, DAYS)
    assert due.id in ids and inactive.id in ids
    assert kept.id not in ids and active.id not in ids and done.id not in ids
    assert kept.id in due_for_anonymisation(session, TODAY + timedelta(days=1), DAYS)


def test_without_a_status_date_the_members_dates_count(session, make):
    household = make.household("KHR", members=2, status="inactive")
    household.members[0].status, household.members[0].status_date = "departed", TODAY - timedelta(days=DAYS + 10)
    household.members[1].status, household.members[1].status_date = "merged", TODAY - timedelta(days=DAYS - 5)
    session.flush()
    assert household.status_date is None
    assert household.id not in due_for_anonymisation(session, TODAY, DAYS)  # the latest date counts
    assert household.id in due_for_anonymisation(session, TODAY + timedelta(days=5), DAYS)


def test_anonymised_households_still_show_and_dedup_copes(client, login_as, session, make):
    household = departed(session, make)
    anonymise_household(session, None, household, NOW)
    session.flush()
    login_as("registration_supervisor")
    page = client.get(f"/households/{household.number}")
    assert page.status_code == 200 and PLACEHOLDER in page.get_data(as_text=True)
    listing = client.get("/households?status=departed")
    assert listing.status_code == 200 and household.number in listing.get_data(as_text=True)
    report = client.get(f"/households/{household.number}/subject-report").get_data(as_text=True)
    assert "Rahimi" not in report and "Names removed after the retention period" in report
    person = session.get(Person, household.members[0].id)
    assert dedup.find_matches(session, dedup.record_of(person)) == []
    dedup.store_keys(session, person)  # an edit after anonymisation rebuilds keys from the placeholder only
    session.flush()


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["anonymise", "--today", TODAY.isoformat(), *args])


def test_cli_dry_run_changes_nothing(app, session, make):
    household = departed(session, make)
    result = _cli(app, "--dry-run", "--retention-days", str(DAYS))
    assert result.exit_code == 0, result.output
    assert "1 households" in result.output and "KHR: 1" in result.output and "Dry run" in result.output
    session.expire_all()
    assert session.get(Household, household.id).anonymised_at is None
    assert _person_rows(session, household)[0].family_name == "Rahimi"


def test_cli_anonymises_what_is_due_and_prints_no_names(app, session, make):
    due, kept = departed(session, make), departed(session, make, days_ago=DAYS - 1)
    result = _cli(app, "--retention-days", str(DAYS))
    assert result.exit_code == 0, result.output
    assert "Anonymised 1 households" in result.output
    assert not any(name in result.output for name in NAMES) and "1400123456" not in result.output
    session.expire_all()
    assert session.get(Household, due.id).anonymised_at is not None
    assert session.get(Household, kept.id).anonymised_at is None
    again = _cli(app, "--retention-days", str(DAYS))
    assert again.exit_code == 0 and "0 households" in again.output


def test_cli_uses_the_configured_retention(app, session, make, monkeypatch):
    household = departed(session, make, days_ago=40)
    monkeypatch.setitem(app.config, "RETENTION_DAYS", 30)
    assert _cli(app).exit_code == 0
    session.expire_all()
    assert session.get(Household, household.id).anonymised_at is not None


def test_protection_codes_go_and_other_needs_stay(session, make):
    household = departed(session, make)
    head = household.members[0]
    head.needs.append(PersonNeed(code="SV-VF"))
    head.needs.append(PersonNeed(code="LP-AP"))
    session.flush()
    anonymise_household(session, None, household, NOW)
    session.flush()
    assert _person_rows(session, household)[0].need_codes == ["DS-PM"]


def test_old_pre_registration_files_are_emptied(app, session, make):
    fresh = make.import_batch(content=b"household_ref,given_name\nB-1,Nasir\n")
    old = make.import_batch(content=b"household_ref,given_name\nB-2,Karim\n")
    fresh.uploaded_at = datetime.combine(TODAY - timedelta(days=10), datetime.min.time())
    old.uploaded_at = datetime.combine(TODAY - timedelta(days=800), datetime.min.time())
    session.flush()
    counted = app.test_cli_runner().invoke(args=["anonymise", "--dry-run", "--today", TODAY.isoformat()])
    assert counted.exit_code == 0 and "1 pre-registration files" in counted.output and "would be" in counted.output
    assert session.get(ImportBatch, old.id).content.endswith(b"Karim\n")
    assert app.test_cli_runner().invoke(args=["anonymise", "--today", TODAY.isoformat()]).exit_code == 0
    session.expire_all()
    assert session.get(ImportBatch, old.id).content == b""
    assert session.get(ImportBatch, fresh.id).content.endswith(b"Nasir\n")


def test_a_batch_checks_again_that_each_household_is_still_due(session, make):
    household = departed(session, make)
    assert due_for_anonymisation(session, TODAY, DAYS, among=[household.id]) == [household.id]
    lifecycle.set_status(session, None, household, "active", today=TODAY)  # came back while the run went on
    lifecycle.set_status(session, None, household, "departed", today=TODAY)  # and left again
    assert due_for_anonymisation(session, TODAY, DAYS, among=[household.id]) == []
