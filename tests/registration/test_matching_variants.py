"""Issue 13: the ways a second registration of a refugee differs, and the look-alikes kept apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from registration.dedup.matching import NameRecord, block_keys, compare

NABI = NameRecord(
    given="Mohammad Nabi",
    given_orig="محمد نبی",
    father="Abdul Rahman",
    father_orig="عبدالرحمن",
    family="Ahmadzai",
    family_orig="احمدزی",
    sex="m",
    birth_date=date(1984, 7, 1),
    birth_precision="age",
    tazkira="1400-0101-23456",
)


def nabi(**changes) -> NameRecord:
    return replace(NABI, **changes)


def candidates(a: NameRecord, b: NameRecord) -> bool:
    return bool(block_keys(a) & block_keys(b))


def assert_same(a: NameRecord, b: NameRecord) -> None:
    assert candidates(a, b), "blocking never brings them together"
    assert compare(a, b).same, compare(a, b)
    assert compare(b, a) == compare(a, b)


def assert_apart(a: NameRecord, b: NameRecord) -> None:
    result = compare(a, b)
    assert not result.same, result


# -- candidates (blocking) --------------------------------------------------------------------------
@pytest.mark.parametrize("years", [-2, -1, 1, 2])
def test_estimated_ages_years_apart_are_candidates(years):
    other = nabi(
        father="Abdurrahmon",
        father_orig=None,
        family=None,
        family_orig=None,
        tazkira=None,
        birth_date=date(1984 + years, 7, 1),
        birth_precision="year",
    )
    other_father = replace(other, father="Abdul Rahmon Typo")  # only the given name and the year are left
    assert candidates(NABI, other)
    assert candidates(replace(NABI, tazkira=None, family=None, family_orig=None), other_father)


def test_swapped_given_and_father_are_candidates_and_matched():
    swapped = nabi(given="Abdul Rahman", given_orig=None, father="Muhammad Nabi", father_orig=None)
    assert_same(NABI, swapped)
    assert "given and father names swapped" in compare(NABI, swapped).reasons


def test_a_tazkira_one_digit_off_is_a_candidate_even_with_other_names():
    typo = NameRecord(
        given="Nabi",
        given_orig=None,
        father=None,
        father_orig=None,
        family=None,
        family_orig=None,
        sex="m",
        birth_date=date(1990, 1, 1),
        birth_precision="day",
        tazkira="1400-0101-23465",
    )
    assert candidates(NABI, typo)
    assert candidates(NABI, replace(typo, tazkira="14000101 3456"))  # a digit left out


def test_a_tazkira_one_digit_off_counts_for_the_match():
    result = compare(NABI, nabi(tazkira="1400-0101-23457", family=None, family_orig=None))
    assert result.same and "tazkira nearly equal" in result.reasons
    assert not compare(NABI, nabi(tazkira="9999-0101-23457")).same  # a different tazkira is strong against


# -- script, keyboard, spacing, compounds ----------------------------------------------------------------
@pytest.mark.parametrize(
    "given, given_orig",
    [
        ("Nabi", None),
        (None, "نبی"),
        (None, "Набӣ"),
        ("MOHAMMAD  NABI ", None),
        ("Mohammad-Nabi", None),
        ("Mohammadnabi", None),
        (None, "محمدنبي"),
        (None, "Мухаммаднаби"),
        (None, "Муҳаммаднабӣ"),
    ],
)
def test_a_compound_given_name_in_any_form_matches(given, given_orig):
    assert_same(NABI, nabi(given=given, given_orig=given_orig, tazkira=None))


@pytest.mark.parametrize(
    "father, father_orig",
    [
        (None, "عبد الرحمن"),
        (None, "عبد\u200cالرحمن"),
        (None, "Абдурахмон"),
        ("Abdurrahman", None),
        ("ABDUL-RAHMAN", None),
        (None, "عبدالرحمن"),
    ],
)
def test_father_names_in_keyboard_and_spacing_variants_match(father, father_orig):
    assert_same(NABI, nabi(father=father, father_orig=father_orig, tazkira=None))


def test_russian_keyboard_cyrillic_matches_tajik_and_latin():
    latin = NameRecord(
        given="Habibullah",
        given_orig=None,
        father="Jahongir",
        father_orig=None,
        family=None,
        family_orig=None,
        sex="m",
        birth_date=date(1990, 7, 1),
        birth_precision="year",
    )
    russian = replace(latin, given=None, given_orig="Хабибулло", father=None, father_orig="Чахонгир")
    tajik = replace(latin, given=None, given_orig="Ҳабибулло", father=None, father_orig="Ҷаҳонгир")
    assert_same(latin, russian)
    assert_same(tajik, russian)


# -- kept apart --------------------------------------------------------------------------------------
def test_siblings_are_kept_apart():
    for sibling in ("Mohammad Yusuf", "Mohammad Ali", "Yusuf"):
        assert_apart(NABI, nabi(given=sibling, given_orig=None, tazkira=None, birth_date=date(1987, 7, 1)))


def test_namesakes_born_years_apart_are_kept_apart():
    assert_apart(NABI, nabi(tazkira=None, birth_date=date(1992, 7, 1)))


@pytest.mark.parametrize(
    "first, second",
    [("Hassan", "Hussain"), ("Rahim", "Karim"), ("Mahmud", "Mohammad"), ("حسن", "حسین"), ("Ҳасан", "Ҳусайн")],
)
def test_look_alike_names_are_kept_apart(first, second):
    def person(name):
        latin = name.isascii()
        return nabi(
            given=name if latin else None, given_orig=None if latin else name, tazkira=None, birth_date=date(1986, 7, 1)
        )

    assert_apart(person(first), person(second))


def test_a_son_named_after_his_grandfather_is_not_a_swap():
    son = nabi(
        given="Abdul Rahman",
        given_orig=None,
        father="Mohammad Nabi",
        father_orig=None,
        family=None,
        family_orig=None,
        tazkira=None,
        birth_date=date(2008, 7, 1),
    )
    assert_apart(NABI, son)


def test_the_cheap_plausibility_test_never_rejects_a_pair_compare_would_match():
    from itertools import combinations

    from benchmarks.dedup_independent import build
    from registration.dedup.matching import plausible

    records = build(households=150, per_kind=12, hard_per_kind=15).records
    blocks: dict[str, list[int]] = {}
    for record_id, record in records.items():
        for key in block_keys(record):
            blocks.setdefault(key, []).append(record_id)
    pairs = {pair for ids in blocks.values() for pair in combinations(ids, 2)}
    matched = {(a, b) for a, b in pairs if compare(records[a], records[b]).same}
    assert len(matched) > 100
    assert all(plausible(records[a], records[b]) for a, b in matched)
    assert sum(plausible(records[a], records[b]) for a, b in pairs) < len(pairs) / 2  # and it does prune


def test_a_slip_of_the_pen_in_the_birth_year_stays_plausible():
    from registration.dedup.matching import plausible

    a = nabi(tazkira=None, birth_date=date(1967, 6, 13), birth_precision="day")
    assert plausible(a, replace(a, birth_date=date(2009, 6, 13)))
    assert compare(a, replace(a, birth_date=date(2009, 6, 13))).same
    assert not plausible(a, replace(a, birth_date=date(2009, 3, 2)))
