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
  });
})();
