"""Feedback pages for staff: log a case at a desk, work the cases, see what I logged; the kiosks' admin.

Sensitive cases never reach a page of someone without ``feedback.view_sensitive``: the services'
queries leave them out and ``case_for_user`` answers None (404) for them.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import permissions as P
from app.db import get_session, utcnow
from app.errors import UserValueError, ValidationErrors
from app.forms import choices
from app.navigation import register_badge
from app.pagination import paginate
from app.permissions import requires
from app.secret_link_views import DeviceAdmin
from app.views import put_on_form
from camps.feedback import services
from camps.feedback.forms import (
    AssignForm,
    CaseForm,
    CloseSensitiveForm,
    CommunicateForm,
    KioskAdminForm,
    NoteForm,
    ReferForm,
    ReopenForm,
    RespondForm,
    TranslateForm,
)
from camps.feedback.models import (
    CHANNELS,
    CLOSING_OUTCOMES,
    SECTORS,
    SENSITIVE_CATEGORIES,
    STATUSES,
    TYPES,
    FeedbackCase,
    Kiosk,
    language_label,
)
from camps.feedback.workflow import EVENT_NAMES
from camps.sites.models import Camp
from camps.sites.services import visible_camps
from registration.households.models import Household

bp = Blueprint("feedback", __name__)

#: action -> the form it posts (None: a button with only the CSRF token)
ACTION_FORMS = {
    "acknowledge": None,
    "start": None,
    "refer": ReferForm,
    "respond": RespondForm,
    "communicate": CommunicateForm,
    "close": None,
    "reopen": ReopenForm,
    "assign": AssignForm,
    "translate": TranslateForm,
    "note": NoteForm,
}
_LOGGED = "feedback_logged"


def _titles() -> dict:
    return {
        "channels": CHANNELS,
        "types": TYPES,
        "categories": SENSITIVE_CATEGORIES,
        "sectors": SECTORS,
        "statuses": STATUSES,
        "language_label": language_label,
        "outcomes": CLOSING_OUTCOMES,
    }


# --- intake ----------------------------------------------------------------------------------


def _intake_page(form: CaseForm, status: int = 200, message: str | None = None):
    logged = flask_session.pop(_LOGGED, None) if request.method == "GET" else None
    return render_template("feedback/new.html", form=form, form_message=message, logged=logged), status


def _prefilled(camps: list[Camp]) -> CaseForm:
    number = request.args.get("household", "").strip().upper()[:20]
    data = {"household": number}
    if request.args.get("channel") in CHANNELS and request.args["channel"] != "kiosk":
        data["channel"] = request.args["channel"]
    camp = next((c for c in camps if number.startswith(c.code + "-")), None)
    if camp is not None:
        data["camp"] = camp.code
    form = CaseForm(data=data)
    form.set_camps(camps)
    return form


@bp.route("/feedback/new", methods=["GET", "POST"])
@requires(P.FEEDBACK_LOG)
def new_case():
    camps = visible_camps(get_session(), current_user)
    if request.method == "GET":
        return _intake_page(_prefilled(camps))
    form = CaseForm()
    form.set_camps(camps)
    if not form.validate_on_submit():
        return _intake_page(form, 422)
    camp = next(c for c in camps if c.code == form.camp.data)
    try:
        case = services.intake(get_session(), current_user, camp, form.intake_data())
    except ValidationErrors as exc:
        return _intake_page(form, 422, put_on_form(form, exc))
    # shown once on the empty form that follows: the reference, and nothing of a sensitive case
    flask_session[_LOGGED] = {"reference": case.reference, "sensitive": case.sensitive}
    return redirect(url_for("feedback.new_case"))


# --- the list and my cases -------------------------------------------------------------------


def _filters(camps: list[Camp]) -> dict:
    args = request.args
    types = {k: v for k, v in TYPES.items() if k != "sensitive" or current_user.can(P.FEEDBACK_SENSITIVE)}
    camp = next((c for c in camps if c.code == args.get("camp", "").upper()), None)
    return {
        "camp": camp,
        "status": args.get("status") if args.get("status") in STATUSES else "",
        "type": args.get("type") if args.get("type") in types else "",
        "sector": args.get("sector") if args.get("sector") in SECTORS else "",
        "overdue": args.get("overdue") == "1",
        "due_soon": args.get("due") == "soon",
        "types": types,
    }


@bp.route("/feedback")
@requires(P.FEEDBACK_MANAGE)
def list_cases():
    db = get_session()
    camps = visible_camps(db, current_user)
    f = _filters(camps)
    now = utcnow()
    query = services.visible_cases(
        current_user,
        camp_id=f["camp"].id if f["camp"] else None,
        status=f["status"] or None,
        type=f["type"] or None,
        sector=f["sector"] or None,
        overdue=True if f["overdue"] else None,
        due_soon=f["due_soon"],
        now=now,
    )
    page = paginate(db, query)
    return render_template(
        "feedback/list.html",
        page=page,
        camps=camps,
        filters=f,
        now=now,
        overdue={c.id for c in page.items if services.is_overdue(c, now)},
        due_soon={c.id for c in page.items if services.is_due_soon(c, now)},
        alert_hours=services.alert_hours(),
        camp_codes={c.id: c.code for c in camps},
        owners=services.user_names(db, (c.owner_id for c in page.items)),
        **_titles(),
    )


@bp.route("/feedback/mine")
@requires(P.FEEDBACK_LOG)
def my_cases():
    page = paginate(get_session(), services.my_cases(current_user))
    return render_template(
        "feedback/mine.html",
        page=page,
        statuses=STATUSES,
        labels={c.id: services.type_label(c, current_user) for c in page.items},
    )


# --- one case --------------------------------------------------------------------------------


def _case_or_404(reference: str) -> FeedbackCase:
    case = services.case_for_user(get_session(), current_user, reference)
    if case is None:
        abort(404)
    return case


def _form_class(case: FeedbackCase, action: str):
    """The form an action posts: a sensitive case's close asks for its outcome and a confirmation."""
    if action == "close" and case.sensitive:
        return CloseSensitiveForm
    return ACTION_FORMS[action]


def _action_forms(case: FeedbackCase, failed: tuple[str, object] | None = None) -> dict:
    forms = {}
    for action in services.available_actions(case):
        form_class = _form_class(case, action)
        forms[action] = form_class(formdata=None) if form_class else None
    translate = forms.get("translate")
    if translate is not None and (failed is None or failed[0] != "translate"):
        translate.translation.data = case.translation or ""
    if failed is not None:
        forms[failed[0]] = failed[1]
    assign = forms.get("assign")
    if assign is not None:
        _owner_choices(assign, case)
        if failed is None or failed[0] != "assign":
            assign.owner_id.data = str(case.owner_id or "")
    return forms


def _owner_choices(form: AssignForm, case: FeedbackCase) -> None:
    users = services.assignable_users(get_session(), case)
    form.owner_id.choices = choices([("", _("Nobody"))] + [(str(u.id), f"{u.full_name} ({u.username})") for u in users])


def _case_page(case: FeedbackCase, failed=None, message: str | None = None, status: int = 200):
    db = get_session()
    events = services.case_history(db, case)
    household = db.get(Household, case.household_id) if case.household_id else None
    names = services.user_names(db, [case.owner_id, case.created_by_id, *(e.actor_id for e in events)])
    return render_template(
        "feedback/case.html",
        case=case,
        camp=db.get_one(Camp, case.camp_id),
        events=events,
        names=names,
        household=household,
        kiosk=db.get(Kiosk, case.kiosk_id) if case.kiosk_id else None,
        forms=_action_forms(case, failed),
        form_message=message,
        now=utcnow(),
        failed_action=failed[0] if failed else None,
        overdue=services.is_overdue(case, utcnow()),
        due_soon=services.is_due_soon(case, utcnow()),
        event_titles=event_titles(),
        **_titles(),
    ), status


@bp.route("/feedback/cases/<reference>")
@requires(P.FEEDBACK_MANAGE)
def view_case(reference: str):
    return _case_page(_case_or_404(reference))


def _action_data(form) -> dict:
    if form is None:
        return {}
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


@requires(P.FEEDBACK_MANAGE)
def act(reference: str, action: str):
    """One step of a case: POST /feedback/cases/<reference>/<action> (a rule per known action)."""
    case = _case_or_404(reference)
    form_class = _form_class(case, action)
    form = form_class() if form_class else None
    if action == "assign":
        assert isinstance(form, AssignForm)  # the assign step has its form
        _owner_choices(form, case)
    if form is not None and not form.validate_on_submit():
        return _case_page(case, (action, form), status=422)
    try:
        services.transition(get_session(), current_user, case, action, _action_data(form))
    except UserValueError as exc:
        if form is None:
            return _case_page(case, None, exc.message, 422)
        return _case_page(case, (action, form), put_on_form(form, exc), 422)
    flash(_("%(action)s: done.", action=event_titles()[EVENT_NAMES[action]]), "success")
    return redirect(url_for("feedback.view_case", reference=case.reference))


for _action in ACTION_FORMS:
    bp.add_url_rule(
        f"/feedback/cases/<reference>/{_action}", "act", act, methods=["POST"], defaults={"action": _action}
    )


def event_titles() -> dict[str, str]:
    return {
        "created": _("Logged"),
        "acknowledged": _("Acknowledged"),
        "in_progress": _("Work started"),
        "referred": _("Referred"),
        "responded": _("Response recorded"),
        "communicated": _("Person told"),
        "closed": _("Closed"),
        "reopened": _("Reopened"),
        "assigned": _("Owner changed"),
        "note": _("Note"),
        "translated": _("Translation updated"),
    }


def _sensitive_badge(user) -> tuple[int, str]:
    count = services.sensitive_alert_count(get_session(), user)
    return count, ngettext(
        "%(num)d sensitive case due soon or overdue", "%(num)d sensitive cases due soon or overdue", count
    )


register_badge("feedback.list_cases", _sensitive_badge)


# --- kiosks ----------------------------------------------------------------------------------


KIOSKS = DeviceAdmin(
    kind="kiosk",
    form_class=KioskAdminForm,
    link_endpoint="kiosk.form",
    create=services.create_kiosk,
    revoke=services.revoke_kiosk,
    visible=services.visible_kiosks,
    revoked=lambda name: _("Tablet “%(name)s” revoked: its link no longer works.", name=name),
)
KIOSKS.add_routes(bp, "/admin/kiosks", P.KIOSKS_MANAGE, lambda: visible_camps(get_session(), current_user))
