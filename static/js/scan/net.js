// Talking to the server: JSON requests with the CSRF token, a timeout, the state of the link
// (ctx.state.net) and how far this device's clock is from the server's (ctx.state.clockSkew).
// No DOM: what changed is shown through ctx.view (status, clock). Testable in Node with a stubbed fetch.

import {parseTime} from './format.js';

const REQUEST_TIMEOUT = 10000;

// online, offline, unreachable or signed_out; "online" while the browser says it is offline is offline.
export function setNet(ctx, net) {
  const state = ctx.state;
  if (net === 'online' && !navigator.onLine) { net = 'offline'; }
  if (net !== state.net) { state.netSince = Date.now(); }
  state.net = net;
  ctx.view.status();
}

// How far this device's clock is from the server's (the middle of the request against the server's time).
export function noteServerTime(ctx, iso, sentAt, receivedAt) {
  const server = parseTime(iso);
  if (!server) { return; }
  ctx.state.clockSkew = (sentAt + receivedAt) / 2 - server.getTime();
  ctx.view.clock();
}

// A fresh CSRF token from the page itself (one kept offline for hours may hold a stale one).
export function refreshCsrf(ctx) {
  return fetch(ctx.root.dataset.pageUrl, {credentials: 'same-origin', cache: 'no-store'})
    .then((response) => response.text())
    .then((html) => {
      const found = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
      if (found) { ctx.state.csrf = found[1]; return true; }
      return false;
    });
}

// GET url (body undefined) or POST body as JSON. Resolves to {status, data} (data: the JSON answer) or
// rejects: Error('network'), Error('signed_out'), Error('rejected'). opts: {timeout, retried}.
export function api(ctx, url, body, opts) {
  opts = opts || {};
  const controller = globalThis.AbortController ? new AbortController() : null;
  const timer = controller ? setTimeout(() => controller.abort(), opts.timeout || REQUEST_TIMEOUT) : null;
  const options = {method: body === undefined ? 'GET' : 'POST', credentials: 'same-origin', cache: 'no-store',
                   headers: {'Accept': 'application/json'}, signal: controller ? controller.signal : undefined};
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.headers['X-CSRFToken'] = ctx.state.csrf;
    options.body = JSON.stringify(body);
  }
  const sentAt = Date.now();
  return fetch(url, options).then((response) => {
    if (timer) { clearTimeout(timer); }
    const json = (response.headers.get('Content-Type') || '').indexOf('json') >= 0;
    if (response.status === 401 || response.status === 403 || response.redirected || (!json && response.ok)) {
      setNet(ctx, 'signed_out');
      throw new Error('signed_out');
    }
    if (response.status >= 500 || !json) {
      setNet(ctx, 'unreachable');
      throw new Error('network');
    }
    setNet(ctx, 'online');
    return response.json().then((data) => {
      if (data && data.server_time) { noteServerTime(ctx, data.server_time, sentAt, Date.now()); }
      if (response.status === 400 && data && data.error && !data.outcome && body !== undefined) {
        // Refused as a whole (a stale CSRF token of a page kept offline): get a fresh token, try once more.
        if (opts.retried) { throw new Error('rejected'); }
        return refreshCsrf(ctx).then((ok) => {
          if (!ok) { throw new Error('signed_out'); }
          return api(ctx, url, body, {retried: true, timeout: opts.timeout});
        });
      }
      return {status: response.status, data};
    });
  }, () => {
    if (timer) { clearTimeout(timer); }
    setNet(ctx, navigator.onLine ? 'unreachable' : 'offline');
    throw new Error('network');
  });
}
