"""Places a household comes from and crosses at: Afghan provinces (COD-AB P-codes, standards.md §6)
and the Tajik-Afghan border crossing points. Districts follow with the registration desk."""

from __future__ import annotations

#: (P-code, English name, Dari name)
AFGHAN_PROVINCES = (
    ("AF01", "Kabul", "کابل"),
    ("AF02", "Kapisa", "کاپیسا"),
    ("AF03", "Parwan", "پروان"),
    ("AF04", "Maidan Wardak", "میدان وردک"),
    ("AF05", "Logar", "لوگر"),
    ("AF06", "Nangarhar", "ننگرهار"),
    ("AF07", "Laghman", "لغمان"),
    ("AF08", "Panjsher", "پنجشیر"),
    ("AF09", "Baghlan", "بغلان"),
    ("AF10", "Bamyan", "بامیان"),
    ("AF11", "Ghazni", "غزنی"),
    ("AF12", "Paktya", "پکتیا"),
    ("AF13", "Kunar", "کنر"),
    ("AF14", "Nuristan", "نورستان"),
    ("AF15", "Badakhshan", "بدخشان"),
    ("AF16", "Takhar", "تخار"),
    ("AF17", "Kunduz", "کندز"),
    ("AF18", "Balkh", "بلخ"),
    ("AF19", "Samangan", "سمنگان"),
    ("AF20", "Sar-e-Pul", "سرپل"),
    ("AF21", "Ghor", "غور"),
    ("AF22", "Daykundi", "دایکندی"),
    ("AF23", "Uruzgan", "ارزگان"),
    ("AF24", "Zabul", "زابل"),
    ("AF25", "Paktika", "پکتیکا"),
    ("AF26", "Khost", "خوست"),
    ("AF27", "Jawzjan", "جوزجان"),
    ("AF28", "Faryab", "فاریاب"),
    ("AF29", "Badghis", "بادغیس"),
    ("AF30", "Hirat", "هرات"),
    ("AF31", "Farah", "فراه"),
    ("AF32", "Hilmand", "هلمند"),
    ("AF33", "Kandahar", "قندهار"),
    ("AF34", "Nimroz", "نیمروز"),
)

PROVINCE_NAMES = {code: english for code, english, _dari in AFGHAN_PROVINCES}

#: (code, name) of crossing points on the Tajik-Afghan border (Khatlon and GBAO)
BORDER_CROSSINGS = (
    ("PPY", "Panji Poyon (Khatlon)"),
    ("AYV", "Ayvaj (Khatlon)"),
    ("KKL", "Kokul / Farkhor (Khatlon)"),
    ("ISH", "Ishkashim (GBAO)"),
    ("TEM", "Khorog / Tem (GBAO)"),
    ("RUZ", "Darvoz / Ruzvai (GBAO)"),
    ("KLK", "Shohon / Kalaikhum (GBAO)"),
)

CROSSING_NAMES = dict(BORDER_CROSSINGS)


def province_title(code: str | None) -> str:
    """``Badakhshan (AF15)`` for a P-code, or the code itself when unknown."""
    if not code:
        return "—"
    return f"{PROVINCE_NAMES[code]} ({code})" if code in PROVINCE_NAMES else code
