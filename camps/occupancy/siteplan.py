"""The camp's site plan as SVG, drawn on the server from the layout and who lives where.

The markup is built as strings (a Jinja loop over 5,000 plots is several times slower). Colours come
from classes in static/css/site-plan.css; the standalone file (a download) carries ``fill``
presentation attributes instead, so it looks the same without the page's stylesheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.visibility import hidden_text
from camps.allocation.models import PlotAllocation
from camps.figures.indicators import occupancy_subquery
from camps.figures.masking import OccupancyMask
from camps.layout import geo, standards
from camps.layout.models import CAPACITY_UNITS, FACILITY_KINDS, PLOT_STATUSES, SHELTER_TYPES, Block, Facility, Plot
from camps.layout.services import block_areas
from camps.occupancy import plan_labels
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


#: a facility's symbol never looks bigger than this radius in metres, whatever the zoom
FACILITY_MAX_M = 7.0


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


def _n(value: float) -> str:
    """A coordinate rounded to 0.1 m, without a trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _nice_length(span: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10ⁿ m) near a fifth of the plan."""
    target = max(span / 5, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return max(m * power for m in (1, 2, 5) if m * power <= target)


class _Box:
    def __init__(self) -> None:
        self.x0 = self.y0 = math.inf
        self.x1 = self.y1 = -math.inf

    def add(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.x0, self.y0 = min(self.x0, x0), min(self.y0, y0)
        self.x1, self.y1 = max(self.x1, x1), max(self.y1, y1)

    @property
    def empty(self) -> bool:
        return self.x0 == math.inf


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
    box = _Box()
    block_box: dict[int, _Box] = {}
    block_people: dict[int, int] = {}
    shapes = []
    for row in plots:
        outline = geo.parse_outline(row.outline)
        if outline:
            xs, ys = [p[0] for p in outline], [p[1] for p in outline]
            x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        else:
            x0, y0, x1, y1 = row.x, row.y, row.x + row.width, row.y + row.depth
        box.add(x0, y0, x1, y1)
        block_box.setdefault(row.block_id, _Box()).add(x0, y0, x1, y1)
        block_people[row.block_id] = block_people.get(row.block_id, 0) + (row.people or 0)
        shapes.append((row, outline, (x0 + x1) / 2, (y0 + y1) / 2))
    block_rects = {}
    for block_id, code, x, y, width, depth in blocks.values():
        if None not in (x, y, width, depth):
            rect = (x, y, x + width, y + depth)
        elif block_id in block_box:
            b = block_box[block_id]
            rect = (b.x0 - 1, b.y0 - 1, b.x1 + 1, b.y1 + 1)
        else:
            continue
        box.add(*rect)
        block_rects[block_id] = (code, rect, areas.get(block_id))
    if block_code:
        (block_id,) = blocks
        drawn_facilities = [
            f
            for f in facilities
            if f.block_id == block_id or (not box.empty and box.x0 <= f.x <= box.x1 and box.y0 <= f.y <= box.y1)
        ]
    else:
        drawn_facilities = facilities
    for f in drawn_facilities:
        box.add(f.x, f.y, f.x, f.y)
    if box.empty:
        box.add(0, 0, 100, 100)

    span = max(box.x1 - box.x0, box.y1 - box.y0, 20.0)
    unit = span / 100
    margin = 4 * unit
    footer = 7 * unit
    vb = (box.x0 - margin, box.y0 - margin, box.x1 - box.x0 + 2 * margin, box.y1 - box.y0 + 2 * margin + footer)
    fill = (lambda cls: f' fill="{FILLS[cls]}"') if standalone else (lambda cls: "")
    dark = ' fill="#222"' if standalone else ""
    white = ' fill="#fff"' if standalone else ""

    title = _("Site plan of %(camp)s", camp=camp.code) + (f" · {block_code}" if block_code else "")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{" ".join(_n(v) for v in vb)}" '
        f'class="site-plan" role="img" aria-labelledby="sp-title" font-family="sans-serif">'
        f'<title id="sp-title">{escape(title)}</title>'
    ]
    if standalone:
        out.append(f'<rect x="{_n(vb[0])}" y="{_n(vb[1])}" width="{_n(vb[2])}" height="{_n(vb[3])}" fill="#fff"/>')

    # blocks: tinted by congestion band, labelled with their code beside it, clear of facility symbols
    size = min(max(1.1 * unit, 1.5), FACILITY_MAX_M)
    symbols = [plan_labels.symbol_box(f.x, f.y, size) for f in drawn_facilities]
    out.append('<g class="blocks">')
    block_labels = []
    for block_id, (code, (x0, y0, x1, y1), area) in block_rects.items():
        people = block_people.get(block_id, 0)
        band = standards.congestion_band(area / people if people and area else None) or "empty"
        if mask is not None and mask.hides("block", code):
            band = "hidden"
        label = min(3 * unit, (x1 - x0) / 4, (y1 - y0) / 4)
        band_text = {"empty": _("Nobody lives here"), "hidden": hidden_text()}.get(band) or standards.band_title(band)
        stroke = ' stroke="#333" stroke-width="1" vector-effect="non-scaling-stroke"' if standalone else ""
        out.append(
            f'<g class="blk bd-{band}" data-block="{escape(code)}">'
            f"<title>{escape(code)} · {escape(band_text)}</title>"
            f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(x1 - x0)}" height="{_n(y1 - y0)}"'
            f"{fill('bd-' + band)}{stroke}/></g>"
        )
        label_x, label_y = plan_labels.place_label((x0, y0, x1, y1), label, code, symbols)
        block_labels.append(
            f'<text x="{_n(label_x)}" y="{_n(label_y)}" font-size="{_n(label)}" '
            f'stroke-width="{_n(label / 6)}">{escape(code)}</text>'
        )
    out.append("</g>")

    # plots
    status_titles = {k: str(escape(v)) for k, v in PLOT_STATUSES.items()}
    shelter_titles = {k: str(escape(v)) for k, v in SHELTER_TYPES.items()}
    people_words: dict[int, str] = {}
    per_person = str(escape(_("%(n)s m² per person", n="\x00")))
    hidden_word = str(escape(hidden_text()))
    status_counts = dict.fromkeys(PLOT_STATUSES, 0)
    crowding_counts = {"meets": 0, "below": 0, "far-below": 0, "empty": 0}
    households_total = people_total = 0
    plot_stroke = ' stroke="#555" stroke-width="0.5" vector-effect="non-scaling-stroke"' if standalone else ""
    labels = block_code is not None or len(shapes) <= 400
    label_size = None
    out.append('<g class="plots">')
    for row, outline, _cx, _cy in shapes:
        people, households = row.people or 0, row.households or 0
        households_total += households
        people_total += people
        status_counts[row.status] = status_counts.get(row.status, 0) + 1
        cpp = row.covered_m2 / people if people else None
        crowd = standards.covered_band(cpp, climate) or "empty"
        crowding_counts[crowd] += 1
        if mask is not None and people:  # a plot's people are a family's size: never shown to such accounts
            crowd, people, cpp = "hidden", 0, None
        code = escape(row.code)
        status_title = status_titles.get(row.status, row.status)
        tip = f"{code} · {status_title}"
        data = f' data-code="{code}" data-st="{row.status}" data-sh="{shelter_titles.get(row.shelter_type, "")}"'
        if crowd == "hidden":
            data += f' data-hh="{hidden_word}" data-pp="{hidden_word}"'
        elif people:
            if people not in people_words:
                people_words[people] = str(escape(ngettext("%(num)d person", "%(num)d people", people)))
            cpp_text = f"{cpp:.1f}"
            tip += f" · {people_words[people]} · {per_person.replace(chr(0), cpp_text)}"
            data += f' data-hh="{households}" data-pp="{people}" data-cv="{cpp_text}"'
        if row.id in numbers:
            data += f' data-hn="{escape(" ".join(numbers[row.id]))}"'
        cls = f"st-{row.status} cr-{crowd}"
        colour_fill = fill(f"st-{row.status}" if colour == "status" else f"cr-{crowd}")
        if outline:
            points = " ".join(f"{_n(x)},{_n(y)}" for x, y in outline)
            out.append(
                f'<polygon class="{cls}" points="{points}"{data}{colour_fill}{plot_stroke}>'
                f"<title>{tip}</title></polygon>"
            )
        else:
            out.append(
                f'<rect class="{cls}" x="{_n(row.x)}" y="{_n(row.y)}" width="{_n(row.width)}" '
                f'height="{_n(row.depth)}"{data}{colour_fill}{plot_stroke}><title>{tip}</title></rect>'
            )
    out.append("</g>")
    if labels and shapes:
        label_size = min(min(r.width, r.depth) for r, _o, _x, _y in shapes) / 3
        out.append(
            f'<g class="pn" font-size="{_n(label_size)}" stroke-width="{_n(label_size / 6)}" '
            f'text-anchor="middle" dominant-baseline="central"{dark}>'
        )
        out.extend(f'<text x="{_n(cx)}" y="{_n(cy)}">{row.number}</text>' for row, _o, cx, cy in shapes)
        out.append("</g>")

    # block codes above the plots, facilities above everything
    halo = ' fill="#222" stroke="#fff" paint-order="stroke"' if standalone else ""
    out.append(f'<g class="blk-l" font-weight="bold"{halo}>{"".join(block_labels)}</g>')

    # facilities: a shape and a letter per kind
    letters = {kind: str(escape(letter)) for kind, letter in facility_letters().items()}
    out.append(
        f'<g class="facilities" font-size="{_n(size * 1.1)}" text-anchor="middle" '
        f'dominant-baseline="central" font-weight="bold">'
    )
    for f in drawn_facilities:
        shape = SYMBOLS.get(f.kind, "circle")
        x, y, r = f.x, f.y, size
        if shape == "circle":
            body = f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"{fill("fc-" + f.kind)}/>'
        elif shape == "square":
            body = (
                f'<rect x="{_n(x - r)}" y="{_n(y - r)}" width="{_n(2 * r)}" height="{_n(2 * r)}"'
                f"{fill('fc-' + f.kind)}/>"
            )
        else:
            body = (
                f'<polygon points="{_n(x)},{_n(y - 1.25 * r)} {_n(x + 1.2 * r)},{_n(y + 0.85 * r)} '
                f'{_n(x - 1.2 * r)},{_n(y + 0.85 * r)}"{fill("fc-" + f.kind)}/>'
            )
        tip = f"{f.code} · {FACILITY_KINDS.get(f.kind, f.kind)}"
        if f.name:
            tip += f" · {f.name}"
        tip += f" · {f.capacity} {CAPACITY_UNITS.get(f.kind, '')}"
        if not f.in_service:
            tip += " · " + _("out of service")
        off = "" if f.in_service else " fc-off"
        opacity = ' opacity="0.45"' if standalone and not f.in_service else ""
        text_y = y + (0.2 * r if shape == "triangle" else 0)
        out.append(
            f'<g class="fc fc-{f.kind}{off}" data-facility="{escape(f.code)}"{opacity}>'
            f"<title>{escape(tip)}</title>{body}"
            f'<text x="{_n(x)}" y="{_n(text_y)}"{white}>'
            f"{letters.get(f.kind, '?')}</text></g>"
        )
    out.append("</g>")

    out.append(_scale_bar(box, unit, span, standalone))
    out.append(_north_arrow(box, unit, margin, standalone))
    out.append("</svg>")
    # every text and attribute value above went through escape()
    svg = Markup("".join(out))  # noqa: S704
    level, code = ("block", block_code) if block_code else ("camp", camp.code)
    return SitePlan(
        svg=svg,
        view_box=vb,
        plots=len(shapes),
        blocks=len(block_rects),
        facilities=len(drawn_facilities),
        households=households_total,
        people=people_total,
        status_counts=status_counts,
        crowding_counts=crowding_counts,
        block_code=block_code,
        households_hidden=mask is not None and mask.hides(level, code, "households"),
        people_hidden=mask is not None and mask.hides(level, code, "people"),
    )


def _scale_bar(box: _Box, unit: float, span: float, standalone: bool) -> str:
    length = _nice_length(span)
    x, y, h = box.x0, box.y1 + 4 * unit, unit
    half = length / 2
    dark, light = (
        (' fill="#222"', ' fill="#fff" stroke="#222" stroke-width="1" vector-effect="non-scaling-stroke"')
        if standalone
        else ("", "")
    )
    text, title = _("%(n)s m", n=f"{length:g}"), _("Scale")  # outside the f-string: the extractor skips those
    return (
        f'<g class="scale" font-size="{_n(2 * unit)}"><title>{escape(title)}</title>'
        f'<rect class="sb-d" x="{_n(x)}" y="{_n(y)}" width="{_n(half)}" height="{_n(h)}"{dark}/>'
        f'<rect class="sb-l" x="{_n(x + half)}" y="{_n(y)}" width="{_n(half)}" height="{_n(h)}"{light}/>'
        f'<text x="{_n(x)}" y="{_n(y - 0.6 * unit)}"{dark}>0</text>'
        f'<text x="{_n(x + length)}" y="{_n(y - 0.6 * unit)}" text-anchor="middle"{dark}>{escape(text)}</text>'
        f"</g>"
    )


def _north_arrow(box: _Box, unit: float, margin: float, standalone: bool) -> str:
    # y grows southwards, so north is up
    x, y = box.x1 + margin / 2, box.y1 + 6 * unit
    dark = ' fill="#222"' if standalone else ""
    title = _("North")  # outside the f-string: the extractor skips those
    return (
        f'<g class="north" font-size="{_n(2.2 * unit)}" text-anchor="middle"><title>{escape(title)}</title>'
        f'<polygon points="{_n(x)},{_n(y - 4 * unit)} {_n(x + 1.2 * unit)},{_n(y - 1.2 * unit)} '
        f'{_n(x - 1.2 * unit)},{_n(y - 1.2 * unit)}"{dark}/>'
        f'<text x="{_n(x)}" y="{_n(y + unit)}"{dark}>{escape(pgettext("compass", "N"))}</text></g>'
    )
