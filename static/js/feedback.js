// Feedback forms: show the sensitive-complaint part only for that type (desk), and the contact field
// only when the person wants to be contacted (kiosk). Without JavaScript both are always shown.
(function () {
  'use strict';

  function toggle(element, visible) { element.classList.toggle('d-none', !visible); }

  document.addEventListener('DOMContentLoaded', function () {
    var type = document.querySelector('[data-feedback-type]');
    var sensitive = document.getElementById('sensitive-box');
    if (type && sensitive) {
      var category = document.getElementById('sensitive_category');
      var update = function () {
        // a chosen category stays visible: its error must not be hidden with it
        toggle(sensitive, type.value === 'sensitive' || !!(category && category.value));
      };
      type.addEventListener('change', update);
      update();
    }
    var consent = document.querySelector('[data-kiosk-consent]');
    var contact = document.getElementById('contact-box');
    if (consent && contact) {
      var field = document.getElementById('contact');
      var show = function () { toggle(contact, consent.checked || !!field.value); };
      consent.addEventListener('change', function () {
        show();
        if (consent.checked) { field.focus(); }
      });
      show();
    }
    kioskReset();
  });

  // The help-desk tablet is shared: the thanks page (with its case number) clears itself after a short
  // time, and a form left with something typed clears after a longer idle time, so the next person
  // never sees the previous one's words. "Done" and "New message" replace the page in history too.
  function kioskReset() {
    var home = document.body.getAttribute('data-kiosk-home');
    if (!home) { return; }
    var thanks = document.querySelector('[data-testid="kiosk-thanks"]');
    var form = document.querySelector('[data-testid="kiosk-form"]');
    var seconds = Number(document.body.getAttribute(thanks ? 'data-kiosk-thanks' : 'data-kiosk-idle')) || 60;
    var timer = null;
    var clear = function () { window.location.replace(home); };
    var entered = function () {
      if (!form) { return true; }
      if (document.querySelector('[data-field-error], .kiosk-message')) { return true; }
      return Array.prototype.some.call(form.elements, function (el) {
        if (el.type === 'radio' || el.type === 'checkbox') { return el.checked; }
        return (el.tagName === 'TEXTAREA' || el.type === 'text') && el.value.trim() !== '';
      });
    };
    var arm = function () {
      window.clearTimeout(timer);
      timer = entered() ? window.setTimeout(clear, seconds * 1000) : null;
    };
    ['input', 'change', 'keydown', 'pointerdown'].forEach(function (name) {
      document.addEventListener(name, arm, true);
    });
    document.querySelectorAll('[data-kiosk-leave]').forEach(function (link) {
      link.addEventListener('click', function (event) {
        event.preventDefault();
        window.location.replace(link.href);
      });
    });
    arm();
  }
})();
