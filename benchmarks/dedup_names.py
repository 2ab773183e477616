"""Afghan names for the independent duplicate-detection set (benchmarks/dedup_independent.py).

Written for this benchmark, not taken from app/demo/names.py: given names common among Dari, Pashto,
Uzbek and Tajik speakers of Afghanistan and their families, written from general knowledge of how they
appear in UNHCR/IOM registration lists, Afghan tazkiras and Tajik passports. The names are in
``data/dedup_names.csv``; each entry is ``(Latin spellings in several conventions, Dari/Pashto script,
Tajik Cyrillic)``; the first Latin spelling is the English/UN convention (Mohammad, Hussain), the others
the French/German-influenced (Mohamed), Arabic-scholarly (Muhammad, Husayn) and Russian/Tajik-derived
(Mukhammad, Khusein) ones seen in the field. Look-alike pairs the matcher must keep apart are listed in
``LOOK_ALIKES``.
"""

from __future__ import annotations

import csv
from pathlib import Path

Name = tuple[tuple[str, ...], str, str]

_DATA = Path(__file__).with_name("data") / "dedup_names.csv"


def _names(kind: str) -> tuple[Name, ...]:
    """The names of one kind (male, female, family) in ``data/dedup_names.csv``, in its order."""
    with _DATA.open(encoding="utf-8", newline="") as file:
        rows = csv.reader(line for line in file if not line.startswith("#"))
        next(rows)
        return tuple((tuple(latin.split(";")), arabic, cyrillic) for k, latin, arabic, cyrillic in rows if k == kind)


MALE: tuple[Name, ...] = _names("male")
#: second parts of Mohammad-compounds (Mohammad Nabi, Muhammad Yusuf): indices into MALE
MOHAMMAD_PARTS = (
    "Nabi",
    "Karim",
    "Ali",
    "Yusuf",
    "Asif",
    "Hashim",
    "Ibrahim",
    "Ismail",
    "Omar",
    "Daud",
    "Zahir",
    "Tahir",
    "Akbar",
    "Sharif",
    "Naim",
    "Anwar",
    "Aziz",
    "Sadiq",
    "Idris",
    "Wali",
)

FEMALE: tuple[Name, ...] = _names("female")

FAMILY: tuple[Name, ...] = _names("family")

#: different names easily taken for one another (Latin first spellings)
LOOK_ALIKES = {
    "Hassan": ("Hussain",),
    "Hussain": ("Hassan",),
    "Rahim": ("Karim",),
    "Karim": ("Rahim",),
    "Mahmud": ("Mohammad", "Ahmad"),
    "Mohammad": ("Mahmud", "Ahmad"),
    "Ahmad": ("Mahmud", "Mohammad"),
    "Hamid": ("Wahid", "Rashid"),
    "Wahid": ("Hamid",),
    "Rashid": ("Hamid",),
    "Zahir": ("Tahir",),
    "Tahir": ("Zahir",),
    "Sadiq": ("Shafiq",),
    "Shafiq": ("Sadiq",),
    "Farid": ("Farhad",),
    "Farhad": ("Farid",),
    "Rahima": ("Karima", "Halima"),
    "Karima": ("Rahima",),
    "Halima": ("Hamida", "Rahima"),
    "Hamida": ("Halima", "Wahida"),
    "Wahida": ("Hamida",),
    "Hasina": ("Husna",),
    "Husna": ("Hasina",),
    "Nasrin": ("Nargis",),
}
