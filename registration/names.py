"""THE name normaliser: names in any script reduced to comparable forms (recipes.md §5).

Matching, search, import and the desk all call this module, so that anything the matcher equates,
search finds. The public API:

* ``fold(text)``: the text as typed, tidied for comparing and storing: NFKC, lower case, Arabic
  keyboard variants unified (ي ى ۍ > ی, ك > ک, ة ۀ > ه, أ إ ٱ > ا), ZWNJ/ZWJ, tatweel and short-vowel
  marks removed, Tajik and Russian-keyboard Cyrillic made one (ҳ ҷ қ ғ ӯ ӣ > х ч к г у и: the only
  direction that is certain, since х may be a real kh), hyphens, dots and runs of spaces to one space.
  ``fold('Ҳабибулло') == fold('Хабибулло')``, ``fold('علي') == fold('علی')``.
* ``name_key(text)``: one short ASCII key for a whole name, the same in Latin, Cyrillic (Tajik or
  Russian keyboard) and Dari/Pashto script, whatever the spacing or joining of compounds
  (``Abdul Rahman``, ``Abdurrahman``, ``عبد الرحمن``, ``Абдураҳмон`` > ``bdrhmn``). Coarse on
  purpose (Mahmud and Mohammad share ``mhmd``): it finds candidates, ``matching.compare`` decides.
* ``name_keys(text)``: ``name_key`` plus the key without a leading Mohammad/Muhammad, Abdul-/Abd-
  or Ghulam part (``Mohammad Nabi`` > ``{'mhmdnb', 'nb'}``), for names given with and without it.
* ``name_tokens(text)``: the name's ASCII words (``Абдураҳмон Каримӣ`` > ``['abdurahmon', 'karimi']``).
* ``to_ascii(text)``: a readable lower-case Latin transliteration.

Russian-keyboard Cyrillic: on a Russian keyboard a Tajik clerk types х ч к г у и for ҳ ҷ қ ғ ӯ ӣ.
The keys treat х/ҳ (kh/h) and ч/ҷ (ch/j) as one letter; қ/к, ғ/г, ӯ/у, ӣ/и fold anyway.

One name field can arrive as ``"Abdul Rahman"``, ``"عبدالرحمن"`` or ``"Абдураҳмон"``:

* ``to_ascii`` is a readable transliteration. Dari/Pashto letters are read the Dari way (ذ ض ظ > z,
  ث ص > s, ع and ء dropped) rather than by ICU's Arabic rules (ʿ, dh, th), Cyrillic the way Afghan
  names are written in Latin letters (х > kh, ш > sh, й > y); ICU ``Any-Latin`` takes every other script.
* The keys below work on ``folded`` text, where each sound is one symbol whatever the script
  (kh/خ/х > x, sh/ش/ш > S, ch > C, gh > g, zh > j, th > s, dh > z, q > k, v > w), so that ز+ه in
  زهرا is not read as "zh". Latin digraphs are folded word by word ("Mohammad Hashim" has no "dh").
* ``skeleton``: consonants only, the same for a name in any script in most cases (``bdrhmn``). It is
  for blocking: Mahmud and Mohammad share ``mhmd``, so it never decides a match.
* ``vocal_key``: Latin and Cyrillic spellings with the vowels folded to a / i / u (Mohammed,
  Muhammad, Муҳаммад > ``muhamad``).
* ``arabic_key``: Arabic script writes only the long vowels (ا و ی); it keeps them as vowel classes
  (``محمود`` > ``mhmud``), and ``consistent_key`` shows a vocalised spelling the same way, so that
  ``محمود`` can be told from "Mohammad" but not from "Mahmud".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu

#: Tajik and Russian Cyrillic, spelt the way Afghan names are usually written in Latin letters
CYRILLIC_TO_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "gh",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "ӣ": "i",
    "й": "y",
    "і": "i",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ӯ": "u",
    "ў": "u",
    "ф": "f",
    "х": "kh",
    "ҳ": "h",
    "ц": "ts",
    "ч": "ch",
    "ҷ": "j",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
#: Dari and Pashto letters as Dari speakers say them; short-vowel marks, tatweel and joiners vanish
_ARABIC = {
    "ا": "a",
    "آ": "a",
    "أ": "a",
    "إ": "a",
    "ٱ": "a",
    "ء": "",
    "ئ": "y",
    "ؤ": "w",
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ث": "s",
    "ج": "j",
    "چ": "ch",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "z",
    "ر": "r",
    "ز": "z",
    "ژ": "zh",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "z",
    "ط": "t",
    "ظ": "z",
    "ع": "",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ک": "k",
    "ك": "k",
    "گ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "و": "w",
    "ه": "h",
    "ة": "h",
    "ۀ": "h",
    "ی": "y",
    "ي": "y",
    "ى": "y",
    "ې": "e",
    "ۍ": "y",
    "ټ": "t",
    "ډ": "d",
    "ړ": "r",
    "ږ": "zh",
    "ښ": "sh",
    "ځ": "z",
    "څ": "s",
    "ڼ": "n",
    "ګ": "g",
    "ـ": "",
    "\u200c": "",
    "\u200d": "",
    **{chr(c): "" for c in range(0x064B, 0x0660)},
    "\u0670": "",
}
#: the same letters as one symbol per sound (see the module docstring); ع ء ъ become a vowel-like '
_SYMBOLS = {
    **CYRILLIC_TO_LATIN,
    **_ARABIC,
    "х": "x",
    "خ": "x",
    "ш": "S",
    "ش": "S",
    "ښ": "S",
    "ч": "C",
    "چ": "C",
    "ғ": "g",
    "غ": "g",
    "ж": "j",
    "ژ": "j",
    "ږ": "j",
    "щ": "SC",
    "ъ": "'",
    "ع": "'",
    "ء": "'",
}
_ASCII_TABLE = str.maketrans(CYRILLIC_TO_LATIN | _ARABIC)
_SYMBOL_TABLE = str.maketrans(_SYMBOLS)
_ANY_LATIN = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")
_LATIN_DIGRAPHS = (
    ("kh", "x"),
    ("sh", "S"),
    ("ch", "C"),
    ("gh", "g"),
    ("zh", "j"),
    ("th", "s"),
    ("dh", "z"),
    ("ph", "f"),
)
_LATIN_LETTERS = (("q", "k"), ("v", "w"), ("c", "k"))
_NON_LETTERS = re.compile(r"[^a-z]+")
_NON_SYMBOLS = re.compile(r"[^a-zA-Z']+")
CYRILLIC_TO_LATIN_LETTER = re.compile(r"[\u0400-\u04ff]")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
# Abd-ul-/Abd-ur- compounds: "Abdul Rahman", "Abdurrahman", "عبدالرحمن", "Абдураҳмон" all start "abd"
_ABD = re.compile(r"^['a]bd[aeiou]?l?(?=[^aeiouy'])")
_VOWELS_WY = b"aeiouwy'"  # deleted with bytes.translate, many times faster than str.translate
_VOWEL_SPELLINGS = (("ee", "i"), ("ea", "ia"), ("oo", "u"), ("ou", "u"), ("o", "u"), ("e", "i"), ("'", ""))


#: Dari/Pashto keyboard variants, joiners and marks (Arabic-keyboard ي ك ة against Persian ی ک ه)
_ARABIC_VARIANTS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ۍ": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ـ": None,
        "\u200c": None,
        "\u200d": None,
        "\u200b": None,
        "\ufeff": None,
        **{chr(c): None for c in range(0x064B, 0x0660)},
        "\u0670": None,
    }
)
#: Tajik letters to what a Russian keyboard types for them
_TAJIK_TO_RUSSIAN = str.maketrans({"ҳ": "х", "ҷ": "ч", "қ": "к", "ғ": "г", "ӯ": "у", "ӣ": "и", "ў": "у", "і": "и"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,;:/\\·'`’ʼ]+")
#: leading parts of compound given names that one registration has and another leaves out (skeletons)
_COMPOUND_PREFIXES = ("mhmd", "mhd", "bd", "glm")


def fold(text: str | None) -> str:
    """The name tidied for comparing (see the module docstring): case, keyboard, joiners, spacing."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).lower().translate(_ARABIC_VARIANTS).translate(_TAJIK_TO_RUSSIAN)
    return _SEPARATORS.sub(" ", text).strip()


def name_key(text: str | None) -> str:
    """One script-, keyboard- and spacing-insensitive key of a whole name (the blocking skeleton)."""
    return skeleton(text) if text else ""


def name_keys(text: str | None) -> set[str]:
    """``name_key`` and the key without a leading Mohammad/Abdul/Ghulam part (when something is left)."""
    key = name_key(text)
    return compound_keys(key) if key else set()


def compound_keys(key: str) -> set[str]:
    """A skeleton and the same without a leading compound part (``mhmdnb`` > ``{'mhmdnb', 'nb'}``)."""
    keys = {key}
    for prefix in _COMPOUND_PREFIXES:
        if key.startswith(prefix) and len(key) - len(prefix) >= 2:
            keys.add(key[len(prefix) :])
            break
    return keys


#: leading parts of compound given names, as typed in each script (lower case; longest first)
_LEADING_PARTS = tuple(
    sorted(
        (
            "mohammad",
            "muhammad",
            "mohammed",
            "muhammed",
            "mohamad",
            "muhamad",
            "mohamed",
            "mukhammad",
            "mohd",
            "ghulam",
            "gulam",
            "муҳаммад",
            "мухаммад",
            "маҳаммад",
            "махаммад",
            "ғулом",
            "гулом",
            "محمد",
            "غلام",
        ),
        key=len,
        reverse=True,
    )
)
_ABD_PART = re.compile(r"^(?:abd|абд|عبد)\s*(?:[uoae]|[уоае])?(?:l|л|ال)?\s*")


@lru_cache(maxsize=1 << 15)
def compound_rest(text: str | None) -> str | None:
    """A compound given name without its leading Mohammad/Ghulam/Abdul part, None when it has none:
    ``Mohammad Nabi``, ``Muhammadnabi``, ``محمد نبی`` > ``nabi``/``نبی``; ``Abdul Rahman``,
    ``Abdurrahman``, ``Абдураҳмон``, ``عبدالرحمن`` > ``rahman``/``раҳмон``/``رحمن``."""
    if not text:
        return None
    word = _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", text).lower().translate(_ARABIC_VARIANTS)).strip()
    rest = None
    for part in _LEADING_PARTS:
        if word.startswith(part):
            rest = word[len(part) :].strip()
            break
    else:
        if match := _ABD_PART.match(word):
            rest = word[match.end() :]
            if len(rest) > 1 and rest[0] == rest[1]:  # Abdurrahman
                rest = rest[1:]
    if not rest or len(rest) < 3 or rest in ("allah", "ullah", "ulla", "улло", "الله", "لله"):
        return None
    return rest


def to_ascii(text: str) -> str:
    """Lower-case ASCII transliteration: NFKC, the tables above, then ICU for anything left."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_ASCII_TABLE)
    if text.isascii():
        return text
    latin: str = _ANY_LATIN.transliterate(text)  # PyICU has no type hints
    return latin.encode("ascii", "ignore").decode()  # ICU can leave ʿ and the like


def name_tokens(text: str) -> list[str]:
    """The ASCII words of a name (``"Абдураҳмон Каримӣ"`` > ``['abdurahmon', 'karimi']``)."""
    return _NON_LETTERS.sub(" ", to_ascii(text)).split()


def script_of(text: str) -> str:
    """``'arabic'`` (short vowels unwritten), ``'cyrillic'`` or ``'latin'`` (also any other script)."""
    if text.isascii():
        return "latin"
    if _ARABIC_LETTER.search(text):
        return "arabic"
    return "cyrillic" if CYRILLIC_TO_LATIN_LETTER.search(text) else "latin"


def collapse(word: str) -> str:
    """Doubled letters once (``muhammad`` > ``muhamad``); a loop is faster than a regex on short words."""
    out, previous = [], ""
    for letter in word:
        if letter != previous:
            out.append(letter)
            previous = letter
    return "".join(out)


@lru_cache(maxsize=16384)
def analyse(text: str) -> tuple[str, str, str]:
    """(script, folded, typed) of a name, each computed once.

    ``folded`` is the name as one word of sound symbols (spacing differs between scripts: "Dost Mohammad",
    "Дӯстмуҳаммад"); ``typed`` its plain ASCII letters, where a typo is one edit (empty for Arabic script,
    where it is not used).
    """
    if text.isascii():  # the common case, and NFKC cannot change ASCII
        return "latin", *_latin_forms(text.lower())
    text = unicodedata.normalize("NFKC", text).lower()
    script = script_of(text)
    if script == "latin":
        return script, *_latin_forms(to_ascii(text))
    symbols = text.translate(_SYMBOL_TABLE)
    if not symbols.isascii():
        symbols = "".join(ch if ch.isascii() else _ANY_LATIN.transliterate(ch) for ch in symbols)
    typed = "" if script == "arabic" else "".join(name_tokens(text))
    return script, _fold(_NON_SYMBOLS.sub("", symbols), _LATIN_LETTERS), typed


def _latin_forms(text: str) -> tuple[str, str]:
    """(folded, typed) of lower-case ASCII; digraphs are folded within words ("Mohammad Hashim" has no "dh")."""
    words = _NON_LETTERS.sub(" ", text)
    return _fold(words, _LATIN_DIGRAPHS + _LATIN_LETTERS).replace(" ", ""), words.replace(" ", "")


def _fold(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def folded(text: str) -> str:
    """The name as one word of sound symbols (``"Abdul Rahman"`` > ``abdulrahman``, ``"خالد"`` > ``xald``)."""
    return analyse(text)[1]


def skeleton(token: str) -> str:
    """Consonants only, alike in any script in most cases (``Mohammad``, ``محمد``, ``Муҳаммад`` > ``mhmd``).

    Vowels go, and w and y too unless they start the name; doubled letters collapse and a final h goes
    (Fatimah, فاطمه); kh and h, ch and j are one letter (Russian-keyboard Хабибулло, Чахонгир).
    Deterministic, ASCII, at most 16 characters.
    """
    return skeleton_of(analyse(token)[1])


def skeleton_of(word: str) -> str:
    """``skeleton`` of a folded name."""
    word = _ABD.sub("abd", word) if "bd" in word[:3] else word
    if not word:
        return ""
    first = "" if word[0] in "aeiou'" else word[0]
    body = word[1:].encode().translate(None, _VOWELS_WY).decode()
    # х/ҳ and ч/ҷ are one key on a Russian keyboard: kh/h and ch/j are one letter here
    word = collapse((first + body).replace("S", "sh").replace("x", "h").replace("C", "j"))
    return (word[:-1] if len(word) > 1 and word.endswith("h") else word)[:16]


def vocal_key(text: str, abd: bool = True) -> str:
    """A Latin or Cyrillic spelling with its vowels folded to a / i / u (Mohammed, Muhammad > ``muhamad``).

    In Tajik Cyrillic о is the Dari long a (Раҳмон = Rahman, Фотима = Fatima). ``abd``: fold the
    Abd-ul- compounds (Abdul Rahman, Abdurrahman, Абдураҳмон > ``abdrahman``).
    """
    script, word, _ = analyse(text)
    return vocal_of(word, script == "cyrillic", abd)


def vocal_of(word: str, tajik: bool, abd: bool = True) -> str:
    """``vocal_key`` of a folded name."""
    if abd and "bd" in word[:3]:
        word = _ABD.sub("abd", word)
    if tajik:
        word = word.replace("o", "a")
    for old, new in _VOWEL_SPELLINGS:
        if old in word:
            word = word.replace(old, new)
    word = collapse((word[:1] + word[1:].replace("y", "i")).replace("S", "sh"))
    return word[:-1] if len(word) > 2 and word.endswith("h") and word[-2] in "aiu" else word


def arabic_key(text: str) -> str:
    """Arabic script with its long vowels as vowel classes: ``محمود`` > ``mhmud``, ``فاطمه`` > ``fatm``.

    A leading alef or ع only carries a vowel of unknown quality (with a following و or ی: امید, عیسی),
    written V; a final ه is a vowel too.
    """
    return arabic_of(analyse(text)[1])


def arabic_of(word: str) -> str:
    """``arabic_key`` of a folded name."""
    if "bd" in word[:3]:
        word = _ABD.sub("abd", word)
    if word.endswith("allh") and len(word) > 4:  # -ullah: the alef of الله is silent, the vowel is u
        word = word[:-4] + "ula"
    elif word.endswith("aldyn") and len(word) > 5:  # -uddin: الدین is said "ud-din"
        word = word[:-5] + "udyn"
    stripped = word.lstrip("a'")
    if stripped != word:
        word = "V" + stripped.lstrip("wy")
    word = word.replace("'", "")
    word = word[:1] + word[1:].replace("w", "u").replace("y", "i")
    word = word[:-1] if len(word) > 1 and word.endswith("h") else word
    return collapse(word.replace("S", "sh"))


def consistent_key(vocal: str) -> str:
    """A vocal key as Arabic script would show it: a leading vowel as V, w and y as vowels (Jawid > ``jauid``)."""
    word = vocal.lstrip("aiu")
    return collapse(("V" if word != vocal else "") + word[:1] + word[1:].replace("w", "u").replace("y", "i"))


def normalise_tazkira(text: str | None) -> str | None:
    """The digits of a tazkira number (``1234-5678-90123`` > ``1234567890123``); None when there are none."""
    if not text:
        return None
    digits = "".join(str(unicodedata.digit(c)) for c in text if c.isdigit())
    return digits or None


# Search folding (helper s13): kept apart from the matcher's keys so that merging d13's work stays easy.
#: letters a Russian keyboard or another spelling convention confuses: х typed for ҳ (and kh for h),
#: ч for ҷ (and ch for j) become one letter
_LOOSE_LETTERS = str.maketrans({"x": "h", "c": "j"})


def loose_skeleton(text: str) -> str:
    """``skeleton`` with the keyboard confusions above folded (``Хабибулло``, ``Ҳабибулло`` > ``hbbl``).

    дж (Dzh, Dj), the Russian keyboard's ҷ, is j too (``Джамшед``, ``Ҷамшед`` > ``jmshd``), and the
    letters folded together collapse again (``Шахзода``, ``Шаҳзода`` > ``shzd``).
    Too loose to decide a match (Khalid and Halid share it): for search keys, where ranking follows.
    """
    word = skeleton(text).translate(_LOOSE_LETTERS)
    return collapse(word.replace("dj", "j") if "dj" in word else word)
