// The device camera reading card QR codes: the best resolution it has (ideal 1920x1080, at least
// 1280x720 when it can), the back camera, continuous focus where offered; frames are decoded in a
// Web Worker (./decoder.js), so the page stays responsive while the camera runs.
//
// openCamera(box, onCode[, workerUrl]) resolves to {stop(), width, height} once the video plays, or rejects with
// Error('no_camera') (no camera, or access refused) or Error('no_decoder') (no Worker or WebAssembly).

import {QrDecoder, decoderSupported} from './decoder.js';

export const BEST = {facingMode: {ideal: 'environment'}, width: {min: 1280, ideal: 1920},
                     height: {min: 720, ideal: 1080}};
// A camera that cannot give 1280x720 is still better than none.
const ANY = {facingMode: {ideal: 'environment'}, width: {ideal: 1920}, height: {ideal: 1080}};
const PAUSE_MS = 60;  // between two decodes: the worker needs the time, the battery too

export function cameraSupported() {
  return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia) && decoderSupported();
}

async function stream() {
  try {
    return await navigator.mediaDevices.getUserMedia({video: BEST, audio: false});
  } catch (error) {
    if (error && (error.name === 'OverconstrainedError' || error.name === 'ConstraintNotSatisfiedError')) {
      return navigator.mediaDevices.getUserMedia({video: ANY, audio: false});
    }
    throw error;
  }
}

async function focus(track) {
  const capabilities = track.getCapabilities ? track.getCapabilities() : {};
  if ((capabilities.focusMode || []).indexOf('continuous') >= 0) {
    await track.applyConstraints({advanced: [{focusMode: 'continuous'}]}).catch(() => null);
  }
}

export async function openCamera(box, onCode, workerUrl) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { throw new Error('no_camera'); }
  if (!decoderSupported()) { throw new Error('no_decoder'); }
  const video = document.createElement('video');
  video.setAttribute('playsinline', '');
  video.muted = true;
  box.textContent = '';
  box.appendChild(video);
  let media;
  try {
    media = await stream();
  } catch (error) {
    throw new Error('no_camera');
  }
  const track = media.getVideoTracks()[0];
  await focus(track);
  const decoder = new QrDecoder(workerUrl);
  decoder.warm().catch(() => null);
  let running = true;
  video.srcObject = media;
  await video.play().catch(() => null);

  const settings = track.getSettings ? track.getSettings() : {};
  box.setAttribute('data-resolution', (settings.width || video.videoWidth) + 'x' + (settings.height || video.videoHeight));

  (async function loop() {
    while (running) {
      if (video.readyState >= 2 && video.videoWidth) {
        try {
          const answer = await decoder.decode(video);
          if (running && answer.text) { onCode(answer.text); }
        } catch (error) { /* a frame the worker could not read: take the next one */ }
      }
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  })();

  return {
    width: settings.width, height: settings.height,
    stop() {
      running = false;
      media.getTracks().forEach((t) => t.stop());
      decoder.close();
      box.textContent = '';
      box.removeAttribute('data-resolution');
    }
  };
}
