import assert from 'node:assert/strict';
import {beforeEach, test} from 'node:test';

import {roundQueue} from '../../../static/js/scan/store.js';
import {afterSend, applyResult, newCollection, newSkip, sync, updateShownItem}
  from '../../../static/js/scan/sync.js';
import {makeCtx, setOnline, stubFetch} from './helpers.mjs';

beforeEach(() => setOnline(true));

const current = {outcome: 'valid', source: 'server', query: {household: 'KHR-000123-O'}, number: 'KHR-000123-O',
                 serial: null, size: 4};

test('a collection and a skip as the server takes them', () => {
  const ctx = makeCtx({roundId: 41});
  const item = newCollection(ctx.state, current, 'DP-1', 'alternate', 3, '2026-01-01T10:00:00.000Z');
  assert.match(item.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(item.body, {id: item.id, collected_at: '2026-01-01T10:00:00.000Z', point: 'DP-1',
                               collected_by: 'alternate', alternate_id: 3, offline: false,
                               household: 'KHR-000123-O'});
  assert.equal(item.state, 'waiting');
  const skip = newSkip(ctx.state, current, '', '2026-01-01T10:00:00.000Z');
  assert.equal(skip.kind, 'skip');
  assert.deepEqual(skip.body, {id: skip.id, household: 'KHR-000123-O', point: '-', skipped_at: skip.created_at});
});

test("the server's answer about one collection", () => {
  const item = () => ({id: 'a', state: 'waiting'});
  const done = item();
  applyResult(done, 201, {outcome: 'recorded'});
  assert.equal(done.state, 'done');
  const flagged = item();
  applyResult(flagged, 200, {outcome: 'flagged_double'});
  assert.deepEqual([flagged.state, flagged.flags], ['flagged', ['double']]);
  const refused = item();
  applyResult(refused, 409, {outcome: 'already_collected', detail: 'no', collection: {point: 'DP-2'}});
  assert.deepEqual([refused.state, refused.outcome, refused.message], ['problem', 'already_collected', 'no']);
  const failed = item();
  applyResult(failed, 503, {});
  assert.equal(failed.state, 'waiting');  // sent again
});

test('the verdict once the answer came', () => {
  const msg = (key) => key;
  assert.equal(afterSend(msg, current, {state: 'done'}, {}).outcome, 'recorded');
  const flagged = afterSend(msg, current, {state: 'flagged', outcome: 'flagged', flags: ['clock']}, {});
  assert.deepEqual([flagged.outcome, flagged.message], ['flagged', 'flag_clock']);
  const refused = afterSend(msg, Object.assign({entitlement: [1]}, current), {state: 'problem', outcome: 'revoked'}, {});
  assert.deepEqual([refused.outcome, refused.entitlement, refused.source], ['revoked', [], 'server']);
  assert.deepEqual(afterSend(msg, current, {state: 'waiting'}, {}).beep, false);
});

test('sync sends collections and skips in one request, and keeps what the server did not settle', async () => {
  const ctx = makeCtx({roundId: 42});
  const one = newCollection(ctx.state, current, 'DP-1', 'head', null);
  const two = newSkip(ctx.state, current, 'DP-1');
  const three = newCollection(ctx.state, current, 'DP-1', 'head', null);
  ctx.state.queue.push(one, two, three);
  const calls = stubFetch((url) => {
    if (url === '/package') { return {status: 503}; }
    return {status: 200, body: {results: [{id: one.id.toUpperCase(), status: 201, outcome: 'recorded'},
                                          {id: two.id, status: 200, outcome: 'skip_noted'}]}};
  });
  await sync(ctx, false);
  assert.deepEqual(calls[0].body.collections.map((b) => b.id), [one.id, three.id]);
  assert.deepEqual(calls[0].body.skips.map((b) => b.id), [two.id]);
  assert.deepEqual([one.state, two.state, three.state], ['done', 'done', 'waiting']);
  assert.deepEqual(ctx.state.lastSync.n, 2);
  assert.ok(!ctx.state.syncing);
  assert.equal(calls[1].url, '/package');  // something was sent: the package is loaded again
  assert.deepEqual((await roundQueue(42)).map((i) => i.state).sort(), ['done', 'done', 'waiting']);
});

test('"Sync now" offline says it failed; the collections stay', async () => {
  setOnline(false);
  const ctx = makeCtx({roundId: 43});
  ctx.state.queue.push(newCollection(ctx.state, current, 'DP-1', 'head', null));
  await sync(ctx, true);
  assert.equal(ctx.state.lastSync.ok, false);
  assert.equal(ctx.state.queue[0].state, 'waiting');
});

test('the panel showing a collection as saved says it is recorded once a sync sent it', () => {
  const ctx = makeCtx();
  const item = newCollection(ctx.state, current, 'DP-1', 'head', null);
  item.state = 'done';
  ctx.state.queue.push(item);
  ctx.state.panel = 5;
  ctx.state.shownItem = {id: item.id, panel: 5, result: current};
  updateShownItem(ctx);
  const shown = ctx.view.calls.verdict[0];
  assert.deepEqual([shown.outcome, shown.message, shown.beep], ['recorded', '[recorded_sync]', false]);
  assert.equal(ctx.state.shownItem, null);
});
