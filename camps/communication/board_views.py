"""The public pages: a camp's notice board behind a screen's secret link, and one notice (the poster's QR).

No sign-in and no staff menu; the reader picks the language among those of the notices shown.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from app import permissions as P
from app.db import get_session
from app.permissions import requires
from camps.communication import noticeboard
from camps.communication.models import MESSAGE_LANGUAGES, RTL_LANGUAGES
from camps.communication.wording import BOARD, HEADLINES
from camps.sites.models import Camp

bp = Blueprint("noticeboard", __name__)


def _language(available: list[str]) -> str:
    asked = request.args.get("lang")
    if asked in available:
        return asked
    return available[0] if available else "fa-AF"


def _page(camp: Camp, notices, secret: str | None = None, single: bool = False):
    available = noticeboard.languages_on(notices)
    lang = _language(available)
    return render_template(
        "communication/board.html",
        camp=camp,
        notices=notices,
        lang=lang,
        available=available,
        names=MESSAGE_LANGUAGES,
        direction="rtl" if lang in RTL_LANGUAGES else "ltr",
        words=BOARD[lang],
        headlines=HEADLINES,
        rtl=RTL_LANGUAGES,
        secret=secret,
        single=single,
    )


@bp.route("/board/<secret>")
@requires(P.PUBLIC)
def board(secret: str):
    session = get_session()
    found = noticeboard.board_for_secret(session, secret)
    if found is None:
        abort(404)
    camp = session.get_one(Camp, found.camp_id)
    return _page(camp, noticeboard.current_notices(session, camp.id), secret=secret)


@bp.route("/notices/<public_id>")
@requires(P.PUBLIC)
def notice(public_id: str):
    session = get_session()
    found = noticeboard.current_notice(session, public_id)
    if found is None:
        abort(404)
    return _page(session.get_one(Camp, found.camp_id), [found], single=True)
