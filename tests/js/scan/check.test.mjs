// The offline check gives the outcomes of camps/distributions/scanning.py, in the same order.
import assert from 'node:assert/strict';
import {beforeEach, test} from 'node:test';

import {localCheck, localCollection, serverCheck} from '../../../static/js/scan/check.js';
import {aPackage, makeCtx, setOnline, stubFetch} from './helpers.mjs';
import {usePackage} from '../../../static/js/scan/package.js';

beforeEach(() => setOnline(false));

function withPackage(pkg) {
  const ctx = makeCtx();
  usePackage(ctx, {loaded_at: new Date().toISOString(), data: pkg || aPackage()}, false);
  return ctx;
}

const outcome = async (ctx, query) => (await localCheck(ctx, query)).outcome;

test('without a package nothing is checked offline', async () => {
  assert.equal(await outcome(makeCtx(), {household: 'KHR-000123-O'}), 'no_package');
});

test('a round not open today', async () => {
  const closed = aPackage();
  closed.round.starts_on = '2001-01-01';
  closed.round.ends_on = '2001-01-02';
  assert.equal(await outcome(withPackage(closed), {household: 'KHR-000123-O'}), 'round_closed');
});

test('valid: the household with its own entitlement and alternates', async () => {
  const result = await localCheck(withPackage(), {household: 'KHR-000123-O'});
  assert.equal(result.outcome, 'valid');
  assert.equal(result.source, 'local');
  assert.equal(result.size, 4);
  assert.deepEqual(result.entitlement, [{name: 'Flour', unit: 'kg', quantity: 50}]);
  assert.deepEqual(result.alternates, [{id: 3, name: 'Alt', name_orig: 'Альт'}]);
});

test('unknown numbers, other camps, not eligible, refused cards', async () => {
  const ctx = withPackage();
  assert.equal(await outcome(ctx, {household: 'KHR-000999-X'}), 'unknown_household');
  assert.equal(await outcome(ctx, {code: 'CARD:DMK-123456-9'}), 'wrong_camp');
  assert.equal(await outcome(ctx, {household: 'ABC-999999-E'}), 'not_eligible');
  assert.equal(await outcome(ctx, {code: 'garbage'}), 'malformed');
  const revoked = await localCheck(ctx, {code: 'CARD:KHR-000123-O:revoked'});
  assert.equal(revoked.outcome, 'revoked');
  assert.equal(revoked.number, 'KHR-000123-O');  // shown, with nothing to hand out
  assert.deepEqual(revoked.entitlement, []);
});

test('already collected: by the package, or by this device (a skip does not count)', async () => {
  const ctx = withPackage();
  const before = await localCheck(ctx, {household: 'KHR-000001-7'});
  assert.equal(before.outcome, 'already_collected');
  assert.ok(before.collectedBefore);
  ctx.state.queue.push({id: 's', kind: 'skip', household: 'KHR-000123-O', state: 'waiting', body: {}});
  assert.equal(await outcome(ctx, {household: 'KHR-000123-O'}), 'valid');
  ctx.state.queue.push({id: 'c', household: 'KHR-000123-O', state: 'waiting', body: {}});
  const here = await localCheck(ctx, {code: 'CARD:KHR-000123-O'});
  assert.equal(here.outcome, 'already_collected');
  assert.equal(here.collectedHere.id, 'c');
  assert.equal(here.serial, 'S-KHR-000123-O');
});

test('a collection the server refused does not count, unless as already collected', () => {
  const queue = [{id: 'a', household: 'N', state: 'problem', outcome: 'revoked'}];
  assert.equal(localCollection(queue, 'N'), null);
  queue.push({id: 'b', household: 'N', state: 'problem', outcome: 'already_collected'});
  assert.equal(localCollection(queue, 'N').id, 'b');
});

test("the server's answer, with this device's collections not sent yet", async () => {
  setOnline(true);
  const ctx = withPackage();
  stubFetch(() => ({status: 200, body: {outcome: 'valid', household: {number: 'KHR-000123-O', size: 4}}}));
  assert.equal((await serverCheck(ctx, {household: 'KHR-000123-O'})).source, 'server');
  ctx.state.queue.push({id: 'c', household: 'KHR-000123-O', state: 'waiting', body: {}});
  assert.equal((await serverCheck(ctx, {household: 'KHR-000123-O'})).outcome, 'already_collected');
});

test('the server just failed to answer: the next check does not wait for it', async () => {
  setOnline(true);
  const ctx = withPackage();
  const calls = stubFetch(() => ({status: 200, body: {}}));
  ctx.state.net = 'unreachable';
  ctx.state.netSince = Date.now();
  await assert.rejects(serverCheck(ctx, {household: 'KHR-000123-O'}), /network/);
  assert.equal(calls.length, 0);
});
