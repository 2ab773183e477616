// Panoh card QR codes, verified offline in the browser with WebCrypto Ed25519.
// Same format, outcomes and order as registration/cards/token.py; the format is in docs/card-qr-format.md.
// Plain script, no dependencies: defines window.PanohCards = {verify, verifyRevocationDocument, parse, base45decode}.
(function (global) {
  'use strict';

  var ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  var SIGNATURE_CHARS = 96;  // base45 of a 64-byte signature
  var BODY_RE = /^P1\/([A-Z0-9]{1,8})\/([A-Z0-9]{4,12})\/([A-Z]{3}-\d{6}-[0-9A-Z*])\/(\d{8})$/;
  var KID_RE = /^[A-Z0-9]{1,8}$/;
  var SERIAL_RE = /^[A-Z0-9]{4,12}$/;
  var ISO_TIME_RE = /^[0-9T:.+Z-]{10,40}$/;
  var keyCache = new Map();  // base64url public key -> Promise<CryptoKey>
  // The normalisation of registration/cards/token.py (normalise), tested with the same vectors
  // (tests/registration/card_scan_vectors.json): C0 controls, spaces, DEL, NEL and the BOM at the ends.
  var EDGE_RE = /^[\u0000-\u0020\u007f\u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+|[\u0000-\u0020\u007f\u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+$/g;
  var CYRILLIC_RE = /[\u0400-\u04ff]/;
  var LATIN_RE = /[A-Za-z]/;
  var RUSSIAN_KEYS = 'ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬЖЮ.;';
  var LATIN_KEYS = 'QWERTYUIOPASDFGHJKLZXCVBNM:./$';

  // RFC 9285 base45, strict: throws on a bad length, character or group value.
  function base45decode(text) {
    if (text.length % 3 === 1) { throw new Error('base45 length'); }
    var out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 ? 1 : 0));
    var o = 0;
    for (var i = 0; i < text.length; i += 3) {
      var digits = [];
      for (var j = i; j < Math.min(i + 3, text.length); j++) {
        var value = ALPHABET.indexOf(text[j]);
        if (value < 0) { throw new Error('base45 character'); }
        digits.push(value);
      }
      if (digits.length === 3) {
        var n = digits[0] + digits[1] * 45 + digits[2] * 2025;
        if (n > 0xffff) { throw new Error('base45 group'); }
        out[o++] = n >> 8;
        out[o++] = n & 0xff;
      } else {
        var m = digits[0] + digits[1] * 45;
        if (m > 0xff) { throw new Error('base45 group'); }
        out[o++] = m;
      }
    }
    return out;
  }

  function base64urlDecode(text) {
    var b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    var binary = atob(b64 + '==='.slice((b64.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function asciiBytes(text) {
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    return bytes;
  }

  function realDate(yyyymmdd) {
    var y = +yyyymmdd.slice(0, 4), m = +yyyymmdd.slice(4, 6), d = +yyyymmdd.slice(6, 8);
    var date = new Date(Date.UTC(y, m - 1, d));
    return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }

  // The scanned text as the format reads it, or null when it is outside ASCII (docs/card-qr-format.md):
  // ends stripped; Cyrillic without Latin letters is a USB scanner typing through the Russian layout,
  // mapped back key by key; then ASCII only, upper case.
  function normalise(text) {
    if (typeof text !== 'string') { return null; }
    text = text.replace(EDGE_RE, '');
    if (CYRILLIC_RE.test(text) && !LATIN_RE.test(text)) {
      text = Array.prototype.map.call(text.toUpperCase(), function (c) {
        var i = RUSSIAN_KEYS.indexOf(c);
        return i < 0 ? c : LATIN_KEYS[i];
      }).join('');
    }
    if (/[^\u0000-\u007f]/.test(text)) { return null; }
    return text.toUpperCase();
  }

  // {token, body, signature} for a card code, or null. Only the ends are stripped (normalise):
  // a space is a base45 digit, but never the last one of a signature.
  function parse(text) {
    text = normalise(text);
    if (text === null) { return null; }
    if (text.length < SIGNATURE_CHARS + 20 || text[text.length - SIGNATURE_CHARS - 1] !== '/') { return null; }
    var body = text.slice(0, -SIGNATURE_CHARS - 1);
    var match = BODY_RE.exec(body);
    if (!match || !realDate(match[4])) { return null; }
    var signature;
    try {
      signature = base45decode(text.slice(-SIGNATURE_CHARS));
    } catch (error) {
      return null;
    }
    var expiry = match[4];
    return {
      token: {version: 'P1', kid: match[1], serial: match[2], household: match[3],
              expires: expiry.slice(0, 4) + '-' + expiry.slice(4, 6) + '-' + expiry.slice(6, 8)},
      body: asciiBytes(body),
      signature: signature
    };
  }

  function importKey(base64url) {
    if (!keyCache.has(base64url)) {
      keyCache.set(base64url, crypto.subtle.importKey('raw', base64urlDecode(base64url), {name: 'Ed25519'},
                                                      false, ['verify']));
    }
    return keyCache.get(base64url);
  }

  // keys: the list from GET /api/v1/cards/keys ([{kid, public_key}]) or an object {kid: public_key}.
  function findKey(keys, kid) {
    if (Array.isArray(keys)) {
      for (var i = 0; i < keys.length; i++) {
        if (keys[i].kid === kid) { return keys[i].public_key; }
      }
      return null;
    }
    return keys && Object.prototype.hasOwnProperty.call(keys, kid) ? keys[kid] : null;
  }

  function isRevoked(revoked, serial) {
    if (!revoked) { return false; }
    if (typeof revoked.has === 'function') { return revoked.has(serial); }
    return revoked.indexOf(serial) >= 0;
  }

  // today: 'YYYY-MM-DD' or a Date (its local calendar day); the card is valid through its expiry day.
  function dayString(today) {
    if (today instanceof Date) {
      var pad = function (n) { return (n < 10 ? '0' : '') + n; };
      return today.getFullYear() + '-' + pad(today.getMonth() + 1) + '-' + pad(today.getDate());
    }
    return String(today);
  }

  // Resolves to {outcome, token}: outcome is 'valid', 'malformed', 'unknown_key', 'invalid_signature',
  // 'revoked' or 'expired', checked in that order; token is set only when the signature checked out.
  // Rejects when the browser's WebCrypto has no Ed25519.
  function verify(text, keys, revoked, today) {
    var parsed = parse(text);
    if (!parsed) { return Promise.resolve({outcome: 'malformed', token: null}); }
    var publicKey = findKey(keys, parsed.token.kid);
    if (!publicKey) { return Promise.resolve({outcome: 'unknown_key', token: null}); }
    return importKey(publicKey).then(function (key) {
      return crypto.subtle.verify('Ed25519', key, parsed.signature, parsed.body);
    }).then(function (ok) {
      var token = parsed.token;
      if (!ok) { return {outcome: 'invalid_signature', token: null}; }
      if (isRevoked(revoked, token.serial)) { return {outcome: 'revoked', token: token}; }
      if (token.expires < dayString(today)) { return {outcome: 'expired', token: token}; }
      return {outcome: 'valid', token: token};
    });
  }

  // Resolves to true only for a well-formed revocation list signed by one of keys.
  function verifyRevocationDocument(doc, keys) {
    var wellFormed = doc && typeof doc.kid === 'string' && KID_RE.test(doc.kid) &&
      typeof doc.generated_at === 'string' && ISO_TIME_RE.test(doc.generated_at) &&
      typeof doc.signature === 'string' && Array.isArray(doc.serials) &&
      doc.serials.every(function (s) { return typeof s === 'string' && SERIAL_RE.test(s); });
    var publicKey = wellFormed ? findKey(keys, doc.kid) : null;
    if (!publicKey) { return Promise.resolve(false); }
    // Keys in sorted order, no spaces: the same bytes as the server's canonical JSON.
    var canonical = JSON.stringify({generated_at: doc.generated_at, kid: doc.kid, serials: doc.serials});
    return importKey(publicKey).then(function (key) {
      return crypto.subtle.verify('Ed25519', key, base64urlDecode(doc.signature), asciiBytes(canonical));
    }).catch(function (error) {
      if (error instanceof DOMException && error.name === 'NotSupportedError') { throw error; }
      return false;  // a signature that is not base64url
    });
  }

  global.PanohCards = {
    verify: verify,
    verifyRevocationDocument: verifyRevocationDocument,
    parse: parse,
    normalise: normalise,
    base45decode: base45decode
  };
})(typeof window !== 'undefined' ? window : globalThis);
