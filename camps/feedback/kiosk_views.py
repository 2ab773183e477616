"""The help-desk tablet's feedback form: no account, a secret link per device, the person's language.

The page is standalone (no staff menu) and speaks Dari, Pashto, Tajik or Russian from kiosk_text.
Its POST carries Flask-WTF's CSRF token, checked by the form itself (the view is exempt from the
global check) so that a tablet left open too long gets a message in the person's language, not
the staff error page.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from app import permissions as P
from app.db import get_session
from app.errors import ValidationErrors
from app.extensions import csrf
from app.permissions import requires
from app.users.actors import SYSTEM
from camps.feedback import services
from camps.feedback.forms import KioskForm
from camps.feedback.kiosk_text import KIOSK_LANGUAGES, KIOSK_SECTORS, KIOSK_TYPES, kiosk_language, texts
from camps.feedback.services import DESCRIPTION_MAX
from camps.sites.models import Camp

bp = Blueprint("kiosk", __name__)

_SENT = "kiosk_sent"
#: intake's field -> the message the tablet shows next to it
_FIELD_MESSAGES = {
    "description": "empty_description",
    "type": "choose_type",
    "sensitive_category": "choose_type",
    "sector": "choose_sector",
    "contact": "contact_missing",
    "consent_to_contact": "contact_missing",
}


def _page(
    kiosk,
    form: KioskForm,
    lang: str,
    errors: dict | None = None,
    message: str | None = None,
    status: int = 200,
    sent: str | None = None,
):
    text = texts(lang)
    page = render_template(
        "feedback/kiosk.html",
        kiosk=kiosk,
        form=form,
        lang=lang,
        text=text,
        direction=KIOSK_LANGUAGES[lang][1],
        languages=KIOSK_LANGUAGES,
        types=KIOSK_TYPES,
        sectors=KIOSK_SECTORS,
        errors=errors or {},
        message=message,
        sent=sent,
        thanks=text["thanks"].partition("{reference}"),
        secret=(request.view_args or {})["secret"],
        idle_seconds=_seconds("KIOSK_IDLE_SECONDS", 120),
        thanks_seconds=_seconds("KIOSK_THANKS_SECONDS", 30),
    )
    # never kept by the browser: "back" must not bring the previous person's words back on screen
    return page, status, {"Cache-Control": "no-store"}


def _seconds(key: str, default: int) -> int:
    """How long the tablet keeps a page before clearing it for the next person (app config)."""
    return int(current_app.config.get(key) or default)


def _checked(form: KioskForm) -> dict[str, str]:
    """What the tablet itself can tell before saving: field -> kiosk_text key."""
    errors = {}
    if form.type.data not in KIOSK_TYPES:
        errors["type"] = "choose_type"
    if form.sector.data not in KIOSK_SECTORS:
        errors["sector"] = "choose_sector"
    description = (form.description.data or "").strip()
    if not description:
        errors["description"] = "empty_description"
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = "too_long"
    if form.consent_to_contact.data and not (form.contact.data or "").strip():
        errors["contact"] = "contact_missing"
    return errors


def _intake_data(form: KioskForm, lang: str) -> dict:
    """What the tablet's form holds; intake's kiosk rules decide the rest (category, anonymity)."""
    return {
        "type": KIOSK_TYPES[form.type.data],
        "sector": form.sector.data,
        "description": form.description.data,
        "language": lang,
        "consent_to_contact": form.consent_to_contact.data,
        "contact": form.contact.data,
    }


@bp.route("/kiosk/<secret>", methods=["GET", "POST"])
@requires(P.PUBLIC)
def form(secret: str):
    db = get_session()
    kiosk = services.kiosk_for_secret(db, secret)
    if kiosk is None:
        abort(404)
    lang = kiosk_language(request.args.get("lang"))
    entered = KioskForm()
    if request.method == "GET":
        return _page(kiosk, entered, lang, sent=session.pop(_SENT, None))
    if not entered.validate_on_submit():  # only the CSRF token is checked by the form
        return _page(kiosk, entered, lang, message=texts(lang)["expired"], status=400)
    errors = _checked(entered)
    if errors:
        return _page(kiosk, entered, lang, errors, texts(lang)["invalid"], 422)
    if not services.kiosk_allows(kiosk.id, request.remote_addr):
        return _page(kiosk, entered, lang, message=texts(lang)["rate_limited"], status=429)
    try:
        case = services.intake(db, SYSTEM, db.get_one(Camp, kiosk.camp_id), _intake_data(entered, lang), kiosk=kiosk)
    except ValidationErrors as exc:
        errors = {name: _FIELD_MESSAGES.get(name, "invalid") for name in exc.by_field()}
        return _page(kiosk, entered, lang, errors, texts(lang)["invalid"], 422)
    # the thanks page comes from a GET: "back" or a reload never sends the message twice
    session[_SENT] = case.reference
    return redirect(url_for("kiosk.form", secret=secret, lang=lang))


csrf.exempt(form)
