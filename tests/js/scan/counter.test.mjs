// The flow at the counter, offline (checked on this device) with a stand-in view.
import assert from 'node:assert/strict';
import {beforeEach, test} from 'node:test';

import {check, recordCurrent, restoreUnrecorded, skipCurrent, submit} from '../../../static/js/scan/counter.js';
import {usePackage} from '../../../static/js/scan/package.js';
import {aPackage, makeCtx, setOnline, stubStorage} from './helpers.mjs';

let local;
beforeEach(() => {
  setOnline(false);
  local = stubStorage();
  globalThis.localStorage = local;
  globalThis.sessionStorage = stubStorage();
  local.setItem('panoh-distribution-point', 'DP-3');
});

// A ctx whose verdicts become state.current as the verdict panel does.
function counterCtx() {
  const ctx = makeCtx({roundId: 51});
  const shown = ctx.view.verdict;
  ctx.view.verdict = (result) => {
    shown(result);
    ctx.state.panel++;
    ctx.state.current = result.outcome === 'valid' ? result : null;
  };
  usePackage(ctx, {loaded_at: new Date().toISOString(), data: aPackage()}, false);
  return ctx;
}

const lastVerdict = (ctx) => ctx.view.calls.verdict.at(-1);

test('a wrong check character is refused before any check', async () => {
  const ctx = counterCtx();
  await check(ctx, 'KHR-000123-X');
  assert.equal(lastVerdict(ctx).outcome, 'bad_check');
  assert.deepEqual(ctx.view.calls.inputError, [null, '[bad_check]']);
});

test('the next card waits behind a valid household not recorded; skipping it checks the card', async () => {
  const ctx = counterCtx();
  await submit(ctx, 'KHR-000123-O');
  assert.equal(lastVerdict(ctx).outcome, 'valid');
  await submit(ctx, 'KHR-000001-7');
  assert.equal(ctx.state.pendingText, 'KHR-000001-7');
  assert.deepEqual(ctx.view.calls.unrecorded.at(-1), 'KHR-000123-O');
  assert.equal(ctx.view.calls.verdict.length, 1);  // nothing else shown meanwhile
  await submit(ctx, 'CARD:KHR-000123-O');  // the same household again: checked again
  assert.equal(ctx.view.calls.verdict.length, 2);

  await submit(ctx, 'KHR-000001-7');
  await skipCurrent(ctx);
  const skip = ctx.state.queue[0];
  assert.deepEqual([skip.kind, skip.household, skip.body.point], ['skip', 'KHR-000123-O', 'DP-3']);
  assert.equal(lastVerdict(ctx).number, 'KHR-000001-7');
  assert.equal(ctx.state.pendingText, null);
});

test('recorded offline: saved on this device, then checked as already collected', async () => {
  const ctx = counterCtx();
  await check(ctx, 'KHR-000123-O');
  await recordCurrent(ctx);
  const item = ctx.state.queue[0];
  assert.deepEqual([item.state, item.body.point, item.body.offline], ['waiting', 'DP-3', true]);
  assert.equal(lastVerdict(ctx).outcome, 'queued');
  assert.deepEqual(ctx.state.shownItem.id, item.id);
  await check(ctx, 'KHR-000123-O');
  assert.equal(lastVerdict(ctx).outcome, 'already_collected');
});

test('no distribution point chosen: nothing recorded, the point asked for', async () => {
  const ctx = counterCtx();
  local.removeItem('panoh-distribution-point');
  await check(ctx, 'KHR-000123-O');
  await recordCurrent(ctx);
  assert.equal(ctx.state.queue.length, 0);
  assert.equal(ctx.view.calls.inputError.at(-1), '[point_missing]');
  assert.equal(ctx.view.calls.focus.at(-1), 'point');
});

test('after a reload the household is checked again and the question asked again', async () => {
  const ctx = counterCtx();
  globalThis.sessionStorage.setItem('panoh-unrecorded-51', JSON.stringify({query: {household: 'KHR-000123-O'},
                                                                          pending: 'KHR-000001-7'}));
  await restoreUnrecorded(ctx);
  assert.equal(ctx.state.current.number, 'KHR-000123-O');
  assert.equal(ctx.state.pendingText, 'KHR-000001-7');
  assert.equal(ctx.view.calls.unrecorded.at(-1), 'KHR-000123-O');
});
