"""The site plan's geometry, without a database or a drawing: extents, frame, sizes, scale bar, north arrow."""

from __future__ import annotations

import pytest

from camps.occupancy import plan_geometry as g


@pytest.mark.parametrize(
    ("value", "text"), [(12.0, "12"), (12.34, "12.3"), (12.36, "12.4"), (0.04, "0"), (-3.5, "-3.5"), (100, "100")]
)
def test_number_rounds_to_a_tenth_without_a_trailing_zero(value, text):
    assert g.number(value) == text


def test_points_are_written_as_x_comma_y_pairs():
    assert g.points([(66, 0), (76.04, 0), (71, 9.96)]) == "66,0 76,0 71,10"


def test_extent_grows_around_what_is_added():
    extent = g.Extent()
    assert extent.empty and not extent.holds(0, 0)
    extent.add(10, 20, 30, 40)
    extent.add(5, 25, 12, 50)
    assert not extent.empty and extent.box == (5, 20, 30, 50)
    assert extent.holds(5, 50) and not extent.holds(31, 30)


def test_plot_box_is_around_the_outline_else_the_rectangle():
    assert g.plot_box([(66, 0), (76, 0), (71, 10)], 0, 0, 1, 1) == (66, 0, 76, 10)
    assert g.plot_box(None, 10, 20, 5, 8) == (10, 20, 15, 28)
    assert g.centre((10, 20, 15, 28)) == (12.5, 24)


def test_block_box_is_as_laid_out_else_a_metre_around_its_plots():
    plots = g.Extent()
    plots.add(10, 10, 20, 30)
    assert g.block_box(0, 0, 50, 40, plots) == (0, 0, 50, 40)
    assert g.block_box(None, 0, 50, 40, plots) == (9, 9, 21, 31)
    assert g.block_box(None, None, None, None, g.Extent()) is None
    assert g.block_box(None, None, None, None, None) is None


def test_frame_adds_a_margin_and_a_footer_to_the_box():
    frame = g.frame((0, 0, 200, 100))
    assert (frame.span, frame.unit, frame.margin) == (200, 2, 8)
    assert frame.view_box == (-8, -8, 216, 130)  # 2 margins wide; 2 margins and a 7-unit footer high


def test_a_small_or_empty_plan_is_never_narrower_than_the_minimum_span():
    assert g.frame((0, 0, 5, 5)).span == g.MIN_SPAN_M
    empty = g.frame(None)
    assert empty.box == g.EMPTY_BOX and empty.unit == 1


@pytest.mark.parametrize(("unit", "radius"), [(0.2, 1.5), (2, 2.2), (10, g.FACILITY_MAX_M)])
def test_symbol_radius_is_readable_but_bounded(unit, radius):
    assert g.symbol_radius(unit) == pytest.approx(radius)


def test_block_label_fits_the_block():
    assert g.block_label_size(2, (0, 0, 100, 100)) == 6  # 3 units
    assert g.block_label_size(2, (0, 0, 100, 12)) == 3  # a quarter of its depth


def test_plot_numbers_are_a_third_of_the_narrowest_side():
    assert g.plot_label_size([(10, 12), (6, 9), (8, 8)]) == 2


def test_symbols_by_shape():
    circle = g.symbol("circle", 10, 20, 2)
    assert (circle.shape, circle.cx, circle.cy, circle.r, circle.text_y) == ("circle", 10, 20, 2, 20)
    square = g.symbol("square", 10, 20, 2)
    assert (square.left, square.top, square.side, square.text_y) == (8, 18, 4, 20)
    triangle = g.symbol("triangle", 10, 20, 2)
    assert [c for corner in triangle.corners for c in corner] == pytest.approx([10, 17.5, 12.4, 21.7, 7.6, 21.7])
    assert triangle.text_y == pytest.approx(20.4)  # lower: the triangle's centre of mass
    assert g.symbol("anything else", 0, 0, 1).shape == "triangle"


@pytest.mark.parametrize(("span", "length"), [(100, 20), (1000, 200), (37, 5), (3, 1), (260, 50)])
def test_scale_bar_length_is_round_and_near_a_fifth_of_the_plan(span, length):
    assert g.nice_length(span) == length


def test_scale_bar_and_north_arrow_sit_below_the_plan():
    frame = g.frame((0, 0, 200, 100))  # unit 2, margin 8
    bar = g.scale_bar(frame)
    assert (bar.x, bar.y, bar.height, bar.length, bar.half) == (0, 108, 2, 20, 10)  # 20 m: 1, 2 or 5 × 10ⁿ
    assert bar.text_y == pytest.approx(106.8) and bar.font_size == 4
    north = g.north_arrow(frame)
    assert [c for corner in north.corners for c in corner] == pytest.approx(
        [204, 104, 206.4, 109.6, 201.6, 109.6]
    )  # up
    assert (north.text_x, north.text_y, north.font_size) == (204, 114, pytest.approx(4.4))
