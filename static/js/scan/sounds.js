// Sounds of the scan page: one high beep for valid, a short higher one for recorded, two low ones for
// a refusal (WebAudio, no files).

let audio = null;
export function beep(outcome) {
  var tones;
  if (outcome === 'valid') { tones = [[1320, 0, 0.16]]; } else if (outcome === 'recorded' || outcome === 'queued') {
    tones = [[1760, 0, 0.07]];
  } else { tones = [[220, 0, 0.18], [220, 0.28, 0.18]]; }
  try {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    audio = audio || new Context();
    if (audio.state === 'suspended') { audio.resume(); }
    tones.forEach(function (tone) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      var start = audio.currentTime + tone[1];
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
