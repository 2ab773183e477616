"""The subject access report page: printable, in Tajik and English, for the family."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user

from app import permissions as P
from app.db import commit_aside, get_session
from app.permissions import requires
from registration.households import services
from registration.subject import labels
from registration.subject import report as reports

bp = Blueprint("subject", __name__)


@bp.route("/households/<number>/subject-report")
@requires(P.SUBJECT_REPORT)
def subject_report(number: str):
    """Everything held about the household, to print and hand to the family (audited once)."""
    session = get_session()
    household = services.household_for_user(session, current_user, number, audit=False)
    if household is None:
        abort(404)
    report = reports.subject_report(session, current_user, household, audit_with=commit_aside)
    return render_template(
        "subject/report.html", report=report, T=labels, retention_days=current_app.config["RETENTION_DAYS"]
    )
