"""The registration desk, household list and household pages."""

from __future__ import annotations

from uuid import uuid4

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app import permissions as P
from app import visibility
from app.campday import camp_today
from app.db import begin_write, get_session, writes_late
from app.errors import UserValueError, ValidationErrors
from app.forms import choices
from app.pagination import paginate
from app.permissions import requires
from app.views import put_on_form, refuse
from camps.allocation.models import current_plot_of
from camps.sites.models import Camp
from camps.sites.services import open_camps, visible_camps
from registration import births, needs
from registration.cards import reprint
from registration.cards import services as card_services
from registration.households import contact, desk, desk_names, history, lifecycle, search, services
from registration.households.desk_form import fill_from_pending, raw_input
from registration.households.forms import (
    DeskForm,
    EndMembershipForm,
    HeadForm,
    HouseholdForm,
    HouseholdStatusForm,
    MoveForm,
    PersonForm,
    SearchForm,
    SplitForm,
    TransferForm,
)
from registration.households.models import HOUSEHOLD_STATUSES, PERSON_STATUSES, Household, Person
from registration.households.numbers import is_valid, normalise
from registration.photos import MAX_UPLOAD_BYTES, process_photo

bp = Blueprint("households", __name__)


@bp.route("/households", methods=["GET", "POST"])
@requires(P.HOUSEHOLDS_VIEW)
def list_households():
    """Browse by camp and status (GET), or search by number, name, phone or tazkira.

    A search is POSTed (no names in URLs) and answered with a redirect to its results under an opaque id,
    so that Back from a household shows them again instead of asking to resubmit a form.
    """
    session = get_session()
    camps = visible_camps(session, current_user)
    if request.method == "POST":
        form = SearchForm()
        if not form.validate():
            return render_template(
                "households/list.html",
                search_form=form,
                found=search.SearchResult(),
                camps=camps,
                statuses=HOUSEHOLD_STATUSES,
                page=None,
                camp="",
                status="",
                number="",
            )
        text = " ".join((form.q.data or "").split())
        if not text:
            return redirect(url_for("households.list_households"), 303)
        return redirect(url_for("households.search_results", search_id=search.save(session, current_user, text)), 303)
    camp = request.args.get("camp", "")
    number = request.args.get("number", "").strip()
    status = request.args.get("status", "")
    status = status if status in HOUSEHOLD_STATUSES else ""
    query = services.household_query(current_user, camp_code=camp or None, number=number or None, status=status or None)
    # Heads are shown: load members in one query, never their needs.
    query = query.options(selectinload(Household.members).lazyload(Person.needs))
    return render_template(
        "households/list.html",
        page=paginate(session, query),
        camps=camps,
        camp=camp,
        number=number,
        status=status,
        statuses=HOUSEHOLD_STATUSES,
        search_form=SearchForm(),
        found=None,
    )


@bp.route("/households/search/<search_id>")
@requires(P.HOUSEHOLDS_VIEW)
def search_results(search_id: str):
    """The results of a search saved by ``list_households`` (only for the user who typed it, for a while)."""
    session = get_session()
    text = search.saved(session, current_user, search_id)
    if text is None:
        flash(_("That search has expired: type it again."), "warning")
        return redirect(url_for("households.list_households"))
    found = search.search(session, current_user, text)
    return render_template(
        "households/list.html",
        search_form=SearchForm(formdata=None, q=text),
        found=found,
        camps=visible_camps(session, current_user),
        statuses=HOUSEHOLD_STATUSES,
        page=None,
        camp="",
        status="",
        number="",
    )


@bp.route("/households/<number>")
@requires(P.HOUSEHOLDS_VIEW)
def view_household(number: str):
    session = get_session()
    household = services.household_for_user(session, current_user, number)
    if household is None:
        abort(404)
    cards = card_services.household_cards(session, household)
    plot = current_plot_of(session, household.id)
    valid = next((c for c in cards if c.status == "valid"), None)
    return render_template(
        "households/view.html",
        household=household,
        history=history.events(session, household.id),
        with_photo=services.people_with_photos(session, (p.id for p in household.members)),
        cards=cards,
        today=camp_today(),
        transfer_camps=open_camps(session) if current_user.can(P.HOUSEHOLDS_EDIT) else [],
        plot=plot,
        outdated_card=reprint.outdated_card(session, valid, plot),
        renewable=valid is not None and card_services.renewable(valid, camp_today()),
    )


def _desk_page(form: DeskForm, status: int = 200, *, duplicates=None, message: str | None = None, pending=None):
    suggested = [p for p in pending.active_members if p.latin_suggested] if pending is not None else []
    return render_template(
        "households/register.html",
        form=form,
        duplicates=duplicates or {},
        form_message=message,
        need_codes=needs.NEEDS,
        suggested=suggested,
    ), status


@bp.route("/register", methods=["GET", "POST"])
@requires(P.HOUSEHOLDS_REGISTER)
@writes_late
def register_household():
    """Photos, checks and the duplicate search run first; the desk service takes the write lock only to save."""
    session = get_session()
    form = DeskForm()
    camps = visible_camps(session, current_user)
    form.set_camps(camps)
    if request.method == "GET":
        form.token.data = uuid4().hex
        form.arrival_date.data = camp_today()
        pending = _pending_or_404(request.args["pending"]) if request.args.get("pending") else None
        if pending is not None:
            fill_from_pending(form, pending, current_user)
        return _desk_page(form, pending=pending)
    pending = _pending_or_404(form.pending.data) if form.pending.data else None
    if not form.validate():
        return _desk_page(form, 422, pending=pending)
    raw, photo_errors = raw_input(form, request)
    try:
        if photo_errors:
            raise ValidationErrors(photo_errors)
        data = desk.clean_household(session, current_user, raw, camp_today())
        if pending is not None:
            household, created = desk.finish_pending(session, current_user, pending, data), True
            for person in household.members:  # the desk has checked the suggested Latin names with them
                person.latin_suggested = False
        else:
            household, created = desk.register_household(session, current_user, data)
    except desk.DuplicatesFound as exc:
        return _desk_page(form, 422, duplicates=exc.checks, message=exc.message, pending=pending)
    except UserValueError as exc:
        if "token" in exc.by_field():
            form.token.data = uuid4().hex  # saving again is a new registration (duplicates still checked)
        if isinstance(exc, desk.TokenUsed):  # nothing about the household that used the token
            return _desk_page(form, 409, message=put_on_form(form, exc), pending=pending)
        return _desk_page(
            form,
            422,
            duplicates=desk.row_checks(session, current_user, raw["members"], camp_today()),
            message=put_on_form(form, exc),
            pending=pending,
        )
    if created:
        flash(
            _("Household %(number)s registered with %(n)d members.", number=household.number, n=household.size),
            "success",
        )
    return redirect(url_for("households.view_household", number=household.number))


@bp.route("/register/name-spellings", methods=["POST"])
@requires(P.HOUSEHOLDS_REGISTER)
def name_spellings():
    """The other script's spellings of a name being typed (POST: names never go in URLs)."""
    body = request.get_json(silent=True) or {}
    raw = body.get("name")
    name = raw if isinstance(raw, str) else ""
    return jsonify(spellings=desk_names.counterparts(get_session(), current_user, name))


def _pending_or_404(number: str):
    household = services.household_for_user(get_session(), current_user, number, audit=False)
    if household is None or household.status != "pending":
        abort(404)
    return household


@bp.route("/households/<number>/photos/<int:seq>")
@requires(P.HOUSEHOLDS_VIEW)
def person_photo(number: str, seq: int):
    photo = (
        services.photo_for_user(get_session(), current_user, number, seq)
        if visibility.can_see(current_user, visibility.PHOTO)
        else None
    )
    if photo is None:
        abort(404)
    return Response(photo, mimetype="image/jpeg", headers={"Cache-Control": "private, no-store"})


# --- the life of a household -------------------------------------------------------------------


def _household_or_404(number: str, audit: bool = False):
    household = services.household_for_user(get_session(), current_user, number, audit=audit)
    if household is None:
        abort(404)
    return household


def _member_or_404(household, seq: int):
    person = next((p for p in household.members if p.seq == seq), None)
    if person is None:
        abort(404)
    return person


def _back(household):
    return redirect(url_for("households.view_household", number=household.number))


def _member_raw(form) -> dict:
    """The person form's input, its photo already processed: the caller then takes the write lock to save."""
    raw = {k: v for k, v in form.data.items() if k not in ("photo", "photo_data", "csrf_token")}
    upload = request.files.get("photo")
    if upload and upload.filename:
        raw["photo"] = process_photo(upload.stream.read(MAX_UPLOAD_BYTES + 1))
        raw["photo_ready"] = True
    return raw


@bp.route("/households/<number>/edit", methods=["GET", "POST"])
@requires(P.HOUSEHOLDS_EDIT)
def edit_household(number: str):
    household = _household_or_404(number)
    form = HouseholdForm(obj=household)
    if request.method == "GET":
        form.languages.data = household.language_list
        form.sms_consent.data = {True: "yes", False: "no"}.get(household.sms_consent, "")
    elif form.validate():
        try:
            lifecycle.update_household(get_session(), current_user, household, form.data, camp_today())
        except UserValueError as exc:
            return refuse("households/edit.html", form, exc, household=household)
        flash(_("Household %(number)s saved.", number=household.number), "success")
        return _back(household)
    else:
        return refuse("households/edit.html", form, household=household)
    return render_template("households/edit.html", form=form, household=household)


@bp.route("/households/<number>/contact-protection", methods=["POST"])
@requires(P.PROTECTION_VIEW)
def contact_protection(number: str):
    """Mark (or unmark) a household never to be contacted by SMS (protection staff)."""
    session = get_session()
    household = services.household_for_user(session, current_user, number)
    if household is None:
        abort(404)
    begin_write(session)
    if contact.set_do_not_contact(session, current_user, household, request.form.get("do_not_contact") == "yes"):
        flash(
            _("Saved: this household is not contacted.")
            if household.do_not_contact
            else _("Saved: this household may be contacted again."),
            "success",
        )
    return redirect(url_for("households.view_household", number=household.number))


def _person_page(form, household, person, status=200, message: str | None = None):
    return render_template(
        "households/person.html", form=form, household=household, person=person, form_message=message
    ), status


@bp.route("/households/<number>/members/<int:seq>/edit", methods=["GET", "POST"])
@requires(P.HOUSEHOLDS_EDIT)
@writes_late
def edit_person(number: str, seq: int):
    household = _household_or_404(number)
    person = _member_or_404(household, seq)
    form = PersonForm(obj=person)
    if request.method == "GET":
        form.born.data = births.format_born(person.birth_date, person.birth_precision)
        form.needs.data = ", ".join(needs.shown_to(current_user, person.need_codes))
        return _person_page(form, household, person)
    if not form.validate():
        return _person_page(form, household, person, 422)
    try:
        raw = _member_raw(form)
        begin_write(get_session())
        lifecycle.update_person(get_session(), current_user, person, raw, camp_today())
    except UserValueError as exc:
        return _person_page(form, household, person, 422, put_on_form(form, exc))
    flash(_("%(number)s saved.", number=person.number), "success")
    return _back(household)


@bp.route("/households/<number>/members/new", methods=["GET", "POST"])
@requires(P.HOUSEHOLDS_REGISTER)
@writes_late
def add_member(number: str):
    household = _household_or_404(number)
    form = PersonForm()
    if request.method == "GET":
        return _person_page(form, household, None)
    if not form.validate():
        return _person_page(form, household, None, 422)
    try:
        raw = _member_raw(form)
        begin_write(get_session())
        person = lifecycle.add_member(get_session(), current_user, household, raw, camp_today())
    except UserValueError as exc:
        return _person_page(form, household, None, 422, put_on_form(form, exc))
    flash(_("%(number)s added.", number=person.number), "success")
    return _back(household)


def _refused(fn, *args) -> bool:
    """Run a one-form change of the household page; a refusal is flashed there (True: go back with 422)."""
    try:
        fn(get_session(), current_user, *args)
    except UserValueError as exc:
        flash(exc.message, "danger")
        return True
    return False


@bp.route("/households/<number>/members/<int:seq>/end", methods=["POST"])
@requires(P.HOUSEHOLDS_EDIT)
def end_membership(number: str, seq: int):
    household = _household_or_404(number)
    person = _member_or_404(household, seq)
    form = EndMembershipForm()
    if not form.validate():
        flash(_("Choose what happened and when."), "danger")
        return _back(household), 422
    if _refused(lifecycle.end_membership, person, form.status.data, form.on.data, camp_today()):
        return _back(household), 422
    flash(
        _("%(number)s recorded as %(status)s.", number=person.number, status=PERSON_STATUSES[form.status.data]),
        "success",
    )
    return _back(household)


@bp.route("/households/<number>/head", methods=["POST"])
@requires(P.HOUSEHOLDS_EDIT)
def change_head(number: str):
    household = _household_or_404(number)
    form = HeadForm()
    person = (
        next((p for p in household.members if p.id == form.person.data), None) if form.validate_on_submit() else None
    )
    if person is None:
        flash(_("Choose an active member of this household."), "danger")
        return _back(household), 422
    if _refused(lifecycle.change_head, household, person):
        return _back(household), 422
    flash(_("%(number)s is now head of household.", number=person.number), "success")
    return _back(household)


@bp.route("/households/<number>/members/<int:seq>/move", methods=["POST"])
@requires(P.HOUSEHOLDS_EDIT)
def move_person(number: str, seq: int):
    household = _household_or_404(number)
    person = _member_or_404(household, seq)
    form = MoveForm()
    target = (
        services.household_for_user(get_session(), current_user, form.target.data or "", audit=False)
        if form.validate_on_submit() and is_valid(normalise(form.target.data))
        else None
    )
    if target is None:
        flash(_("Enter the number of another household in your camps (check the last character)."), "danger")
        return _back(household), 422
    if _refused(lifecycle.move_person, person, target):
        return _back(household), 422
    flash(_("Moved to %(number)s.", number=target.number), "success")
    return _back(target)


@bp.route("/households/<number>/split", methods=["GET", "POST"])
@requires(P.HOUSEHOLDS_EDIT)
def split_household(number: str):
    household = _household_or_404(number)
    form = SplitForm()
    members = [(p.id, f"{p.seq:02d} · {p.latin_name}") for p in household.active_members]
    form.people.choices = choices(members)
    form.head.choices = choices(members)
    if form.validate_on_submit():
        chosen = [p for p in household.active_members if p.id in set(form.people.data)]
        head = next((p for p in chosen if p.id == form.head.data), None)
        try:
            new = lifecycle.split_household(get_session(), current_user, household, chosen, head)
        except UserValueError as exc:
            return refuse("households/split.html", form, exc, household=household)
        flash(_("New household %(number)s made from %(old)s.", number=new.number, old=household.number), "success")
        return _back(new)
    if request.method == "POST":
        return refuse("households/split.html", form, household=household)
    return render_template("households/split.html", form=form, household=household)


@bp.route("/households/<number>/transfer", methods=["POST"])
@requires(P.HOUSEHOLDS_EDIT)
def transfer_household(number: str):
    household = _household_or_404(number)
    form = TransferForm()
    form.camp_id.choices = choices((c.id, c.code) for c in open_camps(get_session()))
    camp = get_session().get(Camp, form.camp_id.data) if form.validate_on_submit() else None
    if camp is None:
        flash(_("Choose a camp."), "danger")
        return _back(household), 422
    if _refused(lifecycle.transfer, household, camp):
        return _back(household), 422
    flash(_("Household %(number)s transferred to %(camp)s.", number=household.number, camp=camp.code), "success")
    if not current_user.can_access_camp(camp.id):
        return redirect(url_for("households.list_households"))
    return _back(household)


@bp.route("/households/<number>/status", methods=["POST"])
@requires(P.HOUSEHOLDS_EDIT)
def set_household_status(number: str):
    household = _household_or_404(number)
    form = HouseholdStatusForm()
    if not form.validate_on_submit():
        return _back(household), 422
    if _refused(lifecycle.set_status, household, form.status.data):
        return _back(household), 422
    flash(
        _(
            "Household %(number)s is now: %(status)s.",
            number=household.number,
            status=HOUSEHOLD_STATUSES[form.status.data],
        ),
        "success",
    )
    return _back(household)
