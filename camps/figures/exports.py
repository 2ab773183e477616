"""The aggregate statistics export (HXL CSV or XLSX), for the figures page and ``panoh export stats``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.audit.services import log_action
from app.db import utcnow
from app.errors import UserValueError
from app.users.actors import Actor, is_system
from camps.figures import hxl, stats
from camps.figures.dashboard import published_blanks
from camps.sites.models import Camp

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Export:
    content: bytes
    filename: str
    mimetype: str


def stats_export(
    session: Session, actor: Actor, camps: list[Camp], *, fmt: str, table: str = "population", today: date
) -> Export:
    """Build the export of ``camps`` (already the ones ``actor`` may see) and audit it.

    CSV holds one table (``population`` or ``origin``); XLSX holds both and an About sheet.
    """
    if fmt not in FORMATS:
        raise UserValueError(_("Choose CSV or XLSX."), field="format")
    if table not in hxl.TABLES:
        raise UserValueError(_("Choose the population or the origin table."), field="table")
    if not camps:
        raise UserValueError(_("You do not work in any camp."))
    made_at = utcnow()
    if fmt == "csv" and table == "origin":
        content = hxl.to_csv(hxl.TABLES[table], stats.origin_rows(session, camps), today)
    else:  # camp lines as /figures shows them, block and no-plot lines as the occupancy pages do
        population = stats.population_rows(session, camps, today, published_blanks(session, camps, today))
        if fmt == "csv":
            content = hxl.to_csv(hxl.TABLES[table], population, today)
        else:
            made_by = "panoh (command line)" if is_system(actor) else actor.username
            content = hxl.to_xlsx(
                {"population": population, "origin": stats.origin_rows(session, camps)},
                today,
                hxl.about_lines(camps, today, made_by, made_at),
            )
    codes = [c.code for c in camps]
    log_action(
        session,
        actor,
        "export.stats",
        details={"format": fmt, "table": table if fmt == "csv" else "all", "camps": codes, "date": today.isoformat()},
    )
    scope = codes[0] if len(codes) == 1 else "all"
    name = f"panoh-{'stats' if fmt == 'xlsx' or table == 'population' else 'origin'}-{scope}-{today:%Y%m%d}.{fmt}"
    return Export(content, name, FORMATS[fmt])
