// Scanning a card's QR code with the device camera (jsQR, vendored): the code goes into the
// form's code field and the form is submitted, exactly as a USB scanner would do it.
(function () {
  'use strict';
  function scan(button) {
    var form = button.form;
    var input = form.querySelector('[name="code"]');
    var video = document.createElement('video');
    var canvas = document.createElement('canvas');
    var box = document.getElementById(button.dataset.cameraBox);
    video.setAttribute('playsinline', '');
    video.muted = true;
    video.className = 'w-100 border rounded';
    box.textContent = '';
    box.appendChild(video);
    box.classList.remove('d-none');
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(function (stream) {
      video.srcObject = stream;
      video.play();
      var context = canvas.getContext('2d', { willReadFrequently: true });
      function tick() {
        if (video.readyState >= 2 && video.videoWidth) {
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          context.drawImage(video, 0, 0);
          var image = context.getImageData(0, 0, canvas.width, canvas.height);
          var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
          if (found && found.data) {
            stream.getTracks().forEach(function (t) { t.stop(); });
            box.classList.add('d-none');
            input.value = found.data;
            form.requestSubmit ? form.requestSubmit() : form.submit();
            return;
          }
        }
        setTimeout(tick, 150);
      }
      tick();
    }).catch(function () {
      button.disabled = true;
      box.textContent = button.dataset.noCamera;
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-camera-scan]').forEach(function (button) {
      if (!navigator.mediaDevices || !window.jsQR) { button.classList.add('d-none'); return; }
      button.addEventListener('click', function () { scan(button); });
    });
  });
})();
