// The distribution point's scan page: check a card (or a typed household number), show the outcome at
// once, record the collection, and keep working when the link drops.
//
// Online, every check asks the server (another device may have served the household a minute ago).
// When the request fails, the check runs here with the round's package (keys, signed revocation list,
// households with their entitlement and whether they collected) plus this device's own queue, with the
// same outcomes, in the same order, as camps/distributions/scanning.py.
//
// Collections get an id made here (crypto.randomUUID) and the device's clock, go into IndexedDB
// ("panoh-distribution": store "packages" by round id, store "queue" by collection id) and are sent at
// once when online, else on the `online` event, every 15 s and with "Sync now". The server accepts each id
// once, so sending again is harmless. Refusals and collections flagged for review are listed, never dropped.
// "Today" is the camp's day: this device's clock with the camp's UTC offset from the package. Every answer
// of the server carries its time; a clock more than 5 minutes off is shown, for the officer to set right.
// The package expires (max_age_seconds after it was loaded): a device that could not refresh it for that
// long checks nothing offline. Signing out removes it (static/js/offline-data.js); the queue is sent first.
// No inline script (CSP): every message comes from data-msg-* attributes of #scan-app.
// Modules: scan/store.js (IndexedDB), scan/camera.js (camera + WebAssembly decoder in a worker), scan/sounds.js.
import {idb, putRecord, getPackage, roundQueue, saveItems} from './scan/store.js';
import {beep} from './scan/sounds.js';
import {cameraSupported, openCamera} from './scan/camera.js';

var POINT_KEY = 'panoh-distribution-point';
var UNRECORDED_KEY = 'panoh-unrecorded-';  // + round id, in sessionStorage: survives a reload of this tab
var SYNC_EVERY = 15000;
var PACKAGE_MAX_AGE = 10 * 60000;  // refreshed after this while online
var PACKAGE_EXPIRY = 24 * 3600000;  // unless the package says otherwise (max_age_seconds)
var CLOCK_WARNING = 5 * 60000;
var CAMP_UTC_OFFSET = 300;  // minutes, unless the package says otherwise
var REQUEST_TIMEOUT = 10000;
var CHECK_TIMEOUT = 4000;  // a person waits at the counter: after this, check on the device
var SYNC_BATCH = 100;
var CAMERA_REPEAT_MS = 4000;
var NUMBER_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*';
var NUMBER_RE = /^([A-Z]{3})-(\d{6})-([0-9A-Z*])$/;
var CARD_REFUSALS = ['malformed', 'unknown_key', 'invalid_signature', 'revoked', 'expired'];
var WARNINGS = ['already_collected', 'flagged_double', 'flagged', 'id_conflict'];
var FLAGGED = ['flagged_double', 'flagged', 'id_conflict'];
var GOOD = ['valid', 'recorded', 'queued', 'sending'];

var root, els = {};
var S = {
  roundId: null, pkg: null, pkgLoadedAt: null, pkgFresh: false, households: new Map(), revoked: new Set(),
  queue: [], current: null, panel: 0, checkSeq: 0, net: 'unknown', netSince: 0, syncing: false, lastSync: null,
  csrf: '', camera: null, lastCamera: null, lastCameraAt: 0, audio: null, clockSkew: null, pkgExpired: false
};

// ---- small helpers ------------------------------------------------------------------------------
function msg(key, values) {
  var text = root.getAttribute('data-msg-' + key);
  if (text === null) { text = key; }
  Object.keys(values || {}).forEach(function (name) {
    text = text.split('{' + name + '}').join(values[name] === null || values[name] === undefined ? '' : String(values[name]));
  });
  return text;
}

function show(el, visible) { el.classList.toggle('d-none', !visible); }

function pad(n) { return (n < 10 ? '0' : '') + n; }

// The camp's date by this device's clock (the offset comes with the package).
function campToday() {
  var offset = S.pkg && typeof S.pkg.camp_utc_offset_minutes === 'number' ? S.pkg.camp_utc_offset_minutes
    : CAMP_UTC_OFFSET;
  return new Date(Date.now() + offset * 60000).toISOString().slice(0, 10);
}

function parseTime(iso) {
  if (!iso) { return null; }
  // The server writes UTC, sometimes without the zone: read it as UTC.
  var text = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + 'Z';
  var date = new Date(text);
  return isNaN(date.getTime()) ? null : date;
}

// The page's language for dates and numbers, or one the browser has data for: Chromium has no Tajik
// formats and would fall back to the US month-first order; Russian writes them as Tajikistan does.
var LOCALES = {tg: ['tg', 'ru'], ru: ['ru'], en: ['en-GB'], fa: ['fa'], ps: ['ps', 'fa']};
var localeCache = null;
function pageLocale() {
  if (localeCache) { return localeCache; }
  var lang = (document.documentElement.lang || 'en').toLowerCase().split('-')[0];
  var supported = [];
  try { supported = Intl.DateTimeFormat.supportedLocalesOf(LOCALES[lang] || [lang]); } catch (error) { /* none */ }
  localeCache = supported.length ? supported[0] : 'en-GB';
  return localeCache;
}

function formatTime(iso) {
  var date = parseTime(iso);
  if (!date) { return iso || ''; }
  try {
    return date.toLocaleString(pageLocale(), {day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
                                              hourCycle: 'h23'});
  } catch (error) {
    return date.toISOString().slice(0, 16).replace('T', ' ');
  }
}

function age(iso) {
  var date = parseTime(iso);
  if (!date) { return ''; }
  var minutes = Math.floor((Date.now() - date.getTime()) / 60000);
  return formatTime(iso) + ' (' + (minutes < 1 ? msg('just_now') : msg('minutes_ago', {n: minutes})) + ')';
}

function uuid() {
  if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
  var b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  var hex = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
  return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
}

// ---- household numbers: ISO 7064 MOD 37-2, as registration/households/numbers.py -----------------
function checkCharacter(body) {
  var total = 0;
  for (var i = 0; i < body.length; i++) {
    total = ((total + NUMBER_ALPHABET.indexOf(body[i])) * 2) % 37;
  }
  return NUMBER_ALPHABET[(38 - total) % 37];
}

function normaliseNumber(text) {
  var compact = text.replace(/[\s-]/g, '').toUpperCase();
  if (compact.length === 10) { return compact.slice(0, 3) + '-' + compact.slice(3, 9) + '-' + compact[9]; }
  return text.trim().toUpperCase();
}

// What was scanned or typed: {code}, {household} or {error} (a number with a wrong check character).
// The text first goes through the card format's normalisation (static/js/card-verify.js): stray
// characters of scanners stripped, a scanner or keyboard on the Russian layout mapped back to Latin keys.
function classify(text) {
  var normalised = window.PanohCards ? window.PanohCards.normalise(text) : null;
  var trimmed = normalised !== null ? normalised : text.trim();
  if (/^P\d\//i.test(trimmed) || trimmed.length > 24) { return {code: trimmed}; }
  if (/^[A-Za-z]{3}[\s-]*\d/.test(trimmed)) {
    var number = normaliseNumber(trimmed);
    var match = NUMBER_RE.exec(number);
    if (!match) { return {error: 'bad_number', household: number}; }
    if (checkCharacter(match[1] + match[2]) !== match[3]) { return {error: 'bad_check', household: number}; }
    return {household: number};
  }
  return {code: trimmed};
}

// ---- talking to the server -------------------------------------------------------------------------
function refreshCsrf() {
  return fetch(root.dataset.pageUrl, {credentials: 'same-origin', cache: 'no-store'}).then(function (r) {
    return r.text();
  }).then(function (html) {
    var found = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
    if (found) { S.csrf = found[1]; return true; }
    return false;
  });
}

// Resolves to {status, data} (data: the JSON answer) or rejects: Error('network'), Error('signed_out').
function api(url, body, opts) {
  opts = opts || {};
  var controller = window.AbortController ? new AbortController() : null;
  var timer = controller ? setTimeout(function () { controller.abort(); }, opts.timeout || REQUEST_TIMEOUT) : null;
  var options = {method: body === undefined ? 'GET' : 'POST', credentials: 'same-origin', cache: 'no-store',
                 headers: {'Accept': 'application/json'}, signal: controller ? controller.signal : undefined};
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.headers['X-CSRFToken'] = S.csrf;
    options.body = JSON.stringify(body);
  }
  var sentAt = Date.now();
  return fetch(url, options).then(function (response) {
    if (timer) { clearTimeout(timer); }
    var json = (response.headers.get('Content-Type') || '').indexOf('json') >= 0;
    if (response.status === 401 || response.status === 403 || response.redirected || (!json && response.ok)) {
      setNet('signed_out');
      throw new Error('signed_out');
    }
    if (response.status >= 500 || !json) {
      setNet('unreachable');
      throw new Error('network');
    }
    setNet('online');
    return response.json().then(function (data) {
      if (data && data.server_time) { noteServerTime(data.server_time, sentAt, Date.now()); }
      if (response.status === 400 && data && data.error && !data.outcome && body !== undefined) {
        // Refused as a whole (a stale CSRF token of a page kept offline): get a fresh token, try once more.
        if (opts.retried) { throw new Error('rejected'); }
        return refreshCsrf().then(function (ok) {
          if (!ok) { throw new Error('signed_out'); }
          return api(url, body, {retried: true, timeout: opts.timeout});
        });
      }
      return {status: response.status, data: data};
    });
  }, function () {
    if (timer) { clearTimeout(timer); }
    setNet(navigator.onLine ? 'unreachable' : 'offline');
    throw new Error('network');
  });
}

// How far this device's clock is from the server's (the middle of the request against the server's time).
function noteServerTime(iso, sentAt, receivedAt) {
  var server = parseTime(iso);
  if (!server) { return; }
  S.clockSkew = (sentAt + receivedAt) / 2 - server.getTime();
  renderClock();
}

function renderClock() {
  var off = S.clockSkew !== null && Math.abs(S.clockSkew) > CLOCK_WARNING;
  if (off) {
    var minutes = Math.round(Math.abs(S.clockSkew) / 60000);
    els.clockWarning.textContent = msg(S.clockSkew > 0 ? 'clock_ahead' : 'clock_behind', {n: minutes});
  }
  var skew = S.clockSkew === null ? '' : String(Math.round(S.clockSkew / 60000));
  els.clockWarning.setAttribute('data-skew-minutes', skew);
  show(els.clockWarning, off);
}

function setNet(state) {
  if (state === 'online' && !navigator.onLine) { state = 'offline'; }
  if (state !== S.net) { S.netSince = Date.now(); }
  S.net = state;
  renderStatus();
}

// ---- the round's package ---------------------------------------------------------------------------
function expired(record) {
  var loaded = record && parseTime(record.loaded_at);
  if (!loaded) { return true; }
  var maxAge = record.data && record.data.max_age_seconds ? record.data.max_age_seconds * 1000 : PACKAGE_EXPIRY;
  var age = Date.now() - loaded.getTime();
  return age > maxAge || age < -3600000;  // too old, or loaded "in the future" (the clock went back)
}

function dropPackage() {
  S.pkg = null;
  S.pkgLoadedAt = null;
  S.pkgFresh = false;
  S.pkgExpired = true;
  S.households = new Map();
  S.revoked = new Set();
  renderStatus();
  return idb('packages', 'readwrite', function (store, mem) {
    if (mem) { mem.delete(S.roundId); return; }
    store.delete(S.roundId);
  }).catch(function () { return null; });
}

function usePackage(record, fresh) {
  S.pkg = record.data;
  S.pkgLoadedAt = record.loaded_at;
  S.pkgFresh = fresh;
  S.pkgExpired = false;
  S.households = new Map();
  (S.pkg.households || []).forEach(function (h) { S.households.set(h.n, h); });
  var revoked = S.pkg.revoked || {};
  S.revoked = new Set(revoked.serials || []);
  show(els.packageWarning, false);
  if (window.PanohCards && revoked.serials) {
    window.PanohCards.verifyRevocationDocument(revoked, S.pkg.keys).then(function (ok) {
      if (!ok) { els.packageWarning.textContent = msg('revocation_unsigned'); show(els.packageWarning, true); }
    }, function () {
      els.packageWarning.textContent = msg('no_webcrypto');
      show(els.packageWarning, true);
    });
  }
  renderStatus();
}

function loadPackage() {
  var started = new Date().toISOString();
  var online = navigator.onLine ? api(root.dataset.packageUrl, undefined, {timeout: 60000})
    : Promise.reject(new Error('network'));
  return online.then(function (answer) {
    if (answer.status !== 200 || !answer.data || !answer.data.round) { throw new Error('network'); }
    var record = {round_id: S.roundId, loaded_at: started, data: answer.data};
    usePackage(record, true);
    return putRecord('packages', record).catch(function () { return null; });
  }).catch(function () {
    if (S.pkg) {
      if (expired({loaded_at: S.pkgLoadedAt, data: S.pkg})) { return dropPackage(); }
      S.pkgFresh = false;
      renderStatus();
      return null;
    }
    return getPackage(S.roundId).then(function (record) {
      if (record && expired(record)) { return dropPackage(); }
      if (record) { usePackage(record, false); } else { renderStatus(); }
      return null;
    });
  });
}

// ---- checking ----------------------------------------------------------------------------------------
// A result: {outcome, source, query, number, serial, size, status, photo, entitlement, collection,
//            collectedHere, collectedBefore, alternates}
function packagePhoto(number) {
  var h = number && S.households.get(number);
  return h && h.p ? h.p : null;
}

function itemCounts(item) {
  // Collections that mean the household has been served (for the local check); a skip is none.
  if (item.kind === 'skip') { return false; }
  if (item.state === 'problem') { return item.outcome === 'already_collected'; }
  return true;
}

function localCollection(number) {
  if (!number) { return null; }
  for (var i = S.queue.length - 1; i >= 0; i--) {
    if (S.queue[i].household === number && itemCounts(S.queue[i])) { return S.queue[i]; }
  }
  return null;
}

function householdResult(result, h) {
  result.number = h.n;
  result.size = h.s;
  result.status = h.st;
  result.photo = h.p || null;
  result.entitlement = ((S.pkg.round && S.pkg.round.items) || []).map(function (item, index) {
    return {name: item.name, unit: item.unit, quantity: h.e ? h.e[index] : item.quantity};
  });
  result.alternates = (h.a || []).map(function (a) { return {id: a[0], name: a[1], name_orig: a[2]}; });
  return result;
}

function localCheck(query) {
  var result = {outcome: null, source: 'local', query: query, serial: null, entitlement: [], alternates: []};
  if (S.pkg && expired({loaded_at: S.pkgLoadedAt, data: S.pkg})) { dropPackage(); }
  if (!S.pkg) { result.outcome = 'no_package'; return Promise.resolve(result); }
  var round = S.pkg.round;
  var today = campToday();
  if (round.status !== 'open' || today < round.starts_on || today > round.ends_on) {
    result.outcome = 'round_closed';
    return Promise.resolve(result);
  }
  var card = query.code ? window.PanohCards.verify(query.code, S.pkg.keys, S.revoked, today)
    : Promise.resolve(null);
  return card.then(function (verified) {
    var number = query.household;
    if (verified) {
      result.serial = verified.token ? verified.token.serial : null;
      number = verified.token ? verified.token.household : null;
      if (verified.outcome !== 'valid') {
        result.outcome = verified.outcome;
        var shown = number && S.households.get(number);
        if (shown && (verified.outcome === 'revoked' || verified.outcome === 'expired')) {
          householdResult(result, shown);
          result.entitlement = [];
        }
        return result;
      }
    } else if (!NUMBER_RE.test(number || '')) {
      result.outcome = 'malformed';
      return result;
    }
    var h = S.households.get(number);
    if (!h) {
      // Not a household of this camp. A signed card proves the household exists elsewhere; a typed
      // number is unknown here, as the server answers (it does not tell which numbers exist elsewhere).
      result.outcome = verified ? 'wrong_camp' : 'unknown_household';
      result.number = number;
      return result;
    }
    householdResult(result, h);
    if ((round.qualifying || ['active']).indexOf(h.st) < 0) {
      result.outcome = 'not_eligible';
      result.entitlement = [];
      return result;
    }
    var here = localCollection(h.n);
    if (here || h.c) {
      result.outcome = 'already_collected';
      result.collectedHere = here;
      result.collectedBefore = !here;
      return result;
    }
    result.outcome = 'valid';
    return result;
  });
}

function serverCheck(query) {
  // The server just failed to answer: check here at once rather than make the queue wait again
  // (the sync timer tries the link every 15 s).
  if (S.net === 'unreachable' && Date.now() - S.netSince < SYNC_EVERY) { return Promise.reject(new Error('network')); }
  return api(root.dataset.checkUrl, query, {timeout: CHECK_TIMEOUT}).then(function (answer) {
    var data = answer.data || {};
    if (answer.status !== 200 || !data.outcome) { throw new Error('network'); }
    var h = data.household || {};
    var result = {outcome: data.outcome, source: 'server', query: query, serial: data.serial || null,
                  number: h.number || null, size: h.size, status: h.status,
                  photo: packagePhoto(h.number) || h.photo || h.photo_url || null,
                  entitlement: data.entitlement || [], collection: data.collection || null,
                  alternates: data.alternates || []};
    // A collection of this device that has not reached the server yet still counts.
    if (result.outcome === 'valid') {
      var here = localCollection(result.number);
      if (here) { result.outcome = 'already_collected'; result.collectedHere = here; }
    }
    return result;
  });
}

// ---- a valid household not recorded yet when the next card comes (issue 15 #7) ---------------------
function sameHousehold(text, current) {
  var kind = classify(text);
  if (kind.household) { return kind.household === current.number; }
  var parsed = window.PanohCards ? window.PanohCards.parse(kind.code || '') : null;
  return !!(parsed && parsed.token.household === current.number);
}

// The valid household not recorded yet and the card waiting behind it, kept for a reload of the page.
function rememberUnrecorded() {
  try {
    var key = UNRECORDED_KEY + S.roundId;
    if (S.current) {
      sessionStorage.setItem(key, JSON.stringify({query: S.current.query, pending: S.pendingText || null}));
    } else {
      sessionStorage.removeItem(key);
    }
  } catch (error) { /* no storage: a reload forgets them */ }
}

// After a reload: the household is checked again and, if a card was waiting, the question is asked again.
function restoreUnrecorded() {
  var saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(UNRECORDED_KEY + S.roundId) || 'null'); } catch (error) { saved = null; }
  if (!saved || !saved.query || S.current) { return Promise.resolve(null); }
  return check(saved.query.code || saved.query.household || '').then(function () {
    return saved.pending ? submitText(saved.pending) : null;
  });
}

// Every scan, typed code and camera read comes here: the previous valid household is never dropped silently.
function submitText(text) {
  if (S.current && !sameHousehold(text, S.current)) {
    S.pendingText = text;
    rememberUnrecorded();
    els.unrecordedText.textContent = msg('unrecorded', {number: S.current.number});
    show(els.unrecorded, true);
    beep('unrecorded');
    return Promise.resolve(null);
  }
  S.pendingText = null;
  show(els.unrecorded, false);
  return check(text);
}

// After "record it" or "skip it": the card that was waiting is checked now.
function checkPending() {
  var pending = S.pendingText;
  S.pendingText = null;
  show(els.unrecorded, false);
  return pending ? check(pending) : Promise.resolve(null);
}

function skipCurrent() {
  var current = S.current;
  if (!current) { return checkPending(); }
  var now = new Date().toISOString();
  var id = uuid();
  var item = {id: id, kind: 'skip', round_id: S.roundId, household: current.number, state: 'waiting', outcome: null,
              created_at: now, body: {id: id, household: current.number, point: point() || '-', skipped_at: now}};
  S.current = null;
  rememberUnrecorded();
  show(els.recordBox, false);
  S.queue.push(item);
  saveItems([item]).catch(function () { return null; }).then(function () {
    renderStatus();
    if (navigator.onLine) { sync(false); }
  });
  return checkPending();
}

function check(text) {
  var seq = ++S.checkSeq;
  hideInputError();
  var kind = classify(text);
  // Cyrillic the normalisation could not map back: a keyboard layout other than English or Russian.
  var layout = /[\u0400-\u04ff]/.test(text) && window.PanohCards && window.PanohCards.normalise(text) === null;
  if (kind.error) {
    showInputError(msg(kind.error));
    render({outcome: kind.error, source: 'local', query: kind, entitlement: [], alternates: [],
            number: kind.household});
    return Promise.resolve(null);
  }
  if (layout) { showInputError(msg('keyboard_layout')); }
  var query = kind.code ? {code: kind.code} : {household: kind.household};
  var asked = navigator.onLine ? serverCheck(query).catch(function () { return null; }) : Promise.resolve(null);
  return asked.then(function (result) {
    return result || localCheck(query);
  }).then(function (result) {
    if (seq === S.checkSeq) { render(result); }
    return result;
  }, function () {
    if (seq === S.checkSeq) { render({outcome: 'error', source: 'local', query: query, entitlement: [], alternates: []}); }
  });
}

// ---- showing an outcome --------------------------------------------------------------------------
function kindOf(outcome) {
  if (GOOD.indexOf(outcome) >= 0) { return outcome === 'valid' ? 'valid' : 'recorded'; }
  if (WARNINGS.indexOf(outcome) >= 0) { return 'warning'; }
  return 'refused';
}

function collectorTitle(code) { return msg('by-' + code); }

function detailOf(result) {
  var lines = [];
  if (result.outcome === 'already_collected') {
    if (result.collection) {
      var c = result.collection;
      lines.push(msg('already_detail', {when: formatTime(c.collected_at), point: c.point || '',
                                        officer: c.officer || '', by: collectorTitle(c.collected_by || 'head')}));
    } else if (result.collectedHere) {
      lines.push(msg('already_here', {when: formatTime(result.collectedHere.body.collected_at),
                                      point: result.collectedHere.body.point}));
    } else if (result.collectedBefore) {
      lines.push(msg('already_package', {when: formatTime(S.pkgLoadedAt)}));
    }
  }
  if (result.message) { lines.push(result.message); }
  if (['valid', 'already_collected'].indexOf(result.outcome) >= 0 || CARD_REFUSALS.indexOf(result.outcome) >= 0 ||
      ['wrong_camp', 'not_eligible', 'round_closed', 'unknown_household'].indexOf(result.outcome) >= 0) {
    lines.push(msg(result.source === 'server' ? 'checked_server' : 'checked_offline'));
  }
  return lines.join(' ');
}

function render(result) {
  S.panel++;
  var kind = kindOf(result.outcome);
  var box = els.outcome;
  box.classList.remove('is-valid', 'is-recorded', 'is-warning', 'is-refused');
  box.classList.add('is-' + kind);
  box.setAttribute('data-outcome', result.outcome);
  box.setAttribute('data-source', result.source || '');
  box.setAttribute('data-seq', String(S.panel));
  els.icon.textContent = kind === 'valid' || kind === 'recorded' ? '✓' : (kind === 'warning' ? '!' : '✕');
  var titled = root.hasAttribute('data-msg-' + result.outcome + '_title');
  els.title.textContent = msg(titled ? result.outcome + '_title' : result.outcome);
  els.detail.textContent = detailOf(result);

  var hasHousehold = !!(result.number && (result.size || result.size === 0));
  show(els.household, hasHousehold || !!result.number);
  els.number.textContent = result.number || '';
  var feedbackUrl = root.dataset.feedbackUrl;
  if (feedbackUrl && result.number) {
    els.feedbackLink.href = feedbackUrl + '?household=' + encodeURIComponent(result.number) +
      '&channel=distribution_point';
  }
  show(els.feedback, !!(feedbackUrl && result.number));
  els.size.textContent = hasHousehold ? String(result.size) : '–';
  els.card.textContent = result.serial ? msg('card') + ' ' + result.serial : '';
  if (result.photo) {
    els.photo.src = result.photo;
    show(els.photo, true);
  } else {
    els.photo.removeAttribute('src');
    show(els.photo, false);
  }
  els.entitlement.textContent = '';
  (result.entitlement || []).forEach(function (item) {
    var li = document.createElement('li');
    li.textContent = item.name + ': ' + (+item.quantity).toLocaleString(pageLocale()) + ' ' + item.unit;
    els.entitlement.appendChild(li);
  });
  show(els.entitlementTitle, (result.entitlement || []).length > 0);
  els.entitlementTitle.textContent = msg(result.outcome === 'valid' ? 'hand_out' : 'entitlement');

  S.current = result.outcome === 'valid' ? result : null;
  rememberUnrecorded();
  show(els.recordBox, !!S.current);
  if (S.current) { prepareCollectors(result); }
  if (result.beep !== false) { beep(result.outcome); }
}

function prepareCollectors(result) {
  var allowed = !!(S.pkg ? S.pkg.round.alternates_allowed : true);
  var alternates = result.alternates || [];
  els.byHead.checked = true;
  els.alternate.textContent = '';
  alternates.forEach(function (a) {
    var option = document.createElement('option');
    option.value = a.id;
    option.textContent = a.name + (a.name_orig ? ' · ' + a.name_orig : '');
    els.alternate.appendChild(option);
  });
  var offerAlternate = allowed && alternates.length > 0;
  show(els.byAlternate.closest('.scan-choice'), offerAlternate);
  show(els.alternateBox, false);
}

function showInputError(text) {
  els.inputError.textContent = text;
  show(els.inputError, true);
}

function hideInputError() {
  els.inputError.textContent = '';
  show(els.inputError, false);
}

// ---- recording and syncing --------------------------------------------------------------------
function point() { return (localStorage.getItem(POINT_KEY) || '').trim(); }

function recordCurrent() {
  var current = S.current;
  if (!current || current.outcome !== 'valid') { return; }
  var where = point();
  if (!where) {
    showInputError(msg('point_missing'));
    els.pointInput.focus();
    return;
  }
  var by = (root.querySelector('input[name="collected_by"]:checked') || els.byHead).value;
  var alternateId = by === 'alternate' ? parseInt(els.alternate.value, 10) || null : null;
  if (by === 'alternate' && !alternateId) { by = 'head'; }
  var now = new Date().toISOString();
  var id = uuid();
  var body = {id: id, collected_at: now, point: where, collected_by: by, alternate_id: alternateId,
              offline: current.source !== 'server'};
  if (current.query.code) { body.code = current.query.code; } else { body.household = current.query.household; }
  var item = {id: id, round_id: S.roundId, household: current.number, serial: current.serial, size: current.size,
              state: 'waiting', outcome: null, created_at: now, body: body};
  S.current = null;
  show(els.recordBox, false);
  S.queue.push(item);
  var panel;
  return saveItems([item]).catch(function () { return null; }).then(function () {
    renderStatus();
    var shown = Object.assign({}, current, {outcome: navigator.onLine ? 'sending' : 'queued', beep: !navigator.onLine});
    render(shown);
    panel = S.panel;
    S.shownItem = {id: item.id, panel: panel, result: current};
    els.code.focus();
    if (S.pendingText) { checkPending(); }
    if (!navigator.onLine) { return null; }
    item.sending = true;
    var sent = Object.assign({sent_at: new Date().toISOString()}, body);
    return api(root.dataset.collectionsUrl, sent).then(function (answer) {
      item.sending = false;
      applyResult(item, answer.status, answer.data || {});
      return saveItems([item]).then(function () {
        renderStatus();
        renderProblems();
        if (panel === S.panel) { render(afterSend(current, item, answer.data || {})); }
      });
    }, function (error) {
      // The link dropped between the check and the record: the collection happened offline.
      item.sending = false;
      if (error.message === 'network') { item.body.offline = true; }
      return saveItems([item]).then(renderStatus);
    });
  });
}

function afterSend(current, item, data) {
  var result = Object.assign({}, current, {beep: true});
  if (item.state === 'done') {
    result.outcome = 'recorded';
  } else if (item.state === 'flagged') {
    result.outcome = item.outcome || 'flagged';
    result.message = flagsText(item);
  } else if (item.state === 'problem') {
    result.outcome = item.outcome || 'error';
    result.collection = data.collection || null;
    result.source = 'server';
    if (result.outcome !== 'already_collected') { result.entitlement = []; }
  } else {
    result.outcome = 'queued';
    result.beep = false;
  }
  return result;
}

// One answer of the server about one collection, from POST .../collections or an item of .../sync.
function applyResult(item, status, data) {
  var outcome = data.outcome;
  item.sent_at = new Date().toISOString();
  if ((outcome === 'recorded' || outcome === 'skip_noted') && (status === 200 || status === 201)) {
    item.state = 'done';
  } else if (FLAGGED.indexOf(outcome) >= 0 && (status === 200 || status === 201)) {
    // Stored and counted, but listed for the supervisor's review.
    item.state = 'flagged';
    item.outcome = outcome;
    item.flags = data.flags || (outcome === 'flagged_double' ? ['double'] : []);
  } else if (status === 409 || status === 422 || (status === 400 && data)) {
    item.state = 'problem';
    item.outcome = outcome || 'refused';
    item.message = data.detail || data.message || null;
    if (data.collection) { item.collection = data.collection; }
  }
  // anything else (a server error for this item): it stays waiting and is sent again
}

function waitingItems() {
  return S.queue.filter(function (item) { return item.state === 'waiting' && !item.sending; });
}

function sync(manual) {
  if (S.syncing) { return Promise.resolve(); }
  var waiting = waitingItems();
  if (!waiting.length) {
    if (manual) {
      S.lastSync = {ok: true, when: new Date().toISOString(), n: 0};
      return (navigator.onLine ? loadPackage() : Promise.resolve()).then(renderStatus);
    }
    if (navigator.onLine && S.pkgLoadedAt && Date.now() - parseTime(S.pkgLoadedAt).getTime() > PACKAGE_MAX_AGE) {
      return loadPackage();
    }
    return Promise.resolve();
  }
  if (!navigator.onLine) {
    if (manual) { S.lastSync = {ok: false, when: new Date().toISOString()}; renderStatus(); }
    return Promise.resolve();
  }
  S.syncing = true;
  var sent = 0;
  var batches = [];
  for (var i = 0; i < waiting.length; i += SYNC_BATCH) { batches.push(waiting.slice(i, i + SYNC_BATCH)); }
  var chain = batches.reduce(function (previous, batch) {
    return previous.then(function () {
      batch.forEach(function (item) { item.sending = true; });
      var kinds = function (skip) {
        return batch.filter(function (item) { return (item.kind === 'skip') === skip; })
          .map(function (item) { return item.body; });
      };
      return api(root.dataset.syncUrl, {collections: kinds(false), skips: kinds(true),
                                        sent_at: new Date().toISOString()})
        .then(function (answer) {
          var results = (answer.data && answer.data.results) || [];
          var byId = new Map(results.map(function (r) { return [String(r.id).toLowerCase(), r]; }));
          batch.forEach(function (item) {
            item.sending = false;
            var r = byId.get(item.id.toLowerCase());
            if (r) {
              applyResult(item, r.status, r);
              if (item.state !== 'waiting') { sent++; }
            }
          });
          return saveItems(batch);
        }, function (error) {
          batch.forEach(function (item) { item.sending = false; });
          throw error;
        });
    });
  }, Promise.resolve());
  return chain.then(function () {
    S.lastSync = {ok: true, when: new Date().toISOString(), n: sent};
  }, function () {
    S.lastSync = {ok: false, when: new Date().toISOString()};
  }).then(function () {
    S.syncing = false;
    renderStatus();
    renderProblems();
    updateShownItem();
    if (sent && navigator.onLine) { return loadPackage(); }
    return null;
  });
}

// The panel still says "saved on this device" for a collection a sync has just sent: say it is recorded.
function updateShownItem() {
  var shown = S.shownItem;
  if (!shown || shown.panel !== S.panel) { return; }
  var item = S.queue.filter(function (i) { return i.id === shown.id; })[0];
  if (!item || item.state === 'waiting') { return; }
  S.shownItem = null;
  var result = afterSend(shown.result, item, item.collection ? {collection: item.collection} : {});
  if (item.state === 'done') { result.message = msg('recorded_sync'); }
  result.beep = false;
  render(result);
}

// ---- status bar and problems ------------------------------------------------------------------
function renderStatus() {
  var net = navigator.onLine ? (S.net === 'unknown' ? 'online' : S.net) : 'offline';
  els.net.setAttribute('data-state', net);
  els.net.textContent = msg(net === 'signed_out' ? 'signed_out' : net);
  if (!S.pkgLoadedAt) {
    els.packageState.textContent = msg(S.pkgExpired ? 'package_expired' : 'package_none');
  } else {
    els.packageState.textContent = msg(S.pkgFresh ? 'package_loaded' : 'package_stored', {when: age(S.pkgLoadedAt)});
  }
  els.packageState.setAttribute('data-fresh', S.pkgFresh ? '1' : '0');
  var waiting = S.queue.filter(function (item) { return item.state === 'waiting'; }).length;
  els.waiting.textContent = String(waiting);
  if (!S.lastSync) {
    els.syncState.textContent = msg(waiting ? 'sync_never' : 'sync_nothing');
  } else if (S.lastSync.ok && !S.lastSync.n && !waiting) {
    els.syncState.textContent = msg('sync_all', {when: formatTime(S.lastSync.when)});
  } else if (S.lastSync.ok) {
    els.syncState.textContent = msg('sync_ok', {when: formatTime(S.lastSync.when), n: S.lastSync.n});
  } else {
    els.syncState.textContent = msg('sync_failed', {when: formatTime(S.lastSync.when)});
  }
}

// Why the server listed a stored collection for review, in the officer's words.
function flagsText(item) {
  var flags = item.flags && item.flags.length ? item.flags : ['double'];
  return flags.map(function (flag) { return msg('flag_' + flag); }).join(' ');
}

function renderProblems() {
  var problems = S.queue.filter(function (item) {
    return (item.state === 'problem' || item.state === 'flagged') && !item.hidden;
  });
  els.problemList.textContent = '';
  problems.forEach(function (item) {
    var li = document.createElement('li');
    li.setAttribute('data-outcome', item.outcome || '');
    var text = (item.household || item.body.household || '?') + ' · ' +
      formatTime(item.body.collected_at || item.body.skipped_at) +
      ' · ' + item.body.point + ' · ' + (item.state === 'flagged' ? flagsText(item) : msg(item.outcome || 'refused'));
    if (item.message) { text += ' (' + item.message + ')'; }
    li.textContent = text;
    els.problemList.appendChild(li);
  });
  show(els.problems, problems.length > 0);
}

// ---- the distribution point --------------------------------------------------------------------
function renderPoint() {
  var where = point();
  show(els.pointForm, !where);
  show(els.pointShown, !!where);
  els.pointName.textContent = where ? msg('point_saved', {point: where}) : '';
  root.classList.toggle('needs-point', !where);
  if (!where) { els.pointInput.value = ''; }
}

// ---- camera: keeps running for the next card ----------------------------------------------------------
function stopCamera() {
  if (S.camera) {
    S.camera.stop();
    S.camera = null;
  }
  S.cameraStarting = false;
  els.cameraBox.textContent = '';
  show(els.cameraBox, false);
  root.classList.remove('camera-on');
  els.cameraButton.textContent = msg('camera_off');
  els.cameraButton.setAttribute('aria-pressed', 'false');
}

function cameraRead(text) {
  var now = Date.now();
  // The same card held in front of the camera is read once, until it is taken away.
  if (text !== S.lastCamera || now - S.lastCameraAt > CAMERA_REPEAT_MS) {
    S.lastCamera = text;
    submitText(text).then(function () { els.code.focus(); });
  }
  S.lastCameraAt = now;
}

function startCamera() {
  if (!cameraSupported()) {
    showInputError(msg('no_camera'));
    return;
  }
  S.cameraStarting = true;
  show(els.cameraBox, true);
  root.classList.add('camera-on');
  els.cameraButton.textContent = msg('camera_on');
  els.cameraButton.setAttribute('aria-pressed', 'true');
  openCamera(els.cameraBox, cameraRead, root.dataset.workerUrl).then(function (camera) {
    if (!S.cameraStarting) { camera.stop(); return; }  // stopped while it started
    S.cameraStarting = false;
    S.camera = camera;
  }, function () {
    stopCamera();
    showInputError(msg('no_camera'));
  });
}

// ---- wiring ----------------------------------------------------------------------------------------
function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !root.dataset.swUrl) { return; }
  navigator.serviceWorker.addEventListener('message', function (event) {
    // The worker has the page and its files: it reloads without a link from now on.
    if (event.data && event.data.type === 'cached') { root.setAttribute('data-offline-ready', '1'); }
  });
  navigator.serviceWorker.register(root.dataset.swUrl, {scope: root.dataset.swScope}).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    var urls = [root.dataset.pageUrl].concat((root.dataset.assets || '').split(' ').filter(Boolean));
    if (registration.active) { registration.active.postMessage({type: 'cache', urls: urls}); }
  }).catch(function () { return null; });
}

function isTyping(target) {
  return target && (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' ||
    (target.tagName === 'INPUT' && target.type !== 'radio' && target.type !== 'checkbox'));
}

function init() {
  root = document.getElementById('scan-app');
  if (!root) { return; }
  S.roundId = parseInt(root.dataset.roundId, 10);
  var meta = document.querySelector('meta[name="csrf-token"]');
  S.csrf = meta ? meta.getAttribute('content') : '';
  ['outcome', 'problems'].forEach(function (id) { els[id] = document.getElementById(id); });
  els.icon = document.getElementById('outcome-icon');
  els.title = document.getElementById('outcome-title');
  els.detail = document.getElementById('outcome-detail');
  els.household = document.getElementById('outcome-household');
  els.photo = document.getElementById('outcome-photo');
  els.number = document.getElementById('outcome-number');
  els.feedback = document.getElementById('outcome-feedback');
  els.feedbackLink = document.getElementById('outcome-feedback-link');
  els.size = document.getElementById('outcome-size');
  els.card = document.getElementById('outcome-card');
  els.entitlement = document.getElementById('outcome-entitlement');
  els.entitlementTitle = document.getElementById('entitlement-title');
  els.recordBox = document.getElementById('record-box');
  els.recordButton = document.getElementById('record-button');
  els.byHead = document.getElementById('by-head');
  els.byAlternate = document.getElementById('by-alternate');
  els.alternateBox = document.getElementById('alternate-box');
  els.alternate = document.getElementById('alternate');
  els.form = document.getElementById('scan-form');
  els.code = document.getElementById('scan-code');
  els.inputError = document.getElementById('scan-input-error');
  els.cameraButton = document.getElementById('camera-button');
  els.cameraBox = document.getElementById('camera-box');
  els.net = document.getElementById('net-state');
  els.packageState = document.getElementById('package-state');
  els.packageWarning = document.getElementById('package-warning');
  els.waiting = document.getElementById('waiting-count');
  els.syncState = document.getElementById('sync-state');
  els.syncNow = document.getElementById('sync-now');
  els.problemList = document.getElementById('problem-list');
  els.problemsClear = document.getElementById('problems-clear');
  els.pointForm = document.getElementById('point-form');
  els.pointInput = document.getElementById('point');
  els.pointShown = document.getElementById('point-shown');
  els.pointName = document.getElementById('point-name');
  els.pointChange = document.getElementById('point-change');
  els.clockWarning = document.getElementById('clock-warning');
  els.unrecorded = document.getElementById('unrecorded');
  els.unrecordedText = document.getElementById('unrecorded-text');
  els.unrecordedRecord = document.getElementById('unrecorded-record');
  els.unrecordedSkip = document.getElementById('unrecorded-skip');

  if (!window.PanohCards) { showInputError(msg('no_webcrypto')); }
  renderPoint();
  renderStatus();

  els.form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = els.code.value;
    els.code.value = '';
    if (!text.trim()) {
      if (S.current) { recordCurrent(); } else if (S.pendingText) { checkPending(); }
      return;
    }
    submitText(text);
  });
  els.code.addEventListener('keydown', function (event) {
    if (event.key === ' ' && !els.code.value && S.current) {
      event.preventDefault();
      recordCurrent();
    }
  });
  // Enter on the collector choice records too; Enter or Space anywhere outside a field when valid.
  document.addEventListener('keydown', function (event) {
    if (!S.current || event.defaultPrevented || event.target === els.code) { return; }
    var onChoice = event.target && event.target.name === 'collected_by';
    if ((event.key === 'Enter' && (onChoice || !isTyping(event.target)) && event.target.tagName !== 'BUTTON' &&
         event.target.tagName !== 'A') ||
        (event.key === ' ' && (event.target === document.body || event.target === root))) {
      event.preventDefault();
      recordCurrent();
    }
  });
  els.recordButton.addEventListener('click', function () { recordCurrent(); });
  els.unrecordedRecord.addEventListener('click', function () { recordCurrent(); });
  els.unrecordedSkip.addEventListener('click', function () { skipCurrent(); els.code.focus(); });
  root.querySelectorAll('input[name="collected_by"]').forEach(function (radio) {
    radio.addEventListener('change', function () { show(els.alternateBox, els.byAlternate.checked); });
  });
  els.cameraButton.addEventListener('click', function () {
    if (S.camera || S.cameraStarting) { stopCamera(); } else { startCamera(); }
  });
  els.syncNow.addEventListener('click', function () { sync(true); });
  els.problemsClear.addEventListener('click', function () {
    var hidden = S.queue.filter(function (item) { return item.state === 'problem' || item.state === 'flagged'; });
    hidden.forEach(function (item) { item.hidden = true; });
    saveItems(hidden).then(renderProblems);
    els.code.focus();
  });
  els.pointForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var value = els.pointInput.value.trim().slice(0, 40);
    if (!value) { els.pointInput.focus(); return; }
    localStorage.setItem(POINT_KEY, value);
    hideInputError();
    renderPoint();
    els.code.focus();
  });
  els.pointChange.addEventListener('click', function () {
    els.pointInput.value = point();
    show(els.pointForm, true);
    show(els.pointShown, false);
    els.pointInput.focus();
  });
  window.addEventListener('online', function () {
    setNet('online');
    sync(false).then(function () { return S.pkgFresh ? null : loadPackage(); });
  });
  window.addEventListener('offline', function () { setNet('offline'); });
  setInterval(function () { sync(false).then(renderStatus); }, SYNC_EVERY);

  // Signing out: send what waits first (static/js/offline-data.js then keeps what could not be sent).
  window.PanohBeforeSignOut = function () {
    return waitingItems().length && navigator.onLine ? sync(true) : Promise.resolve();
  };
  registerServiceWorker();
  roundQueue(S.roundId).catch(function () { return []; }).then(function (items) {
    S.queue = (items || []).sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
    renderStatus();
    renderProblems();
    return loadPackage();
  }).then(restoreUnrecorded).then(function () { return sync(false); });
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', init);
} else {
  init();
}
