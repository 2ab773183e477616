"""Static name and place data for the deterministic demo-data generator.

Data only: no logic lives here.

Name tuples have the shape ``(latin, arabic_script, tajik_cyrillic)``:

* ``latin`` -- the common English transliteration used by UNHCR / Afghan
  documents (e.g. "Mohammad").
* ``arabic_script`` -- the Dari/Pashto spelling as Afghans write it, with the
  Persian letters ک (U+06A9) and ی (U+06CC), never Arabic ك (U+0643) or
  ي (U+064A).  A final feminine -a is written with ه, never ة.  Compound
  names built on "-ullah" follow Persian orthography: after a joining letter
  the two parts are separated by a zero-width non-joiner (written ``\\u200c``
  in this file, e.g. "حبیب\\u200cالله"); after a non-joining letter (د ر ء ...)
  they are simply written together (e.g. "اسدالله").  Pashto-only letters
  (ړ, ځ ...) appear only where the name is normally written that way.
* ``tajik_cyrillic`` -- how a Tajik registration clerk would write the name in
  Tajik Cyrillic (ҳ ҷ ғ қ ӣ ӯ), following Tajik name conventions: Arabic/Persian
  long a -> о (Раҳмон, Фотима), nisba -i -> ӣ (Каримӣ), -ullah -> -улло.

All strings are NFC.  No list contains duplicates.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# Male given names
# ---------------------------------------------------------------------------
MALE_GIVEN = (
    ("Mohammad", "محمد", "Муҳаммад"),
    ("Ahmad", "احمد", "Аҳмад"),
    ("Mahmood", "محمود", "Маҳмуд"),
    ("Mohammad Ali", "محمدعلی", "Муҳаммадалӣ"),
    ("Ahmad Shah", "احمدشاه", "Аҳмадшоҳ"),
    ("Dost Mohammad", "دوست محمد", "Дӯстмуҳаммад"),
    ("Abdul Rahman", "عبدالرحمن", "Абдураҳмон"),
    ("Abdul Rahim", "عبدالرحیم", "Абдураҳим"),
    ("Abdul Karim", "عبدالکریم", "Абдукарим"),
    ("Abdul Qadir", "عبدالقادر", "Абдуқодир"),
    ("Abdul Wahid", "عبدالواحد", "Абдулвоҳид"),
    ("Abdul Hamid", "عبدالحمید", "Абдулҳамид"),
    ("Abdul Ghafoor", "عبدالغفور", "Абдуғафур"),
    ("Abdul Basir", "عبدالبصیر", "Абдулбасир"),
    ("Abdul Latif", "عبداللطیف", "Абдуллатиф"),
    ("Abdullah", "عبدالله", "Абдулло"),
    ("Ghulam Haidar", "غلام حیدر", "Ғуломҳайдар"),
    ("Ghulam Sakhi", "غلام سخی", "Ғуломсахӣ"),
    ("Asadullah", "اسدالله", "Асадулло"),
    ("Nasrullah", "نصرالله", "Насрулло"),
    ("Khairullah", "خیرالله", "Хайрулло"),
    ("Nurullah", "نورالله", "Нурулло"),
    ("Hamidullah", "حمیدالله", "Ҳамидулло"),
    ("Obaidullah", "عبیدالله", "Убайдулло"),
    ("Ziaullah", "ضیاءالله", "Зиёулло"),
    ("Shukrullah", "شکرالله", "Шукрулло"),
    ("Sanaullah", "ثناءالله", "Санаулло"),
    ("Habibullah", "حبیب\u200cالله", "Ҳабибулло"),
    ("Najibullah", "نجیب\u200cالله", "Наҷибулло"),
    ("Amanullah", "امان\u200cالله", "Амонулло"),
    ("Rahmatullah", "رحمت\u200cالله", "Раҳматулло"),
    ("Hedayatullah", "هدایت\u200cالله", "Ҳидоятулло"),
    ("Nematullah", "نعمت\u200cالله", "Неъматулло"),
    ("Ezatullah", "عزت\u200cالله", "Иззатулло"),
    ("Rohullah", "روح\u200cالله", "Рӯҳулло"),
    ("Ismatullah", "عصمت\u200cالله", "Исматулло"),
    ("Lutfullah", "لطف\u200cالله", "Лутфулло"),
    ("Hayatullah", "حیات\u200cالله", "Ҳаётулло"),
    ("Qudratullah", "قدرت\u200cالله", "Қудратулло"),
    ("Ali", "علی", "Алӣ"),
    ("Hassan", "حسن", "Ҳасан"),
    ("Hussain", "حسین", "Ҳусайн"),
    ("Omar", "عمر", "Умар"),
    ("Usman", "عثمان", "Усмон"),
    ("Khalid", "خالد", "Холид"),
    ("Hamid", "حمید", "Ҳамид"),
    ("Karim", "کریم", "Карим"),
    ("Rahim", "رحیم", "Раҳим"),
    ("Mirwais", "میرویس", "Мирвайс"),
    ("Jawad", "جواد", "Ҷавод"),
    ("Jawid", "جاوید", "Ҷовид"),
    ("Farid", "فرید", "Фарид"),
    ("Bashir", "بشیر", "Башир"),
    ("Nazir", "نذیر", "Назир"),
    ("Sharif", "شریف", "Шариф"),
    ("Latif", "لطیف", "Латиф"),
    ("Rashid", "رشید", "Рашид"),
    ("Majid", "مجید", "Маҷид"),
    ("Zahir", "ظاهر", "Зоҳир"),
    ("Tahir", "طاهر", "Тоҳир"),
    ("Nasir", "ناصر", "Носир"),
    ("Qasim", "قاسم", "Қосим"),
    ("Hashim", "هاشم", "Ҳошим"),
    ("Jamshid", "جمشید", "Ҷамшед"),
    ("Farhad", "فرهاد", "Фарҳод"),
    ("Bahram", "بهرام", "Баҳром"),
    ("Rustam", "رستم", "Рустам"),
    ("Sohrab", "سهراب", "Суҳроб"),
    ("Dawood", "داود", "Довуд"),
    ("Yousuf", "یوسف", "Юсуф"),
    ("Yaqub", "یعقوب", "Яъқуб"),
    ("Ibrahim", "ابراهیم", "Иброҳим"),
    ("Ismail", "اسماعیل", "Исмоил"),
    ("Ishaq", "اسحاق", "Исҳоқ"),
    ("Musa", "موسی", "Мусо"),
    ("Isa", "عیسی", "Исо"),
    ("Idris", "ادریس", "Идрис"),
    ("Yunus", "یونس", "Юнус"),
    ("Sulaiman", "سلیمان", "Сулаймон"),
    ("Mustafa", "مصطفی", "Мустафо"),
    ("Murtaza", "مرتضی", "Муртазо"),
    ("Nabi", "نبی", "Набӣ"),
    ("Wali", "ولی", "Валӣ"),
    ("Ghani", "غنی", "Ғанӣ"),
    ("Haidar", "حیدر", "Ҳайдар"),
    ("Shafiq", "شفیق", "Шафиқ"),
    ("Rafiq", "رفیق", "Рафиқ"),
    ("Tariq", "طارق", "Ториқ"),
    ("Siddiq", "صدیق", "Сиддиқ"),
    ("Sadiq", "صادق", "Содиқ"),
    ("Aziz", "عزیز", "Азиз"),
    ("Hafiz", "حافظ", "Ҳофиз"),
    ("Wahid", "وحید", "Ваҳид"),
    ("Naveed", "نوید", "Навид"),
    ("Omid", "امید", "Умед"),
    ("Masood", "مسعود", "Масъуд"),
    ("Mansoor", "منصور", "Мансур"),
    ("Nasim", "نسیم", "Насим"),
    ("Saboor", "صبور", "Сабур"),
    ("Fazil", "فاضل", "Фозил"),
    ("Jalil", "جلیل", "Ҷалил"),
    ("Khalil", "خلیل", "Халил"),
    ("Nadir", "نادر", "Нодир"),
    ("Babur", "بابر", "Бобур"),
    ("Sayed", "سید", "Сайид"),
    ("Hekmat", "حکمت", "Ҳикмат"),
    ("Asif", "آصف", "Осиф"),
    ("Arif", "عارف", "Ориф"),
    ("Zarif", "ظریف", "Зариф"),
    ("Sultan", "سلطان", "Султон"),
    ("Bilal", "بلال", "Билол"),
    ("Jamal", "جمال", "Ҷамол"),
    ("Kamal", "کمال", "Камол"),
    ("Zaman", "زمان", "Замон"),
    ("Wazir", "وزیر", "Вазир"),
    ("Wakil", "وکیل", "Вакил"),
    ("Ehsan", "احسان", "Эҳсон"),
    ("Roshan", "روشن", "Равшан"),
    ("Sherzad", "شیرزاد", "Шерзод"),
    # Pashto-common names
    ("Zalmai", "زلمی", "Залмай"),
    ("Aimal", "ایمل", "Аймал"),
    ("Ajmal", "اجمل", "Аҷмал"),
    ("Khushal", "خوشحال", "Хушҳол"),
    ("Malang", "ملنگ", "Маланг"),
)

# ---------------------------------------------------------------------------
# Female given names
# ---------------------------------------------------------------------------
FEMALE_GIVEN = (
    ("Fatima", "فاطمه", "Фотима"),
    ("Zahra", "زهرا", "Заҳро"),
    ("Maryam", "مریم", "Марям"),
    ("Khadija", "خدیجه", "Хадиҷа"),
    ("Aisha", "عایشه", "Оиша"),
    ("Zainab", "زینب", "Зайнаб"),
    ("Sakina", "سکینه", "Сакина"),
    ("Masooma", "معصومه", "Маъсума"),
    ("Marzia", "مرضیه", "Марзия"),
    ("Parwana", "پروانه", "Парвона"),
    ("Shabnam", "شبنم", "Шабнам"),
    ("Nargis", "نرگس", "Наргис"),
    ("Laila", "لیلا", "Лайло"),
    ("Farida", "فریده", "Фарида"),
    ("Hamida", "حمیده", "Ҳамида"),
    ("Rahima", "رحیمه", "Раҳима"),
    ("Karima", "کریمه", "Карима"),
    ("Latifa", "لطیفه", "Латифа"),
    ("Sharifa", "شریفه", "Шарифа"),
    ("Nasima", "نسیمه", "Насима"),
    ("Halima", "حلیمه", "Ҳалима"),
    ("Salima", "سلیمه", "Салима"),
    ("Jamila", "جمیله", "Ҷамила"),
    ("Nafisa", "نفیسه", "Нафиса"),
    ("Nazanin", "نازنین", "Нозанин"),
    ("Mahbooba", "محبوبه", "Маҳбуба"),
    ("Najiba", "نجیبه", "Наҷиба"),
    ("Habiba", "حبیبه", "Ҳабиба"),
    ("Soraya", "ثریا", "Сурайё"),
    ("Fereshta", "فرشته", "Фаришта"),
    ("Shakila", "شکیله", "Шакила"),
    ("Wahida", "وحیده", "Ваҳида"),
    ("Gulchehra", "گلچهره", "Гулчеҳра"),
    ("Tahmina", "تهمینه", "Таҳмина"),
    ("Farzana", "فرزانه", "Фарзона"),
    ("Shirin", "شیرین", "Ширин"),
    ("Mahnaz", "مهناز", "Маҳназ"),
    ("Nilofar", "نیلوفر", "Нилуфар"),
    ("Asma", "اسما", "Асмо"),
    ("Samira", "سمیره", "Самира"),
    ("Munira", "منیره", "Мунира"),
    ("Madina", "مدینه", "Мадина"),
    ("Sabira", "صابره", "Собира"),
    ("Zulaikha", "زلیخا", "Зулайхо"),
    ("Hawa", "حوا", "Ҳавво"),
    ("Rukhsana", "رخسانه", "Рухсона"),
    ("Basira", "بصیره", "Басира"),
    ("Nadia", "نادیه", "Нодия"),
    ("Husna", "حسنا", "Ҳусно"),
    ("Parisa", "پریسا", "Париса"),
    ("Shukria", "شکریه", "Шукрия"),
    ("Fahima", "فهیمه", "Фаҳима"),
    ("Razia", "رضیه", "Розия"),
    ("Sughra", "صغرا", "Суғро"),
    ("Anisa", "انیسه", "Аниса"),
    ("Setara", "ستاره", "Ситора"),
    ("Yalda", "یلدا", "Ялдо"),
    ("Hasina", "حسینه", "Ҳасина"),
    # Pashto-common names
    ("Malalai", "ملالی", "Малалай"),
    ("Malala", "ملاله", "Малала"),
    ("Zarghona", "زرغونه", "Зарғуна"),
    ("Palwasha", "پلوشه", "Палваша"),
    ("Gulalai", "گلالی", "Гулалай"),
    ("Zarmina", "زرمینه", "Зармина"),
    ("Mursal", "مرسل", "Мурсал"),
)

# ---------------------------------------------------------------------------
# Family / tribal / place-derived names
# ---------------------------------------------------------------------------
FAMILY_NAMES = (
    # Pashtun tribal (-zai and others)
    ("Ahmadzai", "احمدزی", "Аҳмадзай"),
    ("Popalzai", "پوپلزی", "Попалзай"),
    ("Barakzai", "بارکزی", "Баракзай"),
    ("Alokozai", "الکوزی", "Алокозай"),
    ("Noorzai", "نورزی", "Нурзай"),
    ("Achakzai", "اچکزی", "Ачакзай"),
    ("Mohammadzai", "محمدزی", "Муҳаммадзай"),
    ("Yousufzai", "یوسفزی", "Юсуфзай"),
    ("Stanikzai", "ستانکزی", "Станикзай"),
    ("Ghilzai", "غلزی", "Ғилзай"),
    ("Durrani", "درانی", "Дурронӣ"),
    ("Hotak", "هوتک", "Ҳотак"),
    ("Tokhi", "توخی", "Тохӣ"),
    ("Safi", "صافی", "Софӣ"),
    ("Shinwari", "شینواری", "Шинворӣ"),
    ("Mohmand", "مومند", "Моманд"),
    ("Wardak", "وردک", "Вардак"),
    ("Kakar", "کاکړ", "Какар"),
    ("Taimani", "تیمنی", "Тайманӣ"),
    # Nisba / personal-name derived
    ("Karimi", "کریمی", "Каримӣ"),
    ("Rahimi", "رحیمی", "Раҳимӣ"),
    ("Ahmadi", "احمدی", "Аҳмадӣ"),
    ("Mohammadi", "محمدی", "Муҳаммадӣ"),
    ("Hashimi", "هاشمی", "Ҳошимӣ"),
    ("Hussaini", "حسینی", "Ҳусайнӣ"),
    ("Rasuli", "رسولی", "Расулӣ"),
    ("Azizi", "عزیزی", "Азизӣ"),
    ("Habibi", "حبیبی", "Ҳабибӣ"),
    ("Hakimi", "حکیمی", "Ҳакимӣ"),
    ("Amiri", "امیری", "Амирӣ"),
    ("Rezaei", "رضایی", "Ризоӣ"),
    ("Sultani", "سلطانی", "Султонӣ"),
    ("Samadi", "صمدی", "Самадӣ"),
    ("Nazari", "نظری", "Назарӣ"),
    ("Haidari", "حیدری", "Ҳайдарӣ"),
    ("Jalali", "جلالی", "Ҷалолӣ"),
    ("Noori", "نوری", "Нурӣ"),
    ("Sharifi", "شریفی", "Шарифӣ"),
    ("Qaderi", "قادری", "Қодирӣ"),
    ("Naseri", "ناصری", "Носирӣ"),
    ("Faizi", "فیضی", "Файзӣ"),
    ("Yaqubi", "یعقوبی", "Яъқубӣ"),
    ("Rahmani", "رحمانی", "Раҳмонӣ"),
    ("Sediqi", "صدیقی", "Сиддиқӣ"),
    ("Akbari", "اکبری", "Акбарӣ"),
    ("Sarwari", "سروری", "Сарварӣ"),
    ("Mujaddidi", "مجددی", "Муҷаддидӣ"),
    ("Sadat", "سادات", "Содот"),
    # Place-derived
    ("Panjshiri", "پنجشیری", "Панҷшерӣ"),
    ("Badakhshi", "بدخشی", "Бадахшӣ"),
    ("Kabuli", "کابلی", "Кобулӣ"),
    ("Herawi", "هروی", "Ҳиравӣ"),
    ("Balkhi", "بلخی", "Балхӣ"),
    ("Andarabi", "اندرابی", "Андаробӣ"),
    ("Kohistani", "کوهستانی", "Кӯҳистонӣ"),
    ("Nuristani", "نورستانی", "Нуристонӣ"),
    ("Ghori", "غوری", "Ғурӣ"),
    ("Takhari", "تخاری", "Тахорӣ"),
)

# ---------------------------------------------------------------------------
# Alternative Latin spellings (canonical -> other common spellings)
# Every key is a latin value in MALE_GIVEN, FEMALE_GIVEN or FAMILY_NAMES.
# ---------------------------------------------------------------------------
LATIN_VARIANTS = {
    # male given
    "Mohammad": ("Muhammad", "Mohammed", "Mohamad", "Muhammed", "Mohamed"),
    "Ahmad": ("Ahmed",),
    "Mahmood": ("Mahmud", "Mahmoud"),
    "Abdul Rahman": ("Abdurrahman", "Abdulrahman", "Abdul Rehman"),
    "Abdul Rahim": ("Abdurrahim", "Abdulrahim", "Abdul Raheem"),
    "Abdul Karim": ("Abdulkarim", "Abdul Kareem"),
    "Abdul Qadir": ("Abdulqadir", "Abdul Qader", "Abdul Kadir"),
    "Abdullah": ("Abdulla", "Abdallah"),
    "Hassan": ("Hasan",),
    "Hussain": ("Hussein", "Husain", "Hossain", "Hosain"),
    "Omar": ("Umar",),
    "Usman": ("Osman", "Othman"),
    "Yousuf": ("Yusuf", "Yousef", "Yosuf"),
    "Yaqub": ("Yaqoob", "Yakub"),
    "Ibrahim": ("Ebrahim",),
    "Ismail": ("Esmail", "Ismael"),
    "Ishaq": ("Eshaq", "Ishak"),
    "Sulaiman": ("Suleman", "Sulayman", "Soleiman"),
    "Mustafa": ("Mostafa",),
    "Murtaza": ("Mortaza",),
    "Karim": ("Kareem",),
    "Rahim": ("Raheem",),
    "Hamid": ("Hameed", "Hamed"),
    "Wahid": ("Waheed",),
    "Bashir": ("Basheer",),
    "Nasir": ("Naser", "Nasser"),
    "Zahir": ("Zaher",),
    "Qasim": ("Qasem", "Kasim"),
    "Hashim": ("Hashem",),
    "Dawood": ("Dawud", "Daud", "Dawoud"),
    "Masood": ("Masoud", "Massoud", "Masud"),
    "Mansoor": ("Mansour", "Mansur"),
    "Jawid": ("Jawed", "Javed", "Javid"),
    "Naveed": ("Navid", "Nawid"),
    "Omid": ("Umid",),
    "Ehsan": ("Ihsan",),
    "Sayed": ("Sayyed", "Sayyid", "Syed"),
    "Najibullah": ("Najeebullah", "Najibulla"),
    "Habibullah": ("Habibulla", "Habeebullah"),
    "Rahmatullah": ("Rahmatulla",),
    "Hedayatullah": ("Hidayatullah",),
    "Nurullah": ("Noorullah",),
    "Rohullah": ("Ruhullah",),
    # female given
    "Fatima": ("Fatema", "Fatemeh", "Fatimah"),
    "Maryam": ("Mariam", "Mariyam"),
    "Khadija": ("Khadijah", "Khadeeja"),
    "Aisha": ("Ayesha", "Aysha", "Aesha"),
    "Zainab": ("Zaynab", "Zeinab"),
    "Masooma": ("Masuma", "Masouma", "Masoomeh"),
    "Laila": ("Leila", "Layla"),
    "Fereshta": ("Freshta", "Fereshteh"),
    "Setara": ("Sitara",),
    "Mahbooba": ("Mahbuba",),
    "Nilofar": ("Nilufar", "Niloufar"),
    # family
    "Ahmadzai": ("Ahmadzay",),
    "Noorzai": ("Nurzai",),
    "Noori": ("Nuri",),
    "Yousufzai": ("Yusufzai", "Yousafzai"),
    "Rezaei": ("Rezai", "Rezaie"),
    "Sediqi": ("Siddiqi", "Seddiqi"),
}

# ---------------------------------------------------------------------------
# Relative likelihood that a household crossing into Tajikistan (Khatlon /
# GBAO border) comes from each province.  Northern border provinces are heavy,
# Kabul and Baghlan medium, the north/north-east hinterland light, the rest
# minimal.  All weights >= 1.
# ---------------------------------------------------------------------------
ORIGIN_WEIGHTS = {
    "AF01": 10,  # Kabul
    "AF02": 2,  # Kapisa
    "AF03": 3,  # Parwan
    "AF04": 1,  # Maidan Wardak
    "AF05": 1,  # Logar
    "AF06": 1,  # Nangarhar
    "AF07": 1,  # Laghman
    "AF08": 3,  # Panjsher
    "AF09": 10,  # Baghlan
    "AF10": 2,  # Bamyan
    "AF11": 1,  # Ghazni
    "AF12": 1,  # Paktya
    "AF13": 1,  # Kunar
    "AF14": 1,  # Nuristan
    "AF15": 30,  # Badakhshan
    "AF16": 25,  # Takhar
    "AF17": 22,  # Kunduz
    "AF18": 18,  # Balkh
    "AF19": 3,  # Samangan
    "AF20": 2,  # Sar-e-Pul
    "AF21": 1,  # Ghor
    "AF22": 1,  # Daykundi
    "AF23": 1,  # Uruzgan
    "AF24": 1,  # Zabul
    "AF25": 1,  # Paktika
    "AF26": 1,  # Khost
    "AF27": 3,  # Jawzjan
    "AF28": 2,  # Faryab
    "AF29": 1,  # Badghis
    "AF30": 2,  # Hirat
    "AF31": 1,  # Farah
    "AF32": 1,  # Hilmand
    "AF33": 1,  # Kandahar
    "AF34": 1,  # Nimroz
}
