// Panoh's small page behaviours. Loaded as a file: the Content-Security-Policy forbids inline script.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    // Menu toggle on narrow screens.
    document.querySelectorAll('[data-toggle-target]').forEach(function (button) {
      button.addEventListener('click', function () {
        var target = document.getElementById(button.getAttribute('data-toggle-target'));
        var open = target.classList.toggle('show');
        button.setAttribute('aria-expanded', open ? 'true' : 'false');
      });
    });
    // A table wider than the screen scrolls in its box: keyboard users reach that box with Tab (WCAG 2.1.1).
    var scrollBoxes = function () {
      document.querySelectorAll('.table-responsive').forEach(function (box) {
        if (box.scrollWidth > box.clientWidth) { box.tabIndex = 0; } else { box.removeAttribute('tabindex'); }
      });
    };
    scrollBoxes();
    window.addEventListener('resize', scrollBoxes);
    // Forms that submit when a select changes (language switch).
    document.querySelectorAll('form[data-autosubmit] select').forEach(function (select) {
      select.addEventListener('change', function () { select.form.submit(); });
    });
    // Ask before destructive actions.
    document.querySelectorAll('form[data-confirm]').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        if (!window.confirm(form.getAttribute('data-confirm'))) { event.preventDefault(); }
      });
    });
    // Forms whose target depends on a chosen row (a member): the select's value is the form's URL.
    document.querySelectorAll('select[data-action-select]').forEach(function (select) {
      select.form.action = select.value;
      select.addEventListener('change', function () { select.form.action = select.value; });
    });
    // A form submits once: a double click must not send it twice.
    document.querySelectorAll('form[method="post"]').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        if (event.defaultPrevented) { return; }
        if (form.dataset.submitted) { event.preventDefault(); return; }
        form.dataset.submitted = '1';
        form.querySelectorAll('button[type="submit"]').forEach(function (b) { b.setAttribute('aria-busy', 'true'); });
      });
    });
  });
})();
