import assert from 'node:assert/strict';
import {beforeEach, test} from 'node:test';

import {api, setNet} from '../../../static/js/scan/net.js';
import {makeCtx, setOnline, stubFetch} from './helpers.mjs';

beforeEach(() => setOnline(true));

test('a JSON answer: online, and the clock compared with the server time', async () => {
  const ctx = makeCtx();
  const ahead = new Date(Date.now() - 7 * 60000).toISOString().replace('Z', '');  // server 7 min behind
  const calls = stubFetch(() => ({status: 200, body: {outcome: 'valid', server_time: ahead}}));
  const answer = await api(ctx, '/check', {code: 'x'});
  assert.equal(answer.status, 200);
  assert.equal(answer.data.outcome, 'valid');
  assert.equal(ctx.state.net, 'online');
  assert.equal(Math.round(ctx.state.clockSkew / 60000), 7);
  assert.equal(ctx.view.calls.clock.length, 1);
  assert.equal(calls[0].options.method, 'POST');
  assert.equal(calls[0].options.headers['X-CSRFToken'], 'token-1');
  assert.deepEqual(calls[0].body, {code: 'x'});
});

test('signed out (401, or an HTML page) and unreachable (5xx, no answer)', async () => {
  const ctx = makeCtx();
  stubFetch(() => ({status: 401}));
  await assert.rejects(api(ctx, '/check'), /signed_out/);
  assert.equal(ctx.state.net, 'signed_out');
  stubFetch(() => ({status: 200, type: 'text/html', body: '<html>'}));
  await assert.rejects(api(ctx, '/check'), /signed_out/);
  stubFetch(() => ({status: 502}));
  await assert.rejects(api(ctx, '/check'), /network/);
  assert.equal(ctx.state.net, 'unreachable');
  stubFetch(() => new TypeError('Failed to fetch'));
  setOnline(false);
  await assert.rejects(api(ctx, '/check'), /network/);
  assert.equal(ctx.state.net, 'offline');
});

test('a stale CSRF token: a fresh one from the page, and the request once more', async () => {
  const ctx = makeCtx();
  let refused = 0;
  const calls = stubFetch((url, options) => {
    if (url === '/page') { return {status: 200, type: 'text/html', body: '<meta name="csrf-token" content="fresh">'}; }
    if (options.headers['X-CSRFToken'] !== 'fresh') { refused++; return {status: 400, body: {error: 'csrf'}}; }
    return {status: 201, body: {outcome: 'recorded'}};
  });
  const answer = await api(ctx, '/collections', {id: 'a'});
  assert.equal(answer.status, 201);
  assert.equal(refused, 1);
  assert.equal(ctx.state.csrf, 'fresh');
  assert.deepEqual(calls.map((c) => c.url), ['/collections', '/page', '/collections']);
});

test('online is offline while the browser says so', () => {
  const ctx = makeCtx();
  setOnline(false);
  setNet(ctx, 'online');
  assert.equal(ctx.state.net, 'offline');
  assert.equal(ctx.view.calls.status.length, 1);
});
