"""Registering a household at the desk: one transaction, refusals next to fields, no double saves."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.errors import ValidationErrors
from registration.dedup.models import DuplicatePair
from registration.households import desk
from registration.households.models import Household, Person, PersonKey

TODAY = date.today()


def jpeg(size=(640, 480), color=(120, 80, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def member(**overrides) -> dict:
    base = {
        "given_name": "Mohammad",
        "given_name_orig": "محمد",
        "father_name": "Karim",
        "family_name": "Ahmadzai",
        "sex": "m",
        "born": "1985",
        "relation_to_head": "head",
        "marital_status": "married",
    }
    return {**base, **overrides}


def raw(camp, members=None, **overrides) -> dict:
    base = {
        "camp_id": camp.id,
        "arrival_date": TODAY - timedelta(days=1),
        "crossing_point": "PPY",
        "origin_province": "AF15",
        "phone": "+992 93 123 4567",
        "languages": ["prs"],
        "consent": True,
        "token": None,
        "members": members if members is not None else [member()],
    }
    return {**base, **overrides}


def households(session) -> int:
    return session.scalar(select(func.count()).select_from(Household))


def register(session, actor, data, **kw):
    return desk.register_household(session, actor, desk.clean_household(session, actor, data, TODAY), **kw)


def family_of_six() -> list[dict]:
    return [
        member(photo=jpeg()),
        member(
            given_name="Fatima",
            given_name_orig="فاطمه",
            sex="f",
            born="17.03.1988",
            relation_to_head="spouse",
            needs="WR-LC",
        ),
        member(
            given_name="Муҳаммад",
            given_name_orig="",
            father_name="Mohammad",
            sex="m",
            born="12",
            relation_to_head="son",
            marital_status="single",
        ),
        member(
            given_name="Zahra",
            given_name_orig="زهرا",
            father_name="Mohammad",
            sex="f",
            born="2016-05",
            relation_to_head="daughter",
            marital_status="single",
            needs="DS-PM, sm-ci",
        ),
        member(
            given_name="Ali",
            given_name_orig="علی",
            father_name="Mohammad",
            sex="m",
            born="3",
            relation_to_head="son",
            marital_status="single",
        ),
        member(
            given_name="Bibi Gul",
            given_name_orig="بی بی گل",
            father_name="Rahim",
            family_name="",
            sex="f",
            born="70",
            relation_to_head="mother",
            marital_status="widowed",
            needs="ER-FR",
        ),
    ]


def test_register_a_family_of_six_in_one_transaction(session, make):
    camp = make.camp("KHR")
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    household, created = register(session, clerk, raw(camp, family_of_six()))
    assert created and household.status == "active" and household.size == 6
    assert household.number.startswith("KHR-") and household.consent is True
    head = household.head
    assert head.seq == 1 and head.photo is not None and len(head.photo.jpeg) < 80_000
    with Image.open(io.BytesIO(head.photo.jpeg)) as stored:
        assert stored.format == "JPEG" and stored.size[0] <= 360 and stored.size[1] <= 480
    son = household.members[2]
    assert son.given_name == "Muhammad" and son.given_name_orig == "Муҳаммад"  # Cyrillic typed in the Latin field
    assert son.birth_precision == "age" and son.birth_date.year == TODAY.year - 12
    assert household.members[3].need_codes == ["DS-PM", "SM-CI"]
    assert household.members[3].birth_precision == "month"
    assert (
        session.scalar(
            select(func.count()).select_from(PersonKey).join(Person).where(Person.household_id == household.id)
        )
        >= 6
    )


def test_numbers_are_sequential_per_camp_with_valid_check_characters(session, make):
    from registration.households.numbers import is_valid

    camp = make.camp("KHR")
    first, _ = register(session, None, raw(camp))
    second, _ = register(session, None, raw(camp, [member(given_name="Nasir", given_name_orig="ناصر", born="1970")]))
    assert is_valid(first.number) and is_valid(second.number)
    assert int(second.number[4:10]) == int(first.number[4:10]) + 1


def test_the_same_token_never_creates_two_households(session, make):
    camp = make.camp("KHR")
    first, created = register(session, None, raw(camp, token="abc123"))
    again, created_again = register(session, None, raw(camp, token="abc123"))
    assert created and not created_again and again.id == first.id
    assert households(session) == 1


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("born", (TODAY + timedelta(days=3)).strftime("%d.%m.%Y"), "in the future"),
        ("born", "150", "not possible"),
        ("born", "31.02.1990", "Write a date"),
        ("born", "", "Enter the date of birth"),
        ("sex", "x", "female or male"),
        ("given_name", "", "given name in Latin"),
        ("tazkira", "12345", "13-digit"),
        ("needs", "DS-PM, XX-YY", "Unknown specific-needs codes: XX-YY"),
        ("relation_to_head", "boss", "relationship"),
    ],
)
def test_bad_member_input_is_refused_next_to_the_field_and_nothing_saved(session, make, field, value, message):
    camp = make.camp("KHR")
    with pytest.raises(ValidationErrors) as refused:
        desk.clean_household(session, None, raw(camp, [member(**{field: value})]), TODAY)
    assert any(message in m for m in refused.value.errors[f"members-0-{field}"])
    assert households(session) == 0


def test_all_refusals_come_together(session, make):
    camp = make.camp("KHR")
    data = raw(
        camp,
        [member(born="200"), member(relation_to_head="son", sex="")],
        arrival_date=TODAY + timedelta(1),
        consent=None,
        phone="call me",
    )
    with pytest.raises(ValidationErrors) as refused:
        desk.clean_household(session, None, data, TODAY)
    assert {"members-0-born", "members-1-sex", "arrival_date", "consent", "phone"} <= refused.value.errors.keys()


def test_empty_household_is_refused(session, make):
    camp = make.camp("KHR")
    with pytest.raises(ValidationErrors) as refused:
        desk.clean_household(session, None, raw(camp, [{"given_name": "", "born": ""}]), TODAY)
    assert "Register at least the head of household." in refused.value.errors["members"]


def test_exactly_one_head(session, make):
    camp = make.camp("KHR")
    with pytest.raises(ValidationErrors) as refused:
        desk.clean_household(session, None, raw(camp, [member(), member(given_name="Nasir")]), TODAY)
    assert "Exactly one member must be the head of household." in refused.value.errors["members"]


def test_oversize_and_fake_photos_are_refused(session, make):
    camp = make.camp("KHR")
    for photo, message in ((b"x" * (7 * 1024 * 1024), "too large"), (b"not a picture", "not a picture")):
        with pytest.raises(ValidationErrors) as refused:
            desk.clean_household(session, None, raw(camp, [member(photo=photo)]), TODAY)
        assert message in refused.value.errors["members-0-photo"][0]


def test_clerk_cannot_register_into_another_camp(session, make):
    make.camp("KHR")
    other = make.camp("SHR")
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    with pytest.raises(ValidationErrors) as refused:
        desk.clean_household(session, clerk, raw(other), TODAY)
    assert "camp_id" in refused.value.errors


def test_tazkira_with_dashes_is_stored_as_digits(session, make):
    camp = make.camp("KHR")
    household, _ = register(session, None, raw(camp, [member(tazkira="1234-5678-90123")]))
    assert household.head.tazkira == "1234567890123"


def test_likely_duplicate_blocks_saving_until_the_clerk_answers(session, make):
    camp = make.camp("KHR")
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    earlier, _ = register(
        session, clerk, raw(camp, [member(given_name="Muhammad", given_name_orig="Муҳаммад", born="05.06.1985")])
    )
    with pytest.raises(desk.DuplicatesFound) as found:
        register(session, clerk, raw(camp, [member(given_name="Mohammed", born="1985")]))
    match = found.value.checks[0].visible[0]
    assert match.person.id == earlier.head.id
    assert households(session) == 1
    household, created = register(
        session, clerk, raw(camp, [member(given_name="Mohammed", born="1985", not_duplicates=[str(earlier.head.id)])])
    )
    assert created
    pair = session.scalar(select(DuplicatePair))
    assert pair.status == "different" and pair.decided_by_id == clerk.id


def test_matches_in_other_camps_are_counted_not_shown_and_queued(session, make):
    make.camp("KHR")
    shr = make.camp("SHR")
    other_clerk = make.user(roles=["registration_clerk"], camps=["SHR"])
    clerk = make.user(roles=["registration_clerk"], camps=["KHR"])
    register(session, other_clerk, raw(shr, [member(born="05.06.1985")]))
    khr = session.scalar(select(func.min(Household.camp_id)))  # noqa: F841 - the KHR camp exists
    data = desk.clean_household(
        session, clerk, raw(make.camp("KHR"), [member(given_name="Muhammad", born="1985")]), TODAY
    )
    check = desk.find_duplicates(session, clerk, data)
    assert check == {}  # nothing the clerk can see or decide
    household, created = desk.register_household(session, clerk, data)
    assert created
    pair = session.scalar(select(DuplicatePair))
    assert pair.status == "open"
