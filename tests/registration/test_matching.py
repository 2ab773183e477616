"""Duplicate detection (registration.dedup.matching): pure functions, no database."""

from dataclasses import replace
from datetime import date

import pytest

from registration.dedup.matching import (
    REASONS,
    THRESHOLD,
    NameRecord,
    block_keys,
    compare,
    name_tokens,
    normalise_tazkira,
    search_keys,
    skeleton,
    to_ascii,
)

MOHAMMAD = NameRecord(
    given="Mohammad",
    given_orig="محمد",
    father="Karim",
    father_orig="کریم",
    family=None,
    family_orig=None,
    sex="m",
    birth_date=date(1990, 5, 17),
    birth_precision="day",
)


def person(**changes) -> NameRecord:
    """Mohammad son of Karim, born 17 May 1990, unless told otherwise."""
    return replace(MOHAMMAD, **changes)


def assert_same(a: NameRecord, b: NameRecord) -> None:
    result = compare(a, b)
    assert result.same, result
    assert result.score >= THRESHOLD
    assert block_keys(a) & block_keys(b), "the database lookup would never bring them together"
    assert compare(b, a) == result


def assert_different(a: NameRecord, b: NameRecord) -> None:
    result = compare(a, b)
    assert not result.same, result
    assert result.score < THRESHOLD
    assert compare(b, a) == result


# -- normalising -------------------------------------------------------------------------------------
def test_to_ascii_reads_tajik_letters_and_dari_script():
    assert to_ascii("Муҳаммад Ҷӯраев") == "muhammad juraev"
    assert to_ascii("Ғулом Қодир") == "ghulom qodir"
    assert to_ascii("محمد کریم") == "mhmd krym"
    assert to_ascii("Mohammad") == "mohammad"
    assert to_ascii("Ahmed\u00a0") == "ahmed "  # NFKC: a no-break space is a space
    assert to_ascii("Ελένη").isascii()  # any other script still comes out as ASCII (ICU)


def test_name_tokens():
    assert name_tokens("Абдураҳмон Каримӣ") == ["abdurahmon", "karimi"]
    assert name_tokens("Abdul-Rahman  O'Karim") == ["abdul", "rahman", "o", "karim"]
    assert name_tokens("") == []


@pytest.mark.parametrize("spelling", ["Mohammad", "Muhammad", "Mohammed", "Mohamad", "MOHAMMAD", "Муҳаммад", "محمد"])
def test_mohammad_has_one_skeleton_in_every_script(spelling):
    assert skeleton(spelling) == "mhmd"


@pytest.mark.parametrize(
    "spellings",
    [
        ("Abdul Rahman", "Abdurrahman", "Abdulrahman", "عبدالرحمن", "Абдураҳмон"),
        ("Habibullah", "Habibulla", "حبیب\u200cالله", "Ҳабибулло"),
        ("Fatima", "Fatimah", "Fatemeh", "فاطمه", "Фотима"),
        ("Yousuf", "Yusuf", "یوسف", "Юсуф"),
        ("Zahra", "زهرا", "Заҳро"),  # ز + ه is not the digraph "zh"
    ],
)
def test_skeletons_agree_across_spellings_and_scripts(spellings):
    assert len({skeleton(s) for s in spellings}) == 1


def test_mahmud_and_mohammad_share_a_skeleton():
    """So the skeleton may only gather candidates: compare must tell them apart (below)."""
    assert skeleton("Mahmood") == skeleton("محمود") == skeleton("Mohammad")


def test_skeleton_is_short_ascii_and_deterministic():
    long_name = "Abdul Rahman Mohammad Karim Ghulam Haidar"
    assert skeleton(long_name) == skeleton(long_name) and len(skeleton(long_name)) <= 16
    assert skeleton(long_name).isascii()
    assert skeleton("") == "" and skeleton("-") == ""


@pytest.mark.parametrize(
    "typed, digits",
    [
        ("1234-5678-90123", "1234567890123"),
        ("1234 5678 90123", "1234567890123"),
        ("۱۲۳۴-۵۶۷۸-۹۰۱۲۳", "1234567890123"),
        ("", None),
        (None, None),
        ("--", None),
    ],
)
def test_normalise_tazkira(typed, digits):
    assert normalise_tazkira(typed) == digits


# -- the same person ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "given, given_orig",
    [
        ("Muhammad", "محمد"),
        ("Mohammed", "محمد"),
        ("Mohamad", None),
        ("Muhammad", "Муҳаммад"),
        (None, "محمد"),
        (None, "Муҳаммад"),
        ("Mohammed", None),
    ],
)
def test_spellings_and_scripts_of_mohammad_match(given, given_orig):
    assert_same(person(), person(given=given, given_orig=given_orig))


def test_cyrillic_record_matches_arabic_script_record():
    tajik = person(given="Muhammad", given_orig="Муҳаммад", father="Karim", father_orig="Карим")
    assert_same(person(), tajik)
    assert compare(person(), tajik).reasons[:2] == ("given name equal", "father name equal")


def test_latin_only_record_matches_arabic_only_record():
    latin = person(given_orig=None, father_orig=None)
    arabic = person(given=None, father=None)
    assert_same(latin, arabic)


def test_swapped_given_and_family_name():
    a = person(family="Karimi", family_orig="کریمی")
    b = person(given="Karimi", given_orig="کریمی", family="Mohammad", family_orig="محمد")
    assert_same(a, b)
    assert "given and family names swapped" in compare(a, b).reasons


@pytest.mark.parametrize(
    "changes",
    [
        {"given": "Mohamad", "given_orig": None},
        {"given": "Mohammqd", "given_orig": None},
        {"father": "Karmi", "father_orig": None},
        {"father": "Kraim", "father_orig": None},
    ],
)
def test_one_letter_typos(changes):
    assert_same(person(given_orig=None, father_orig=None), person(**changes))


@pytest.mark.parametrize(
    "born, precision",
    [
        (date(1990, 7, 1), "year"),
        (date(1990, 5, 1), "month"),
        (date(1990, 7, 1), "age"),
        (date(1991, 7, 1), "age"),
        (date(1989, 7, 1), "age"),
        (date(1992, 7, 1), "age"),
    ],
)
def test_estimated_birth_date_matches_an_exact_date_within_the_estimate(born, precision):
    assert_same(person(), person(birth_date=born, birth_precision=precision))


def test_birth_year_reasons():
    exact, estimate = person(), person(birth_date=date(1990, 7, 1), birth_precision="year")
    assert "birth date equal" in compare(exact, person()).reasons
    assert "birth year matches" in compare(exact, estimate).reasons
    assert compare(exact, person()).score > compare(exact, estimate).score


def test_missing_family_name_in_one_record():
    with_family = person(family="Karimi", family_orig="کریمی")
    assert_same(with_family, person())
    assert "family name missing" in compare(with_family, person()).reasons


def test_same_tazkira_with_and_without_dashes_is_the_same_person():
    a = person(tazkira="1234-5678-90123", family="Karimi")
    b = person(
        given="Mohamad", given_orig=None, tazkira="1234567890123", birth_date=date(1991, 7, 1), birth_precision="age"
    )
    result = compare(a, b)
    assert result.same and result.reasons[0] == "tazkira equal"
    assert "tz:1234567890123" in block_keys(a) & block_keys(b)


def test_different_tazkira_numbers_are_strong_evidence_against():
    a, b = person(tazkira="1234-5678-90123"), person(tazkira="9999-5678-90123")
    result = compare(a, b)
    assert not result.same and "tazkira different" in result.reasons
    assert result.score < compare(person(), person()).score


def test_several_changes_at_once():
    base = person(family="Ahmadzai", family_orig="احمدزی", birth_date=date(1985, 3, 2))
    other = person(
        given=None,
        given_orig="Муҳаммад",
        father=None,
        father_orig="Карим",
        family=None,
        family_orig=None,
        birth_date=date(1984, 7, 1),
        birth_precision="age",
    )
    assert_same(base, other)


# -- different people ---------------------------------------------------------------------------------
def test_mahmud_is_not_mohammad():
    estimate = {"family": "Karimi", "family_orig": "کریمی", "birth_date": date(1990, 7, 1), "birth_precision": "year"}
    mohammad = person(**estimate)
    assert_different(mohammad, person(given="Mahmood", given_orig="محمود", **estimate))
    assert_different(mohammad, person(given="Mahmud", given_orig=None, **estimate))
    assert_different(mohammad, person(given="Ahmad", given_orig="احمد", **estimate))
    assert "given name different" in compare(mohammad, person(given="Mahmood", given_orig="محمود", **estimate)).reasons


def test_latin_only_mohammad_against_arabic_only_mahmud():
    """Arabic script writes the long u of محمود, which "Mohammad" has no room for; محمد fits."""
    latin = person(given_orig=None, father_orig=None, birth_date=date(1990, 7, 1), birth_precision="year")
    mahmud = person(given=None, given_orig="محمود", father=None, birth_date=date(1990, 7, 1), birth_precision="year")
    mohammad = replace(mahmud, given_orig="محمد")
    assert_different(latin, mahmud)
    assert_same(latin, mohammad)
    assert compare(latin, mahmud).score < compare(latin, mohammad).score


def test_siblings_share_father_and_family_but_not_the_given_name():
    family = {"father": "Karim", "father_orig": "کریم", "family": "Karimi", "family_orig": "کریمی"}
    brother = person(given="Ahmad", given_orig="احمد", birth_date=date(1992, 7, 1), birth_precision="age", **family)
    assert_different(person(**family), brother)
    sister = person(
        given="Fatima", given_orig="فاطمه", sex="f", birth_date=date(1990, 7, 1), birth_precision="year", **family
    )
    assert_different(person(**family), sister)


def test_similar_names_of_siblings_are_told_apart_by_their_arabic_script():
    jawad = person(
        given="Jawad",
        given_orig="جواد",
        family="Karimi",
        family_orig="کریمی",
        birth_date=date(2001, 7, 1),
        birth_precision="age",
    )
    jawid = replace(jawad, given="Jawid", given_orig="جاوید", birth_date=date(2003, 7, 1))
    assert_different(jawad, jawid)


def test_father_and_son_with_the_same_given_name():
    father = person(
        father="Ahmad",
        father_orig="احمد",
        family="Karimi",
        family_orig="کریمی",
        birth_date=date(1965, 7, 1),
        birth_precision="year",
    )
    son = person(
        father="Mohammad", father_orig="محمد", family="Karimi", family_orig="کریمی", birth_date=date(1990, 2, 11)
    )
    result = compare(father, son)
    assert not result.same and "birth dates far apart" in result.reasons


def test_cousins_with_the_same_given_name_and_different_fathers():
    a = person(family="Karimi", family_orig="کریمی", birth_date=date(1990, 7, 1), birth_precision="age")
    b = replace(a, father="Rahim", father_orig="رحیم", birth_date=date(1991, 3, 4), birth_precision="day")
    assert_different(a, b)
    assert "father name different" in compare(a, b).reasons


def test_different_sex():
    result = compare(person(), person(sex="f"))
    assert not result.same and "sex different" in result.reasons


# -- the comparison itself ----------------------------------------------------------------------------
def test_comparison_is_bounded_and_explained():
    result = compare(person(), person())
    assert 0.0 <= result.score <= 1.0 and result.same
    assert result.reasons[:2] == ("given name equal", "father name equal")


def test_reasons_come_from_the_published_list():
    variants = [
        person(),
        person(sex="f"),
        person(given="Karimi", family="Mohammad", family_orig=None),
        person(family="Karimi", tazkira="1"),
        person(tazkira="2", birth_date=date(1991, 7, 1), birth_precision="age"),
        person(father=None, father_orig=None, birth_date=date(1990, 5, 1), birth_precision="month"),
        person(given=None, given_orig=None, father=None, father_orig=None, birth_date=date(1960, 1, 1)),
        person(given="Mohamad", given_orig=None, birth_date=date(1990, 5, 18)),
        person(given="Ahmad", given_orig=None, birth_date=date(1993, 7, 1), birth_precision="year"),
    ]
    seen = {reason for a in variants for b in variants for reason in compare(a, b).reasons}
    assert seen <= set(REASONS) and len(seen) >= 15


def test_missing_names_are_neither_for_nor_against():
    no_father = person(father=None, father_orig=None)
    result = compare(person(), no_father)
    assert "father name missing" in result.reasons
    assert compare(person(given=None, given_orig=None), person()).score < result.score


def test_records_without_comparable_names_never_match_on_birth_date_alone():
    nameless = person(given=None, given_orig=None, father=None, father_orig=None)
    assert_different(nameless, nameless)
    assert compare(nameless, person()).reasons[0] == "no names to compare"
    assert compare(replace(nameless, tazkira="1234567890123"), replace(nameless, tazkira="1234-5678-90123")).same


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "123",
        "—",
        "🙂",
        "Straße",
        "İsmail",
        "穆罕默德",
        "ٹیپو",
        "مُحَمَّد",
        "ＭＯＨＡＭＭＡＤ",
        "Mo\u0301hammad",
        "۱۲۳",
    ],
)
def test_odd_input_never_raises(text):
    rec = NameRecord(text, text, text, text, text, text, "m", date(1990, 1, 1), "day", text)
    keys = block_keys(rec)
    assert len(keys) <= 40 and all(len(k) <= 48 for k in keys)
    assert 0.0 <= compare(rec, person()).score <= 1.0
    assert isinstance(search_keys(f"{text} {text}"), set)


# -- blocking keys ------------------------------------------------------------------------------------
def test_block_keys_are_few_short_and_prefixed():
    rec = person(family="Karimi", family_orig="کریمی", tazkira="1234-5678-90123", given="Muhamad")
    keys = block_keys(rec)
    assert all(len(k) <= 48 and k.isascii() and k[2] == ":" for k in keys)
    assert {k[:3] for k in keys} == {"gp:", "gf:", "ny:", "tz:", "td:"}
    names = {k for k in keys if not k.startswith(("tz:", "td:"))}
    # 1990 with its neighbours 1989 and 1991 falls in the 3-year buckets 663 (1989-1991)
    assert names == {"gp:krm|mhmd|m", "gf:krm|mhmd|m", "ny:mhmd|m|663", "ny:krm|m|663"}
    assert "tz:1234567890123" in keys and len(keys - names) == 15  # tz: and td: number, 13 with a digit out


def test_a_second_key_from_the_original_script_when_its_skeleton_differs():
    keys = block_keys(person(family="Mohmand", family_orig="مومند", father="Karmi", father_orig="کریم"))
    assert "gp:krm|mhmd|m" in keys  # Karmi (typo) and کریم both give krm: one key
    keys = block_keys(person(given="Mohamnad", father_orig="کریم"))
    assert {"gp:krm|mhmnd|m", "gp:krm|mhmd|m"} <= keys and len(keys) <= 12


def test_no_key_rests_on_a_single_name():
    """ "mhmd" alone would gather a tenth of all men: every key combines two facts."""
    for key in block_keys(person()) | block_keys(person(given=None, family="Karimi")):
        assert key.startswith("tz:") or key.count("|") >= 1


def test_keys_of_a_record_without_names():
    keys = block_keys(person(given=None, given_orig=None, father=None, father_orig=None, tazkira="12-34"))
    assert keys == {"tz:1234"}


# -- name search --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    ["Mohammad Karimi", "Muhammad Karimi", "محمد کریمی", "Муҳаммад Каримӣ", "Karimi Mohammad", "Mohammad Karim"],
)
def test_search_keys_find_the_stored_keys(query):
    stored = block_keys(person(family="Karimi", family_orig="کریمی"))
    assert search_keys(query) & stored


def test_search_keys_for_compound_names_and_single_words():
    stored = block_keys(
        person(given="Abdul Rahman", given_orig="عبدالرحمن", father="Ghulam Haidar", father_orig="غلام حیدر")
    )
    assert search_keys("Abdul Rahman Ghulam Haidar") & stored
    assert search_keys("عبدالرحمن غلام حیدر") & stored
    assert search_keys("Mohammad") == set() and search_keys("  ") == set()
