"""The admin's search over the audit log."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import select

from app import permissions as P
from app.audit.forms import AuditSearchForm
from app.audit.services import search_events
from app.db import get_session
from app.forms import choices
from app.pagination import paginate
from app.permissions import requires
from camps.sites.models import Camp

bp = Blueprint('audit', __name__)


@bp.route('/admin/audit')
@requires(P.AUDIT_VIEW)
def list_events():
    session = get_session()
    form = AuditSearchForm(request.args)
    camps = session.scalars(select(Camp).order_by(Camp.code)).all()
    form.camp.choices = choices([(0, '—')] + [(c.id, c.code) for c in camps])
    valid = form.validate()
    data = form.data if valid else {}
    query = search_events(
        username=(data.get('username') or '').strip().lower() or None,
        action=(data.get('action') or '').strip() or None,
        object_type=(data.get('object_type') or '').strip() or None,
        object_id=(data.get('object_id') or '').strip() or None,
        camp_id=data.get('camp') or None,
        since=datetime.combine(data['since'], time()) if data.get('since') else None,
        until=datetime.combine(data['until'] + timedelta(days=1), time()) if data.get('until') else None,
    )
    page = paginate(session, query)
    status = 200 if valid or not request.args else 422
    return render_template('audit/list.html', form=form, page=page,
                           camps={c.id: c.code for c in camps}), status
