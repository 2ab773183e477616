// Checking a card or a household number. Online, every check asks the server (another device may have
// served the household a minute ago). When the request fails, the check runs here with the round's
// package plus this device's own queue, with the same outcomes, in the same order, as
// camps/distributions/scanning.py. No DOM: testable in Node with a package and a stand-in for the cards.
//
// A result: {outcome, source, query, number, serial, size, status, photo, entitlement, collection,
//            collectedHere, collectedBefore, alternates}

import {NUMBER_RE} from './codes.js';
import {campToday} from './format.js';
import {api} from './net.js';
import {dropPackage, packageExpired} from './package.js';
import {SYNC_EVERY} from './sync.js';

const CHECK_TIMEOUT = 4000;  // a person waits at the counter: after this, check on the device

// Whether a queued item means the household has been served (for the local check); a skip is none.
export function itemCounts(item) {
  if (item.kind === 'skip') { return false; }
  if (item.state === 'problem') { return item.outcome === 'already_collected'; }
  return true;
}

// This device's latest collection for the household (sent or not), or null.
export function localCollection(queue, number) {
  if (!number) { return null; }
  for (let i = queue.length - 1; i >= 0; i--) {
    if (queue[i].household === number && itemCounts(queue[i])) { return queue[i]; }
  }
  return null;
}

function householdResult(result, h, pkg) {
  result.number = h.n;
  result.size = h.s;
  result.status = h.st;
  result.photo = h.p || null;
  result.entitlement = ((pkg.round && pkg.round.items) || []).map((item, index) => {
    return {name: item.name, unit: item.unit, quantity: h.e ? h.e[index] : item.quantity};
  });
  result.alternates = (h.a || []).map((a) => ({id: a[0], name: a[1], name_orig: a[2]}));
  return result;
}

// query: {code} or {household}. Resolves to a result with source 'local'.
export function localCheck(ctx, query) {
  const state = ctx.state;
  const result = {outcome: null, source: 'local', query, serial: null, entitlement: [], alternates: []};
  if (packageExpired(state)) { dropPackage(ctx); }
  if (!state.pkg) { result.outcome = 'no_package'; return Promise.resolve(result); }
  const pkg = state.pkg;
  const round = pkg.round;
  const today = campToday(pkg);
  if (round.status !== 'open' || today < round.starts_on || today > round.ends_on) {
    result.outcome = 'round_closed';
    return Promise.resolve(result);
  }
  const card = query.code ? ctx.cards.verify(query.code, pkg.keys, state.revoked, today) : Promise.resolve(null);
  return card.then((verified) => {
    let number = query.household;
    if (verified) {
      result.serial = verified.token ? verified.token.serial : null;
      number = verified.token ? verified.token.household : null;
      if (verified.outcome !== 'valid') {
        result.outcome = verified.outcome;
        const shown = number && state.households.get(number);
        if (shown && (verified.outcome === 'revoked' || verified.outcome === 'expired')) {
          householdResult(result, shown, pkg);
          result.entitlement = [];
        }
        return result;
      }
    } else if (!NUMBER_RE.test(number || '')) {
      result.outcome = 'malformed';
      return result;
    }
    const h = state.households.get(number);
    if (!h) {
      // Not a household of this camp. A signed card proves the household exists elsewhere; a typed
      // number is unknown here, as the server answers (it does not tell which numbers exist elsewhere).
      result.outcome = verified ? 'wrong_camp' : 'unknown_household';
      result.number = number;
      return result;
    }
    householdResult(result, h, pkg);
    if ((round.qualifying || ['active']).indexOf(h.st) < 0) {
      result.outcome = 'not_eligible';
      result.entitlement = [];
      return result;
    }
    const here = localCollection(state.queue, h.n);
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

// Resolves to a result with source 'server', or rejects when the server did not answer.
export function serverCheck(ctx, query) {
  const state = ctx.state;
  // The server just failed to answer: check here at once rather than make the queue wait again
  // (the sync timer tries the link every 15 s).
  if (state.net === 'unreachable' && Date.now() - state.netSince < SYNC_EVERY) {
    return Promise.reject(new Error('network'));
  }
  return api(ctx, ctx.root.dataset.checkUrl, query, {timeout: CHECK_TIMEOUT}).then((answer) => {
    const data = answer.data || {};
    if (answer.status !== 200 || !data.outcome) { throw new Error('network'); }
    const h = data.household || {};
    const known = h.number && state.households.get(h.number);
    const result = {outcome: data.outcome, source: 'server', query, serial: data.serial || null,
                    number: h.number || null, size: h.size, status: h.status,
                    photo: (known && known.p) || h.photo || h.photo_url || null,
                    entitlement: data.entitlement || [], collection: data.collection || null,
                    alternates: data.alternates || []};
    // A collection of this device that has not reached the server yet still counts.
    if (result.outcome === 'valid') {
      const here = localCollection(state.queue, result.number);
      if (here) { result.outcome = 'already_collected'; result.collectedHere = here; }
    }
    return result;
  });
}
