// Texts and times of the scan page: the translated messages (data-msg-* attributes of #scan-app, no inline
// script under the CSP), the server's times read as UTC and shown in the page's language, the camp's day.
// No DOM beyond reading attributes: testable in Node.

const CAMP_UTC_OFFSET = 300;  // minutes, unless the package says otherwise

// "{name}" in a message replaced by its value (null and undefined by nothing).
export function fillIn(text, values) {
  Object.keys(values || {}).forEach((name) => {
    const value = values[name];
    text = text.split('{' + name + '}').join(value === null || value === undefined ? '' : String(value));
  });
  return text;
}

// msg(key, values): the message data-msg-<key> of root, or the key itself when the page has none.
export function messages(root) {
  return function msg(key, values) {
    const text = root.getAttribute('data-msg-' + key);
    return fillIn(text === null ? key : text, values);
  };
}

// The camp's date by this device's clock (the offset comes with the package).
export function campToday(pkg, now = Date.now()) {
  const offset = pkg && typeof pkg.camp_utc_offset_minutes === 'number' ? pkg.camp_utc_offset_minutes
    : CAMP_UTC_OFFSET;
  return new Date(now + offset * 60000).toISOString().slice(0, 10);
}

export function parseTime(iso) {
  if (!iso) { return null; }
  // The server writes UTC, sometimes without the zone: read it as UTC.
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + 'Z';
  const date = new Date(text);
  return isNaN(date.getTime()) ? null : date;
}

// The page's language for dates and numbers, or one the browser has data for: Chromium has no Tajik
// formats and would fall back to the US month-first order; Russian writes them as Tajikistan does.
const LOCALES = {tg: ['tg', 'ru'], ru: ['ru'], en: ['en-GB'], fa: ['fa'], ps: ['ps', 'fa']};
const localeCache = new Map();
export function pageLocale(lang) {
  if (lang === undefined) {
    const page = globalThis.document && globalThis.document.documentElement;
    lang = (page && page.lang) || 'en';
  }
  lang = lang.toLowerCase().split('-')[0];
  if (!localeCache.has(lang)) {
    let supported = [];
    try { supported = Intl.DateTimeFormat.supportedLocalesOf(LOCALES[lang] || [lang]); } catch (error) { /* none */ }
    localeCache.set(lang, supported.length ? supported[0] : 'en-GB');
  }
  return localeCache.get(lang);
}

export function formatTime(iso, locale) {
  const date = parseTime(iso);
  if (!date) { return iso || ''; }
  try {
    return date.toLocaleString(locale || pageLocale(), {day: 'numeric', month: 'short', hour: '2-digit',
                                                        minute: '2-digit', hourCycle: 'h23'});
  } catch (error) {
    return date.toISOString().slice(0, 16).replace('T', ' ');
  }
}

// "7 Dec, 14:05 (3 min ago)"
export function age(msg, iso, now = Date.now()) {
  const date = parseTime(iso);
  if (!date) { return ''; }
  const minutes = Math.floor((now - date.getTime()) / 60000);
  return formatTime(iso) + ' (' + (minutes < 1 ? msg('just_now') : msg('minutes_ago', {n: minutes})) + ')';
}

// Why the server listed a stored collection for review, in the officer's words.
export function flagsText(msg, item) {
  const flags = item.flags && item.flags.length ? item.flags : ['double'];
  return flags.map((flag) => msg('flag_' + flag)).join(' ');
}
