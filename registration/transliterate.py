"""A suggested Latin spelling for a name written only in Dari/Pashto script or Cyrillic.

Arabic script leaves short vowels unwritten, so ICU's ``Arabic-Latin`` gives ``mḥmd`` for محمد: no
spelling a person would recognise. The suggestion follows the conventions Afghan names are written
with in Latin letters (the same letter values as ``registration.names``: ذ ض ظ > z, ث ص > s,
ح ه > h, خ > kh, ق > q, غ > gh, ع dropped inside a word):

1. common name words and parts have their usual spelling (``محمد`` > Mohammad, ``...الله`` > -ullah,
   ``عبد...`` > Abdul ..., ``...زی`` > -zai, ``...خیل`` > -khel);
2. other words letter by letter: ا آ are a; و and ی are u and i between consonants, w and y next to a
   vowel or at the start; a final ه after a consonant is a; and an unwritten a is put where a
   Dari word cannot have two consonants (after the first letter, before a final pair, inside three);
3. Cyrillic (a Tajik list without Latin names) and any other script through ICU ``Any-Latin`` with
   the Cyrillic table Afghan names are written with (``to_ascii``).

It is only a suggestion: the person is stored with ``latin_suggested`` and the desk checks the
spelling with them.
"""

from __future__ import annotations

import re
import unicodedata

from registration.names import script_of, to_ascii

#: one spelling for the letters Dari keyboards type differently (Arabic ي ك ة, Pashto forms)
_VARIANTS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ۍ": "ی",
        "ې": "ی",
        "ك": "ک",
        "ګ": "گ",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "\u0640": None,
    }
)
_MARKS = re.compile("[\u064b-\u065f\u0670]")  # harakat, unwritten in everyday writing
_JOINERS = re.compile("[\u200c\u200d]")

#: usual Latin spellings of common name words (written for this module, Afghan usage)
WORDS = {
    "محمد": "Mohammad",
    "احمد": "Ahmad",
    "محمود": "Mahmud",
    "علی": "Ali",
    "حسن": "Hassan",
    "حسین": "Hussain",
    "گل": "Gul",
    "شاه": "Shah",
    "نور": "Nur",
    "خان": "Khan",
    "جان": "Jan",
    "میر": "Mir",
    "سید": "Sayed",
    "حاجی": "Haji",
    "بی": "Bibi",
    "بیبی": "Bibi",
    "غلام": "Ghulam",
    "فاطمه": "Fatima",
    "زینب": "Zainab",
    "مریم": "Maryam",
    "عایشه": "Aisha",
    "خدیجه": "Khadija",
    "یوسف": "Yusuf",
    "ابراهیم": "Ibrahim",
    "اسماعیل": "Ismail",
    "عمر": "Omar",
    "عثمان": "Usman",
    "مصطفی": "Mustafa",
    "موسی": "Musa",
    "عیسی": "Isa",
    "یحیی": "Yahya",
    "رحمان": "Rahman",
    "رحمن": "Rahman",
    "رحیم": "Rahim",
    "کریم": "Karim",
    "نبی": "Nabi",
    "ولی": "Wali",
    "امین": "Amin",
    "الله": "Allah",
    "دین": "Din",
    "داود": "Dawud",
    "نجیب": "Najib",
    "عزیز": "Aziz",
    "حکیم": "Hakim",
    "قادر": "Qadir",
    "جمیله": "Jamila",
    "زهرا": "Zahra",
    "گلاب": "Gulab",
    "فرید": "Farid",
    "شریف": "Sharif",
    "لطیف": "Latif",
    "ملالی": "Malalai",
    "هاشم": "Hashim",
    "قاسم": "Qasim",
    "نسیم": "Nasim",
    "صالح": "Saleh",
    "جلال": "Jalal",
    "کمال": "Kamal",
    "جمال": "Jamal",
    "بشیر": "Bashir",
    "نذیر": "Nazir",
    "ظاهر": "Zahir",
    "طاهر": "Tahir",
    "عارف": "Arif",
    "امیر": "Amir",
    "ملا": "Mullah",
}
#: endings and beginnings written joined or apart: -ullah, -uddin, -zai, -khel, -yar, Abdul-
_SUFFIXES = (("الله", "ullah"), ("الدین", "uddin"), ("زی", "zai"), ("خیل", "khel"), ("یار", "yar"))
_ABD = "عبد"
_ABD_APART = re.compile(r"عبد\s+ال")
_APART = re.compile(r"\s+(الله|الدین)(?=\s|$)")
#: name words that end compounds written joined (خیرمحمد > Khair Mohammad)
_COMPOUND_ENDINGS = ("محمد", "احمد", "جان", "خان")

_CONSONANTS = {
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ټ": "t",
    "ث": "s",
    "ج": "j",
    "چ": "ch",
    "ح": "h",
    "خ": "kh",
    "څ": "s",
    "ځ": "z",
    "د": "d",
    "ډ": "d",
    "ذ": "z",
    "ر": "r",
    "ړ": "r",
    "ز": "z",
    "ژ": "zh",
    "ږ": "zh",
    "س": "s",
    "ش": "sh",
    "ښ": "sh",
    "ص": "s",
    "ض": "z",
    "ط": "t",
    "ظ": "z",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ک": "k",
    "گ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ڼ": "n",
    "ه": "h",
    "ء": "",
}
_SHORT = {"\u064e": "a", "\u0650": "i", "\u064f": "u"}


def suggest_latin(text: str | None) -> str | None:
    """A Latin spelling of a name in another script (``محمد نبی`` > ``Mohammad Nabi``); None for no letters."""
    if not text or not text.strip():
        return None
    if script_of(text) != "arabic":
        latin = " ".join(w.capitalize() for w in re.sub(r"[^a-z' -]", "", to_ascii(text)).split())
        return latin or None
    text = unicodedata.normalize("NFC", text).translate(_VARIANTS)
    text = _APART.sub(r"\1", _ABD_APART.sub("عبدال", _JOINERS.sub("", text)))
    spelled = [_word(w) for w in text.split()]
    return _join_parts(" ".join(w for w in spelled if w)) or None


def _join_parts(latin: str) -> str:
    """-ullah, -uddin written apart join their word (Habib Ullah > Habibullah); Abdul stays apart."""
    latin = re.sub(r"(?<=[a-z]) (ullah|uddin|zai|khel)\b", r"\1", latin, flags=re.IGNORECASE)
    return re.sub(r"\b(Ullah|Uddin|Zai|Khel)\b", lambda m: m[1].lower(), latin).strip()


def _word(word: str) -> str:
    word = word.strip(".,;:()-\u060c")
    if not word:
        return ""
    bare = _MARKS.sub("", word)
    if bare in WORDS:
        return WORDS[bare]
    if bare.startswith(_ABD) and len(bare) > 4:  # عبدالرحمن, عبدالله, عبدرحیم
        rest = bare[3:].removeprefix("ال")
        return "Abdullah" if rest == "له" else f"Abdul {_word(rest)}"
    if bare in ("ال", "اله"):
        return ""
    for ending, latin in _SUFFIXES:
        if bare.endswith(ending) and len(bare) > len(ending) + 1:
            stem = bare[: -len(ending)].removesuffix("ال" if ending in ("الله", "الدین") else "")
            stem_latin = _word(stem)
            if ending in ("الله", "الدین"):
                stem_latin = stem_latin.rstrip("aiu") if stem_latin.lower().endswith(("a", "i", "u")) else stem_latin
            return stem_latin + latin
    for ending in _COMPOUND_ENDINGS:
        if bare.endswith(ending) and len(bare) >= len(ending) + 2:
            return f"{_word(bare[: -len(ending)])} {WORDS[ending]}"
    return _letters(word).capitalize()


def _letters(word: str) -> str:
    """Letter by letter, with the vowels Dari leaves unwritten (see the module docstring)."""
    units: list[tuple[str, str]] = []  # (latin, 'C' or 'V')
    letters = list(word)
    for i, letter in enumerate(letters):
        before = units[-1][1] if units else None
        after = letters[i + 1] if i + 1 < len(letters) else None
        last = after is None
        if letter in _SHORT:
            units.append((_SHORT[letter], "V"))
        elif letter == "\u0651":  # shadda: the consonant twice
            if units and units[-1][1] == "C":
                units.append(units[-1])
        elif letter in "اآ":
            if i == 0 and letter == "ا" and after in ("و", "ی"):
                continue  # او, ای at the start are u, i: the next letter gives the vowel
            units.append(("a", "V"))
        elif letter == "ع":
            if i == 0 and after not in ("ا", "و", "ی", None):
                units.append(("a", "V"))
        elif letter in ("و", "ی"):
            vowel, glide = ("u", "w") if letter == "و" else ("i", "y")
            next_is_vowel = after in ("ا", "آ") or (letter == "و" and after == "ی")
            if i == 1 and letters[0] in "اع":  # ایمان, اورنگ, عیسی: the word's first vowel
                units.append((vowel, "V"))
            elif i == 0 or before == "V" or next_is_vowel:
                units.append((glide, "C"))
            else:
                units.append((vowel, "V"))
        elif letter == "ه" and last and before == "C":
            units.append(("a", "V"))
        elif letter in _CONSONANTS:
            if _CONSONANTS[letter]:
                units.append((_CONSONANTS[letter], "C"))
        elif letter.isalpha():
            units.append((to_ascii(letter), "C"))
    return "".join(_with_vowels(units))


def _with_vowels(units: list[tuple[str, str]]) -> list[str]:
    """Put an unwritten a into runs of consonants a Dari word cannot have."""
    out: list[str] = []
    run: list[str] = []
    start = True

    def flush(at_end: bool) -> None:
        nonlocal start
        letters = list(run)
        if start and len(letters) >= 2:
            out.extend((letters.pop(0), "a"))
        if len(letters) >= 3 or (at_end and len(letters) == 2):
            letters.insert(len(letters) - 1, "a")
        out.extend(letters)
        run.clear()

    for latin, kind in units:
        if kind == "C":
            run.append(latin)
            continue
        flush(False)
        start = False
        out.append(latin)
    flush(True)
    return out
