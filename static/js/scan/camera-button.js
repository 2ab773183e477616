// The scan page's Camera button: the camera (./camera.js) keeps running for the next card; the same card
// held in front of it is read once, until it is taken away.

import {cameraSupported, openCamera} from './camera.js';
import {show} from './dom.js';

const CAMERA_REPEAT_MS = 4000;

// Whether text read by the camera at time now is a new read (and notes it). Pure but for the state.
export function newRead(state, text, now) {
  const fresh = text !== state.lastCamera || now - state.lastCameraAt > CAMERA_REPEAT_MS;
  if (fresh) { state.lastCamera = text; }
  state.lastCameraAt = now;
  return fresh;
}

export function stopCamera(ctx) {
  const {els, msg, root, state} = ctx;
  if (state.camera) {
    state.camera.stop();
    state.camera = null;
  }
  state.cameraStarting = false;
  els.cameraBox.textContent = '';
  show(els.cameraBox, false);
  root.classList.remove('camera-on');
  els.cameraButton.textContent = msg('camera_off');
  els.cameraButton.setAttribute('aria-pressed', 'false');
}

// onRead(text): a code the camera read, once per card held in front of it.
export function startCamera(ctx, onRead) {
  const {els, msg, root, state} = ctx;
  if (!cameraSupported()) {
    ctx.view.inputError(msg('no_camera'));
    return;
  }
  state.cameraStarting = true;
  show(els.cameraBox, true);
  root.classList.add('camera-on');
  els.cameraButton.textContent = msg('camera_on');
  els.cameraButton.setAttribute('aria-pressed', 'true');
  const read = (text) => { if (newRead(state, text, Date.now())) { onRead(text); } };
  openCamera(els.cameraBox, read, root.dataset.workerUrl).then((camera) => {
    if (!state.cameraStarting) { camera.stop(); return; }  // stopped while it started
    state.cameraStarting = false;
    state.camera = camera;
  }, () => {
    stopCamera(ctx);
    ctx.view.inputError(msg('no_camera'));
  });
}

export function toggleCamera(ctx, onRead) {
  if (ctx.state.camera || ctx.state.cameraStarting) { stopCamera(ctx); } else { startCamera(ctx, onRead); }
}
