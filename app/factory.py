"""The application factory: configuration, extensions, blueprints and commands, and the ``panoh`` command.

The top of the layer order (setup.cfg ``[importlinter]``): it may import every package, none imports it.
"""

from __future__ import annotations

import logging

from flask import Flask
from flask.cli import FlaskGroup

from app.config import ROOT, load_config


def create_app(overrides: dict | None = None) -> Flask:
    """Build the WSGI application; ``overrides`` replace configuration values (tests, CLI)."""
    config = load_config(overrides)
    app = Flask(
        "app",  # the package: Flask's name and root path as before the factory had a module of its own
        instance_path=config["INSTANCE_PATH"],
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config)
    from app.api.inputs import DatabaseIntConverter

    app.url_map.converters["int"] = DatabaseIntConverter
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    from app import db, extensions, security, sessions
    from app.errors import register_error_handlers
    from app.i18n.catalogues import prepare
    from app.i18n.locale import select_locale

    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(prepare(app.config))
    db.Database(app.config["DATABASE_URL"]).init_app(app)
    extensions.csrf.init_app(app)
    extensions.babel.init_app(app, locale_selector=select_locale)
    sessions.init_app(app)
    app.session_interface = security.SessionInterface()
    app.before_request(security.refuse_cross_origin)
    app.after_request(security.set_security_headers)
    register_error_handlers(app)
    _connect_signals()
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_commands(app)

    from app.permissions import undeclared_endpoints

    missing = undeclared_endpoints(app)
    if missing:
        raise RuntimeError(f"routes without a permission declaration: {missing}")
    return app


def _connect_signals() -> None:
    """Reactions of upper packages to what happens below them (``<package>/signals.py``); idempotent."""
    from camps.allocation import services as allocation

    allocation.connect()


def _register_blueprints(app: Flask) -> None:
    from app.api import bp as api_bp
    from app.audit.views import bp as audit_bp
    from app.auth.views import bp as auth_bp
    from app.main import bp as main_bp
    from app.users.api import bp as users_api_bp
    from app.users.views import bp as users_bp
    from camps.allocation.api import bp as allocation_api_bp
    from camps.allocation.views import bp as allocation_bp
    from camps.communication.board_views import bp as noticeboard_bp
    from camps.communication.views import bp as communication_bp
    from camps.distributions.api import bp as distributions_api_bp
    from camps.distributions.scan_views import bp as scan_bp
    from camps.distributions.views import bp as distributions_bp
    from camps.feedback.api import bp as feedback_api_bp
    from camps.feedback.dashboard_views import bp as feedback_dashboard_bp
    from camps.feedback.kiosk_views import bp as kiosk_bp
    from camps.feedback.views import bp as feedback_bp
    from camps.figures.api import bp as figures_api_bp
    from camps.figures.views import bp as figures_bp
    from camps.layout.api import bp as layout_api_bp
    from camps.layout.views import bp as layout_bp
    from camps.occupancy.api import bp as occupancy_api_bp
    from camps.occupancy.views import bp as occupancy_bp
    from camps.sites.api import bp as sites_api_bp
    from camps.sites.views import bp as sites_bp
    from registration.cards.api import bp as cards_api_bp
    from registration.cards.views import bp as cards_bp
    from registration.dedup.api import bp as dedup_api_bp
    from registration.dedup.views import bp as dedup_bp
    from registration.exports.views import bp as exports_bp
    from registration.households.api import bp as households_api_bp
    from registration.households.views import bp as households_bp
    from registration.imports.views import bp as imports_bp
    from registration.subject.views import bp as subject_bp

    for blueprint in (
        main_bp,
        auth_bp,
        users_bp,
        audit_bp,
        sites_bp,
        households_bp,
        api_bp,
        sites_api_bp,
        households_api_bp,
        users_api_bp,
        dedup_api_bp,
        dedup_bp,
        imports_bp,
        cards_bp,
        cards_api_bp,
        layout_bp,
        layout_api_bp,
        allocation_bp,
        allocation_api_bp,
        occupancy_bp,
        occupancy_api_bp,
        distributions_bp,
        scan_bp,
        distributions_api_bp,
        feedback_bp,
        kiosk_bp,
        feedback_api_bp,
        feedback_dashboard_bp,
        figures_bp,
        figures_api_bp,
        exports_bp,
        subject_bp,
        communication_bp,
        noticeboard_bp,
    ):
        app.register_blueprint(blueprint)


def _register_commands(app: Flask) -> None:
    from app.cli import backup, cards, db, demo, figures, registration, retention, serve, sms, users

    for command in (
        db.db_group,
        users.users_group,
        users.tokens_group,
        demo.demo,
        serve.serve,
        registration.registration_group,
        cards.cards_group,
        backup.backup,
        backup.restore,
        retention.anonymise,
        figures.export_group,
        figures.sitrep,
        sms.sms_group,
    ):
        app.cli.add_command(command)


def _register_template_helpers(app: Flask) -> None:
    from flask_login import current_user

    from app import campday, navigation, visibility
    from app.i18n.locale import LANGUAGE_NAMES, html_lang, text_direction
    from app.i18n.numbers import number
    from app.permissions import ROLE_TITLES
    from registration import births, needs
    from registration.cards.token_titles import CARD_OUTCOMES
    from registration.dedup import reasons
    from registration.gazetteer import CROSSING_NAMES, province_title
    from registration.households import history
    from registration.households.models import HOUSEHOLD_STATUSES, LANGUAGES, PERSON_STATUSES, RELATIONSHIPS, SEXES
    from registration.sms_languages import LANGUAGES as SMS_LANGUAGES

    app.jinja_env.filters["number"] = number
    app.jinja_env.globals.update(
        number=number,
        nav_items=navigation.nav_items,
        active_item=navigation.active_item,
        nav_badge=navigation.nav_badge,
        html_lang=html_lang,
        text_direction=text_direction,
        camp_time=campday.camp_time_text,
        language_names=LANGUAGE_NAMES,
        role_title=lambda role: ROLE_TITLES.get(role, role),
        sex_title=lambda code: SEXES.get(code, code),
        relationship_title=lambda code: RELATIONSHIPS.get(code, code),
        province_title=province_title,
        born_display=births.display,
        household_status=lambda c: HOUSEHOLD_STATUSES.get(c, c),
        person_status=lambda c: PERSON_STATUSES.get(c, c),
        crossing_title=lambda c: CROSSING_NAMES.get(c, c),
        language_title=lambda c: LANGUAGES.get(c, c),
        visible_needs=needs.visible_codes,
        need_title=needs.title,
        shown_needs=lambda codes: needs.shown_to(current_user, codes),
        can_see=lambda field: visibility.can_see(current_user, field),
        history_title=history.describe,
        need_codes=lambda: needs.NEEDS,
        match_reasons=reasons.describe,
        match_evidence=reasons.evidence,
        card_outcome=lambda o: str(CARD_OUTCOMES.get(o, o)),
        sms_language_title=lambda c: SMS_LANGUAGES.get(c, c),
    )


def _create_app():
    import click

    from app.i18n.catalogues import MissingCatalogue

    try:
        return create_app()
    except MissingCatalogue as exc:  # refuse to start with a clear message rather than a traceback
        raise click.ClickException(f"cannot start: {exc}") from exc


def main() -> None:
    FlaskGroup(
        create_app=_create_app,
        add_default_commands=False,
        add_version_option=False,
        help="Panoh: camp registration, shelter, cards, distributions and feedback.",
    )(prog_name="panoh")
