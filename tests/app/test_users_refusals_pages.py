"""The account pages' refusals (app.views.refuse): 422, the message next to its field, what was typed kept but
never the password, and nothing saved or audited; a camp of another administrator's scope is refused."""

from __future__ import annotations

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.users.models import User


def _counts(session) -> tuple[int, int]:
    users = session.scalar(select(func.count()).select_from(User))
    events = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("user.%")))
    return users, events


def test_a_camp_admin_giving_another_camp_is_refused_next_to_the_camps(client, login_as, session, make):
    make.camp("KHR")
    shr = make.camp("SHR")
    login_as("admin", "KHR")
    before = _counts(session)
    data = {
        "username": "new.clerk",
        "full_name": "Zarina <i>Karimova</i>",
        "password": "secret temporary words",
        "roles": ["registration_clerk"],
        "camps": [str(shr.id)],
    }
    response = client.post("/admin/users/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'data-field-error="camps"' in page
    assert 'value="new.clerk"' in page and "Zarina &lt;i&gt;Karimova&lt;/i&gt;" in page
    assert "secret temporary words" not in page and "Camp SHR" not in page
    assert _counts(session) == before


def test_a_taken_username_is_refused_next_to_the_username(client, login_as, session, make):
    make.camp("KHR")
    make.user(username="taken.name")
    login_as("admin", "KHR")
    before = _counts(session)
    data = {"username": "taken.name", "full_name": "Another", "password": "secret temporary words"}
    data |= {"roles": ["registration_clerk"], "camps": [str(make.camp("KHR").id)]}
    response = client.post("/admin/users/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This username is taken." in page.split('data-field-error="username"', 1)[1].split("</div>", 1)[0]
    assert "secret temporary words" not in page and _counts(session) == before
