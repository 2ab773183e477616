import assert from 'node:assert/strict';
import {beforeEach, test} from 'node:test';

import {expired, loadPackage, packageStale, usePackage} from '../../../static/js/scan/package.js';
import {getPackage, putRecord} from '../../../static/js/scan/store.js';
import {aPackage, makeCtx, setOnline, stubFetch, tick} from './helpers.mjs';

beforeEach(() => setOnline(true));

const hoursAgo = (hours) => new Date(Date.now() - hours * 3600000).toISOString();

test('a package expires after its max age (a day unless it says), or when loaded "in the future"', () => {
  assert.ok(!expired({loaded_at: hoursAgo(23), data: {}}));
  assert.ok(expired({loaded_at: hoursAgo(25), data: {}}));
  assert.ok(expired({loaded_at: hoursAgo(2), data: {max_age_seconds: 3600}}));
  assert.ok(expired({loaded_at: hoursAgo(-2), data: {}}));
  assert.ok(expired(null));
});

test('a package in use: households by number, revoked serials, a warning when the list is not signed', async () => {
  const ctx = makeCtx({cards: {verifyRevocationDocument: async () => false}});
  usePackage(ctx, {loaded_at: hoursAgo(0), data: aPackage({revoked: {serials: ['S1']}})}, true);
  assert.equal(ctx.state.households.get('KHR-000123-O').s, 4);
  assert.ok(ctx.state.revoked.has('S1'));
  assert.ok(ctx.state.pkgFresh);
  await tick();
  assert.deepEqual(ctx.view.calls.packageWarning, [null, 'revocation_unsigned']);
  assert.ok(!packageStale(ctx.state));
});

test('online: loaded from the server and stored', async () => {
  const ctx = makeCtx({roundId: 31});
  stubFetch(() => ({status: 200, body: aPackage()}));
  await loadPackage(ctx);
  assert.ok(ctx.state.pkgFresh);
  assert.equal((await getPackage(31)).data.households.length, 3);
});

test('offline: the stored package, unless it expired (then removed)', async () => {
  setOnline(false);
  await putRecord('packages', {round_id: 32, loaded_at: hoursAgo(1), data: aPackage()});
  const ctx = makeCtx({roundId: 32});
  await loadPackage(ctx);
  assert.ok(ctx.state.pkg && !ctx.state.pkgFresh);

  await putRecord('packages', {round_id: 33, loaded_at: hoursAgo(30), data: aPackage()});
  const old = makeCtx({roundId: 33});
  await loadPackage(old);
  assert.equal(old.state.pkg, null);
  assert.ok(old.state.pkgExpired);
  assert.equal(await getPackage(33), undefined);
});
