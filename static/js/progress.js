// Progress of a background job (card printing, list import): polls its JSON once a second until it is
// done or failed, and then reveals the result link if there is one.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var box = document.getElementById('job-progress');
    if (!box) { return; }
    var bar = box.querySelector('[data-bar]');
    var text = box.querySelector('[data-testid="job-status"]');
    function show(state) {
      var pct = state.total ? Math.round(100 * state.done / state.total) : 0;
      if (state.status === 'done') { pct = 100; }
      bar.style.width = pct + '%';
      box.querySelector('[role=progressbar]').setAttribute('aria-valuenow', String(pct));
      if (state.status === 'done') {
        text.textContent = text.dataset.textDone.replace('{n}', state.imported !== undefined ? state.imported : state.done);
        var link = box.querySelector('[data-done-link]');
        if (link) { link.classList.remove('d-none'); }
      } else if (state.status === 'failed') {
        text.textContent = text.dataset.textFailed.replace('{n}', state.imported !== undefined ? state.imported : 0);
        var retry = box.querySelector('[data-failed-form]');
        if (retry) { retry.classList.remove('d-none'); }
      } else {
        text.textContent = text.dataset.textRunning.replace('{done}', state.done).replace('{total}', state.total);
      }
      return state.status !== 'done' && state.status !== 'failed';
    }
    function poll() {
      fetch(box.dataset.url, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (s) {
        if (show(s)) { setTimeout(poll, 1000); }
      }).catch(function () { setTimeout(poll, 3000); });
    }
    poll();
  });
})();
