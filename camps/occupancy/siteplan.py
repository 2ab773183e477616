"""The camp's site plan as SVG, drawn on the server from the layout and who lives where.

Three steps: the queries here, the geometry in :mod:`~camps.occupancy.plan_geometry` and
:mod:`~camps.occupancy.plan_labels` (pure functions, tested alone), and ``templates/occupancy/_siteplan.svg``,
which writes the marks with autoescape on, so every text and attribute value is escaped by Jinja. Colours come
from classes in static/css/site-plan.css; the standalone file (a download) carries ``fill``
presentation attributes instead, so it looks the same without the page's stylesheet.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.visibility import hidden_text
from camps.allocation.models import PlotAllocation
from camps.figures.indicators import occupancy_subquery
from camps.figures.masking import OccupancyMask
from camps.layout import geo, standards
from camps.layout.models import CAPACITY_UNITS, FACILITY_KINDS, PLOT_STATUSES, SHELTER_TYPES, Block, Facility, Plot
from camps.layout.services import block_areas
from camps.occupancy import plan_geometry, plan_labels
from camps.occupancy.plan_labels import Box
from camps.sites.models import Camp
from registration.households.models import Household

COLOURINGS = ("status", "crowding")

#: the shape of each facility kind's symbol (the letter in it: facility_letters())
SYMBOLS = {
    "water_point": "circle",
    "latrine_block": "triangle",
    "health_post": "square",
    "distribution_point": "square",
    "help_desk": "circle",
    "school": "triangle",
}

#: the palette of static/css/site-plan.css, for the standalone file
FILLS = {
    "st-vacant": "#f4f4f4",
    "st-reserved": "#f2c14e",
    "st-occupied": "#3a7dbf",
    "st-out_of_use": "#7d7d7d",
    "cr-meets": "#2e9d5b",
    "cr-below": "#f39c4a",
    "cr-far-below": "#c8372d",
    "cr-empty": "#ececec",
    "cr-hidden": "#c9c9c9",
    "bd-none": "#e6f4e1",
    "bd-low": "#fbf4c6",
    "bd-moderate": "#fde2c2",
    "bd-high": "#f9c4b5",
    "bd-empty": "#f7f7f7",
    "bd-hidden": "#ededed",
    "fc-water_point": "#1f6fb2",
    "fc-latrine_block": "#6a3d9a",
    "fc-health_post": "#c8372d",
    "fc-distribution_point": "#d9700f",
    "fc-help_desk": "#2e8540",
    "fc-school": "#8c510a",
}


def facility_letters() -> dict[str, str]:
    """The letter in each kind's symbol, in the current language."""
    return {
        "water_point": pgettext("facility symbol", "W"),
        "latrine_block": pgettext("facility symbol", "L"),
        "health_post": pgettext("facility symbol", "H"),
        "distribution_point": pgettext("facility symbol", "D"),
        "help_desk": pgettext("facility symbol", "I"),
        "school": pgettext("facility symbol", "S"),
    }


@dataclass
class SitePlan:
    svg: Markup
    #: min x, min y, width, height in metres
    view_box: tuple[float, float, float, float]
    plots: int = 0
    blocks: int = 0
    facilities: int = 0
    households: int = 0
    people: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)
    crowding_counts: dict[str, int] = field(default_factory=dict)
    block_code: str | None = None
    #: the households and people on it are hidden (accounts that see no household, small counts)
    households_hidden: bool = False
    people_hidden: bool = False


def render_site_plan(
    session: Session,
    camp: Camp,
    *,
    block_code: str | None = None,
    show_households: bool = False,
    standalone: bool = False,
    colour: str = "status",
    mask: OccupancyMask | None = None,
) -> SitePlan | None:
    """Draw the camp (or one block of it) as SVG; None when ``block_code`` names no block of the camp.

    ``show_households`` adds the household numbers living on each plot (for HOUSEHOLDS_VIEW only);
    ``standalone`` adds fills for ``colour`` ('status' or 'crowding') so the file needs no stylesheet.
    ``mask`` (accounts that see no household: :func:`camps.figures.masking.occupancy_mask`) leaves out
    every plot's households, people, space per person and crowding, and the counts and congestion of
    blocks whose people are hidden.
    """
    block_query = (
        select(Block.id, Block.code, Block.x, Block.y, Block.width, Block.depth)
        .where(Block.camp_id == camp.id)
        .order_by(Block.code)
    )
    if block_code:
        block_query = block_query.where(Block.code == block_code.upper())
    blocks = {row[0]: row for row in session.execute(block_query)}
    if block_code and not blocks:
        return None

    occupancy = occupancy_subquery(camp.id)
    plot_query = (
        select(
            Plot.id,
            Plot.code,
            Plot.block_id,
            Plot.number,
            Plot.x,
            Plot.y,
            Plot.width,
            Plot.depth,
            Plot.outline,
            Plot.status,
            Plot.shelter_type,
            Plot.covered_m2,
            occupancy.c.households,
            occupancy.c.people,
        )
        .outerjoin(occupancy, occupancy.c.plot_id == Plot.id)
        .where(Plot.camp_id == camp.id)
        .order_by(Plot.block_id, Plot.number)
    )
    facility_query = (
        select(
            Facility.code,
            Facility.kind,
            Facility.name,
            Facility.capacity,
            Facility.x,
            Facility.y,
            Facility.in_service,
            Facility.block_id,
        )
        .where(Facility.camp_id == camp.id)
        .order_by(Facility.kind, Facility.code)
    )
    numbers: dict[int, list[str]] = {}
    if block_code:
        (block_id,) = blocks
        plot_query = plot_query.where(Plot.block_id == block_id)
    if show_households:
        number_query = (
            select(PlotAllocation.plot_id, Household.number)
            .join(Household, Household.id == PlotAllocation.household_id)
            .where(PlotAllocation.camp_id == camp.id, PlotAllocation.ended_at.is_(None))
            .order_by(Household.number)
        )
        if block_code:
            number_query = number_query.join(Plot, Plot.id == PlotAllocation.plot_id).where(Plot.block_id == block_id)
        for plot_id, number in session.execute(number_query):
            numbers.setdefault(plot_id, []).append(number)
    plots = session.execute(plot_query).all()
    facilities = session.execute(facility_query).all()
    areas = block_areas(session, camp.id, block_ids=list(blocks) if block_code else None)
    return _draw(
        camp,
        blocks,
        areas,
        plots,
        facilities,
        numbers,
        block_code=block_code and block_code.upper(),
        standalone=standalone,
        colour=colour if colour in COLOURINGS else "status",
        mask=mask,
    )


@dataclass(frozen=True)
class BlockMark:
    """A block as drawn: tinted by congestion band, its code placed by :func:`plan_labels.place_label`."""

    code: str
    band: str
    band_text: str
    box: Box
    fill: str | None
    label_x: float
    label_y: float
    label_size: float


@dataclass(slots=True)  # not frozen: 5,000 frozen instances take several times longer to make
class PlotMark:
    """A plot as drawn: its polygon (``points``) or rectangle, its classes, data and tooltip.

    Its lengths are written here (``plan_geometry.number``), not in the template: 5,000 plots times six
    function calls from Jinja (each through its call wrapper) cost more than the rest of the loop."""

    code: str
    number: int
    status: str
    crowd: str
    shelter: str
    #: the outline's corners (an SVG ``points`` attribute), else empty: a rectangle
    points: str
    x: str
    y: str
    width: str
    depth: str
    #: where its number is written
    cx: str
    cy: str
    tip: str
    fill: str | None
    #: hidden from this account (households and people written as the hidden word)
    hidden: bool = False
    households: int = 0
    people: int = 0
    #: covered space per person, 1 decimal
    covered: str = ""
    #: the numbers of the households living there (household readers only)
    numbers: str = ""


@dataclass(frozen=True)
class FacilityMark:
    code: str
    kind: str
    in_service: bool
    symbol: plan_geometry.Symbol
    letter: str
    tip: str
    fill: str | None


@dataclass(frozen=True)
class Drawing:
    """What ``templates/occupancy/_siteplan.svg`` writes: plain data, every text unescaped."""

    title: str
    frame: plan_geometry.Frame
    standalone: bool
    blocks: list[BlockMark]
    plots: list[PlotMark]
    #: the plot numbers' font size (None: too many plots on the whole camp to number them)
    plot_label_size: float | None
    facilities: list[FacilityMark]
    symbol_radius: float
    hidden_word: str
    scale: plan_geometry.ScaleBar
    scale_title: str
    scale_text: str
    north: plan_geometry.NorthArrow
    north_title: str
    north_letter: str


def _draw(
    camp,
    blocks,
    areas,
    plots,
    facilities,
    numbers,
    *,
    block_code,
    standalone,
    colour,
    mask: OccupancyMask | None = None,
) -> SitePlan:
    climate = camp.climate
    extent = plan_geometry.Extent()
    block_extent: dict[int, plan_geometry.Extent] = {}
    block_people: dict[int, int] = {}
    shapes = []
    for row in plots:
        outline = geo.parse_outline(row.outline)
        box = plan_geometry.plot_box(outline, row.x, row.y, row.width, row.depth)
        extent.add(*box)
        block_extent.setdefault(row.block_id, plan_geometry.Extent()).add(*box)
        block_people[row.block_id] = block_people.get(row.block_id, 0) + (row.people or 0)
        shapes.append((row, outline, plan_geometry.centre(box)))
    block_rects = {}
    for block_id, code, x, y, width, depth in blocks.values():
        rect = plan_geometry.block_box(x, y, width, depth, block_extent.get(block_id))
        if rect is not None:
            extent.add(*rect)
            block_rects[block_id] = (code, rect, areas.get(block_id))
    if block_code:
        (block_id,) = blocks
        drawn_facilities = [f for f in facilities if f.block_id == block_id or extent.holds(f.x, f.y)]
    else:
        drawn_facilities = facilities
    for f in drawn_facilities:
        extent.add(f.x, f.y, f.x, f.y)
    frame = plan_geometry.frame(None if extent.empty else extent.box)
    radius = plan_geometry.symbol_radius(frame.unit)
    symbols = [plan_labels.symbol_box(f.x, f.y, radius) for f in drawn_facilities]
    fill = FILLS.get if standalone else (lambda cls: None)

    plotted = _plot_marks(shapes, numbers, climate, colour, mask, fill)
    labelled = bool(shapes) and (block_code is not None or len(shapes) <= 400)  # numbers readable on the whole plan
    scale = plan_geometry.scale_bar(frame)
    drawing = Drawing(
        title=_("Site plan of %(camp)s", camp=camp.code) + (f" · {block_code}" if block_code else ""),
        frame=frame,
        standalone=standalone,
        blocks=_block_marks(block_rects, block_people, frame.unit, symbols, mask, fill),
        plots=plotted.marks,
        plot_label_size=plan_geometry.plot_label_size((r.width, r.depth) for r, _o, _c in shapes) if labelled else None,
        facilities=_facility_marks(drawn_facilities, radius, fill),
        symbol_radius=radius,
        hidden_word=hidden_text(),
        scale=scale,
        scale_title=_("Scale"),
        scale_text=_("%(n)s m", n=f"{scale.length:g}"),
        north=plan_geometry.north_arrow(frame),
        north_title=_("North"),
        north_letter=pgettext("compass", "N"),
    )
    level, code = ("block", block_code) if block_code else ("camp", camp.code)
    return SitePlan(
        svg=_render("occupancy/_siteplan.svg", plan=drawing),
        view_box=frame.view_box,
        plots=len(shapes),
        blocks=len(block_rects),
        facilities=len(drawn_facilities),
        households=plotted.households,
        people=plotted.people,
        status_counts=plotted.status_counts,
        crowding_counts=plotted.crowding_counts,
        block_code=block_code,
        households_hidden=mask is not None and mask.hides(level, code, "households"),
        people_hidden=mask is not None and mask.hides(level, code, "people"),
    )


def _block_marks(block_rects, block_people, unit: float, symbols, mask: OccupancyMask | None, fill) -> list[BlockMark]:
    """Blocks tinted by congestion band (hidden where the mask hides them), codes placed clear of symbols."""
    block_marks = []
    for block_id, (code, rect, area) in block_rects.items():
        people = block_people.get(block_id, 0)
        band = standards.congestion_band(area / people if people and area else None) or "empty"
        if mask is not None and mask.hides("block", code):
            band = "hidden"
        band_text = {"empty": _("Nobody lives here"), "hidden": hidden_text()}.get(band) or standards.band_title(band)
        size = plan_geometry.block_label_size(unit, rect)
        label_x, label_y = plan_labels.place_label(rect, size, code, symbols)
        block_marks.append(BlockMark(code, band, band_text, rect, fill(f"bd-{band}"), label_x, label_y, size))
    return block_marks


@dataclass
class _Plotted:
    marks: list[PlotMark]
    status_counts: dict[str, int]
    crowding_counts: dict[str, int]
    households: int
    people: int


def _plot_marks(shapes, numbers, climate: str, colour: str, mask: OccupancyMask | None, fill) -> _Plotted:
    """Each plot's mark, and the counts by status and crowding band and of households and people."""
    status_counts = dict.fromkeys(PLOT_STATUSES, 0)
    crowding_counts = {"meets": 0, "below": 0, "far-below": 0, "empty": 0}
    status_titles = {k: str(v) for k, v in PLOT_STATUSES.items()}  # lazy strings: translated once, not per plot
    shelter_titles = {k: str(v) for k, v in SHELTER_TYPES.items()}
    people_words: dict[int, str] = {}
    per_person = _("%(n)s m² per person", n="\x00")
    households_total = people_total = 0
    number = functools.cache(plan_geometry.number)  # a grid's plots share their widths, depths and rows
    plot_marks = []
    for row, outline, centre in shapes:
        people, households = row.people or 0, row.households or 0
        households_total += households
        people_total += people
        status_counts[row.status] = status_counts.get(row.status, 0) + 1
        cpp = row.covered_m2 / people if people else None
        crowd = standards.covered_band(cpp, climate) or "empty"
        crowding_counts[crowd] += 1
        if mask is not None and people:  # a plot's people are a family's size: never shown to such accounts
            crowd, people, cpp = "hidden", 0, None
        tip = f"{row.code} · {status_titles.get(row.status, row.status)}"
        covered = ""
        if people:
            if people not in people_words:
                people_words[people] = ngettext("%(num)d person", "%(num)d people", people)
            covered = f"{cpp:.1f}"
            tip += f" · {people_words[people]} · {per_person.replace(chr(0), covered)}"
        plot_marks.append(
            PlotMark(
                code=row.code,
                number=row.number,
                status=row.status,
                crowd=crowd,
                shelter=shelter_titles.get(row.shelter_type, ""),
                points=plan_geometry.points(outline) if outline else "",
                x=number(row.x),
                y=number(row.y),
                width=number(row.width),
                depth=number(row.depth),
                cx=number(centre[0]),
                cy=number(centre[1]),
                tip=tip,
                fill=fill(f"st-{row.status}" if colour == "status" else f"cr-{crowd}"),
                hidden=crowd == "hidden",
                households=households,
                people=people,
                covered=covered,
                numbers=" ".join(numbers.get(row.id, ())),
            )
        )
    return _Plotted(plot_marks, status_counts, crowding_counts, households_total, people_total)


def _facility_marks(facilities, radius: float, fill) -> list[FacilityMark]:
    """A symbol per facility (its kind's shape and letter) and its tooltip."""
    letters = facility_letters()
    facility_marks = []
    for f in facilities:
        tip = f"{f.code} · {FACILITY_KINDS.get(f.kind, f.kind)}"
        if f.name:
            tip += f" · {f.name}"
        tip += f" · {f.capacity} {CAPACITY_UNITS.get(f.kind, '')}"
        if not f.in_service:
            tip += " · " + _("out of service")
        shape = plan_geometry.symbol(SYMBOLS.get(f.kind, "circle"), f.x, f.y, radius)
        facility_marks.append(
            FacilityMark(f.code, f.kind, f.in_service, shape, letters.get(f.kind, "?"), tip, fill(f"fc-{f.kind}"))
        )
    return facility_marks


def _render(template: str, **context) -> Markup:
    """``template`` (a ``.svg`` file: autoescaped, so the engine escapes every text and attribute value)
    rendered with ``context``, and the writers of lengths ``n`` and ``points``."""
    rendered = current_app.jinja_env.get_template(template).render(
        n=plan_geometry.number, points=plan_geometry.points, **context
    )
    return Markup(rendered)  # noqa: S704 - autoescaped template output
