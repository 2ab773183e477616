# ruff: noqa: E501  (one labelled pair a line reads best)
"""A third labelled set for duplicate detection, written by someone who did not tune the matcher.

Not built from app/demo/names.py nor benchmarks/dedup_names.py: the names are Hazara, Uzbek, Turkmen,
Pashtun and Tajik names picked by hand (Ghulam Sakhi, Zarghuna, Bibi Gul, Sayed Jawad, Qurban Ali,
Annamurad ...), each variation written out by hand as a clerk might type it (several Latin conventions,
Tajik Cyrillic with a Tajik or a Russian keyboard, Dari script with Persian or Arabic keyboard letters).
Every pair is a different person, so any predicted pair outside ``TRUE`` is a false positive.
``HARD`` are the hard negatives (siblings, father and son, cousins, look-alike names), kept apart on purpose.
"""

from __future__ import annotations

from datetime import date

from registration.dedup.matching import NameRecord


def r(given=None, father=None, family=None, *, go=None, fo=None, ao=None, sex="m", born="1985", tz=None):
    """A record: ``born`` '1985' (year), 'a1985' (a stated age: that year), or '1985-03-14' (day)."""
    if born.startswith("a"):
        day, precision = date(int(born[1:]), 7, 1), "age"
    elif len(born) == 4:
        day, precision = date(int(born), 7, 1), "year"
    else:
        day, precision = date.fromisoformat(born), "day"
    return NameRecord(given, go, father, fo, family, ao, sex, day, precision, tz)


#: (kind, first registration, second registration)
TRUE = [
    # --- ages estimated: a year or two apart, an age against a date
    ("age_off", r("Ghulam Sakhi", "Qurban Ali", born="1978"), r("Ghulam Sakhi", "Qurban Ali", born="a1980")),
    ("age_off", r("Zarghuna", "Gul Agha", sex="f", born="1992"), r("Zarghona", "Gul Agha", sex="f", born="1993-02-11")),
    ("age_off", r("Annamurad", "Orazgeldi", born="a1969"), r("Annamurad", "Orazgeldi", born="1970")),
    ("age_off", r("Bibi Gul", "Sher Khan", sex="f", born="a1955"), r("Bibi Gul", "Sher Khan", sex="f", born="a1957")),
    ("age_off", r("Ergash", "Rustam", "Uzbek", born="1988"), r("Ergash", "Rustam", "Uzbek", born="1987")),
    ("age_off", r("Sakina", "Ali Madad", sex="f", born="2001-05-03"), r("Sakina", "Ali Madad", sex="f", born="a2002")),
    ("age_off", r("Mursal", "Najibullah", sex="f", born="a2009"), r("Mursal", "Najibullah", sex="f", born="2007")),
    ("age_off", r("Qurbanali", "Haji Musa", born="1964"), r("Qurbanali", "Haji Musa", born="a1966")),
    # --- Dari/Pashto script only against Latin
    ("arabic_latin", r("Sayed Jawad", "Sayed Karim", born="1990"), r(go="سید جواد", fo="سید کریم", born="1990")),
    (
        "arabic_latin",
        r("Zarghuna", "Abdul Wakil", sex="f", born="1996"),
        r(go="زرغونه", fo="عبدالوکیل", sex="f", born="1996"),
    ),
    ("arabic_latin", r("Obaidullah", "Khan Mir", born="1983"), r(go="عبیدالله", fo="خان میر", born="1983")),
    (
        "arabic_latin",
        r("Shabnam", "Ghulam Haidar", sex="f", born="1999"),
        r(go="شبنم", fo="غلام حیدر", sex="f", born="1999"),
    ),
    (
        "arabic_latin",
        r("Freshta", "Nazar Mohammad", sex="f", born="2003"),
        r(go="فرشته", fo="نظر محمد", sex="f", born="2003"),
    ),
    ("arabic_latin", r("Qudratullah", "Shah Wali", born="1975"), r(go="قدرت الله", fo="شاه ولی", born="1975")),
    ("arabic_latin", r("Sultan Ali", "Ghulam Reza", born="1981"), r(go="سلطان علی", fo="غلام رضا", born="1981")),
    (
        "arabic_latin",
        r("Palwasha", "Amanullah", sex="f", born="1994"),
        r(go="پلوشه", fo="امان الله", sex="f", born="1994"),
    ),
    # --- Tajik Cyrillic only against Latin
    ("cyrillic_latin", r("Ghulam Sakhi", "Abdul Qayum", born="1972"), r(go="Ғулом Сахӣ", fo="Абдулқайюм", born="1972")),
    (
        "cyrillic_latin",
        r("Nazanin", "Mir Ahmad", sex="f", born="2000"),
        r(go="Назанин", fo="Мир Аҳмад", sex="f", born="2000"),
    ),
    ("cyrillic_latin", r("Wahidullah", "Rahmatullah", born="1986"), r(go="Воҳидулло", fo="Раҳматулло", born="1986")),
    ("cyrillic_latin", r("Ruhullah", "Jan Mohammad", born="1991"), r(go="Рӯҳулло", fo="Ҷонмуҳаммад", born="1991")),
    ("cyrillic_latin", r("Khal Mohammad", "Qadir", born="1960"), r(go="Холмуҳаммад", fo="Қодир", born="1960")),
    (
        "cyrillic_latin",
        r("Freshta", "Sher Ali", sex="f", born="1998"),
        r(go="Фаришта", fo="Шералӣ", sex="f", born="1998"),
    ),
    (
        "cyrillic_latin",
        r("Gulnora", "Tursun", sex="f", born="1979"),
        r(go="Гулнора", fo="Турсун", sex="f", born="1979"),
    ),
    # --- Dari keyboard variants (ي ك ة, ZWNJ, spaced/joined -ullah/-uddin/Abdul-), Arabic script both sides
    ("dari_keyboard", r(go="حبیب‌الله", fo="عبدالکریم", born="1984"), r(go="حبيب الله", fo="عبد الكريم", born="1984")),
    (
        "dari_keyboard",
        r(go="زکیه", fo="محمد یونس", sex="f", born="1993"),
        r(go="زكية", fo="محمد يونس", sex="f", born="1993"),
    ),
    ("dari_keyboard", r(go="نصیرالدین", fo="غلام سرور", born="1977"), r(go="نصیر الدین", fo="غلام‌سرور", born="1977")),
    ("dari_keyboard", r(go="فاطمه", fo="کاظم", sex="f", born="2004"), r(go="فاطمة", fo="كاظم", sex="f", born="2004")),
    ("dari_keyboard", r(go="معراج الدین", fo="شیر آغا", born="1989"), r(go="معراج‌الدين", fo="شير آغا", born="1989")),
    ("dari_keyboard", r(go="ذبیح الله", fo="عبدالرشید", born="1995"), r(go="ذبيح‌الله", fo="عبد الرشيد", born="1995")),
    (
        "dari_keyboard",
        r(go="ملالی", fo="کریم داد", sex="f", born="1997"),
        r(go="ملالي", fo="كريمداد", sex="f", born="1997"),
    ),
    ("dari_keyboard", r(go="سمیع الله", fo="نور محمد", born="1982"), r(go="سميع‌الله", fo="نورمحمد", born="1982")),
    # --- given and father swapped
    ("swap", r("Sayed Jawad", "Sayed Hashim", born="1987"), r("Sayed Hashim", "Sayed Jawad", born="1987")),
    ("swap", r("Wahidullah", "Abdul Ghafar", born="1993"), r("Abdul Ghafar", "Wahidullah", born="1993")),
    ("swap", r("Mursal", "Ghulam Nabi", sex="f", born="2005"), r("Ghulam Nabi", "Mursal", sex="f", born="2005")),
    ("swap", r("Qurban Ali", "Ali Madad", "Hazara", born="1971"), r("Ali Madad", "Qurban Ali", "Hazara", born="1971")),
    ("swap", r("Annamurad", "Begmurad", born="1966"), r("Begmurad", "Annamurad", born="a1967")),
    ("swap", r("Shabnam", "Faiz Mohammad", sex="f", born="1990"), r("Faiz Mohammad", "Shabnam", sex="f", born="1990")),
    # --- Mohammad/Muhammad (or Ghulam, Abdul) dropped from a compound given name
    ("compound_dropped", r("Mohammad Qasim", "Abdul Hakim", born="1980"), r("Qasim", "Abdul Hakim", born="1980")),
    ("compound_dropped", r("Muhammad Yusuf", "Haji Gul", born="1958"), r("Yusuf", "Haji Gul", born="1958")),
    (
        "compound_dropped",
        r("Mohammad Ehsan", "Sher Mohammad", "Popalzai", born="1992"),
        r("Ehsan", "Sher Mohammad", "Popalzai", born="1992"),
    ),
    ("compound_dropped", r("Mohammed Daud", "Khan Agha", born="1976"), r("Daud", "Khan Agha", born="1976")),
    ("compound_dropped", r("Mohammad Asif", "Nur Ahmad", born="1999"), r(go="آصف", fo="نور احمد", born="1999")),
    ("compound_dropped", r("Mukhammadali", "Safar", born="1985"), r("Ali", "Safar", born="1985")),
    # --- tazkira one digit wrong (names spelt another way too)
    (
        "tazkira_digit",
        r("Bibi Gul", "Mirza", sex="f", born="1962", tz="1398-0102-34567"),
        r("Bibigul", "Mirza", sex="f", born="1963", tz="1398-0102-34667"),
    ),
    (
        "tazkira_digit",
        r("Khal Mohammad", "Dost", born="1970", tz="1400-1234-56789"),
        r("Khalmohammad", "Dost", born="1970", tz="1400-1234-56798"),
    ),
    (
        "tazkira_digit",
        r("Zarghuna", "Taj Mohammad", sex="f", born="1988", tz="1397-5555-12345"),
        r("Zarghona", "Taj Muhammad", sex="f", born="a1988", tz="1397-5555-1245"),
    ),
    (
        "tazkira_digit",
        r("Obaidullah", "Hayatullah", born="1991", tz="1399-0707-44321"),
        r("Ubaidullah", "Hayatullah", born="1991", tz="1399-0707-44320"),
    ),
    (
        "tazkira_digit",
        r("Nazanin", "Ahmad Shah", sex="f", born="2002", tz="1401-2222-98765"),
        r("Nazaneen", "Ahmad Shah", sex="f", born="2002", tz="1401-2232-98765"),
    ),
    (
        "tazkira_digit",
        r("Rustam", "Ergash", "Uzbek", born="1974", tz="1396-3131-11111"),
        r("Rostam", "Ergash", "Uzbek", born="1974", tz="1396-3131-11211"),
    ),
    # --- Tajik Cyrillic against the same typed on a Russian keyboard
    ("russian_keyboard", r(go="Ҳабибуллоҳ", fo="Ғулом", born="1983"), r(go="Хабибуллох", fo="Гулом", born="1983")),
    ("russian_keyboard", r(go="Ҷамшед", fo="Қурбонали", born="1990"), r(go="Чамшед", fo="Курбонали", born="1990")),
    ("russian_keyboard", r(go="Рӯҳулло", fo="Ҳайдар", born="1979"), r(go="Рухулло", fo="Хайдар", born="1979")),
    ("russian_keyboard", r(go="Қудратулло", fo="Шоҳвалӣ", born="1975"), r(go="Кудратулло", fo="Шохвали", born="1975")),
    (
        "russian_keyboard",
        r(go="Зарғуна", fo="Ҷумъахон", sex="f", born="1995"),
        r(go="Заргуна", fo="Чумъахон", sex="f", born="1995"),
    ),
    ("russian_keyboard", r(go="Ғайрат", fo="Ҳоҷӣ Мусо", born="1968"), r(go="Гайрат", fo="Хочи Мусо", born="1968")),
    (
        "russian_keyboard",
        r(go="Ҳамида", fo="Қосим", sex="f", born="2001"),
        r(go="Хамида", fo="Косим", sex="f", born="2001"),
    ),
    (
        "russian_keyboard",
        r("Ghulam Sakhi", "Mir Hussain", born="1980"),
        r(go="Гулом Сахи", fo="Мир Хусайн", born="1980"),
    ),
    # --- typos
    ("typo", r("Qudratullah", "Abdul Samad", born="1984"), r("Qudratulah", "Abdul Samad", born="1984")),
    (
        "typo",
        r("Shabnam", "Mohammad Karim", sex="f", born="1997"),
        r("Shabanm", "Mohammad Karim", sex="f", born="1997"),
    ),
    ("typo", r("Wahidullah", "Sayed Rahim", born="1989"), r("Wahidullah", "Sayed Rahin", born="1989")),
    ("typo", r("Freshta", "Zalmai", sex="f", born="2000"), r("Frashta", "Zalmay", sex="f", born="2000")),
    ("typo", r("Sultan Ali", "Mohammad Ishaq", born="1973"), r("Sultan Alli", "Mohamad Ishaq", born="1973")),
    ("typo", r("Gulalai", "Abdul Jalil", sex="f", born="1993"), r("Gulalai", "Abdul Jalli", sex="f", born="1993")),
    # --- father's name missing the second time
    (
        "father_missing",
        r("Ruhullah", "Ghulam Farooq", "Stanikzai", born="1990"),
        r("Ruhullah", None, "Stanikzai", born="1990"),
    ),
    ("father_missing", r("Zarghuna", "Amir Jan", sex="f", born="1986"), r("Zarghuna", None, sex="f", born="1986")),
    (
        "father_missing",
        r("Obaidullah", "Shir Agha", "Mohmand", born="1979", tz="1396-4444-12121"),
        r("Obaidullah", None, "Mohmand", born="1979", tz="1396-4444-12121"),
    ),
    (
        "father_missing",
        r("Masuma", "Qurban Ali", "Jaghori", sex="f", born="1994"),
        r("Masooma", None, "Jaghori", sex="f", born="1994"),
    ),
    (
        "father_missing",
        r("Khal Mohammad", "Sardar", "Ahmadzai", born="1957"),
        r("Khal Mohammad", None, "Ahmadzai", born="a1957"),
    ),
    # --- compounds joined or hyphenated
    ("joined", r("Abdul Wakil", "Ghulam Rasul", born="1981"), r("Abdulwakil", "Ghulamrasul", born="1981")),
    ("joined", r("Najib Ullah", "Shah Mahmood", born="1995"), r("Najibullah", "Shah-Mahmood", born="1995")),
    ("joined", r("Nasir Uddin", "Abdul Qadir", born="1970"), r("Nasiruddin", "Abdul-Qadir", born="1970")),
    (
        "joined",
        r("Bibi Gul", "Khan Mohammad", sex="f", born="1960"),
        r("Bibi-Gul", "Khanmohammad", sex="f", born="1960"),
    ),
    ("joined", r("Sayed Jawad", "Sayed Anwar", born="2002"), r("Sayedjawad", "Sayed-Anwar", born="2002")),
    ("joined", r("Abdul Rauf", "Mohammad Rafiq", born="1988"), r("Abdurrauf", "Mohammadrafiq", born="1988")),
    # --- UPPER CASE, stray spaces
    (
        "upper_spaces",
        r("Mursal", "Haji Nasir", sex="f", born="2006"),
        r("  MURSAL ", "HAJI  NASIR", sex="f", born="2006"),
    ),
    ("upper_spaces", r("Qurban Ali", "Sakhi Dad", born="1975"), r("QURBAN ALI", " sakhi dad", born="1975")),
    (
        "upper_spaces",
        r("Ogulbibi", "Annamurad", sex="f", born="1984"),
        r("OGULBIBI  ", "ANNA MURAD", sex="f", born="1984"),
    ),
    (
        "upper_spaces",
        r("Wahidullah", "Ghulam Sakhi", "Hazara", born="1992"),
        r("WAHID ULLAH", "GHULAM  SAKHI", "HAZARA", born="1992"),
    ),
    # --- other spelling conventions (English, French-style, Russian-style Latin)
    ("spelling", r("Mohammad Yaqub", "Abdul Ghani", born="1967"), r("Muhammad Yakub", "Abdulgani", born="1967")),
    ("spelling", r("Hussain Ali", "Qurban", born="1980"), r("Husayn Ali", "Kurban", born="1980")),
    ("spelling", r("Zahra", "Sayed Hussain", sex="f", born="1999"), r("Zahro", "Saiid Khusain", sex="f", born="1999")),
    ("spelling", r("Jamshid", "Khoja", born="1993"), r("Djamshed", "Khodja", born="1993")),
    ("spelling", r("Obaidullah", "Yaqoob", born="1978"), r("Ubaydullo", "Yakub", born="1978")),
    (
        "spelling",
        r("Sharifa", "Ghulam Haidar", sex="f", born="1983"),
        r("Sharipha", "Gulam Khaidar", sex="f", born="1983"),
    ),
    # --- two variations at once, as a second registration usually differs (year-precision estimates)
    ("combined", r("Nazanin", "Ahmad", sex="f", born="2000"), r(go="نازنین", fo="احمد", sex="f", born="2001")),
    ("combined", r("Mohammad Ibrahim", "Abdul Qadir", born="1970"), r("Ibrahim", "Abdul Qadir", born="1971")),
    ("combined", r("Gul Ahmad", "Mohammad Ibrahim", born="1970"), r("Mohammad Ibrahim", "Gul Ahmad", born="1972")),
    ("combined", r("Sayed Jawad", "Sayed Karim", born="1990"), r(go="Сайид Ҷавод", fo="Сайид Карим", born="1991")),
    ("combined", r("Zarghuna", "Gul Agha", sex="f", born="1992"), r("Zarghona", None, sex="f", born="1993")),
    ("combined", r("Qudratullah", "Shah Wali", born="1975"), r(go="Кудратулло", fo="Шохвали", born="1976")),
    ("combined", r("Mursal", "Najibullah", sex="f", born="2008"), r(go="مرسل", fo="نجیب‌الله", sex="f", born="a2009")),
    ("combined", r("Freshta", "Sher Ali", sex="f", born="1998"), r("Freshta", "Sher Ali", sex="f", born="2000")),
    (
        "combined",
        r("Ghulam Sakhi", "Qurban Ali", "Hazara", born="1978"),
        r("Sakhi", "Qurban Ali", "Hazara", born="1979"),
    ),
    ("combined", r("Obaidullah", "Khan Mir", born="1983"), r("Ubaidulla", "Khan Mir", born="1985")),
]

#: (kind, a, b): other people who look alike
HARD = [
    # siblings: same father and family name, other given name, born years apart
    (
        "sibling",
        r("Wahidullah", "Rahmatullah", "Stanikzai", born="1985"),
        r("Wajihullah", "Rahmatullah", "Stanikzai", born="1988"),
    ),
    ("sibling", r("Zarghuna", "Gul Agha", sex="f", born="1990"), r("Zarmina", "Gul Agha", sex="f", born="1993")),
    ("sibling", r("Sayed Jawad", "Sayed Karim", born="1990"), r("Sayed Jalal", "Sayed Karim", born="1986")),
    ("sibling", r("Obaidullah", "Khan Mir", born="1983"), r("Ubaidurrahman", "Khan Mir", born="1987")),
    ("sibling", r("Nazanin", "Mir Ahmad", sex="f", born="2000"), r("Nazira", "Mir Ahmad", sex="f", born="2004")),
    (
        "sibling",
        r("Shabnam", "Ghulam Haidar", sex="f", born="1999"),
        r("Shabana", "Ghulam Haidar", sex="f", born="1996"),
    ),
    (
        "sibling",
        r("Ruhullah", "Jan Mohammad", born="1991"),
        r("Ruhullah", "Jan Mohammad", born="1979"),
    ),  # elder brother died, name reused
    (
        "sibling",
        r("Qurban Ali", "Ali Madad", "Hazara", born="1971"),
        r("Qurban Hussain", "Ali Madad", "Hazara", born="1974"),
    ),
    ("sibling", r(go="حبیب الله", fo="عبدالکریم", born="1984"), r(go="نجیب الله", fo="عبدالکریم", born="1981")),
    ("sibling", r(go="Ҷамшед", fo="Қурбонали", born="1990"), r(go="Хуршед", fo="Қурбонали", born="1993")),
    ("sibling", r("Mohammad Qasim", "Abdul Hakim", born="1980"), r("Mohammad Hashim", "Abdul Hakim", born="1983")),
    (
        "sibling",
        r("Freshta", "Nazar Mohammad", sex="f", born="2003"),
        r("Fereshta", "Nazar Mohammad", sex="f", born="2013"),
    ),
    # father and son of one name
    ("father_son", r("Mohammad Nabi", "Abdul Karim", born="1962"), r("Mohammad Nabi", "Mohammad Nabi", born="1990")),
    ("father_son", r("Ghulam Sakhi", "Qurban Ali", born="1958"), r("Ghulam Sakhi", "Ghulam Sakhi", born="1985")),
    (
        "father_son",
        r("Khal Mohammad", "Sardar", "Ahmadzai", born="1957"),
        r("Khal Mohammad", "Khal Mohammad", "Ahmadzai", born="1982"),
    ),
    ("father_son", r("Annamurad", "Orazgeldi", born="1969"), r("Orazgeldi", "Annamurad", born="1995")),
    ("father_son", r("Sultan Ali", "Ghulam Reza", born="1960"), r("Ghulam Reza", "Sultan Ali", born="1988")),
    # cousins: same given and family, another father, born close
    (
        "cousin",
        r("Wahidullah", "Rahmatullah", "Popalzai", born="1990"),
        r("Wahidullah", "Hayatullah", "Popalzai", born="1991"),
    ),
    (
        "cousin",
        r("Mursal", "Ghulam Nabi", "Mohmand", sex="f", born="2005"),
        r("Mursal", "Ghulam Rasul", "Mohmand", sex="f", born="2005"),
    ),
    ("cousin", r("Sayed Jawad", "Sayed Hashim", born="1987"), r("Sayed Jawad", "Sayed Qasim", born="1988")),
    ("cousin", r("Ergash", "Rustam", "Uzbek", born="1988"), r("Ergash", "Tursun", "Uzbek", born="1988")),
    ("cousin", r("Bibi Gul", "Sher Khan", sex="f", born="1955"), r("Bibi Gul", "Mir Khan", sex="f", born="1956")),
    (
        "cousin",
        r("Obaidullah", "Shir Agha", "Mohmand", born="1979"),
        r("Obaidullah", "Shir Ahmad", "Mohmand", born="1980"),
    ),
    ("cousin", r("Ghulam Sakhi", "Abdul Qayum", born="1972"), r("Ghulam Sakhi", "Abdul Qadir", born="1972")),
    ("cousin", r(go="Ғулом Сахӣ", fo="Абдулқайюм", born="1972"), r(go="Ғулом Сахӣ", fo="Абдулқодир", born="1973")),
    # look-alike names: twins or strangers born the same year
    (
        "lookalike",
        r("Hassan", "Ali Madad", "Hazara", born="1995-03-21"),
        r("Hussain", "Ali Madad", "Hazara", born="1995-03-21"),
    ),
    ("lookalike", r(go="حسن", fo="علی مدد", born="1995"), r(go="حسین", fo="علی مدد", born="1995")),
    ("lookalike", r("Rahim", "Abdul Ghafar", born="1980"), r("Karim", "Abdul Ghafar", born="1980")),
    ("lookalike", r("Mahmud", "Haji Gul", born="1970"), r("Mohammad", "Haji Gul", born="1970")),
    ("lookalike", r(go="محمود", fo="حاجی گل", born="1970"), r(go="محمد", fo="حاجی گل", born="1970")),
    ("lookalike", r("Zahir", "Sher Ahmad", born="1985"), r("Zakir", "Sher Ahmad", born="1985")),
    ("lookalike", r("Nasir", "Gul Mohammad", born="1977"), r("Nazir", "Gul Mohammad", born="1977")),
    ("lookalike", r(go="ناصر", fo="گل محمد", born="1977"), r(go="نذیر", fo="گل محمد", born="1977")),
    ("lookalike", r("Jawad", "Sayed Anwar", born="2002"), r("Jawid", "Sayed Anwar", born="2002")),
    ("lookalike", r("Hamid", "Qadir", born="1960"), r("Wahid", "Qadir", born="1960")),
    ("lookalike", r("Nazanin", "Ahmad Shah", sex="f", born="2002"), r("Nasrin", "Ahmad Shah", sex="f", born="2002")),
    ("lookalike", r("Rahim", "Qasim", born="1975"), r("Rahman", "Qasim", born="1975")),
    ("lookalike", r(go="Раҳим", fo="Қосим", born="1975"), r(go="Карим", fo="Қосим", born="1975")),
    (
        "lookalike",
        r("Zahir", "Abdul Wakil", "Ahmadzai", born="1984"),
        r("Zakir", "Abdul Wakil", "Ahmadzai", born="1984"),
    ),
    (
        "lookalike",
        r("Shabnam", "Faiz Mohammad", sex="f", born="1990"),
        r("Shabnam", "Fazl Mohammad", sex="f", born="1990"),
    ),
    ("lookalike", r("Mohammad Yusuf", "Haji Gul", born="1958"), r("Mohammad Yunus", "Haji Gul", born="1958")),
    ("lookalike", r("Mohammad Nasir", "Zalmai", born="1992"), r("Mohammad Nazir", "Zalmai", born="1992")),
]


def records():
    """(records by id, true pairs with their kind, hard pairs with their kind): ids 2i, 2i+1 per pair."""
    recs, true, hard = {}, {}, {}
    for i, (kind, a, b) in enumerate(TRUE + HARD):
        recs[2 * i], recs[2 * i + 1] = a, b
        (true if i < len(TRUE) else hard)[(2 * i, 2 * i + 1)] = kind
    return recs, true, hard
