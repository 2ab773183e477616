// A QR decoder running in a Web Worker (static/js/scan/qr-worker.js: zxing-cpp as WebAssembly).
// decode(source) takes a <video>, a canvas or an ImageData and resolves to the code's text or null;
// one frame at a time (a frame offered while the worker is busy is skipped, resolving to null).

const WORKER_URL = new URL('./qr-worker.js', import.meta.url);
const VENDOR_URL = new URL('../../vendor/zxing-wasm/', import.meta.url).href;

export function decoderSupported() {
  return typeof Worker === 'function' && typeof WebAssembly === 'object';
}

export class QrDecoder {
  /** workerUrl: the same script served inside a service worker's scope, for a page that works offline. */
  constructor(workerUrl) {
    this.worker = new Worker(workerUrl || WORKER_URL, {name: VENDOR_URL});
    this.pending = new Map();
    this.nextId = 1;
    this.busy = false;
    this.worker.onmessage = (event) => {
      const answer = event.data || {};
      const waiting = this.pending.get(answer.id);
      if (!waiting) { return; }
      this.pending.delete(answer.id);
      if (answer.error) { waiting.reject(new Error(answer.error)); } else { waiting.resolve(answer); }
    };
    this.worker.onerror = (event) => {
      this.pending.forEach((waiting) => waiting.reject(new Error(event.message || 'decoder failed')));
      this.pending.clear();
    };
  }

  ask(message, transfer) {
    const id = this.nextId++;
    message.id = id;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject});
      this.worker.postMessage(message, transfer || []);
    });
  }

  /** Loads the WebAssembly module (the first decode would otherwise wait for it). */
  warm() { return this.ask({warm: true}); }

  /** Resolves to {text, ms}: text is null when no code is in the frame or the worker was busy. */
  async decode(source) {
    if (this.busy) { return {text: null, ms: 0, skipped: true}; }
    this.busy = true;
    try {
      if (source instanceof ImageData) { return await this.ask({image: source}); }
      if (typeof OffscreenCanvas === 'function' && typeof createImageBitmap === 'function') {
        const bitmap = await createImageBitmap(source);
        return await this.ask({bitmap}, [bitmap]);
      }
      const canvas = document.createElement('canvas');
      canvas.width = source.videoWidth || source.width;
      canvas.height = source.videoHeight || source.height;
      const context = canvas.getContext('2d', {willReadFrequently: true});
      context.drawImage(source, 0, 0);
      return await this.ask({image: context.getImageData(0, 0, canvas.width, canvas.height)});
    } finally {
      this.busy = false;
    }
  }

  close() {
    this.worker.terminate();
    this.pending.clear();
  }
}
