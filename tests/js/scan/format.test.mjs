import assert from 'node:assert/strict';
import {test} from 'node:test';

import {age, campToday, fillIn, flagsText, formatTime, messages, pageLocale, parseTime}
  from '../../../static/js/scan/format.js';

test('messages come from data-msg-* attributes, with their values filled in', () => {
  const root = {getAttribute: (name) => ({'data-msg-sync_ok': 'Sent {n} at {when}'})[name] ?? null};
  const msg = messages(root);
  assert.equal(msg('sync_ok', {n: 3, when: '10:00'}), 'Sent 3 at 10:00');
  assert.equal(msg('sync_ok', {n: null}), 'Sent  at {when}');
  assert.equal(msg('missing'), 'missing');
  assert.equal(fillIn('{a}{a}', {a: 0}), '00');
});

test('the server writes UTC, with or without the zone', () => {
  assert.equal(parseTime('2026-01-02T03:04:05').toISOString(), '2026-01-02T03:04:05.000Z');
  assert.equal(parseTime('2026-01-02T08:04:05+05:00').toISOString(), '2026-01-02T03:04:05.000Z');
  assert.equal(parseTime(''), null);
  assert.equal(parseTime('not a time'), null);
  assert.equal(formatTime('not a time'), 'not a time');
});

test("today is the camp's day: the device's clock with the camp's offset", () => {
  const evening = Date.parse('2026-03-01T20:00:00Z');
  assert.equal(campToday({camp_utc_offset_minutes: 300}, evening), '2026-03-02');
  assert.equal(campToday({camp_utc_offset_minutes: 0}, evening), '2026-03-01');
  assert.equal(campToday(null, evening), '2026-03-02');  // UTC+5 without a package
});

test('Tajik dates are written with Russian formats when the runtime has no Tajik ones', () => {
  assert.equal(pageLocale('en'), 'en-GB');
  assert.ok(['tg', 'ru', 'en-GB'].includes(pageLocale('tg')));
});

test('an age says how long ago', () => {
  const msg = (key, values) => key + (values ? ':' + values.n : '');
  const now = Date.parse('2026-03-01T12:00:00Z');
  assert.match(age(msg, '2026-03-01T11:53:00Z', now), /\(minutes_ago:7\)$/);
  assert.match(age(msg, '2026-03-01T11:59:30Z', now), /\(just_now\)$/);
  assert.equal(age(msg, null, now), '');
});

test('why a collection was flagged, double when the server gave no reason', () => {
  const msg = (key) => key;
  assert.equal(flagsText(msg, {flags: ['clock', 'outside_round']}), 'flag_clock flag_outside_round');
  assert.equal(flagsText(msg, {}), 'flag_double');
});
