"""Is this the same person? Blocking keys and a pairwise score for Afghan names in three scripts.

Pure functions: no database, no Flask. The registration desk stores ``block_keys`` of every person in an
indexed table, looks a new person's keys up there and ``compare``s each candidate.

The score adds up evidence in bits (log2 likelihood ratios, Fellegi-Sunter style) for the given,
father's and family name, sex, birth date (with its precision) and tazkira number, and turns the sum
into 0..1. A name is compared by the most trustworthy forms both records have: Latin or Cyrillic
spellings with their vowels first, then Arabic script with Arabic script, and only when one side has
nothing else, a vocalised spelling with Arabic script (which shows long vowels only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Final, Literal, NamedTuple

from rapidfuzz.distance import OSA, LCSseq, Levenshtein

from registration.names import (
    analyse,
    arabic_of,
    collapse,
    compound_keys,
    compound_rest,
    consistent_key,
    name_tokens,
    normalise_tazkira,
    skeleton,
    skeleton_of,
    to_ascii,
    vocal_of,
)

__all__ = [
    "KEYS_VERSION",
    "REASONS",
    "THRESHOLD",
    "Comparison",
    "NameRecord",
    "block_keys",
    "compare",
    "name_tokens",
    "normalise_tazkira",
    "plausible",
    "search_keys",
    "skeleton",
    "to_ascii",
]

#: ``compare(...).same`` when the score reaches this (one global constant; the weights below set the scale)
THRESHOLD = 0.5
#: bumped whenever block_keys changes: keys stored under another version must be computed again
KEYS_VERSION = 3
#: every phrase ``Comparison.reasons`` can hold (for translations in the interface)
REASONS = (
    "tazkira equal",
    "tazkira nearly equal",
    "tazkira different",
    "no names to compare",
    "given and family names swapped",
    "given and father names swapped",
    "given name partly equal",
    *(
        f"{field} name {level}"
        for field in ("given", "father", "family")
        for level in ("equal", "close", "similar", "different", "missing")
    ),
    "birth date equal",
    "birth date one part differs",
    "birth month matches",
    "birth year matches",
    "birth year within estimate",
    "birth year near estimate",
    "birth dates near",
    "birth dates apart",
    "birth dates far apart",
    "sex equal",
    "sex different",
)


@dataclass(frozen=True)
class NameRecord:
    given: str | None  # Latin letters as typed, may hold two words ("Abdul Rahman")
    given_orig: str | None  # original script: Dari/Pashto Arabic script, or Tajik Cyrillic
    father: str | None
    father_orig: str | None
    family: str | None  # often absent (standards.md §7)
    family_orig: str | None
    sex: str  # 'f' or 'm'
    birth_date: dt.date
    birth_precision: str  # 'day', 'month', 'year' or 'age' (year/age: 1 July of the year)
    tazkira: str | None = None  # Afghan ID number, 13 digits when e-tazkira, maybe typed with dashes

    @classmethod
    def of(
        cls,
        names: Mapping[str, str | None],
        sex: str,
        birth_date: dt.date,
        birth_precision: str,
        tazkira: str | None = None,
    ) -> NameRecord:
        """From the name columns of a person, keyed as in the database (``given_name``, ``given_name_orig`` ...)."""
        given, given_orig, father, father_orig, family, family_orig = (
            names[f"{name}{script}"]
            for name in ("given_name", "father_name", "family_name")
            for script in ("", "_orig")
        )
        return cls(
            given, given_orig, father, father_orig, family, family_orig, sex, birth_date, birth_precision, tazkira
        )


@dataclass(frozen=True)
class Comparison:
    score: float  # 0..1
    same: bool  # score >= THRESHOLD (or the same tazkira)
    reasons: tuple[str, ...]  # short English phrases, e.g. 'given name similar'
    #: each reason's weight of evidence in bits (log2 of how much likelier it is for one person than
    #: for two): 'given name equal' +6.5, 'birth dates far apart' -12; they add up to the score
    weights: tuple[float, ...] = ()


# ---------------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------------
EXACT, CLOSE, SIMILAR, DIFFERENT = 3, 2, 1, 0
_LEVEL_WORDS = {EXACT: "equal", CLOSE: "close", SIMILAR: "similar", DIFFERENT: "different"}
_VOWELS = b"aiuV"
_VOWELS_WY = b"aiuVwy"
#: how alike two Latin spellings may count when their Arabic-script spellings are this alike
_ARABIC_CAP = {SIMILAR: CLOSE, DIFFERENT: DIFFERENT}


class _Name(NamedTuple):
    """The comparable forms of one name field, computed once per spelling."""

    vocal: tuple[str, ...]  # vocal keys of the Latin and Cyrillic spellings (Abd- folded and not)
    typed: tuple[str, ...]  # those spellings letter for letter, where a typo is one edit
    arabic: str | None  # arabic_key of the Arabic-script spelling
    latin: bool  # a Latin spelling was typed
    skeletons: tuple[str, ...]  # the Latin one first; the original script's when it differs
    rest: _Name | None = None  # without a leading Mohammad/Abdul/Ghulam (Mohammad Nabi > Nabi)
    cross: tuple[str, ...] = ()  # vocal keys and readings only tried against Arabic script (Farzona: a for o)


@lru_cache(maxsize=16384)
def _consonants(key: str) -> str:
    """A key's consonants: vowels go, and w and y too unless they start the name (Daud, Dawud)."""
    consonants = key[:1].encode().translate(None, _VOWELS) + key[1:].encode().translate(None, _VOWELS_WY)
    return collapse(consonants.decode())


@lru_cache(maxsize=16384)
def _skeletons(latin: str | None, orig: str | None) -> tuple[str, ...]:
    """The field's skeletons: the Latin spelling's first, the original script's when it differs."""
    skeletons = []
    for text in (latin, orig):
        if not text:
            continue
        word = analyse(text)[1]
        for form in (word, _without_dzh(word)):
            if (skel := skeleton_of(form)) and skel not in skeletons:
                skeletons.append(skel)
    return tuple(skeletons)


def _without_dzh(word: str) -> str:
    """Russian spelling writes Tajik ҷ and Dari ج as дж, and Latin after it Dj or Dzh (Джамшед, Djamshed,
    Dzhuma): the folded name with that read as one j. Kept as a second form, not instead: in a joined
    -jon compound the d is the first name's (Ахмаджон, Ahmadjon)."""
    return word.replace("dj", "j") if "dj" in word else word


@lru_cache(maxsize=16384)
def _name(latin: str | None, orig: str | None) -> _Name | None:
    """A name field's forms, None when it holds no letters."""
    skeletons = _skeletons(latin, orig)
    if not skeletons:
        return None
    vocal, typed, arabic, has_latin, cross = [], [], None, False, []
    for text in (latin, orig):
        if not text:
            continue
        script, word, letters = analyse(text)
        if script == "arabic":
            arabic = arabic_of(word) or None
        elif letters:
            vocal.append(vocal_of(word, tajik=script == "cyrillic"))
            if script == "cyrillic":  # о is usually the Dari long a, but a Pashto o in Попалзай, Ҳотак
                vocal.append(vocal_of(word, tajik=False))
                if "x" in word or "C" in word:  # typed on a Russian keyboard: х ч may be ҳ ҷ
                    vocal.append(vocal_of(word.replace("x", "h").replace("C", "j"), tajik=True))
            if "bd" in word[:3]:
                vocal.append(vocal_of(word, tajik=script == "cyrillic", abd=False))
            if "dj" in word:  # Джамшед, Djamshed, Dzhuma: дж for ҷ
                vocal.append(vocal_of(_without_dzh(word), tajik=script == "cyrillic"))
            if script == "latin" and "x" in word:  # Latin after Russian spelling: Mukhammad (х for ҳ)
                vocal.append(vocal_of(word.replace("x", "h"), tajik=False))
            if script == "latin" and "o" in word:  # Latin after Tajik spelling: Farzona (о for the long a)
                cross.append(vocal_of(word.replace("x", "h"), tajik=True))
            typed.append(letters)
            has_latin = has_latin or script == "latin"
    rest_latin, rest_orig = compound_rest(latin), compound_rest(orig)
    rest = _name(rest_latin, rest_orig) if rest_latin or rest_orig else None
    return _Name(
        tuple(dict.fromkeys(vocal)),
        tuple(typed),
        arabic,
        has_latin,
        skeletons,
        rest,
        tuple(dict.fromkeys(vocal + cross)),
    )


def _vocal_level(a: str, b: str) -> int:
    """Two vocalised spellings: one vowel apart is a spelling variant, any other single edit maybe a typo."""
    if a == b:
        return EXACT
    distance = Levenshtein.distance(a, b, score_cutoff=2)
    if distance > 2:
        return DIFFERENT
    same_consonants = _consonants(a) == _consonants(b)
    if distance == 1:
        return CLOSE if same_consonants else SIMILAR
    if OSA.distance(a, b, score_cutoff=1) == 1:
        return SIMILAR
    return SIMILAR if same_consonants and min(len(a), len(b)) >= 6 else DIFFERENT


def _typed_level(x: _Name, y: _Name) -> int:
    """SIMILAR when the spellings as typed are one keystroke apart (a typo can upset the folding)."""
    near = any(OSA.distance(a, b, score_cutoff=1) <= 1 for a in x.typed for b in y.typed)
    return SIMILAR if near else DIFFERENT


def _arabic_level(a: str, b: str) -> int:
    """Two Arabic-script spellings: one letter apart may be a variant or another name.

    A long vowel more or less is another name (حسن Hassan, حسین Hussain; محمد, محمود): doubled
    letters are already one (داود, داوود), so a variant spelling seldom differs that way.
    """
    if a == b:
        return EXACT
    if OSA.distance(a, b, score_cutoff=1) != 1:
        return DIFFERENT
    if len(a) != len(b):
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        extra = next((x for x, y in zip(longer, shorter + " ", strict=True) if x != y), longer[-1])
        if extra in "aiu":
            return DIFFERENT
    return SIMILAR


def _cross_level(vocal: str, arabic: str) -> int:
    """A vocalised spelling (as Arabic script would show it) against Arabic script. At best CLOSE.

    Every letter of the Arabic form must appear, in order, in the spelling: "Mahmud" fits محمد and
    محمود, "Mohammad" only محمد; and a spelling that starts with a vowel needs a leading alef or ع
    (Ehsan احسان, Hassan حسن). A final ی may be read as a (موسی, Musa).
    """
    shown, written = consistent_key(vocal), arabic
    if written.endswith("i") and shown.endswith("a"):
        written = written[:-1] + "a"
    missing = len(written) - LCSseq.similarity(written, shown) + (shown[:1] == "V" != written[:1])
    consonants_differ = OSA.distance(_consonants(arabic), _consonants(shown), score_cutoff=2)
    if consonants_differ == 0:  # then a missing letter is a long vowel the spelling cannot have: another name
        return CLOSE if missing == 0 else DIFFERENT
    return SIMILAR if missing <= 1 and consonants_differ == 1 else DIFFERENT


@lru_cache(maxsize=1 << 17)
def _name_level(x: _Name | None, y: _Name | None) -> int | None:
    """How alike two name fields are (EXACT..DIFFERENT), None when one is missing."""
    if x is None or y is None:
        return None
    if x.arabic is not None and x.arabic == y.arabic:
        return EXACT
    vocal = max((_vocal_level(a, b) for a in x.vocal for b in y.vocal), default=None)
    if vocal == DIFFERENT:
        vocal = _typed_level(x, y)
    arabic = _arabic_level(x.arabic, y.arabic) if x.arabic is not None and y.arabic is not None else None
    if x.latin and y.latin:
        # Both spelt in Latin: trust that over script-crossing guesses, but a native writer's Arabic
        # script tells names apart that Latin letters blur (Jawad جواد, Jawid جاوید).
        assert vocal is not None  # every Latin spelling has a vocal key
        return vocal if arabic is None else min(vocal, _ARABIC_CAP[arabic])
    levels = [level for level in (vocal, arabic) if level is not None]
    if y.arabic is not None:
        levels += [_cross_level(spelling, y.arabic) for spelling in x.cross]
    if x.arabic is not None:
        levels += [_cross_level(spelling, x.arabic) for spelling in y.cross]
    return max(levels, default=DIFFERENT)


# ---------------------------------------------------------------------------------------------------
# Prepared records
# ---------------------------------------------------------------------------------------------------
#: half-width of the window an estimate (a stated age or birth year) covers, in years
AGE_SLACK_YEARS = 1


class _Prepared(NamedTuple):
    given_keys: tuple[str, ...]  # blocking skeletons of each name (with and without compound parts)
    father_keys: tuple[str, ...]
    family_keys: tuple[str, ...]
    given: _Name | None
    father: _Name | None
    family: _Name | None
    sex: str
    precision: str
    day: dt.date
    low: int  # the birth window, as proleptic ordinals
    high: int
    year: int
    tazkira: str | None


def _birth_window(born: dt.date, precision: str) -> tuple[int, int]:
    if precision == "day":
        return born.toordinal(), born.toordinal()
    if precision == "month":
        following = dt.date(born.year + born.month // 12, born.month % 12 + 1, 1)
        return born.replace(day=1).toordinal(), following.toordinal() - 1
    slack = AGE_SLACK_YEARS if precision == "age" else 0
    return dt.date(born.year - slack, 1, 1).toordinal(), dt.date(born.year + slack, 12, 31).toordinal()


@lru_cache(maxsize=1 << 16)
def _prepare(rec: NameRecord) -> _Prepared:
    low, high = _birth_window(rec.birth_date, rec.birth_precision)
    return _Prepared(
        given_keys=_name_keys(rec.given, rec.given_orig),
        father_keys=_name_keys(rec.father, rec.father_orig),
        family_keys=_skeletons(rec.family, rec.family_orig),
        given=_name(rec.given, rec.given_orig),
        father=_name(rec.father, rec.father_orig),
        family=_name(rec.family, rec.family_orig),
        sex=rec.sex,
        precision=rec.birth_precision,
        day=rec.birth_date,
        low=low,
        high=high,
        year=rec.birth_date.year,
        tazkira=normalise_tazkira(rec.tazkira),
    )


# ---------------------------------------------------------------------------------------------------
# Blocking keys
# ---------------------------------------------------------------------------------------------------
#: birth years are grouped in buckets this wide; each record files its keys under the buckets of year-1
#: and year+1, so that two records whose years are up to two apart always share one (estimated ages)
YEAR_BUCKET = 3


@lru_cache(maxsize=1 << 16)
def _name_keys(latin: str | None, orig: str | None) -> tuple[str, ...]:
    """A name field's blocking skeletons: as written (Latin and original script) and without a leading
    Mohammad/Abdul/Ghulam part (Mohammad Nabi > nb, for a record that gives only Nabi)."""
    keys = list(_skeletons(latin, orig))
    for skel in keys[:1]:
        keys.extend(k for k in sorted(compound_keys(skel)) if k not in keys)
    rest = compound_rest(latin) or compound_rest(orig)
    if rest and (skel := skeleton(rest)) and skel not in keys:
        keys.append(skel)
    return tuple(keys)


def _year_buckets(year: int) -> set[int]:
    return {(year - 1) // YEAR_BUCKET, (year + 1) // YEAR_BUCKET}


def tazkira_keys(tazkira: str) -> set[str]:
    """The number and its deletion neighbourhood (each digit left out in turn): two numbers one typed
    digit, one left-out digit or two swapped neighbours apart share a key."""
    keys = {f"tz:{tazkira[:40]}"}
    if 6 <= len(tazkira) <= 20:
        keys.add(f"td:{tazkira}")  # meets the longer number with one digit left out
        keys.update(f"td:{tazkira[:i]}{tazkira[i + 1 :]}" for i in range(len(tazkira)))
    return keys


def block_keys(rec: NameRecord) -> set[str]:
    """Short keys; two records of one person share at least one in all but rare cases.

    ``gp:`` given and father skeletons, sorted (the order gets swapped)|sex, ``gf:`` given and family
    sorted|sex, ``ny:`` given or father's name|sex|year bucket (either name, since they get swapped;
    years within two of each other always share a bucket: estimated ages), ``tz:``/``td:`` the tazkira
    and its one-digit-off neighbours. Names are script-, keyboard- and spacing-insensitive skeletons, with and without a
    leading Mohammad/Abdul/Ghulam. Each key combines two names or a name and a year, so no key is as
    common as a single popular name; sex costs no recall, since compare never matches people of
    different sex.
    """
    keys = set()
    given = _name_keys(rec.given, rec.given_orig)
    father = _name_keys(rec.father, rec.father_orig)
    family = _skeletons(rec.family, rec.family_orig)[:1]
    buckets = _year_buckets(rec.birth_date.year)
    sex = rec.sex
    for g in given:
        for f in father:
            keys.add("gp:" + "|".join(sorted((g, f))) + f"|{sex}")
        for f in family:
            keys.add("gf:" + "|".join(sorted((g, f))) + f"|{sex}")
        keys.update(f"ny:{g}|{sex}|{b}" for b in buckets)
    for f in father:
        keys.update(f"ny:{f}|{sex}|{b}" for b in buckets)
    if tazkira := normalise_tazkira(rec.tazkira):
        keys |= tazkira_keys(tazkira)
    return keys


@lru_cache(maxsize=1 << 18)
def _near(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """Two name fields' skeletons within two edits (a missing name is near anything)."""
    return not x or not y or any(Levenshtein.distance(a, b, score_cutoff=2) <= 2 for a in x for b in y)


def prepare(rec: NameRecord) -> _Prepared:
    """A record's comparable forms, computed once; for ``plausible_prepared`` and ``compare_prepared``."""
    return _prepare(rec)


def plausible(a: NameRecord, b: NameRecord) -> bool:
    """Could ``compare`` call these two the same person? A cheap test before it, for pairs that share a key.

    False only when ``compare`` could not reach its threshold: births more than three years apart
    (without the same tazkira or a slip of the pen in one part of the date), or names that share a
    key yet differ elsewhere beyond a typo or a swap (the given names near and the father's or family
    names near, or the names near crosswise).
    """
    return plausible_prepared(_prepare(a), _prepare(b))


def plausible_prepared(pa: _Prepared, pb: _Prepared) -> bool:
    """``plausible`` of two prepared records."""
    if pa.tazkira and pb.tazkira and OSA.distance(pa.tazkira, pb.tazkira, score_cutoff=1) <= 1:
        return True
    if max(pa.low, pb.low) - min(pa.high, pb.high) > 3 * _DAYS_PER_YEAR and not (
        pa.precision == pb.precision == "day" and _date_typo(pa.day, pb.day)
    ):
        return False
    given = _near(pa.given_keys, pb.given_keys)
    if given and (
        _near(pa.father_keys, pb.father_keys)
        or (pa.family_keys and pb.family_keys and _near(pa.family_keys, pb.family_keys))
    ):
        return True
    return bool(
        (_near(pa.given_keys, pb.father_keys) and _near(pa.father_keys, pb.given_keys))
        or (
            pa.family_keys
            and pb.family_keys
            and _near(pa.given_keys, pb.family_keys)
            and _near(pa.family_keys, pb.given_keys)
        )
    )


def search_keys(text: str) -> set[str]:
    """Keys for a typed name search ("Mohammad Karimi", "محمد کریم", "Муҳаммад Каримӣ") in the block_keys index.

    The words are split every way into two parts (given + father, or given + family) and into three
    (given + father + family); a single word gives no key, since a lone given name is too common to
    look up this way (search those with LIKE on the names instead).
    """
    words = text.split()[:5]
    pairs = set()  # (given, father) and (given, family) skeletons
    for cut in range(1, len(words)):
        pairs.add((skeleton(" ".join(words[:cut])), skeleton(" ".join(words[cut:]))))
    for i, j in combinations(range(1, len(words)), 2):
        given, father, family = (skeleton(" ".join(part)) for part in (words[:i], words[i:j], words[j:]))
        pairs |= {(given, father), (given, family)}
    return {
        key
        for first, second in pairs
        if first and second
        for sex in "fm"
        for key in (
            "gp:" + "|".join(sorted((first, second))) + f"|{sex}",
            "gf:" + "|".join(sorted((first, second))) + f"|{sex}",
        )
    }


# ---------------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------------
# Bits of evidence for each outcome. Agreement is worth about log2(m/u): two random people share a
# given name about once in a hundred, a father's name too, a family name (shared by whole clans)
# about once in ten among those who have one. A one-letter difference is as often a different name
# (Hamid, Wahid) as a typo, so it is worth little; a different name argues strongly against.
GIVEN_BITS = {EXACT: 6.5, CLOSE: 5.0, SIMILAR: 1.5, DIFFERENT: -9.0, None: 0.0}
FATHER_BITS = {EXACT: 5.0, CLOSE: 4.0, SIMILAR: 1.0, DIFFERENT: -9.0, None: 0.0}
FAMILY_BITS = {EXACT: 3.0, CLOSE: 2.5, SIMILAR: 0.5, DIFFERENT: -7.0, None: 0.0}
#: a family name in one record only: most people who have one give it every time
FAMILY_ONE_SIDED_BITS = -1.5
#: a father's name in one record only: given name, sex and a birth year alone are not enough
FATHER_ONE_SIDED_BITS = -1.0
SWAP_BITS = -1.0
#: one record's given name is the other's without a leading Mohammad/Abdul/Ghulam (Mohammad Nabi, Nabi)
GIVEN_PARTIAL_BITS = 3.5
#: tazkira numbers one typed digit apart: strong, but family members' numbers can be issued in sequence
TAZKIRA_NEAR_BITS = 3.0
#: no name field that both records have: a birth date and sex alone never make a match
NO_NAMES_BITS = -20.0
SEX_BITS = {True: 1.0, False: -12.0}
TAZKIRA_DIFFERENT_BITS = -12.0
#: evidence a pair needs before the score reaches one half (prior odds of a candidate pair, in bits)
PRIOR_BITS = -10.0
_DAYS_PER_YEAR = 365.25
#: birth precisions that are estimates: a year given or an age stated, ±2 years is normal practice
_ESTIMATES = frozenset({"year", "age"})


PARTIAL: Final = "partial"
#: a name level (EXACT..DIFFERENT), PARTIAL for a given name partly equal, None when a name is missing
_Level = int | Literal["partial"] | None


@lru_cache(maxsize=1 << 16)
def _partial(x: _Name | None, y: _Name | None) -> bool:
    """One given name is the other without its leading Mohammad/Abdul/Ghulam part."""
    if x is None or y is None:
        return False
    return any(
        rest is not None and (_name_level(rest, other) or 0) >= CLOSE for rest, other in ((x.rest, y), (y.rest, x))
    )


def _given_bits(level: _Level) -> float:
    return GIVEN_PARTIAL_BITS if level == PARTIAL else GIVEN_BITS[level]


Evidence = list[tuple[str, float]]  # (reason, bits) in the order shown


def _names_bits(a: _Prepared, b: _Prepared) -> Evidence:
    """The names' evidence: given, father's and family name, each with its bits (or a swap's)."""
    given: _Level
    given, father, family = (
        _name_level(a.given, b.given),
        _name_level(a.father, b.father),
        _name_level(a.family, b.family),
    )
    if given is None and father is None and family is None:
        return [("no names to compare", NO_NAMES_BITS)]
    if given is not None and given <= SIMILAR and _partial(a.given, b.given):
        given = PARTIAL
    given_bits = _given_bits(given)
    father_item = (
        _reason("father", father, a.father, b.father),
        FATHER_ONE_SIDED_BITS if (a.father is None) != (b.father is None) else FATHER_BITS[father],
    )
    family_item = (
        _reason("family", family, a.family, b.family),
        FAMILY_ONE_SIDED_BITS if (a.family is None) != (b.family is None) else FAMILY_BITS[family],
    )
    if a.family is not None and b.family is not None and (given != EXACT or family != EXACT):
        crossed = _name_level(a.given, b.family), _name_level(a.family, b.given)
        first, second = (
            max(crossed, key=lambda level: -1 if level is None else level),
            min(crossed, key=lambda level: -1 if level is None else level),
        )
        if GIVEN_BITS[first] + FAMILY_BITS[second] + SWAP_BITS > given_bits + family_item[1]:
            given, given_bits = first, GIVEN_BITS[first]
            family_item = ("given and family names swapped", FAMILY_BITS[second] + SWAP_BITS)
    swapped_family = family_item[0] == "given and family names swapped"
    if not swapped_family and a.father is not None and b.father is not None and (given != EXACT or father != EXACT):
        crossed = _name_level(a.given, b.father), _name_level(a.father, b.given)
        # both names must meet their swapped counterpart: one name alone is a son named after a grandfather
        if (
            None not in crossed
            and min(level or DIFFERENT for level in crossed) >= CLOSE
            and (GIVEN_BITS[crossed[1]] + FATHER_BITS[crossed[0]] + SWAP_BITS > given_bits + father_item[1])
        ):
            given, given_bits = crossed[1], GIVEN_BITS[crossed[1]]
            father_item = ("given and father names swapped", FATHER_BITS[crossed[0]] + SWAP_BITS)
    items = [(_reason("given", given, a.given, b.given), given_bits), father_item, family_item]
    return [(reason, bits) for reason, bits in items if reason]


def _reason(field: str, level: _Level, x: _Name | None, y: _Name | None) -> str | None:
    """'given name close'; 'family name missing' when only one record has it, nothing when neither does."""
    if level is None:
        return f"{field} name missing" if (x is None) != (y is None) else None
    if level == PARTIAL:
        return "given name partly equal"
    return f"{field} name {_LEVEL_WORDS[level]}"


def _date_typo(a: dt.date, b: dt.date) -> bool:
    """One slip of the pen: one part of the date wrong, or day and month swapped."""
    same_parts = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    return same_parts == 2 or (a.year == b.year and a.month == b.day and a.day == b.month)


def _birth_bits(a: _Prepared, b: _Prepared) -> tuple[float, str]:
    if a.precision == "day" and b.precision == "day":
        if a.day == b.day:
            return 9.0, "birth date equal"
        if _date_typo(a.day, b.day):
            return 2.0, "birth date one part differs"
    gap = max(a.low, b.low) - min(a.high, b.high)
    if gap <= 0:
        loosest = max(a.high - a.low, b.high - b.low)
        if loosest <= 31:
            return 6.0, "birth month matches"
        return (4.0, "birth year matches") if loosest <= 366 else (2.5, "birth year within estimate")
    if a.precision in _ESTIMATES and b.precision in _ESTIMATES and abs(a.year - b.year) <= 2:
        # two estimates (a year given, an age stated) one or two years apart: normal for refugees' ages
        return (1.0, "birth year within estimate") if abs(a.year - b.year) == 1 else (-1.5, "birth year near estimate")
    if gap <= _DAYS_PER_YEAR:  # an estimate can be three years off; exact dates should have matched
        estimated = _ESTIMATES & {a.precision, b.precision}
        return (-1.5, "birth year near estimate") if estimated else (-3.0, "birth dates near")
    if gap <= 3 * _DAYS_PER_YEAR:
        return -7.0, "birth dates apart"
    return -12.0, "birth dates far apart"


def compare(a: NameRecord, b: NameRecord) -> Comparison:
    """How likely ``a`` and ``b`` are one person, and why."""
    return compare_prepared(_prepare(a), _prepare(b))


def compare_prepared(pa: _Prepared, pb: _Prepared) -> Comparison:
    """``compare`` of two prepared records."""
    evidence = _names_bits(pa, pb)
    bits, reason = _birth_bits(pa, pb)
    evidence.append((reason, bits))
    evidence.append(("sex equal", SEX_BITS[True]) if pa.sex == pb.sex else ("sex different", SEX_BITS[False]))
    same_tazkira = bool(pa.tazkira and pa.tazkira == pb.tazkira)
    if pa.tazkira and pb.tazkira and not same_tazkira:
        near = OSA.distance(pa.tazkira, pb.tazkira, score_cutoff=1) <= 1
        evidence.insert(
            0, ("tazkira nearly equal", TAZKIRA_NEAR_BITS) if near else ("tazkira different", TAZKIRA_DIFFERENT_BITS)
        )
    elif same_tazkira:
        evidence.insert(0, ("tazkira equal", 0.0))
    bits = sum(weight for _reason, weight in evidence)
    score = 1.0 / (1.0 + 2.0 ** -(bits + PRIOR_BITS))
    if same_tazkira:
        score = max(score, 0.99)
    return Comparison(
        score=round(score, 4),
        same=same_tazkira or score >= THRESHOLD,
        reasons=tuple(reason for reason, _bits in evidence),
        weights=tuple(weight for _reason, weight in evidence),
    )
