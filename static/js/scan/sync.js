// The queue of collections and skips recorded on this device (ctx.state.queue, kept in IndexedDB) and
// sending it. Each gets an id made here and the device's clock; it is sent at once when online, else on
// the `online` event, every 15 s and with "Sync now". The server accepts each id once, so sending again
// is harmless. Refusals and collections flagged for review are listed, never dropped.
// No DOM: ctx.view (status, problems, verdict) shows what changed. Testable in Node with a stubbed fetch.

import {flagsText} from './format.js';
import {api} from './net.js';
import {loadPackage, packageStale} from './package.js';
import {saveItems} from './store.js';

export const SYNC_EVERY = 15000;
const SYNC_BATCH = 100;
const FLAGGED = ['flagged_double', 'flagged', 'id_conflict'];

export function uuid() {
  const crypto = globalThis.crypto;
  if (crypto.randomUUID) { return crypto.randomUUID(); }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.prototype.map.call(b, (x) => (x + 0x100).toString(16).slice(1)).join('');
  return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' +
    hex.slice(20);
}

// The queue item of a collection of the valid household `current` (a check result).
export function newCollection(state, current, point, by, alternateId, now = new Date().toISOString()) {
  const id = uuid();
  const body = {id, collected_at: now, point, collected_by: by, alternate_id: alternateId,
                offline: current.source !== 'server'};
  if (current.query.code) { body.code = current.query.code; } else { body.household = current.query.household; }
  return {id, round_id: state.roundId, household: current.number, serial: current.serial, size: current.size,
          state: 'waiting', outcome: null, created_at: now, body};
}

// The queue item of a valid household not served (the officer answered "skip it").
export function newSkip(state, current, point, now = new Date().toISOString()) {
  const id = uuid();
  return {id, kind: 'skip', round_id: state.roundId, household: current.number, state: 'waiting', outcome: null,
          created_at: now, body: {id, household: current.number, point: point || '-', skipped_at: now}};
}

// One answer of the server about one collection, from POST .../collections or an item of .../sync.
export function applyResult(item, status, data) {
  const outcome = data.outcome;
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

// The verdict to show once a collection shown as saved or being sent got its answer.
export function afterSend(msg, current, item, data) {
  const result = Object.assign({}, current, {beep: true});
  if (item.state === 'done') {
    result.outcome = 'recorded';
  } else if (item.state === 'flagged') {
    result.outcome = item.outcome || 'flagged';
    result.message = flagsText(msg, item);
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

export function waitingItems(state) {
  return state.queue.filter((item) => item.state === 'waiting' && !item.sending);
}

// One request of .../sync for a batch of items; onSent() for each item the server has settled.
function sendBatch(ctx, batch, onSent) {
  batch.forEach((item) => { item.sending = true; });
  const kinds = (skip) => batch.filter((item) => (item.kind === 'skip') === skip).map((item) => item.body);
  const body = {collections: kinds(false), skips: kinds(true), sent_at: new Date().toISOString()};
  return api(ctx, ctx.root.dataset.syncUrl, body).then((answer) => {
    const results = (answer.data && answer.data.results) || [];
    const byId = new Map(results.map((r) => [String(r.id).toLowerCase(), r]));
    batch.forEach((item) => {
      item.sending = false;
      const r = byId.get(item.id.toLowerCase());
      if (r) {
        applyResult(item, r.status, r);
        if (item.state !== 'waiting') { onSent(); }
      }
    });
    return saveItems(batch);
  }, (error) => {
    batch.forEach((item) => { item.sending = false; });
    throw error;
  });
}

// Sends what waits, in batches; manual ("Sync now") also says when nothing could be sent and reloads
// the package. Resolves when done (never rejects).
export function sync(ctx, manual) {
  const state = ctx.state;
  if (state.syncing) { return Promise.resolve(); }
  const waiting = waitingItems(state);
  if (!waiting.length) {
    if (manual) {
      state.lastSync = {ok: true, when: new Date().toISOString(), n: 0};
      return (navigator.onLine ? loadPackage(ctx) : Promise.resolve()).then(() => ctx.view.status());
    }
    if (navigator.onLine && packageStale(state)) { return loadPackage(ctx); }
    return Promise.resolve();
  }
  if (!navigator.onLine) {
    if (manual) { state.lastSync = {ok: false, when: new Date().toISOString()}; ctx.view.status(); }
    return Promise.resolve();
  }
  state.syncing = true;
  let sent = 0;
  const batches = [];
  for (let i = 0; i < waiting.length; i += SYNC_BATCH) { batches.push(waiting.slice(i, i + SYNC_BATCH)); }
  const counted = () => { sent++; };
  const chain = batches.reduce((previous, batch) => previous.then(() => sendBatch(ctx, batch, counted)),
                               Promise.resolve());
  return chain.then(() => {
    state.lastSync = {ok: true, when: new Date().toISOString(), n: sent};
  }, () => {
    state.lastSync = {ok: false, when: new Date().toISOString()};
  }).then(() => {
    state.syncing = false;
    ctx.view.status();
    ctx.view.problems();
    updateShownItem(ctx);
    if (sent && navigator.onLine) { return loadPackage(ctx); }
    return null;
  });
}

// The panel still says "saved on this device" for a collection a sync has just sent: say it is recorded.
export function updateShownItem(ctx) {
  const state = ctx.state;
  const shown = state.shownItem;
  if (!shown || shown.panel !== state.panel) { return; }
  const item = state.queue.filter((i) => i.id === shown.id)[0];
  if (!item || item.state === 'waiting') { return; }
  state.shownItem = null;
  const result = afterSend(ctx.msg, shown.result, item, item.collection ? {collection: item.collection} : {});
  if (item.state === 'done') { result.message = ctx.msg('recorded_sync'); }
  result.beep = false;
  ctx.view.verdict(result);
}
