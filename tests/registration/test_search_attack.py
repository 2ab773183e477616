"""Name search on names the search was not written against: Tajik Cyrillic searched with a Russian
keyboard (х ч к г у и, and дж for ҷ), Dari script searched with Arabic-keyboard letters, ZWNJ and spacing."""

from __future__ import annotations

import pytest

from registration.households import search


def _household(session, make, born: int, **names):
    return make.named_household("KHR", born=born, **names)


@pytest.fixture
def people(session, make):
    return {
        "jamshed": _household(
            session,
            make,
            1990,
            given_name="Jamshed",
            given_name_orig="Ҷамшед",
            father_name="Qurbonali",
            father_name_orig="Қурбонали",
            family_name="Rahimov",
            family_name_orig="Раҳимов",
        ),
        "habibullah": _household(
            session,
            make,
            1984,
            given_name="Habibullah",
            given_name_orig="حبیب‌الله",
            father_name="Abdul Karim",
            father_name_orig="عبدالکریم",
        ),
        "zarghuna": _household(
            session,
            make,
            1996,
            given_name="Zarghuna",
            given_name_orig="زرغونه",
            father_name="Gul Agha",
            father_name_orig="گل آغا",
            family_name="Sherzad",
            family_name_orig="شیرزاد",
        ),
        "ghulam_sakhi": _household(
            session,
            make,
            1972,
            given_name="Ghulam Sakhi",
            given_name_orig="Ғулом Сахӣ",
            father_name="Qurban Ali",
            father_name_orig="Қурбоналӣ",
        ),
    }


@pytest.fixture
def clerk(make):
    return make.user(roles=["registration_clerk"], camps=["KHR"])


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("Чамшед Курбонали", "jamshed"),
        ("Джамшед Курбонали", "jamshed"),
        ("Djamshed Kurbonali", "jamshed"),
        ("Dzhamshed Rakhimov", "jamshed"),
        ("Рахимов 1990", "jamshed"),
        ("Ҷамшед Раҳимов", "jamshed"),
        ("حبيب الله عبد الكريم", "habibullah"),
        ("حبیب الله عبدالکریم", "habibullah"),
        ("Habibullah Abdulkarim", "habibullah"),
        ("Хабибулло Абдулкарим", "habibullah"),
        ("زرغونة شيرزاد", "zarghuna"),
        ("Zarghona Sherzad", "zarghuna"),
        ("Заргуна Шерзод", "zarghuna"),
        ("Гулом Сахи", "ghulam_sakhi"),
        ("Гулом Сахи Курбонали", "ghulam_sakhi"),
        ("غلام سخی", "ghulam_sakhi"),
        ("Ghulamsakhi Qurbanali", "ghulam_sakhi"),
    ],
)
def test_search_finds_across_keyboards(session, clerk, people, typed, who):
    assert [h.number for h in search.search(session, clerk, typed).households] == [people[who].number]
