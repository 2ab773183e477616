// Sounds of the scan page: one high beep for valid, a short higher one for recorded, two low ones for
// a refusal (WebAudio, no files).

let audio = null;

// [frequency Hz, start s, length s] of each tone for an outcome.
export function tones(outcome) {
  if (outcome === 'valid') { return [[1320, 0, 0.16]]; }
  if (outcome === 'recorded' || outcome === 'queued') { return [[1760, 0, 0.07]]; }
  return [[220, 0, 0.18], [220, 0.28, 0.18]];
}

export function beep(outcome) {
  try {
    const Context = globalThis.AudioContext || globalThis.webkitAudioContext;
    if (!Context) { return; }
    audio = audio || new Context();
    if (audio.state === 'suspended') { audio.resume(); }
    tones(outcome).forEach((tone) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      const start = audio.currentTime + tone[1];
      oscillator.type = 'square';
      oscillator.frequency.value = tone[0];
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.25, start + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + tone[2]);
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + tone[2] + 0.02);
    });
  } catch (error) { /* no sound on this device */ }
}
