"""Administration of staff accounts, and each user's own API tokens."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from app import permissions as P
from app.auth import lockout
from app.db import get_or_404, get_session, writes_late
from app.errors import UserValueError
from app.forms import EmptyForm
from app.pagination import paginate
from app.permissions import requires
from app.scoping import camp_rows
from app.users import services
from app.users.forms import NewUserForm, ResetPasswordForm, TokenForm, UserForm
from app.users.models import ApiToken, User
from app.views import refuse

bp = Blueprint("users", __name__)


def _camps():
    """The camps the signed-in administrator may give access to."""
    return camp_rows(get_session(), current_user)


def _managed_user_or_404(user_id: int) -> User:
    """An account the signed-in administrator may manage; any other is as good as absent."""
    user = get_or_404(get_session(), User, user_id)
    if not user.is_managed_by(current_user):
        abort(404)
    return user


def _set_choices(form: UserForm) -> None:
    form.set_choices(_camps(), hq=current_user.all_camps)


@bp.route("/admin/users")
@requires(P.USERS_MANAGE)
def list_users():
    query = services.manageable_users(current_user).order_by(User.username)
    search = request.args.get("q", "").strip()
    if search:
        like = f"%{search.lower()}%"
        query = query.where(or_(User.username.ilike(like), User.full_name.ilike(like)))
    return render_template("users/list.html", page=paginate(get_session(), query), q=search)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires(P.USERS_MANAGE)
@writes_late
def create_user():
    form = NewUserForm()
    _set_choices(form)
    if form.validate_on_submit():
        try:
            user = services.create_user(
                get_session(),
                current_user,
                username=form.username.data,
                full_name=form.full_name.data,
                password=form.password.data,
                roles=form.roles.data,
                camp_ids=form.camps.data,
                all_camps=form.all_camps.data,
            )
        except UserValueError as exc:
            return refuse("users/new.html", form, exc)
        flash(_("Account %(name)s created.", name=user.username), "success")
        return redirect(url_for("users.edit_user", user_id=user.id))
    if request.method == "POST":
        return refuse("users/new.html", form)
    return render_template("users/new.html", form=form)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@requires(P.USERS_MANAGE)
def edit_user(user_id: int):
    session = get_session()
    user = _managed_user_or_404(user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    _set_choices(form)
    if request.method == "GET":
        form.roles.data, form.camps.data = user.roles, sorted(user.camp_ids)
    context: dict[str, Any] = {
        "user": user,
        "action_form": EmptyForm(),
        "reset_form": ResetPasswordForm(),
        "tokens": session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        ).all(),
        "waiting": lockout.addresses_waiting(session, user.username),
    }
    if form.validate_on_submit():
        try:
            services.update_user(
                session,
                current_user,
                user,
                full_name=form.full_name.data,
                roles=form.roles.data,
                camp_ids=form.camps.data,
                all_camps=form.all_camps.data,
            )
        except UserValueError as exc:
            return refuse("users/edit.html", form, exc, **context)
        flash(_("Account %(name)s saved.", name=user.username), "success")
        return redirect(url_for("users.edit_user", user_id=user.id))
    if request.method == "POST":
        return refuse("users/edit.html", form, **context)
    return render_template("users/edit.html", form=form, **context)


@bp.route("/admin/users/<int:user_id>/password", methods=["POST"])
@requires(P.USERS_MANAGE)
@writes_late
def reset_password(user_id: int):
    session = get_session()
    user = _managed_user_or_404(user_id)
    form = ResetPasswordForm()
    error = None
    if form.validate_on_submit():
        try:
            services.reset_password(session, current_user, user, form.password.data)
        except UserValueError as exc:
            error = exc
        else:
            flash(
                _("Temporary password set for %(name)s. They must change it when they sign in.", name=user.username),
                "success",
            )
            return redirect(url_for("users.edit_user", user_id=user.id))
    edit_form = UserForm(obj=user)
    _set_choices(edit_form)
    edit_form.roles.data, edit_form.camps.data = user.roles, sorted(user.camp_ids)
    if error is not None:
        form.password.errors = [error.message]
    return render_template(
        "users/edit.html", form=edit_form, user=user, action_form=EmptyForm(), reset_form=form, tokens=[], waiting=0
    ), 422


@bp.route("/admin/users/<int:user_id>/unlock", methods=["POST"])
@requires(P.USERS_MANAGE)
def unlock_user(user_id: int):
    user = _managed_user_or_404(user_id)
    if EmptyForm().validate_on_submit():
        services.unlock_user(get_session(), current_user, user)
        flash(_("Account %(name)s unlocked.", name=user.username), "success")
    return redirect(url_for("users.edit_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@requires(P.USERS_MANAGE)
def set_active(user_id: int):
    user = _managed_user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    activate = request.form.get("active") == "1"
    try:
        services.set_active(get_session(), current_user, user, activate)
    except UserValueError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("users.edit_user", user_id=user.id))
    flash(
        _("Account %(name)s reactivated.", name=user.username)
        if activate
        else _("Account %(name)s deactivated.", name=user.username),
        "success",
    )
    return redirect(url_for("users.edit_user", user_id=user.id))


# --- API tokens ------------------------------------------------------------------------------


@bp.route("/account/tokens", methods=["GET", "POST"])
@requires(P.AUTHENTICATED)
def list_tokens():
    session = get_session()
    form = TokenForm()
    tokens = session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id.desc())
    ).all()
    if form.validate_on_submit():
        try:
            token, clear = services.create_token(session, current_user, current_user, form.name.data)
        except UserValueError as exc:
            return refuse("users/tokens.html", form, exc, tokens=tokens, action_form=EmptyForm())
        # Shown once, on this response only; never stored in clear.
        return render_template("users/token_created.html", token=token, clear=clear)
    if request.method == "POST":
        return refuse("users/tokens.html", form, tokens=tokens, action_form=EmptyForm())
    return render_template("users/tokens.html", form=form, tokens=tokens, action_form=EmptyForm())


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@requires(P.AUTHENTICATED)
def revoke_token(token_id: int):
    session = get_session()
    token = get_or_404(session, ApiToken, token_id)
    if token.user_id != current_user.id and not (
        current_user.can(P.USERS_MANAGE) and token.user.is_managed_by(current_user)
    ):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.revoke_token(session, current_user, token)
    flash(_("Token %(prefix)s… revoked.", prefix=token.prefix), "success")
    if token.user_id != current_user.id:
        return redirect(url_for("users.edit_user", user_id=token.user_id))
    return redirect(url_for("users.list_tokens"))
