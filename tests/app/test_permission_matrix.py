"""Every route with every role: who may use it is written here, independently of the code.

Adding a route without an entry here fails ``test_every_route_has_an_entry``. Each role is tried
scoped to one camp; ``NATIONAL`` routes are for all-camps accounts only, whatever the role.
"""

from __future__ import annotations

import pytest

from app.permissions import ROLES

PUBLIC = "public"
SIGNED_IN = "signed-in"
A, C, S, M, D, F, P, V = (
    "admin",
    "registration_clerk",
    "registration_supervisor",
    "site_manager",
    "distribution_officer",
    "feedback_officer",
    "protection_officer",
    "viewer",
)
K = "communication_officer"
EVERY_ROLE = {A, C, S, M, D, F, P, V, K}
MESSAGE_WRITERS = {M, F, K}
MESSAGE_APPROVERS = {M, K}
HOUSEHOLD_READERS = {C, S, M, P}
PLOT_READERS = {A, C, S, M, P, V}
FIGURE_READERS = {A, S, M, P, V}
AGGREGATE_EXPORTERS = FIGURE_READERS
PERSONAL_EXPORTERS = {C, S, P}
REGISTRARS = {C, S}

#: endpoint -> PUBLIC, SIGNED_IN or the set of roles allowed
MATRIX: dict[str, str | set[str]] = {
    "main.index": SIGNED_IN,
    "main.healthz": PUBLIC,
    "main.set_language": PUBLIC,
    "auth.login": PUBLIC,
    "auth.session_status": PUBLIC,
    "auth.logout": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "users.list_users": {A},
    "users.create_user": {A},
    "users.edit_user": {A},
    "users.reset_password": {A},
    "users.unlock_user": {A},
    "users.set_active": {A},
    "users.list_tokens": SIGNED_IN,
    "users.revoke_token": SIGNED_IN,
    "audit.list_events": {A},
    "sites.list_camps": EVERY_ROLE,
    "sites.view_camp": EVERY_ROLE,
    "sites.create_camp": set(),
    "sites.edit_camp": {A},
    "households.list_households": HOUSEHOLD_READERS,
    "households.view_household": HOUSEHOLD_READERS,
    "households.search_results": HOUSEHOLD_READERS,
    "households.person_photo": HOUSEHOLD_READERS,
    "households.register_household": REGISTRARS,
    "households.name_spellings": REGISTRARS,
    "households.add_member": REGISTRARS,
    "households.edit_household": {S},
    "households.contact_protection": {P},
    "households.edit_person": {S},
    "households.end_membership": {S},
    "households.change_head": {S},
    "households.move_person": {S},
    "households.split_household": {S},
    "households.transfer_household": {S},
    "households.set_household_status": {S},
    "dedup.review_queue": {S},
    "dedup.decide": {S},
    "dedup_api.check_duplicates": REGISTRARS,
    "imports.upload": REGISTRARS,
    "imports.view_batch": REGISTRARS,
    "imports.commit_batch": REGISTRARS,
    "imports.batch_progress": REGISTRARS,
    "imports.download_xlsform": REGISTRARS,
    "cards.print_card": REGISTRARS,
    "cards.replace_card": {S},
    "cards.report_lost": {S},
    "cards.renew_card": {S},
    "cards.print_queue": REGISTRARS,
    "cards.batch": REGISTRARS,
    "cards.batch_pdf": REGISTRARS,
    "cards.batch_retry": REGISTRARS,
    "cards.batch_reprint": REGISTRARS,
    "cards.verify_card": {C, S, M, D, F, P},
    "cards.signing_keys": set(),
    "cards_api.public_keys": PUBLIC,
    "cards_api.revoked": PUBLIC,
    "cards_api.verify": {C, S, M, D, F, P},
    "api.openapi": PUBLIC,
    "api.me": SIGNED_IN,
    "users_api.create_token": SIGNED_IN,
    "users_api.revoke_token": SIGNED_IN,
    "sites_api.list_camps": EVERY_ROLE,
    "sites_api.get_camp": EVERY_ROLE,
    "households_api.list_households": HOUSEHOLD_READERS,
    "households_api.get_household": HOUSEHOLD_READERS,
    "households_api.create_household": REGISTRARS,
    "households_api.update_household": {S},
    "households_api.get_person": HOUSEHOLD_READERS,
    "households_api.update_person": {S},
    "households_api.person_duplicates": REGISTRARS,
    "households_api.search_households": HOUSEHOLD_READERS,
    # --- camps.layout -------------------------------------------------------------------------
    "layout.generate": {M},
    "layout.import_layout": {M},
    "layout.list_plots": PLOT_READERS,
    "layout.view_plot": PLOT_READERS,
    "layout.edit_plot": {M},
    "layout.list_facilities": PLOT_READERS,
    "layout.create_facility": {M},
    "layout.edit_facility": {M},
    "layout_api.list_blocks": PLOT_READERS,
    "layout_api.list_plots": PLOT_READERS,
    "layout_api.get_plot": PLOT_READERS,
    # --- camps.occupancy ----------------------------------------------------------------------
    "occupancy.site_plan": PLOT_READERS,
    "occupancy.site_plan_svg": PLOT_READERS,
    "occupancy.camp_indicators": FIGURE_READERS,
    "occupancy_api.indicators": FIGURE_READERS,
    # --- camps.allocation ---------------------------------------------------------------------
    "allocation.site_home": PLOT_READERS,
    "allocation.waiting": {M},
    "allocation.shelter": {M},
    "allocation.vacate": {M},
    "allocation_api.suggestions": {M},
    "allocation_api.get_plot": HOUSEHOLD_READERS,
    "allocation_api.put_plot": {M},
    "allocation_api.delete_plot": {M},
    # --- camps.distributions: rounds, reconciliation, alternates -------------------------------
    "distributions.list_rounds": {M},
    "distributions.create_round": {M},
    "distributions.edit_round": {M},
    "distributions.set_status": {M},
    "distributions.view_round": {M},
    "distributions.review_collection": {M},
    "distributions.not_served": {M},
    "distributions.export_csv": {M},
    "distributions.export_xlsx": {M},
    "distributions.alternates": {M},
    "distributions.deactivate_alternate": {M},
    # --- camps.distributions: scan page --------------------------------------------------------
    "scan.index": {D},
    "scan.scan_page": {D},
    "scan.service_worker": {D},
    "scan.qr_worker": {D},
    # --- camps.distributions: API --------------------------------------------------------------
    "distributions_api.list_rounds": {D},
    "distributions_api.package": {D},
    "distributions_api.check": {D},
    "distributions_api.record": {D},
    "distributions_api.sync": {D},
    # --- camps.feedback: services and API ------------------------------------------------------
    "feedback_api.list_cases": {F, P},
    "feedback_api.create_case": {C, S, M, D, F, P},
    "feedback_api.get_case": {F, P},
    # --- camps.feedback: pages and kiosk -------------------------------------------------------
    "feedback.new_case": {C, S, M, D, F, P},
    "feedback.my_cases": {C, S, M, D, F, P},
    "feedback.list_cases": {F, P},
    "feedback.view_case": {F, P},
    "feedback.act": {F, P},
    "feedback.kiosks": {A},
    "feedback.revoke_kiosk": {A},
    "kiosk.form": PUBLIC,
    # --- camps.feedback: dashboard -------------------------------------------------------------
    "feedback_dashboard.dashboard": {A, S, M, F, P, V, K},
    "figures.dashboard_page": FIGURE_READERS,
    "figures.stats_export": AGGREGATE_EXPORTERS,
    "figures.sitrep": FIGURE_READERS,
    "figures_api.figures": FIGURE_READERS,
    "exports.export_lists": PERSONAL_EXPORTERS,
    "subject.subject_report": {S, P},
    # --- camps.communication ------------------------------------------------------------------
    "communication.list_messages": MESSAGE_WRITERS,
    "communication.create_message": MESSAGE_WRITERS,
    "communication.reminder": MESSAGE_WRITERS,
    "communication.view_message": MESSAGE_WRITERS,
    "communication.edit_message": MESSAGE_WRITERS,
    "communication.approve_message": MESSAGE_APPROVERS,
    "communication.withdraw_message": MESSAGE_APPROVERS,
    "communication.send_message": MESSAGE_WRITERS,
    "communication.link_case": MESSAGE_WRITERS,
    "communication.print_notice": MESSAGE_WRITERS,
    "communication.history_page": MESSAGE_WRITERS,
    "communication.boards": MESSAGE_APPROVERS,
    "communication.revoke_board": MESSAGE_APPROVERS,
    "noticeboard.board": PUBLIC,
    "noticeboard.notice": PUBLIC,
}

#: endpoint -> the roles allowed only with all camps (a camp-scoped holder is refused, 403)
NATIONAL: dict[str, set[str]] = {
    "cards.signing_keys": {A},
    "sites.create_camp": {A},
}


def test_every_route_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - MATRIX.keys() == set(), "add the new routes to MATRIX"
    assert MATRIX.keys() - endpoints == set(), "remove routes that no longer exist from MATRIX"
    assert NATIONAL.keys() <= MATRIX.keys()


def _allowed(entry, role: str | None) -> bool:
    if entry == PUBLIC:
        return True
    if role is None:
        return False
    return entry == SIGNED_IN or role in entry


def _request(app, client, make, session, endpoint: str, actor):
    from app.users.services import create_token

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    household = make.household("KHR")
    target = make.user(roles=[V], camps=["KHR"])
    pair = make.duplicate_pair(household.members[0], make.household("KHR").members[0])
    batch = make.import_batch("KHR")
    values = {
        "code": "KHR",
        "number": household.number,
        "user_id": target.id,
        "seq": 1,
        "pair_id": pair.id,
        "batch_id": batch.id,
        "serial": "C00000001",
        "job_id": 1,
        "plot_code": "KHR-B01-001",
        "facility_id": 1,
        "round_id": 1,
        "alternate_id": 1,
        "uid": "00000000-0000-4000-8000-000000000000",
        "reference": "FB-KHR-000001",
        "kiosk_id": 1,
        "secret": "nope",
        "fmt": "csv",
        "message_id": 1,
        "board_id": 1,
        "public_id": "nope",
        "search_id": "gone",
    }
    if "token_id" in rule.arguments:
        owner = actor or target
        values["token_id"] = create_token(session, None, owner, "matrix")[0].id
    path = rule.build(values, append_unknown=False)[1]
    method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
    return client.open(path, method=method, data={} if method == "POST" else None)


@pytest.mark.parametrize("role", [None, *ROLES], ids=["anonymous", *ROLES])
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_allows_exactly_the_roles_in_the_matrix(app, client, make, session, login_as, endpoint, role):
    actor = login_as(role, "KHR") if role else None
    response = _request(app, client, make, session, endpoint, actor)
    location = response.headers.get("Location", "")
    refused = response.status_code in (401, 403) or location.startswith("/login?next=")
    assert response.status_code < 500, response.status_code
    if _allowed(MATRIX[endpoint], role):
        assert not refused, f"{role} should be allowed {endpoint}, got {response.status_code} {location}"
    else:
        assert refused, f"{role} should be refused {endpoint}, got {response.status_code}"
        if role is not None:
            assert response.status_code == 403
        elif endpoint.split(".")[0].endswith("api"):
            assert response.status_code == 401 and response.is_json


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(NATIONAL))
def test_national_routes_allow_exactly_the_roles_with_all_camps(app, client, make, session, login_as, endpoint, role):
    actor = login_as(role, None)
    response = _request(app, client, make, session, endpoint, actor)
    assert response.status_code < 500, response.status_code
    refused = response.status_code in (401, 403) or response.headers.get("Location", "").startswith("/login?next=")
    assert refused == (role not in NATIONAL[endpoint]), f"{role} with all camps, {endpoint}: {response.status_code}"
