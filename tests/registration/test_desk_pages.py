"""The desk and household pages through HTTP: forms keep what was typed, saves happen once."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select

from app.campday import camp_today
from registration.households.models import Household
from tests.registration.test_desk import jpeg


def form(camp_id: int, token: str = "tok-1", members=None, **overrides) -> dict:
    data = {
        "token": token,
        "camp_id": str(camp_id),
        "arrival_date": camp_today().isoformat(),
        "crossing_point": "PPY",
        "origin_province": "AF15",
        "phone": "+992931234567",
        "languages": ["prs"],
        "consent": "yes",
    }
    for i, m in enumerate(members or [{}]):
        row = {
            "given_name": "Mohammad",
            "given_name_orig": "محمد",
            "father_name": "Karim",
            "sex": "m",
            "born": "1985",
            "relation_to_head": "head",
            **m,
        }
        data.update({f"members-{i}-{k}": v for k, v in row.items()})
    data.update(overrides)
    return data


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Household))


def test_desk_page_opens_with_a_fresh_token_and_today(client, login_as):
    login_as("registration_clerk")
    page = client.get("/register").data.decode()
    assert 'name="token"' in page and camp_today().isoformat() in page  # the camp's day, not the server's
    assert 'data-check-url="/api/v1/people/duplicate-check"' in page


def test_desk_saves_a_household_with_an_uploaded_photo(client, login_as, make, session):
    login_as("registration_clerk")
    camp = make.camp("KHR")
    data = form(
        camp.id,
        members=[
            {},
            {
                "given_name": "Fatima",
                "given_name_orig": "فاطمه",
                "sex": "f",
                "relation_to_head": "spouse",
                "born": "17.03.1988",
            },
        ],
    )
    data["members-0-photo"] = (io.BytesIO(jpeg()), "head.jpg")
    response = client.post("/register", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    household = session.scalar(select(Household))
    assert response.headers["Location"] == f"/households/{household.number}"
    assert household.size == 2 and household.head.photo is not None
    photo = client.get(f"/households/{household.number}/photos/1")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"


def test_refused_desk_form_keeps_every_row_typed_and_saves_nothing(client, login_as, make, session):
    login_as("registration_clerk")
    camp = make.camp("KHR")
    members = [
        {},
        {"given_name": "Zahra", "sex": "f", "relation_to_head": "daughter", "born": "2099"},
        {"given_name": "Ali", "sex": "m", "relation_to_head": "son", "born": "7"},
    ]
    response = client.post("/register", data=form(camp.id, members=members))
    assert response.status_code == 422
    page = response.data.decode()
    assert "The date of birth is in the future." in page
    assert 'value="Zahra"' in page and 'value="Ali"' in page and 'name="members-2-given_name"' in page
    assert count(session) == 0


def test_double_submit_of_the_same_form_saves_once(client, login_as, make, session):
    login_as("registration_clerk")
    camp = make.camp("KHR")
    first = client.post("/register", data=form(camp.id, token="same-token"))
    second = client.post("/register", data=form(camp.id, token="same-token"))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count(session) == 1


def test_desk_shows_likely_duplicate_and_saves_after_different_person(client, login_as, make, session):
    login_as("registration_clerk")
    camp = make.camp("KHR")
    client.post(
        "/register", data=form(camp.id, token="t1", members=[{"given_name": "Muhammad", "given_name_orig": "Муҳаммад"}])
    )
    earlier = session.scalar(select(Household))
    response = client.post("/register", data=form(camp.id, token="t2", members=[{"given_name": "Mohammed"}]))
    assert response.status_code == 422
    page = response.data.decode()
    assert 'data-testid="duplicate-warning"' in page and f"{earlier.number}/01" in page
    assert count(session) == 1
    answered = form(camp.id, token="t2", members=[{"given_name": "Mohammed"}])
    answered["members-0-not_duplicates"] = str(earlier.head.id)
    assert client.post("/register", data=answered).status_code == 302
    assert count(session) == 2


def test_live_duplicate_check_api(client, login_as, make, session):
    login_as("registration_clerk")
    camp = make.camp("KHR")
    client.post("/register", data=form(camp.id, token="t1"))
    body = {"given_name": "Muhammad", "father_name": "Kareem", "sex": "m", "born": "1985"}
    result = client.post("/api/v1/people/duplicate-check", json=body).get_json()
    assert len(result["matches"]) == 1 and result["matches"][0]["number"].endswith("/01")
    refused = client.post("/api/v1/people/duplicate-check", json={**body, "born": "3000"})
    assert refused.status_code == 422 and "future" in refused.get_json()["error"]["detail"]


def test_search_by_name_in_any_script_by_number_phone_and_tazkira(client, login_as, make, session):
    login_as("registration_clerk")
    camp = make.camp("KHR")
    client.post("/register", data=form(camp.id, token="t1", members=[{"tazkira": "1234-5678-90123"}]))
    household = session.scalar(select(Household))
    for typed in (
        "Muhammad Karim",
        "محمد کریم",
        "Муҳаммад Карим",
        household.number,
        household.number.lower(),
        f"{household.number}/01",
        "93 123 4567",
        "1234567890123",
    ):
        page = client.post("/households", data={"q": typed}, follow_redirects=True).data.decode()
        assert f"/households/{household.number}" in page, typed
    wrong = household.number[:-1] + ("A" if household.number[-1] != "A" else "B")
    page = client.post("/households", data={"q": wrong}, follow_redirects=True).data.decode()
    assert "check the last character" in page
    assert "Type two names" in client.post("/households", data={"q": "Mohammad"}, follow_redirects=True).data.decode()


def test_search_does_not_reach_other_camps(client, login_as, make, session):
    other = make.household("SHR")
    login_as("registration_clerk", "KHR")
    page = client.post("/households", data={"q": other.number}, follow_redirects=True).data.decode()
    assert f"/households/{other.number}" not in page


def test_pending_household_is_finished_at_the_desk(client, login_as, make, session):
    from registration.households import desk

    camp = make.camp("KHR")
    raw = {
        "camp_id": camp.id,
        "arrival_date": date.today(),
        "consent": True,
        "members": [
            {
                "given_name": "Nasir",
                "given_name_orig": "ناصر",
                "father_name": "Jalil",
                "sex": "m",
                "born": "1977",
                "relation_to_head": "head",
                "source_ref": "BP-1",
            },
            {"given_name": "Setara", "sex": "f", "born": "1983", "relation_to_head": "spouse", "source_ref": "BP-2"},
        ],
    }
    pending, _ = desk.register_household(
        session, None, desk.clean_household(session, None, raw, date.today()), check_duplicates=False, status="pending"
    )
    login_as("registration_clerk")
    page = client.get(f"/register?pending={pending.number}").data.decode()
    assert 'value="Nasir"' in page and 'value="Setara"' in page and f'value="{pending.number}"' in page
    ids = [str(p.id) for p in pending.members]
    data = form(
        camp.id,
        token=pending.registration_token or "x",
        members=[
            {
                "given_name": "Nasir",
                "given_name_orig": "ناصر",
                "father_name": "Jalil",
                "born": "1977",
                "person_id": ids[0],
            },
            {
                "given_name": "Setara",
                "given_name_orig": "ستاره",
                "father_name": "Saboor",
                "sex": "f",
                "born": "1983",
                "relation_to_head": "spouse",
                "person_id": ids[1],
            },
            {
                "given_name": "Ehsan",
                "given_name_orig": "احسان",
                "father_name": "Nasir",
                "born": "0",
                "relation_to_head": "son",
            },
        ],
        pending=pending.number,
    )
    response = client.post("/register", data=data)
    assert response.status_code == 302
    session.refresh(pending)
    assert pending.status == "active" and pending.size == 3
    assert [p.source_ref for p in pending.members][:2] == ["BP-1", "BP-2"]
    assert pending.members[1].given_name_orig == "ستاره"
