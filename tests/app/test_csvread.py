"""The one CSV reader of the importers (app/csvread.py)."""

from __future__ import annotations

import pytest

from app.csvread import MAX_BLANK_ROWS, CsvProblem, Rows, decode, delimiter_of, normalise_header, read_csv


def test_text_is_utf8_with_or_without_a_byte_order_mark():
    assert decode("\ufefftype,name\n".encode()) == "type,name\n"
    assert decode("نام\n".encode()) == "نام\n"
    for data in ("type\n".encode("utf-16"), b"type\n\xff\xfe", b"a\x00b"):
        with pytest.raises(CsvProblem) as problem:
            decode(data)
        assert problem.value.kind == CsvProblem.ENCODING


@pytest.mark.parametrize(("first", "delimiter"), [("a,b,c", ","), ("a;b;c,d", ";"), ("a\tb\tc", "\t"), ("a", ",")])
def test_the_separator_is_the_one_the_first_line_uses_most(first, delimiter):
    assert delimiter_of(first + "\n1,2;3\t4\n") == delimiter


def test_rows_are_numbered_as_a_spreadsheet_shows_them_blank_ones_left_out():
    text = 'Type;Name\n ; \nplot; B 1 \n\n"facility";"two\nlines"\nplot;x\n'
    expected = [(1, ["Type", "Name"]), (3, ["plot", "B 1"]), (5, ["facility", "two\nlines"]), (6, ["plot", "x"])]
    assert read_csv(text, 10) == expected


def test_too_many_rows_and_too_many_blank_ones_are_refused_with_the_bound():
    with pytest.raises(CsvProblem) as problem:
        read_csv("a\n1\n2\n3\n", 2)
    assert (problem.value.kind, problem.value.limit) == (CsvProblem.TOO_MANY, 2)
    assert len(read_csv("a\n1\n2\n", 2)) == 3
    rows: Rows[str] = Rows(2)
    rows.count(1 + 2 + MAX_BLANK_ROWS)
    with pytest.raises(CsvProblem) as problem:
        rows.count(2 + 2 + MAX_BLANK_ROWS)
    assert (problem.value.kind, problem.value.limit) == (CsvProblem.TOO_LONG, 2 + MAX_BLANK_ROWS)


def test_a_csv_the_reader_cannot_follow_is_unreadable():
    with pytest.raises(CsvProblem) as problem:
        read_csv("a,b\n" + "x" * 200_000 + "\n", 10)  # a field longer than the csv module's limit
    assert problem.value.kind == CsvProblem.UNREADABLE


def test_headers_are_normalised():
    assert normalise_header(" Member/Given Name ") == "given_name"
    assert normalise_header("\ufeffArea-m2") == "area_m2"
    assert normalise_header(None) == ""
