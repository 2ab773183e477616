// What was scanned or typed at the counter: a card's code or a household number (KHR-000123-X, its check
// character ISO 7064 MOD 37-2 as registration/households/numbers.py). Pure: testable in Node.

const NUMBER_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*';
export const NUMBER_RE = /^([A-Z]{3})-(\d{6})-([0-9A-Z*])$/;

export function checkCharacter(body) {
  let total = 0;
  for (let i = 0; i < body.length; i++) {
    total = ((total + NUMBER_ALPHABET.indexOf(body[i])) * 2) % 37;
  }
  return NUMBER_ALPHABET[(38 - total) % 37];
}

export function normaliseNumber(text) {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  if (compact.length === 10) { return compact.slice(0, 3) + '-' + compact.slice(3, 9) + '-' + compact[9]; }
  return text.trim().toUpperCase();
}

// {code}, {household} or {error, household} (a number with a wrong check character, or not a number).
// The text first goes through the card format's normalisation (cards: window.PanohCards of
// static/js/card-verify.js): stray characters of scanners stripped, a scanner or keyboard on the Russian
// layout mapped back to Latin keys.
export function classify(text, cards) {
  const normalised = cards ? cards.normalise(text) : null;
  const trimmed = normalised !== null ? normalised : text.trim();
  if (/^P\d\//i.test(trimmed) || trimmed.length > 24) { return {code: trimmed}; }
  if (/^[A-Za-z]{3}[\s-]*\d/.test(trimmed)) {
    const number = normaliseNumber(trimmed);
    const match = NUMBER_RE.exec(number);
    if (!match) { return {error: 'bad_number', household: number}; }
    if (checkCharacter(match[1] + match[2]) !== match[3]) { return {error: 'bad_check', household: number}; }
    return {household: number};
  }
  return {code: trimmed};
}

// Cyrillic the normalisation could not map back: a keyboard layout other than English or Russian.
export function foreignLayout(text, cards) {
  return /[\u0400-\u04ff]/.test(text) && !!cards && cards.normalise(text) === null;
}

// Whether text (scanned or typed) names the household number, by its number or a card of it.
export function sameHousehold(text, number, cards) {
  const kind = classify(text, cards);
  if (kind.household) { return kind.household === number; }
  const parsed = cards ? cards.parse(kind.code || '') : null;
  return !!(parsed && parsed.token.household === number);
}
