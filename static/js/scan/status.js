// Below the verdict: the state of the link, the package and the queue, the clock warning, the
// collections to review and the distribution point (chosen once per device, in localStorage).

import {show} from './dom.js';
import {age, flagsText, formatTime} from './format.js';

const POINT_KEY = 'panoh-distribution-point';
const CLOCK_WARNING = 5 * 60000;

export function point() { return (localStorage.getItem(POINT_KEY) || '').trim(); }

export function savePoint(value) { localStorage.setItem(POINT_KEY, value); }

export function renderStatus(ctx) {
  const {els, msg, state} = ctx;
  const net = navigator.onLine ? (state.net === 'unknown' ? 'online' : state.net) : 'offline';
  els.net.setAttribute('data-state', net);
  els.net.textContent = msg(net === 'signed_out' ? 'signed_out' : net);
  if (!state.pkgLoadedAt) {
    els.packageState.textContent = msg(state.pkgExpired ? 'package_expired' : 'package_none');
  } else {
    els.packageState.textContent = msg(state.pkgFresh ? 'package_loaded' : 'package_stored',
                                       {when: age(msg, state.pkgLoadedAt)});
  }
  els.packageState.setAttribute('data-fresh', state.pkgFresh ? '1' : '0');
  const waiting = state.queue.filter((item) => item.state === 'waiting').length;
  els.waiting.textContent = String(waiting);
  const last = state.lastSync;
  if (!last) {
    els.syncState.textContent = msg(waiting ? 'sync_never' : 'sync_nothing');
  } else if (last.ok && !last.n && !waiting) {
    els.syncState.textContent = msg('sync_all', {when: formatTime(last.when)});
  } else if (last.ok) {
    els.syncState.textContent = msg('sync_ok', {when: formatTime(last.when), n: last.n});
  } else {
    els.syncState.textContent = msg('sync_failed', {when: formatTime(last.when)});
  }
}

// A clock more than 5 minutes off the server's is shown, for the officer to set right.
export function renderClock(ctx) {
  const {els, msg, state} = ctx;
  const skew = state.clockSkew;
  const off = skew !== null && Math.abs(skew) > CLOCK_WARNING;
  if (off) {
    els.clockWarning.textContent = msg(skew > 0 ? 'clock_ahead' : 'clock_behind', {n: Math.round(Math.abs(skew) / 60000)});
  }
  els.clockWarning.setAttribute('data-skew-minutes', skew === null ? '' : String(Math.round(skew / 60000)));
  show(els.clockWarning, off);
}

// key: a message (the revocation list is not signed, no WebCrypto), or null to hide the warning.
export function showPackageWarning(ctx, key) {
  if (key) { ctx.els.packageWarning.textContent = ctx.msg(key); }
  show(ctx.els.packageWarning, !!key);
}

export function renderProblems(ctx) {
  const {els, msg, state} = ctx;
  const problems = state.queue.filter((item) => (item.state === 'problem' || item.state === 'flagged') && !item.hidden);
  els.problemList.textContent = '';
  problems.forEach((item) => {
    const li = document.createElement('li');
    li.setAttribute('data-outcome', item.outcome || '');
    let text = (item.household || item.body.household || '?') + ' · ' +
      formatTime(item.body.collected_at || item.body.skipped_at) +
      ' · ' + item.body.point + ' · ' + (item.state === 'flagged' ? flagsText(msg, item) : msg(item.outcome || 'refused'));
    if (item.message) { text += ' (' + item.message + ')'; }
    li.textContent = text;
    els.problemList.appendChild(li);
  });
  show(els.problems, problems.length > 0);
}

export function renderPoint(ctx) {
  const {els, msg, root} = ctx;
  const where = point();
  show(els.pointForm, !where);
  show(els.pointShown, !!where);
  els.pointName.textContent = where ? msg('point_saved', {point: where}) : '';
  root.classList.toggle('needs-point', !where);
  if (!where) { els.pointInput.value = ''; }
}
