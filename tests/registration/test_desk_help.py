"""What the desk does for the clerk (issue 15): known spellings from the registry, hints instead of
placeholder values, the duplicate warning kept when the form comes back, the session's status for
drafts.js, a reprint suggested when the card shows no plot, plots in the household's history."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from app.campday import camp_today
from camps.allocation import services as allocation
from registration.cards import services as cards
from registration.households.models import Household
from tests.factories import PASSWORD
from tests.registration.test_desk_pages import form


def test_known_spellings_are_the_registry_pairs_of_the_clerks_camps_most_frequent_first(client, login_as, make):
    login_as("registration_clerk", "KHR")
    for _n in range(2):
        make.household("KHR", members=1)  # Mohammad / محمد, father Karim (no original script)
    household = make.household("KHR", members=1)
    household.head.given_name_orig = "Муҳаммад"
    other = make.household("SHR", members=1)  # another camp: not counted
    other.head.given_name_orig = "محمّد"
    answer = client.post("/register/name-spellings", json={"name": " mohammad "})
    assert answer.status_code == 200
    assert answer.get_json() == {"spellings": [{"name": "محمد", "count": 2}, {"name": "Муҳаммад", "count": 1}]}
    assert client.post("/register/name-spellings", json={"name": "محمد"}).get_json()["spellings"] == [
        {"name": "Mohammad", "count": 2}
    ]
    assert client.post("/register/name-spellings", json={"name": "Karim"}).get_json() == {"spellings": []}
    assert client.post("/register/name-spellings", json={"name": ["x"]}).get_json() == {"spellings": []}
    assert client.get("/register/name-spellings").status_code == 405  # names never go in URLs


def test_desk_fields_give_hints_beside_the_field_not_values_in_it(client, login_as):
    login_as("registration_clerk")
    page = client.get("/register").data.decode()
    assert 'placeholder="17.05.1990' not in page and 'placeholder="AF1501"' not in page
    assert 'aria-describedby="members-0-born-help"' in page and 'id="members-0-born-help"' in page
    assert 'data-spellings-url="/register/name-spellings"' in page and 'data-draft="desk-new"' in page


def test_the_duplicate_warning_stays_when_the_form_comes_back_for_another_mistake(client, login_as, make, session):
    login_as("registration_clerk")
    camp = make.camp("KHR")
    client.post("/register", data=form(camp.id, token="t1", members=[{"tazkira": "1234-5678-90123"}]))
    earlier = session.scalar(select(Household))
    data = form(
        camp.id,
        token="t2",
        members=[
            {"given_name": "Mohammed", "tazkira": "1234567890123"},
            {"given_name": "Ali", "sex": "m", "born": "2099", "relation_to_head": "son"},
        ],
    )
    data["members-0-not_duplicates"] = str(earlier.head.id)
    page = client.post("/register", data=data).data.decode()
    assert "The date of birth is in the future." in page
    assert 'data-testid="duplicate-warning"' in page and f"{earlier.number}/01" in page
    assert f'value="{earlier.head.id}" checked' in page  # the clerk's answer is kept


def test_session_status_answers_without_redirecting_once_the_session_went_idle(app, client, make):
    user = make.user(username="shirin")
    with freeze_time(datetime(2026, 12, 1, 6, 0)) as clock:
        client.post("/login", data={"username": "shirin", "password": PASSWORD})
        live = client.get("/session/status").get_json()
        assert live["signed_in"] is True and live["user"] == str(user.id) and live["csrf_token"]
        assert live["idle_seconds"] == 60 * app.config["IDLE_TIMEOUT_MINUTES"]
        clock.tick(timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"] + 1))
        ended = client.get("/session/status")
        assert ended.status_code == 200 and ended.get_json()["signed_in"] is False
        assert ended.get_json()["user"] is None and ended.get_json()["csrf_token"]
        # no "session expired" message waits for the next page: the form is sent after signing in again
        client.post("/login", data={"username": "shirin", "password": PASSWORD})
        assert "period of inactivity" not in client.get("/").data.decode()


def test_a_card_printed_before_the_plot_suggests_a_reprint_and_the_history_shows_the_plot(
    app, client, login_as, make, session, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "KEYS_PATH", str(tmp_path / "keys"))
    household = make.household("KHR")
    plot = make.layout("KHR", blocks=1, plots=1)[0]
    with freeze_time(datetime(2026, 11, 1, 8, 0)) as clock, app.app_context():
        clerk = login_as("registration_supervisor")
        card = cards.issue(session, clerk, household, camp_today())
        cards.record_print(session, clerk, card)
        clock.tick(timedelta(minutes=10))
        page = client.get(f"/households/{household.number}").data.decode()
        assert 'data-testid="card-section"' in page and 'data-testid="card-reprint"' not in page  # no plot yet
        allocation.allocate(session, clerk, household, plot)
        session.flush()
        page = client.get(f"/households/{household.number}").data.decode()
        assert "shows no plot" in page and card.serial in page
        assert f"Plot allocated · {plot.code}" in page
        clock.tick(timedelta(minutes=10))
        cards.record_print(session, clerk, card)
        session.flush()
        assert 'data-testid="card-reprint"' not in client.get(f"/households/{household.number}").data.decode()
