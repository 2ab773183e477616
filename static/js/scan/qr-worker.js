// Decodes QR codes off the page's thread with zxing-cpp compiled to WebAssembly (static/vendor/zxing-wasm,
// loaded from this server only). The page posts {id, bitmap} (an ImageBitmap, transferred) or
// {id, image} (an ImageData); the worker answers {id, text} (text null when no code was found) or
// {id, error}. The first message also loads the decoder: {id, warm: true} answers {id, ready: true}.
/* eslint-env worker */
'use strict';

// The page names the vendor folder (the worker may be served from /distributions/, see decoder.js).
var VENDOR = new URL(self.name || '../../vendor/zxing-wasm/', self.location.href).href;
importScripts(VENDOR + 'zxing-reader.js');
var ready = self.ZXingWASM.prepareZXingModule({
  overrides: {locateFile: function (path, prefix) { return path.endsWith('.wasm') ? VENDOR + path : prefix + path; }},
  fireImmediately: true
});

// A card holds one code; trying harder (more scales, rotations, inverted) is what reads a small,
// noisy or tilted card, and costs a few ms on a 1280x720 frame.
var OPTIONS = {formats: ['QRCode'], tryHarder: true, tryRotate: true, tryInvert: true, tryDownscale: true,
               maxNumberOfSymbols: 1};
var canvas = null, context = null;

function imageOf(message) {
  if (message.image) { return message.image; }
  var bitmap = message.bitmap;
  if (!canvas || canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    context = canvas.getContext('2d', {willReadFrequently: true});
  }
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

self.onmessage = function (event) {
  var message = event.data || {};
  if (message.warm) {
    ready.then(function () {
      self.postMessage({id: message.id, ready: true});
    }, function (error) { self.postMessage({id: message.id, error: String(error)}); });
    return;
  }
  var started = performance.now();
  ready.then(function () {
    return self.ZXingWASM.readBarcodes(imageOf(message), OPTIONS);
  }).then(function (results) {
    var found = results.filter(function (r) { return r.isValid && r.text; })[0];
    self.postMessage({id: message.id, text: found ? found.text : null, ms: performance.now() - started});
  }, function (error) {
    self.postMessage({id: message.id, error: String(error && error.message || error)});
  });
};
