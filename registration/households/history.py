"""A household's history, read from the audit log (every change is audited there anyway)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent

TITLES = {
    "household.register": _l("Registered"),
    "household.view": None,  # views are audited but are not history
    "household.update": _l("Household details changed"),
    "household.change_head": _l("New head of household"),
    "household.split": _l("Split: some members formed a new household"),
    "household.split_from": _l("Made from a split of another household"),
    "household.transfer": _l("Transferred to another camp"),
    "household.departed": _l("Household departed"),
    "household.inactive": _l("Household set inactive"),
    "household.reactivate": _l("Household reactivated"),
    "household.finish": _l("Pre-registration finished at the desk"),
    "person.update": _l("Member details corrected"),
    "person.add": _l("Member added"),
    "person.departed": _l("Member departed"),
    "person.deceased": _l("Member died"),
    "person.move_out": _l("Member moved to another household"),
    "person.move_in": _l("Member joined from another household"),
    "person.merge": _l("Duplicate record merged into this household"),
    "person.merged_away": _l("Member merged into another record (duplicate)"),
    # written by camps.allocation.services, about the household
    "plot.allocate": _l("Plot allocated"),
    "plot.relocate": _l("Moved to another plot"),
    "plot.vacate": _l("Plot vacated"),
}


def events(session: Session, household_id: int, limit: int = 200) -> list[AuditEvent]:
    shown = [action for action, title in TITLES.items() if title is not None]
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.object_type == "household",
                AuditEvent.object_id == str(household_id),
                AuditEvent.action.in_(shown),
            )
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )


def describe(event: AuditEvent) -> str:
    title = str(TITLES.get(event.action) or event.action)
    details = event.details or {}
    if "person" in details:
        title += f" · {details['person']:02d}" if isinstance(details["person"], int) else ""
    if details.get("fields"):
        title += f" ({', '.join(details['fields'])})"
    if event.action.startswith("plot.") and details.get("plot"):
        moved = f"{details['from_plot']} → " if details.get("from_plot") else ""
        title += f" · {moved}{details['plot']}"
    return title
