"""Chart geometry (pure: bar lengths and places) and the SVG the chart macros write from it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.charts import column_layout, columns_svg
from camps.figures.charts import pyramid_layout

SVG = "{http://www.w3.org/2000/svg}"


def test_pyramid_bars_meet_the_middle_column_and_the_largest_fills_a_half():
    chart = pyramid_layout([(100, 50), (None, 200)], largest=200, width=520, row_height=34)
    half = (520 - 96) / 2  # 212: the band labels take 96 in the middle
    top, bottom = chart.rows
    assert (top.female.width, top.male.width) == (half / 2, half / 4)
    assert top.female.x + top.female.width == half and top.male.x == half + 96
    assert bottom.female.width == 0 and bottom.male.width == half  # hidden: no bar; the largest: a whole half
    assert (top.female.y, bottom.female.y, top.female.height) == (27, 61, 28)  # rows 34 apart, 3 inside each
    assert (top.label_x, top.label_y) == (260, 45)
    assert (chart.height, chart.women_x, chart.men_x) == (24 + 8 + 2 * 34, half / 2, half + 96 + half / 2)


def test_columns_share_the_width_and_the_largest_reaches_the_top():
    chart = column_layout([10, None, 0, 20], width=404, height=180, label_every=2)
    slot = (404 - 4) / 4  # 100
    assert [c.width for c in chart.columns] == [70] * 4  # 70% of the slot
    assert [c.x for c in chart.columns] == [4 + 15 + i * slot for i in range(4)]
    assert [c.height for c in chart.columns] == [73, 0, 0, 146]  # 180 - 10 top - 24 bottom
    assert [c.y + c.height for c in chart.columns] == [156] * 4 == [chart.baseline] * 4
    assert [c.labelled for c in chart.columns] == [True, False, True, False]
    assert chart.columns[0].middle == 54 and chart.label_y == 172


def test_narrow_columns_stay_visible_and_no_values_draw_an_empty_axis():
    assert column_layout(list(range(1000)), width=640).columns[5].width == 2.0
    empty = column_layout([])
    assert empty.columns == () and empty.baseline == 156


def test_column_chart_writes_hidden_counts_and_escapes_text(app):
    with app.test_request_context("/"):
        svg = str(columns_svg([5, None], ["a<b", "W02"], title='Cases "per" <week>', testid="t-chart"))
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed
    assert root.find(f"{SVG}title").text == 'Cases "per" <week>'
    titles = [r.find(f"{SVG}title").text for r in root.iter(f"{SVG}rect")]
    assert titles[0] == "a<b: 5" and titles[1].startswith("W02: ") and titles[1] != "W02: 0"
    assert [t.text for t in root.iter(f"{SVG}text")] == ["a<b", "W02"]


def test_column_chart_needs_a_label_per_value(app):
    with app.test_request_context("/"), pytest.raises(ValueError):
        columns_svg([1, 2, 3], ["a", "b"], title="t", testid="t")
