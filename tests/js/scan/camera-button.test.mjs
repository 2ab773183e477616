import assert from 'node:assert/strict';
import {test} from 'node:test';

import {newRead} from '../../../static/js/scan/camera-button.js';
import {elements} from '../../../static/js/scan/dom.js';
import {createState} from '../../../static/js/scan/state.js';

test('a card held in front of the camera is read once, until it is taken away for 4 s', () => {
  const state = createState(1);
  assert.ok(newRead(state, 'A', 0));
  assert.ok(!newRead(state, 'A', 3000));
  assert.ok(!newRead(state, 'A', 6000));  // still there: every frame keeps it seen
  assert.ok(newRead(state, 'B', 6500));
  assert.ok(newRead(state, 'A', 7000));
  assert.ok(newRead(state, 'A', 11001));
});

test('the elements are found by the ids of the scan page', () => {
  const doc = {getElementById: (id) => (id === 'scan-code' ? {id} : null)};
  const els = elements(doc);
  assert.deepEqual(els.code, {id: 'scan-code'});
  assert.equal(els.outcome, null);
});
