"""The admin page of devices that open a page with a secret link instead of an account (help-desk tablets,
notice-board screens; their services use ``app.secret_links``): the devices of the user's camps, each with a
revoke button, and a form adding one, whose link is shown on that answer only. The page's markup is the
``devices_page`` macro of ``templates/_macros/secret_links.html``, called by ``templates/_devices_page.html``, which
each kind's page extends with its own words.

Each package declares one :class:`DeviceAdmin` and adds its two routes to its blueprint with their permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.db import get_session
from app.errors import UserValueError
from app.pagination import paginate
from app.permissions import requires
from app.views import put_on_form


@dataclass(frozen=True)
class DeviceAdmin:
    """One kind of device: ``kind`` ("kiosk") names the blueprint's endpoints (``kiosks``, ``revoke_kiosk`` with
    ``kiosk_id``), the template (``<blueprint>/kiosks.html``) and the page's test ids."""

    kind: str
    form_class: type  # a form with ``camp`` (filled by ``set_camps``) and ``name``
    link_endpoint: str  # the device's own page, opened with ``secret=``
    create: Callable[..., tuple[Any, str]]  # (session, actor, camp, name) -> (device, clear secret)
    revoke: Callable[..., None]  # (session, actor, device)
    visible: Callable[..., Any]  # (user) -> the query of the devices the user may see
    revoked: Callable[[str], str]  # the message once a device (by name) is revoked

    def add_routes(self, bp: Blueprint, rule: str, requirement: str, camps: Callable[[], list]) -> None:
        """``rule`` (GET: the page, POST: add a device in one of ``camps()``) and ``rule/<id>/revoke``, both for
        users with ``requirement`` (see ``app.permissions.requires``)."""
        bp.add_url_rule(
            rule, f"{self.kind}s", requires(requirement)(lambda: self.page(camps())), methods=["GET", "POST"]
        )
        bp.add_url_rule(
            f"{rule}/<int:{self.kind}_id>/revoke",
            f"revoke_{self.kind}",
            requires(requirement)(lambda **ids: self.revoke_page(ids[f"{self.kind}_id"])),
            methods=["POST"],
        )

    def page(self, camps: list):
        """GET: the list and an empty form. POST: add a device in one of ``camps`` and show its link once."""
        form = self._form(camps)
        if request.method == "GET":
            return self._render(form, camps)
        if not form.validate_on_submit():
            return self._render(form, camps, 422)
        camp = next(c for c in camps if c.code == form.camp.data)
        try:
            device, secret = self.create(get_session(), current_user, camp, form.name.data)
        except UserValueError as exc:
            return self._render(form, camps, 422, put_on_form(form, exc))
        link = url_for(self.link_endpoint, secret=secret, _external=True)
        # the link is shown on this answer only (it is not stored): no redirect
        return self._render(self._form(camps, formdata=None), camps, created=(device, link))

    def revoke_page(self, device_id: int):
        """Stop one device's link (404 for a device the user does not see), then back to the list."""
        session = get_session()
        device = session.scalar(self.visible(current_user).filter_by(id=device_id))
        if device is None:
            abort(404)
        self.revoke(session, current_user, device)
        flash(self.revoked(device.name), "success")
        return redirect(url_for(f".{self.kind}s"))

    def _form(self, camps: list, **kwargs):
        form = self.form_class(**kwargs)
        form.set_camps(camps)
        return form

    def _render(self, form, camps: list, status: int = 200, message: str | None = None, created=None):
        return render_template(
            f"{request.blueprint}/{self.kind}s.html",
            kind=self.kind,
            form=form,
            form_message=message,
            page=paginate(get_session(), self.visible(current_user)),
            camp_codes={c.id: c.code for c in camps},
            created=created,
        ), status
