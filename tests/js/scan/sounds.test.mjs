import assert from 'node:assert/strict';
import {test} from 'node:test';

import {beep, tones} from '../../../static/js/scan/sounds.js';

test('one high beep for valid, a short higher one for recorded, two low ones for a refusal', () => {
  assert.deepEqual(tones('valid').map((t) => t[0]), [1320]);
  assert.deepEqual(tones('queued').map((t) => t[0]), [1760]);
  assert.deepEqual(tones('revoked').map((t) => t[0]), [220, 220]);
});

test('no sound on a device without WebAudio, and the tones played where there is', () => {
  beep('valid');  // Node has no AudioContext: nothing happens
  const played = [];
  const param = {setValueAtTime() {}, exponentialRampToValueAtTime() {}};
  globalThis.AudioContext = class {
    constructor() { this.state = 'running'; this.currentTime = 1; this.destination = {}; }
    createOscillator() {
      const oscillator = {frequency: {}, connect() {}, start: (at) => played.push([oscillator.frequency.value, at]),
                          stop() {}};
      return oscillator;
    }
    createGain() { return {gain: param, connect() {}}; }
  };
  try {
    beep('refused');
  } finally {
    delete globalThis.AudioContext;
  }
  assert.deepEqual(played, [[220, 1], [220, 1.28]]);
});
