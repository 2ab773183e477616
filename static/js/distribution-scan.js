// The distribution point's scan page: check a card (or a typed household number), show the outcome at
// once, record the collection, and keep working when the link drops. This module only wires the others
// (static/js/scan/, ES modules without a build step, each testable alone: tests/js/ and tests/browser):
//
//   state.js    the page's state, one object passed to every module as ctx.state
//   codes.js    what was scanned or typed: card code or household number (check character)
//   net.js      requests to the server, the state of the link, the clock's skew
//   package.js  the round's package for offline checks (loaded, stored, expired)
//   check.js    a check, by the server or, offline, on this device
//   sync.js     the queue of collections and skips recorded here, and sending it
//   store.js    IndexedDB ("panoh-distribution": "packages" by round id, "queue" by collection id)
//   counter.js  the flow at the counter: check, record, skip, the card waiting behind a valid household
//   verdict.js  the verdict panel; status.js the status bar, clock warning, problems, point
//   camera-button.js, camera.js, decoder.js, qr-worker.js  the camera (zxing-cpp in a worker)
//   sounds.js   the beeps; format.js messages and times; dom.js the page's elements
//
// ctx = {root, els, msg, cards, state, view}: cards is window.PanohCards (static/js/card-verify.js), view
// the functions the modules without DOM (net, package, check, sync, counter) show things with.
// "Today" is the camp's day: this device's clock with the camp's UTC offset from the package. Signing out
// removes the package (static/js/offline-data.js); the queue is sent first. No inline script (CSP): every
// message comes from data-msg-* attributes of #scan-app.
import {toggleCamera} from './scan/camera-button.js';
import {checkPending, recordCurrent, restoreUnrecorded, skipCurrent, submit} from './scan/counter.js';
import {elements, show} from './scan/dom.js';
import {messages} from './scan/format.js';
import {setNet} from './scan/net.js';
import {loadPackage} from './scan/package.js';
import {createState} from './scan/state.js';
import {point, renderClock, renderPoint, renderProblems, renderStatus, savePoint,
        showPackageWarning} from './scan/status.js';
import {roundQueue, saveItems} from './scan/store.js';
import {SYNC_EVERY, sync, waitingItems} from './scan/sync.js';
import {collector, hideInputError, render, showInputError, showUnrecorded} from './scan/verdict.js';

function makeView(ctx) {
  const els = ctx.els;
  return {
    status: () => renderStatus(ctx),
    problems: () => renderProblems(ctx),
    clock: () => renderClock(ctx),
    packageWarning: (key) => showPackageWarning(ctx, key),
    verdict: (result) => render(ctx, result),
    inputError: (text) => (text ? showInputError(ctx, text) : hideInputError(ctx)),
    unrecorded: (number) => showUnrecorded(ctx, number),
    recordBox: (visible) => show(els.recordBox, visible),
    collector: () => collector(ctx),
    focus: (name) => (name === 'point' ? els.pointInput : els.code).focus(),
  };
}

function registerServiceWorker(root) {
  if (!('serviceWorker' in navigator) || !root.dataset.swUrl) { return; }
  navigator.serviceWorker.addEventListener('message', (event) => {
    // The worker has the page and its files: it reloads without a link from now on.
    if (event.data && event.data.type === 'cached') { root.setAttribute('data-offline-ready', '1'); }
  });
  navigator.serviceWorker.register(root.dataset.swUrl, {scope: root.dataset.swScope}).then(() => {
    return navigator.serviceWorker.ready;
  }).then((registration) => {
    const urls = [root.dataset.pageUrl].concat((root.dataset.assets || '').split(' ').filter(Boolean));
    if (registration.active) { registration.active.postMessage({type: 'cache', urls}); }
  }).catch(() => null);
}

function isTyping(target) {
  return target && (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' ||
    (target.tagName === 'INPUT' && target.type !== 'radio' && target.type !== 'checkbox'));
}

function wireCounter(ctx) {
  const {els, root, state} = ctx;
  els.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = els.code.value;
    els.code.value = '';
    if (!text.trim()) {
      if (state.current) { recordCurrent(ctx); } else if (state.pendingText) { checkPending(ctx); }
      return;
    }
    submit(ctx, text);
  });
  els.code.addEventListener('keydown', (event) => {
    if (event.key === ' ' && !els.code.value && state.current) {
      event.preventDefault();
      recordCurrent(ctx);
    }
  });
  // Enter on the collector choice records too; Enter or Space anywhere outside a field when valid.
  document.addEventListener('keydown', (event) => {
    if (!state.current || event.defaultPrevented || event.target === els.code) { return; }
    const target = event.target;
    const onChoice = target && target.name === 'collected_by';
    if ((event.key === 'Enter' && (onChoice || !isTyping(target)) && target.tagName !== 'BUTTON' &&
         target.tagName !== 'A') ||
        (event.key === ' ' && (target === document.body || target === root))) {
      event.preventDefault();
      recordCurrent(ctx);
    }
  });
  els.recordButton.addEventListener('click', () => { recordCurrent(ctx); });
  els.unrecordedRecord.addEventListener('click', () => { recordCurrent(ctx); });
  els.unrecordedSkip.addEventListener('click', () => { skipCurrent(ctx); els.code.focus(); });
  root.querySelectorAll('input[name="collected_by"]').forEach((radio) => {
    radio.addEventListener('change', () => { show(els.alternateBox, els.byAlternate.checked); });
  });
  els.cameraButton.addEventListener('click', () => {
    toggleCamera(ctx, (text) => submit(ctx, text).then(() => els.code.focus()));
  });
}

function wirePoint(ctx) {
  const els = ctx.els;
  els.pointForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = els.pointInput.value.trim().slice(0, 40);
    if (!value) { els.pointInput.focus(); return; }
    savePoint(value);
    hideInputError(ctx);
    renderPoint(ctx);
    els.code.focus();
  });
  els.pointChange.addEventListener('click', () => {
    els.pointInput.value = point();
    show(els.pointForm, true);
    show(els.pointShown, false);
    els.pointInput.focus();
  });
}

function wireSync(ctx) {
  const {els, state} = ctx;
  els.syncNow.addEventListener('click', () => { sync(ctx, true); });
  els.problemsClear.addEventListener('click', () => {
    const hidden = state.queue.filter((item) => item.state === 'problem' || item.state === 'flagged');
    hidden.forEach((item) => { item.hidden = true; });
    saveItems(hidden).then(() => renderProblems(ctx));
    els.code.focus();
  });
  window.addEventListener('online', () => {
    setNet(ctx, 'online');
    sync(ctx, false).then(() => (state.pkgFresh ? null : loadPackage(ctx)));
  });
  window.addEventListener('offline', () => { setNet(ctx, 'offline'); });
  setInterval(() => { sync(ctx, false).then(() => renderStatus(ctx)); }, SYNC_EVERY);
  // Signing out: send what waits first (static/js/offline-data.js then keeps what could not be sent).
  window.PanohBeforeSignOut = () => (waitingItems(state).length && navigator.onLine ? sync(ctx, true)
    : Promise.resolve());
}

function init() {
  const root = document.getElementById('scan-app');
  if (!root) { return; }
  const meta = document.querySelector('meta[name="csrf-token"]');
  const ctx = {root, els: elements(document), msg: messages(root), cards: window.PanohCards || null,
               state: createState(parseInt(root.dataset.roundId, 10), meta ? meta.getAttribute('content') : '')};
  ctx.view = makeView(ctx);

  if (!ctx.cards) { showInputError(ctx, ctx.msg('no_webcrypto')); }
  renderPoint(ctx);
  renderStatus(ctx);
  wireCounter(ctx);
  wirePoint(ctx);
  wireSync(ctx);
  registerServiceWorker(root);
  roundQueue(ctx.state.roundId).catch(() => []).then((items) => {
    ctx.state.queue = (items || []).sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
    renderStatus(ctx);
    renderProblems(ctx);
    return loadPackage(ctx);
  }).then(() => restoreUnrecorded(ctx)).then(() => sync(ctx, false));
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', init);
} else {
  init();
}
