import assert from 'node:assert/strict';
import {test} from 'node:test';

import {createState, loadUnrecorded, saveUnrecorded} from '../../../static/js/scan/state.js';
import {stubStorage} from './helpers.mjs';

test('each page gets its own state', () => {
  const one = createState(4, 'csrf');
  const two = createState(5);
  one.queue.push({id: 'x'});
  assert.equal(two.queue.length, 0);
  assert.equal(one.roundId, 4);
  assert.equal(one.csrf, 'csrf');
  assert.equal(two.csrf, '');
  assert.equal(one.net, 'unknown');
});

test('the valid household not recorded, and the card behind it, survive a reload of the round', () => {
  const storage = stubStorage();
  const state = createState(4);
  state.current = {query: {household: 'KHR-000123-O'}, number: 'KHR-000123-O'};
  state.pendingText = 'KHR-000001-7';
  saveUnrecorded(state, storage);
  assert.deepEqual(loadUnrecorded(createState(4), storage), {query: {household: 'KHR-000123-O'}, pending: 'KHR-000001-7'});
  assert.equal(loadUnrecorded(createState(5), storage), null);
  state.current = null;
  saveUnrecorded(state, storage);
  assert.equal(loadUnrecorded(createState(4), storage), null);
});

test('without storage nothing is kept and nothing fails', () => {
  const broken = {getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); }};
  const state = createState(4);
  state.current = {query: {household: 'KHR-000123-O'}};
  saveUnrecorded(state, broken);
  assert.equal(loadUnrecorded(state, broken), null);
  saveUnrecorded(state);  // Node has no sessionStorage
  assert.equal(loadUnrecorded(state), null);
});
