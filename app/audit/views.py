"""The admin's search over the audit log."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_login import current_user

from app import permissions as P
from app.audit.forms import AuditSearchForm
from app.audit.services import search_events, visible_to
from app.db import get_session
from app.forms import choices
from app.pagination import paginate
from app.permissions import requires
from app.scoping import camp_rows

bp = Blueprint("audit", __name__)


@bp.route("/admin/audit")
@requires(P.AUDIT_VIEW)
def list_events():
    session = get_session()
    form = AuditSearchForm(request.args)
    camps = camp_rows(session, current_user)
    form.camp.choices = choices([(0, "—")] + [(c.id, c.code) for c in camps])
    valid = form.validate()
    data = form.data if valid else {}
    query = visible_to(
        search_events(
            username=(data.get("username") or "").strip().lower() or None,
            action=(data.get("action") or "").strip() or None,
            object_type=(data.get("object_type") or "").strip() or None,
            object_id=(data.get("object_id") or "").strip() or None,
            camp_id=data.get("camp") or None,
            since=datetime.combine(data["since"], time()) if data.get("since") else None,
            until=datetime.combine(data["until"] + timedelta(days=1), time()) if data.get("until") else None,
        ),
        current_user,
    )
    page = paginate(session, query)
    status = 200 if valid or not request.args else 422
    return render_template("audit/list.html", form=form, page=page, camps={c.id: c.code for c in camps}), status
