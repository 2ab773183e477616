// The subject access report: the Print button (no inline script under the Content-Security-Policy).
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-print-report]').forEach(function (button) {
      button.addEventListener('click', function () { window.print(); });
    });
  });
}());
