// The card check page's Camera button: the camera reads the card's QR code (static/js/scan/camera.js:
// best resolution, back camera, zxing-cpp as WebAssembly in a worker); the code goes into the form's
// code field and the form is submitted, exactly as a USB scanner would do it.
import {cameraSupported, openCamera} from './scan/camera.js';

function scan(button) {
  const form = button.form;
  const input = form.querySelector('[name="code"]');
  const box = document.getElementById(button.dataset.cameraBox);
  box.classList.remove('d-none');
  button.disabled = true;
  let camera = null;
  let done = false;
  openCamera(box, (text) => {
    if (done) { return; }
    done = true;
    if (camera) { camera.stop(); }
    box.classList.add('d-none');
    button.disabled = false;
    input.value = text;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }).then((opened) => {
    camera = opened;
    if (done) { camera.stop(); }
  }, () => {
    box.textContent = button.dataset.noCamera;
  });
}

document.querySelectorAll('[data-camera-scan]').forEach((button) => {
  if (!cameraSupported()) { button.classList.add('d-none'); return; }
  button.addEventListener('click', () => scan(button));
});
