"""Communication pages for staff: write, check, print and send messages; history; notice-board screens."""

from __future__ import annotations

import io
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from app import permissions as P
from app.db import commit_aside, get_session
from app.errors import UserValueError
from app.pagination import paginate
from app.permissions import requires
from app.scoping import chosen_camp_or_404
from app.secret_link_views import DeviceAdmin
from app.views import put_on_form
from camps.communication import audience, history, loop, noticeboard, posters, services
from camps.communication.forms import ApproveForm, BoardForm, LinkCaseForm, MessageForm, ReminderForm, SendForm
from camps.communication.models import (
    AUDIENCES,
    LANGUAGE_ALIASES,
    LANGUAGE_TITLES,
    MESSAGE_LANGUAGES,
    PURPOSES,
    RTL_LANGUAGES,
    SKIP_REASONS,
    STATUSES,
)
from camps.distributions.models import DistributionRound
from camps.distributions.rounds import rounds_query
from camps.feedback.models import SECTORS
from camps.feedback.services import camp_today, case_for_user
from camps.sites.models import Camp
from camps.sites.services import camp_for_user, visible_camps
from registration.households.models import Household

bp = Blueprint("communication", __name__)


def _titles() -> dict:
    return {
        "purposes": PURPOSES,
        "audiences": AUDIENCES,
        "statuses": STATUSES,
        "language_titles": LANGUAGE_TITLES,
        "rtl": RTL_LANGUAGES,
        "sectors": SECTORS,
        "skip_reasons": SKIP_REASONS,
        "language_aliases": LANGUAGE_ALIASES,
    }


def _message_or_404(message_id: int):
    message = services.message_for_user(get_session(), current_user, message_id)
    if message is None:
        abort(404)
    return message


def _rounds(camp: Camp) -> list[DistributionRound]:
    """The camp's latest rounds, for the audience "a round's households not yet served"."""
    return list(get_session().scalars(rounds_query(current_user, camp.id).limit(50)))


def _form_page(
    form: MessageForm,
    camp: Camp,
    message=None,
    error: UserValueError | None = None,
    case_reference: str | None = None,
    status: int = 200,
):
    return render_template(
        "communication/form.html",
        form=form,
        camp=camp,
        message=message,
        form_message=put_on_form(form, error) if error else None,
        case_reference=case_reference,
        languages=MESSAGE_LANGUAGES,
        **_titles(),
    ), (422 if error or form.errors else status)


@bp.route("/communication/messages")
@requires(P.COMMUNICATION_WRITE)
def list_messages():
    session = get_session()
    camps = visible_camps(session, current_user)
    camp = chosen_camp_or_404(camps, request.args.get("camp"))
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    page = paginate(session, services.visible_messages(current_user, camp.id if camp else None, status))
    questions = loop.frequent_questions(session, camp.id, camp_today()) if camp else []
    return render_template(
        "communication/list.html",
        page=page,
        camps=camps,
        camp=camp,
        status=status,
        questions=questions,
        camp_codes={c.id: c.code for c in camps},
        **_titles(),
    )


@bp.route("/camps/<code>/messages/new", methods=["GET", "POST"])
@requires(P.COMMUNICATION_WRITE)
def create_message(code: str):
    session = get_session()
    camp = camp_for_user(session, current_user, code)
    if camp is None:
        abort(404)
    case_reference = request.values.get("case") or None
    case = case_for_user(session, current_user, case_reference, audit=False) if case_reference else None
    if case_reference and (not loop.linkable(case) or case.camp_id != camp.id):
        abort(404)
    if request.method == "GET":
        prefill = loop.prefill_from_case(case) if case else {}
        for key in ("purpose", "audience", "theme"):
            if request.args.get(key):
                prefill[key] = request.args[key]
        form = MessageForm(formdata=None, data=prefill)
        form.set_rounds(_rounds(camp))
        return _form_page(form, camp, case_reference=case_reference)
    form = MessageForm()
    form.set_rounds(_rounds(camp))
    if not form.validate_on_submit():
        return _form_page(form, camp, case_reference=case_reference)
    try:
        message = services.create_message(session, current_user, camp, form.data_for_service())
        if case is not None:
            services.link_case(session, current_user, message, case.id)
    except UserValueError as exc:
        return _form_page(form, camp, error=exc, case_reference=case_reference)
    flash(_("Message saved as a draft: a second person must approve it before it goes out."), "success")
    return redirect(url_for("communication.view_message", message_id=message.id))


@bp.route("/distributions/rounds/<int:round_id>/reminder")
@requires(P.COMMUNICATION_WRITE)
def reminder(round_id: int):
    """The reminder for households of a round not yet served, prefilled in every language (not saved yet)."""
    session = get_session()
    round_ = session.get(DistributionRound, round_id)
    if round_ is None or not current_user.can_access_camp(round_.camp_id):
        abort(404)
    camp = session.get_one(Camp, round_.camp_id)
    asked = ReminderForm(request.args)
    day = asked.day.data if asked.day.data and not asked.day.errors else max(round_.starts_on, camp_today())
    point = (asked.point.data or "").strip()[:40] or loop.usual_point(session, round_) or "…"
    data = {
        "title": _("Reminder: %(round)s", round=round_.name)[:120],
        "purpose": "distribution",
        "audience": "round_not_served",
        "round_id": str(round_.id),
        **loop.reminder_texts(day, point),
    }
    form = MessageForm(formdata=None, data=data)
    form.set_rounds(_rounds(camp))
    form.round_id.data = str(round_.id)
    return _form_page(form, camp)


def _message_page(
    message,
    send_form: SendForm | None = None,
    link_form: LinkCaseForm | None = None,
    status: int = 200,
    error: str | None = None,
):
    session = get_session()
    camp = session.get_one(Camp, message.camp_id)
    size = audience.count(session, message)
    previews = {}
    for name in services.available_channels():
        try:
            previews[name] = services.preview(session, message, name)
        except UserValueError:
            continue
    send_form = send_form or SendForm(formdata=None)
    send_form.channel.choices = [(name, name.upper()) for name in previews]
    send_form.token.data = send_form.token.data or secrets.token_urlsafe(24)
    household = session.get(Household, message.household_id) if message.household_id else None
    round_ = session.get(DistributionRound, message.round_id) if message.round_id else None
    sends = services.sends_of(session, message)
    return render_template(
        "communication/message.html",
        message=message,
        camp=camp,
        size=size,
        previews=previews,
        coverage=audience.coverage(session, message),
        missing=audience.missing_languages(session, message),
        sends=sends,
        delivery=history.delivery(session, sends),
        send_form=send_form,
        link_form=link_form or LinkCaseForm(formdata=None),
        approve_form=ApproveForm(formdata=None),
        cases=loop.cases_of(session, message),
        household=household,
        round=round_,
        error=error,
        can_approve=current_user.can(P.COMMUNICATION_APPROVE)
        and message.status == "draft"
        and current_user.id not in (message.created_by_id, message.updated_by_id),
        notice_url=url_for("noticeboard.notice", public_id=message.public_id, _external=True),
        formats=posters.FORMATS,
        user_names=history.user_names(session, message),
        **_titles(),
    ), status


@bp.route("/communication/messages/<int:message_id>")
@requires(P.COMMUNICATION_WRITE)
def view_message(message_id: int):
    return _message_page(_message_or_404(message_id))


@bp.route("/communication/messages/<int:message_id>/edit", methods=["GET", "POST"])
@requires(P.COMMUNICATION_WRITE)
def edit_message(message_id: int):
    session = get_session()
    message = _message_or_404(message_id)
    camp = session.get_one(Camp, message.camp_id)
    if request.method == "GET":
        data = {
            "title": message.title,
            "purpose": message.purpose,
            "audience": message.audience,
            "audience_ids": message.audience_ids,
            "round_id": str(message.round_id or ""),
            "theme": message.theme or "",
            "expires_on": message.expires_on,
            "household_number": session.get_one(Household, message.household_id).number if message.household_id else "",
        }
        for text in message.texts:
            data["text_" + text.language.replace("-", "_")] = text.text
        form = MessageForm(formdata=None, data=data)
        form.set_rounds(_rounds(camp))
        return _form_page(form, camp, message)
    form = MessageForm()
    form.set_rounds(_rounds(camp))
    if not form.validate_on_submit():
        return _form_page(form, camp, message)
    was_approved = message.status == "approved"
    try:
        services.update_message(session, current_user, message, form.data_for_service())
    except UserValueError as exc:
        return _form_page(form, camp, message, error=exc)
    flash(
        _("Message changed. Its approval is void: a second person must approve it again.")
        if was_approved
        else _("Message changed."),
        "warning" if was_approved else "success",
    )
    return redirect(url_for("communication.view_message", message_id=message.id))


@bp.route("/communication/messages/<int:message_id>/approve", methods=["POST"])
@requires(P.COMMUNICATION_APPROVE)
def approve_message(message_id: int):
    message = _message_or_404(message_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.approve_message(get_session(), current_user, message, form.version.data)
    except UserValueError as exc:
        return _message_page(message, status=422, error=exc.message)
    flash(_("Message approved: it shows on the notice board and can be printed and sent."), "success")
    return redirect(url_for("communication.view_message", message_id=message.id))


@bp.route("/communication/messages/<int:message_id>/withdraw", methods=["POST"])
@requires(P.COMMUNICATION_APPROVE)
def withdraw_message(message_id: int):
    message = _message_or_404(message_id)
    services.withdraw_message(get_session(), current_user, message)
    flash(_("Message withdrawn: it no longer shows on the notice board."), "success")
    return redirect(url_for("communication.view_message", message_id=message.id))


@bp.route("/communication/messages/<int:message_id>/send", methods=["POST"])
@requires(P.COMMUNICATION_WRITE)
def send_message(message_id: int):
    message = _message_or_404(message_id)
    form = SendForm()
    form.channel.choices = [(name, name) for name in services.available_channels()]
    if not form.validate_on_submit():
        return _message_page(message, send_form=form, status=422)
    try:
        sent = services.send_message(get_session(), current_user, message, form.channel.data, form.token.data)
    except UserValueError as exc:
        return _message_page(message, send_form=form, status=422, error=put_on_form(form, exc))
    flash(_("Queued for %(n)d households.", n=sent.queued), "success")
    return redirect(url_for("communication.view_message", message_id=message.id) + "#history")


@bp.route("/communication/messages/<int:message_id>/link", methods=["POST"])
@requires(P.COMMUNICATION_WRITE)
def link_case(message_id: int):
    session = get_session()
    message = _message_or_404(message_id)
    form = LinkCaseForm()
    if not form.validate_on_submit():
        return _message_page(message, link_form=form, status=422)
    case = case_for_user(session, current_user, form.reference.data, audit=False)
    if not loop.linkable(case) or case.camp_id != message.camp_id:
        form.reference.errors = [_("No case of this camp with this reference that a notice may answer.")]
        return _message_page(message, link_form=form, status=422)
    services.link_case(session, current_user, message, case.id)
    flash(_("Case %(reference)s linked to this notice.", reference=case.reference), "success")
    return redirect(url_for("communication.view_message", message_id=message.id))


@bp.route("/communication/messages/<int:message_id>/notice-<fmt>.pdf")
@requires(P.COMMUNICATION_WRITE)
def print_notice(message_id: int, fmt: str):
    session = get_session()
    message = _message_or_404(message_id)
    if fmt not in posters.FORMATS:
        abort(404)
    if message.status != "approved" or message.audience == "household":
        abort(409)  # a notice for one household is not posted (its QR code would open nothing)
    camp = session.get_one(Camp, message.camp_id)
    url = url_for("noticeboard.notice", public_id=message.public_id, _external=True)
    pdf = posters.render_notice(message, camp.name, url, fmt)
    user, message_id_ = current_user._get_current_object(), message.id

    def record(aside: Session) -> None:
        printed = services.message_for_user(aside, user, message_id_)
        assert printed is not None  # read in this request
        services.record_print(aside, user, printed, fmt)

    commit_aside(record)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=f"notice-{message.id}-{fmt}.pdf")


@bp.route("/communication/history")
@requires(P.COMMUNICATION_WRITE)
def history_page():
    session = get_session()
    camps = visible_camps(session, current_user)
    camp = chosen_camp_or_404(camps, request.args.get("camp"))
    page = paginate(session, history.sends_query(current_user, camp.id if camp else None))
    sends = page.items
    return render_template(
        "communication/history.html",
        page=page,
        camps=camps,
        camp=camp,
        delivery=history.delivery(session, sends),
        messages=history.messages_of(session, sends),
        totals=history.totals(session, current_user, camp.id if camp else None),
        **_titles(),
    )


# --- notice-board screens --------------------------------------------------------------------


BOARDS = DeviceAdmin(
    kind="board",
    form_class=BoardForm,
    link_endpoint="noticeboard.board",
    create=noticeboard.create_board,
    revoke=noticeboard.revoke_board,
    visible=noticeboard.visible_boards,
    revoked=lambda name: _("Screen “%(name)s” revoked: its link no longer works.", name=name),
)
BOARDS.add_routes(
    bp, "/admin/notice-boards", P.COMMUNICATION_APPROVE, lambda: visible_camps(get_session(), current_user)
)


# --- helpers for the feedback pages (their templates include communication/_case_notices.html) ----


@bp.app_template_global("case_notices")
def case_notices(case) -> list:
    """Notices that answer this case (for its page)."""
    return loop.messages_for_case(get_session(), case.id)


@bp.app_template_global("public_answer_counts")
def public_answer_counts(camps) -> dict[str, int]:
    """Feedback theme -> approved notices answering it, in these camps (for the feedback dashboard)."""
    return loop.public_answers(get_session(), [c.id for c in camps])


@bp.app_template_global("camp_code_of")
def camp_code_of(camp_id: int) -> str:
    camp = get_session().get(Camp, camp_id)
    return camp.code if camp else ""
