"""Static name and place data for the deterministic demo-data generator, read from ``app/demo/data/*.csv``
(lines there that start with ``#`` are notes).

Name tuples have the shape ``(latin, arabic_script, tajik_cyrillic)``:

* ``latin`` -- the common English transliteration used by UNHCR / Afghan
  documents (e.g. "Mohammad").
* ``arabic_script`` -- the Dari/Pashto spelling as Afghans write it, with the
  Persian letters ک (U+06A9) and ی (U+06CC), never Arabic ك (U+0643) or
  ي (U+064A).  A final feminine -a is written with ه, never ة.  Compound
  names built on "-ullah" follow Persian orthography: after a joining letter
  the two parts are separated by a zero-width non-joiner (U+200C, invisible
  in the data files, e.g. "حبیب\\u200cالله"); after a non-joining letter (د ر ء ...)
  they are simply written together (e.g. "اسدالله").  Pashto-only letters
  (ړ, ځ ...) appear only where the name is normally written that way.
* ``tajik_cyrillic`` -- how a Tajik registration clerk would write the name in
  Tajik Cyrillic (ҳ ҷ ғ қ ӣ ӯ), following Tajik name conventions: Arabic/Persian
  long a -> о (Раҳмон, Фотима), nisba -i -> ӣ (Каримӣ), -ullah -> -улло.

All strings are NFC.  No list contains duplicates.
"""

from __future__ import annotations

import csv
from pathlib import Path

_DATA = Path(__file__).with_name("data")


def _rows(name: str) -> list[tuple[str, ...]]:
    """The rows of ``data/<name>.csv`` below its header line, without the notes."""
    with (_DATA / f"{name}.csv").open(encoding="utf-8", newline="") as file:
        lines = [line for line in file if line.strip() and not line.startswith("#")]
    return [tuple(row) for row in csv.reader(lines[1:])]


MALE_GIVEN = tuple(_rows("male_given"))
FEMALE_GIVEN = tuple(_rows("female_given"))
#: family, tribal and place-derived names
FAMILY_NAMES = tuple(_rows("family_names"))


#: alternative Latin spellings (canonical -> other common spellings); every key is a latin value in
#: MALE_GIVEN, FEMALE_GIVEN or FAMILY_NAMES
def _variants() -> dict[str, tuple[str, ...]]:
    variants: dict[str, tuple[str, ...]] = {}
    for latin, variant in _rows("latin_variants"):
        variants[latin] = (*variants.get(latin, ()), variant)
    return variants


LATIN_VARIANTS = _variants()

#: relative likelihood that a household crossing into Tajikistan comes from each province (P-code)
ORIGIN_WEIGHTS = {code: int(weight) for code, weight, _name in _rows("origin_weights")}
