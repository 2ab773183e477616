// At the counter: every scan, typed code and camera read comes to submit(); it is checked and shown, a
// valid household is recorded (Record, Enter, Space) or skipped, and the next card waits behind a valid
// household not recorded yet: that one is never dropped silently.
// Shows everything through ctx.view (verdict, inputError, unrecorded, status, problems, focus, collector):
// testable in Node with a stand-in view.

import {classify, foreignLayout, sameHousehold} from './codes.js';
import {localCheck, serverCheck} from './check.js';
import {api} from './net.js';
import {beep} from './sounds.js';
import {loadUnrecorded, saveUnrecorded} from './state.js';
import {point} from './status.js';
import {saveItems} from './store.js';
import {afterSend, applyResult, newCollection, newSkip, sync} from './sync.js';

export function check(ctx, text) {
  const {state, view, msg} = ctx;
  const seq = ++state.checkSeq;
  view.inputError(null);
  const kind = classify(text, ctx.cards);
  if (kind.error) {
    view.inputError(msg(kind.error));
    view.verdict({outcome: kind.error, source: 'local', query: kind, entitlement: [], alternates: [],
                  number: kind.household});
    return Promise.resolve(null);
  }
  if (foreignLayout(text, ctx.cards)) { view.inputError(msg('keyboard_layout')); }
  const query = kind.code ? {code: kind.code} : {household: kind.household};
  const asked = navigator.onLine ? serverCheck(ctx, query).catch(() => null) : Promise.resolve(null);
  return asked.then((result) => result || localCheck(ctx, query)).then((result) => {
    if (seq === state.checkSeq) { view.verdict(result); }
    return result;
  }, () => {
    if (seq === state.checkSeq) {
      view.verdict({outcome: 'error', source: 'local', query, entitlement: [], alternates: []});
    }
  });
}

// A scan or typed text: checked, unless a valid household not recorded yet is shown (then it waits).
export function submit(ctx, text) {
  const state = ctx.state;
  if (state.current && !sameHousehold(text, state.current.number, ctx.cards)) {
    state.pendingText = text;
    saveUnrecorded(state);
    ctx.view.unrecorded(state.current.number);
    beep('unrecorded');
    return Promise.resolve(null);
  }
  state.pendingText = null;
  ctx.view.unrecorded(null);
  return check(ctx, text);
}

// After "record it" or "skip it": the card that was waiting is checked now.
export function checkPending(ctx) {
  const pending = ctx.state.pendingText;
  ctx.state.pendingText = null;
  ctx.view.unrecorded(null);
  return pending ? check(ctx, pending) : Promise.resolve(null);
}

// After a reload: the household is checked again and, if a card was waiting, the question is asked again.
export function restoreUnrecorded(ctx) {
  const saved = loadUnrecorded(ctx.state);
  if (!saved || !saved.query || ctx.state.current) { return Promise.resolve(null); }
  return check(ctx, saved.query.code || saved.query.household || '').then(() => {
    return saved.pending ? submit(ctx, saved.pending) : null;
  });
}

export function skipCurrent(ctx) {
  const state = ctx.state;
  const current = state.current;
  if (!current) { return checkPending(ctx); }
  const item = newSkip(state, current, point());
  state.current = null;
  saveUnrecorded(state);
  ctx.view.recordBox(false);
  state.queue.push(item);
  saveItems([item]).catch(() => null).then(() => {
    ctx.view.status();
    if (navigator.onLine) { sync(ctx, false); }
  });
  return checkPending(ctx);
}

// Records the valid household shown: saved on this device first, then sent when online.
export function recordCurrent(ctx) {
  const {state, view} = ctx;
  const current = state.current;
  if (!current || current.outcome !== 'valid') { return undefined; }
  const where = point();
  if (!where) {
    view.inputError(ctx.msg('point_missing'));
    view.focus('point');
    return undefined;
  }
  const chosen = view.collector();
  const item = newCollection(state, current, where, chosen.by, chosen.alternateId);
  state.current = null;
  view.recordBox(false);
  state.queue.push(item);
  let panel;
  return saveItems([item]).catch(() => null).then(() => {
    view.status();
    const online = navigator.onLine;
    view.verdict(Object.assign({}, current, {outcome: online ? 'sending' : 'queued', beep: !online}));
    panel = state.panel;
    state.shownItem = {id: item.id, panel, result: current};
    view.focus('code');
    if (state.pendingText) { checkPending(ctx); }
    if (!navigator.onLine) { return null; }
    item.sending = true;
    const sent = Object.assign({sent_at: new Date().toISOString()}, item.body);
    return api(ctx, ctx.root.dataset.collectionsUrl, sent).then((answer) => {
      item.sending = false;
      applyResult(item, answer.status, answer.data || {});
      return saveItems([item]).then(() => {
        view.status();
        view.problems();
        if (panel === state.panel) { view.verdict(afterSend(ctx.msg, current, item, answer.data || {})); }
      });
    }, (error) => {
      // The link dropped between the check and the record: the collection happened offline.
      item.sending = false;
      if (error.message === 'network') { item.body.offline = true; }
      return saveItems([item]).then(() => view.status());
    });
  });
}
