// Stand-ins for what the scan page's modules get from the browser: the link (navigator.onLine), fetch,
// localStorage, the page's root element (messages, URLs) and ctx.view (what the DOM modules show).

import {createState} from '../../../static/js/scan/state.js';
import {messages} from '../../../static/js/scan/format.js';

export function setOnline(online) {
  Object.defineProperty(globalThis, 'navigator', {value: {onLine: online}, configurable: true, writable: true});
}

// fetch answering handler(url, options) -> {status, body, type}; the requests made are in .calls.
export function stubFetch(handler) {
  const calls = [];
  globalThis.fetch = async (url, options) => {
    calls.push({url, options, body: options && options.body ? JSON.parse(options.body) : undefined});
    const answer = await handler(url, options || {});
    if (answer instanceof Error) { throw answer; }
    const type = answer.type || 'application/json';
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body || {});
    return new Response(answer.status === 204 ? null : text, {status: answer.status || 200,
                                                             headers: {'Content-Type': type}});
  };
  return calls;
}

export function stubStorage() {
  const data = new Map();
  return {
    getItem: (key) => (data.has(key) ? data.get(key) : null),
    setItem: (key, value) => { data.set(key, String(value)); },
    removeItem: (key) => { data.delete(key); },
    data,
  };
}

// A root element whose message data-msg-<key> is "[key]".
export function fakeRoot(dataset = {}) {
  return {
    dataset: Object.assign({pageUrl: '/page', packageUrl: '/package', checkUrl: '/check',
                            collectionsUrl: '/collections', syncUrl: '/sync'}, dataset),
    getAttribute: (name) => (name.startsWith('data-msg-') ? '[' + name.slice(9) + ']' : null),
  };
}

// A view recording every call: view.calls.verdict is the list of results shown, and so on.
export function fakeView(overrides = {}) {
  const calls = {};
  const record = (name) => (...args) => { (calls[name] = calls[name] || []).push(args.length > 1 ? args : args[0]); };
  const view = {calls};
  ['status', 'problems', 'clock', 'packageWarning', 'verdict', 'inputError', 'unrecorded', 'recordBox', 'focus']
    .forEach((name) => { view[name] = record(name); });
  view.collector = () => ({by: 'head', alternateId: null});
  return Object.assign(view, overrides);
}

// The cards' stand-in: codes "CARD:<household>:<outcome>" verify to that outcome for that household.
export const fakeCards = {
  normalise: (text) => (/[\u0400-\u04ff]/.test(text) ? null : text.trim()),
  parse: (code) => {
    const parts = code.split(':');
    return parts[0] === 'CARD' ? {token: {household: parts[1], serial: 'S-' + parts[1]}} : null;
  },
  verify: async (code) => {
    const parsed = fakeCards.parse(code);
    if (!parsed) { return {outcome: 'malformed', token: null}; }
    return {outcome: code.split(':')[2] || 'valid', token: parsed.token};
  },
  verifyRevocationDocument: async () => true,
};

export function makeCtx(options = {}) {
  const root = fakeRoot(options.dataset);
  return {root, msg: messages(root), cards: 'cards' in options ? options.cards : fakeCards,
          state: createState(options.roundId || 7, 'token-1'), view: fakeView(options.view)};
}

// A package open today with households KHR-000123-O (active, 4 people), KHR-000001-7 (collected) and
// ABC-999999-E (left: not eligible).
export function aPackage(overrides = {}) {
  const today = new Date(Date.now() + 300 * 60000).toISOString().slice(0, 10);
  return Object.assign({
    round: {status: 'open', starts_on: today, ends_on: today, qualifying: ['active'], alternates_allowed: true,
            items: [{name: 'Flour', unit: 'kg', quantity: 25}]},
    camp_utc_offset_minutes: 300,
    keys: {},
    revoked: {serials: []},
    households: [{n: 'KHR-000123-O', s: 4, st: 'active', e: [50], a: [[3, 'Alt', 'Альт']]},
                 {n: 'KHR-000001-7', s: 2, st: 'active', c: true},
                 {n: 'ABC-999999-E', s: 1, st: 'left'}],
  }, overrides);
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
