// Import progress: polls the server once a second until the import is done or failed.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var box = document.getElementById('import-progress');
    if (!box) { return; }
    var bar = box.querySelector('[data-bar]');
    var text = box.querySelector('[data-testid="import-status"]');
    function show(state) {
      var pct = state.total ? Math.round(100 * state.done / state.total) : (state.status === 'done' ? 100 : 0);
      bar.style.width = pct + '%';
      box.querySelector('[role=progressbar]').setAttribute('aria-valuenow', String(pct));
      if (state.status === 'done') {
        text.textContent = text.dataset.textDone.replace('{n}', state.imported);
      } else if (state.status === 'failed') {
        text.textContent = text.dataset.textFailed;
      } else {
        text.textContent = text.dataset.textRunning.replace('{done}', state.done).replace('{total}', state.total);
      }
      return state.status === 'importing';
    }
    function poll() {
      fetch(box.dataset.url, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (state) {
        if (show(state)) { setTimeout(poll, 1000); }
      }).catch(function () { setTimeout(poll, 3000); });
    }
    poll();
  });
})();
