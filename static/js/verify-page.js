// The card check page: verifies the code on this device first (keys and revocation list are cached
// for when the link drops), then asks the server, which also shows the household for a visual check.
(function () {
  'use strict';
  var CACHE = 'panoh-card-keys';
  function cached() { try { return JSON.parse(localStorage.getItem(CACHE) || 'null'); } catch (e) { return null; } }
  function refresh(form) {
    return Promise.all([fetch(form.dataset.keysUrl).then(function (r) { return r.json(); }),
                        fetch(form.dataset.revokedUrl).then(function (r) { return r.json(); })])
      .then(function (both) {
        var data = { keys: both[0].keys, revoked: both[1].serials };
        localStorage.setItem(CACHE, JSON.stringify(data));
        return data;
      }).catch(function () { return cached(); });
  }
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('verify-form');
    if (!form || !window.PanohCards) { return; }
    var box = document.getElementById('offline-result');
    var ready = refresh(form);
    form.addEventListener('submit', function (event) {
      var code = form.querySelector('#code').value;
      if (navigator.onLine) { return; }            // online: the server answers with the household
      event.preventDefault();
      ready.then(function (data) {
        if (!data) { return; }
        return window.PanohCards.verify(code, data.keys, data.revoked, new Date()).then(function (result) {
          box.textContent = box.dataset['text' + result.outcome.charAt(0).toUpperCase() + result.outcome.slice(1)]
            || box.getAttribute('data-text-' + result.outcome) || result.outcome;
          box.className = 'alert ' + (result.outcome === 'valid' ? 'alert-success' : 'alert-danger');
        });
      });
    });
  });
})();
