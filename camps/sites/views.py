"""Camp list, camp page, and the admin's create/edit forms."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions as P
from app.db import get_session
from app.permissions import requires
from app.views import form_page
from app.visibility import hidden_text
from camps.figures.dashboard import camp_households
from camps.sites import services
from camps.sites.forms import CampForm

bp = Blueprint("sites", __name__)


@bp.route("/camps")
@requires(P.CAMPS_VIEW)
def list_camps():
    session = get_session()
    camps = services.visible_camps(session, current_user)
    # as /figures shows them: small counts hidden from accounts that see no household
    counts = {
        camp_id: households
        for camp_id, (households, _people) in camp_households(
            session, current_user, camps, services.camp_today()
        ).items()
    }
    return render_template("sites/list.html", camps=camps, counts=counts, hidden=hidden_text())


@bp.route("/camps/<code>")
@requires(P.CAMPS_VIEW)
def view_camp(code: str):
    camp = services.camp_or_404(code)
    households, people = camp_households(get_session(), current_user, [camp], services.camp_today())[camp.id]
    return render_template("sites/view.html", camp=camp, households=households, people=people, hidden=hidden_text())


@bp.route("/camps/new", methods=["GET", "POST"])
@requires(P.CAMPS_CREATE)
def create_camp():
    form = CampForm()
    form.set_choices()
    return form_page(
        "sites/edit.html",
        form,
        save=lambda: services.create_camp(get_session(), current_user, form.data),
        saved=lambda camp: (_("Camp %(code)s created.", code=camp.code), url_for("sites.view_camp", code=camp.code)),
        camp=None,
    )


@bp.route("/camps/<code>/edit", methods=["GET", "POST"])
@requires(P.CAMPS_MANAGE)
def edit_camp(code: str):
    camp = services.camp_or_404(code)
    form = CampForm(obj=camp)
    form.set_choices()
    return form_page(
        "sites/edit.html",
        form,
        save=lambda: services.update_camp(get_session(), current_user, camp, form.data),
        saved=lambda _saved: (_("Camp %(code)s saved.", code=camp.code), url_for("sites.view_camp", code=camp.code)),
        camp=camp,
    )
