import assert from 'node:assert/strict';
import {test} from 'node:test';

import {checkCharacter, classify, foreignLayout, normaliseNumber, sameHousehold} from '../../../static/js/scan/codes.js';
import {fakeCards} from './helpers.mjs';

test('check characters are those of registration/households/numbers.py', () => {
  // check_character() of the Python module for the same bodies
  const expected = {KHR000123: 'O', KHR000001: '7', ABC999999: 'E', ZZZ000000: 'H', DMK123456: '9'};
  for (const [body, character] of Object.entries(expected)) { assert.equal(checkCharacter(body), character, body); }
});

test('a household number typed loosely is written the one way', () => {
  assert.equal(normaliseNumber('khr 000123 o'), 'KHR-000123-O');
  assert.equal(normaliseNumber('khr-000123'), 'KHR-000123');
});

test('what was typed is a household number, a wrong one, or a card code', () => {
  assert.deepEqual(classify('khr000123o', fakeCards), {household: 'KHR-000123-O'});
  assert.deepEqual(classify('KHR-000123-X', fakeCards), {error: 'bad_check', household: 'KHR-000123-X'});
  assert.deepEqual(classify('KHR-00012', fakeCards), {error: 'bad_number', household: 'KHR-00012'});
  assert.deepEqual(classify('P1/ABCDEF', fakeCards), {code: 'P1/ABCDEF'});
  assert.deepEqual(classify('  something  ', null), {code: 'something'});
  assert.deepEqual(classify('X'.repeat(30), fakeCards), {code: 'X'.repeat(30)});
});

test('the same household by its number or by a card of it', () => {
  assert.ok(sameHousehold('KHR-000123-O', 'KHR-000123-O', fakeCards));
  assert.ok(sameHousehold('CARD:KHR-000123-O', 'KHR-000123-O', fakeCards));
  assert.ok(!sameHousehold('CARD:KHR-000001-7', 'KHR-000123-O', fakeCards));
  assert.ok(!sameHousehold('KHR-000001-7', 'KHR-000123-O', fakeCards));
});

test('Cyrillic the cards cannot map back is a foreign keyboard layout', () => {
  assert.ok(foreignLayout('ҳҷ', fakeCards));
  assert.ok(!foreignLayout('KHR-000123-O', fakeCards));
  assert.ok(!foreignLayout('ҳҷ', null));
});
