// The round's package: keys, signed revocation list, households with their entitlement and whether they
// collected, loaded from the server and kept in IndexedDB for checks without a link. It expires
// (max_age_seconds after it was loaded): a device that could not refresh it for that long checks nothing
// offline. No DOM: ctx.view.status() and ctx.view.packageWarning(key) show what changed.

import {parseTime} from './format.js';
import {api} from './net.js';
import {deletePackage, getPackage, putRecord} from './store.js';

const PACKAGE_MAX_AGE = 10 * 60000;  // refreshed after this while online
const PACKAGE_EXPIRY = 24 * 3600000;  // unless the package says otherwise (max_age_seconds)

// Whether a stored package ({loaded_at, data}) may no longer be used.
export function expired(record, now = Date.now()) {
  const loaded = record && parseTime(record.loaded_at);
  if (!loaded) { return true; }
  const maxAge = record.data && record.data.max_age_seconds ? record.data.max_age_seconds * 1000 : PACKAGE_EXPIRY;
  const age = now - loaded.getTime();
  return age > maxAge || age < -3600000;  // too old, or loaded "in the future" (the clock went back)
}

// Whether the package in use has expired since it was loaded.
export function packageExpired(state, now = Date.now()) {
  return !!state.pkg && expired({loaded_at: state.pkgLoadedAt, data: state.pkg}, now);
}

// Whether the package in use is old enough to be loaded again (while online).
export function packageStale(state, now = Date.now()) {
  return !!state.pkgLoadedAt && now - parseTime(state.pkgLoadedAt).getTime() > PACKAGE_MAX_AGE;
}

export function dropPackage(ctx) {
  const state = ctx.state;
  state.pkg = null;
  state.pkgLoadedAt = null;
  state.pkgFresh = false;
  state.pkgExpired = true;
  state.households = new Map();
  state.revoked = new Set();
  ctx.view.status();
  return deletePackage(state.roundId).catch(() => null);
}

export function usePackage(ctx, record, fresh) {
  const state = ctx.state;
  state.pkg = record.data;
  state.pkgLoadedAt = record.loaded_at;
  state.pkgFresh = fresh;
  state.pkgExpired = false;
  state.households = new Map();
  (state.pkg.households || []).forEach((h) => state.households.set(h.n, h));
  const revoked = state.pkg.revoked || {};
  state.revoked = new Set(revoked.serials || []);
  ctx.view.packageWarning(null);
  if (ctx.cards && revoked.serials) {
    ctx.cards.verifyRevocationDocument(revoked, state.pkg.keys).then((ok) => {
      if (!ok) { ctx.view.packageWarning('revocation_unsigned'); }
    }, () => ctx.view.packageWarning('no_webcrypto'));
  }
  ctx.view.status();
}

// From the server when online (and stored), else the one in use or the one stored, unless expired.
export function loadPackage(ctx) {
  const state = ctx.state;
  const started = new Date().toISOString();
  const online = navigator.onLine ? api(ctx, ctx.root.dataset.packageUrl, undefined, {timeout: 60000})
    : Promise.reject(new Error('network'));
  return online.then((answer) => {
    if (answer.status !== 200 || !answer.data || !answer.data.round) { throw new Error('network'); }
    const record = {round_id: state.roundId, loaded_at: started, data: answer.data};
    usePackage(ctx, record, true);
    return putRecord('packages', record).catch(() => null);
  }).catch(() => {
    if (state.pkg) {
      if (packageExpired(state)) { return dropPackage(ctx); }
      state.pkgFresh = false;
      ctx.view.status();
      return null;
    }
    return getPackage(state.roundId).then((record) => {
      if (record && expired(record)) { return dropPackage(ctx); }
      if (record) { usePackage(ctx, record, false); } else { ctx.view.status(); }
      return null;
    });
  });
}
