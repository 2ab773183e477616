"""A border list written only in Dari script imports with suggested Latin names (issue 13).

The list below was written for this test (not taken from app/demo/names.py): a spaced -ullah, an
Abd- compound joined and spaced, Arabic-keyboard letters (ي ك), a zero-width non-joiner, and
names the transliteration knows no spelling of.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from registration.households import search
from registration.households.models import Household, Person
from registration.transliterate import suggest_latin

HEADER = [
    "household_ref",
    "relationship",
    "given_name_orig",
    "father_name_orig",
    "family_name_orig",
    "sex",
    "born",
    "arrival_date",
    "crossing_point",
    "origin_province",
]
DARI_ONLY = [
    ["B-7", "head", "حبیب الله", "غلام سخی", "احمدزی", "m", "1978", "2026-05-20", "PPY", "AF15"],
    ["B-7", "spouse", "نازنین", "شیر آغا", "", "f", "1982", "", "", ""],
    ["B-7", "son", "عبدالرحمن", "حبیب\u200cالله", "احمدزی", "m", "2010", "", "", ""],
    ["B-9", "head", "محمد نبي", "عبد الكريم", "احمدزی", "m", "45", "2026-05-21", "PPY", "AF15"],
    ["B-9", "daughter", "زرمینه", "محمد نبی", "", "f", "2015", "", "", ""],
]


def _csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def test_suggested_latin_follows_afghan_conventions():
    assert suggest_latin("حبیب الله") == suggest_latin("حبیب\u200cالله") == "Habibullah"
    assert suggest_latin("عبدالرحمن") == suggest_latin("عبد الرحمن") == "Abdul Rahman"
    assert suggest_latin("محمد نبي") == "Mohammad Nabi"
    assert suggest_latin("عبد الكريم") == "Abdul Karim"
    assert suggest_latin("احمدزی") == "Ahmadzai"
    assert suggest_latin("غلام سخی") == "Ghulam Sakhi"
    assert suggest_latin("صلاح الدین") == "Salahuddin"
    assert suggest_latin("جمشید") == "Jamshid" and suggest_latin("پروین") == "Parwin"
    assert suggest_latin("Ҷамшед Қодиров") == "Jamshed Qodirov"  # a Tajik list without Latin names
    assert suggest_latin("") is None and suggest_latin("  ") is None


def test_a_dari_only_list_imports_with_suggested_latin_names(app, session, make, tmp_path):
    make.camp("KHR")
    path = tmp_path / "border-list-dari.csv"
    path.write_bytes(_csv(DARI_ONLY))
    result = app.test_cli_runner().invoke(args=["registration", "import", str(path), "--camp", "KHR", "--commit"])
    assert result.exit_code == 0, result.output
    assert "Latin names suggested from the original script for 5 people" in result.output
    assert "Imported 2 households (5 people) as pending" in result.output
    people = session.scalars(select(Person).order_by(Person.id)).all()
    assert all(p.latin_suggested and p.given_name.isascii() and p.given_name for p in people)
    names = {(p.given_name, p.father_name, p.family_name) for p in people}
    assert ("Habibullah", "Ghulam Sakhi", "Ahmadzai") in names
    assert ("Abdul Rahman", "Habibullah", "Ahmadzai") in names
    assert ("Mohammad Nabi", "Abdul Karim", "Ahmadzai") in names
    head = next(p for p in people if p.given_name == "Habibullah")
    assert (head.given_name_orig, head.father_name_orig, head.family_name_orig) == ("حبیب الله", "غلام سخی", "احمدزی")


def test_imported_names_are_searchable_and_marked_for_the_desk(app, client, login_as, session, make, tmp_path):
    make.camp("KHR")
    path = tmp_path / "border-list-dari.csv"
    path.write_bytes(_csv(DARI_ONLY))
    assert (
        app.test_cli_runner().invoke(args=["registration", "import", str(path), "--camp", "KHR", "--commit"]).exit_code
        == 0
    )
    nabi = session.scalar(select(Household).join(Person).where(Person.given_name == "Mohammad Nabi"))
    user = login_as("registration_clerk", "KHR")
    for typed in ("Mohammad Nabi Ahmadzai", "Мухаммад Наби", "محمد نبی", "Ahmadzai 1981"):
        assert nabi.number in [h.number for h in search.search(session, user, typed).households], typed
    page = client.get(f"/households/{nabi.number}").data.decode()
    assert page.count("suggested — check with the person") == 2
    desk = client.get(f"/register?pending={nabi.number}").data.decode()
    assert "check the spelling with each person" in desk and "Mohammad Nabi" in desk


def test_arabic_script_under_the_latin_headers_is_moved_and_suggested(session, make):
    from datetime import date

    from registration.imports.services import validate_file

    camp = make.camp("KHR")
    header = [h.removesuffix("_orig") for h in HEADER]  # a list that puts its Dari names under the usual headers
    report = validate_file(session, None, camp, "list.csv", _csv(DARI_ONLY[3:], header), date(2026, 6, 1))
    assert not report.problems and report.households_ok == 1 and report.people_suggested == 2
    head = report.valid[0].members[0].names
    assert (head["given_name"], head["given_name_orig"]) == ("Mohammad Nabi", "محمد نبي")


def test_a_list_with_latin_names_is_not_marked(app, session, make, tmp_path):
    make.camp("KHR")
    rows = [["B-1", "head", "Karim", "کریم", "Nabi", "m", "1970", "2026-05-20"]]
    path = tmp_path / "latin.csv"
    path.write_bytes(
        _csv(
            rows,
            [
                "household_ref",
                "relationship",
                "given_name",
                "given_name_orig",
                "father_name",
                "sex",
                "born",
                "arrival_date",
            ],
        )
    )
    result = app.test_cli_runner().invoke(args=["registration", "import", str(path), "--camp", "KHR", "--commit"])
    assert result.exit_code == 0 and "suggested" not in result.output
    assert session.scalars(select(Person.latin_suggested)).all() == [False]
