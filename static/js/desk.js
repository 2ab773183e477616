// The registration desk: add and remove member rows, webcam photos, live duplicate warnings.
// Plain script (no inline code: the Content-Security-Policy forbids it). Names from the server are
// always inserted as text, never as HTML.
(function () {
  'use strict';
  var form, members, checkUrl, csrf;
  var NAME_FIELDS = ['given_name', 'given_name_orig', 'father_name', 'father_name_orig', 'family_name',
                     'family_name_orig', 'born', 'sex'];

  function memberCards() { return members.querySelectorAll('fieldset.member'); }

  // Rows are always numbered 0..n-1 in page order, as the server numbers them when it shows the form again.
  function rename(card, index) {
    var oldPrefix = card.dataset.member + '-';
    var newPrefix = 'members-' + index + '-';
    if (oldPrefix === newPrefix) { return; }
    card.dataset.member = 'members-' + index;
    card.querySelectorAll('[name],[id],[for],[aria-describedby]').forEach(function (el) {
      ['name', 'id', 'for', 'aria-describedby'].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && value.indexOf(oldPrefix) !== -1) { el.setAttribute(attr, value.split(oldPrefix).join(newPrefix)); }
      });
    });
  }

  function renumber() {
    memberCards().forEach(function (card, i) {
      rename(card, i);
      card.querySelector('.member-position').textContent = String(i + 1);
    });
  }

  function clearCard(card, index) {
    rename(card, index);
    card.querySelectorAll('input, select, textarea').forEach(function (el) {
      if (el.type === 'checkbox' || el.type === 'radio') { el.checked = false; }
      else if (el.tagName === 'SELECT') { el.selectedIndex = 0; }
      else { el.value = ''; }
      el.classList.remove('is-invalid');
    });
    card.querySelectorAll('.invalid-feedback').forEach(function (el) { el.remove(); });
    card.querySelector('.duplicates').textContent = '';
    var preview = card.querySelector('.photo-preview');
    preview.removeAttribute('src');
    preview.classList.add('d-none');
  }

  function addMember() {
    var cards = memberCards();
    var card = cards[cards.length - 1].cloneNode(true);
    clearCard(card, cards.length);
    members.appendChild(card);
    bindCard(card);
    renumber();
    card.querySelector('input[type=text], input:not([type])').focus();
  }

  function removeMember(card) {
    if (memberCards().length > 1) { card.remove(); renumber(); }
  }

  // --- webcam -------------------------------------------------------------------------------
  function startCamera(card) {
    var box = card.querySelector('.camera');
    var video = box.querySelector('video');
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      card.querySelector('[data-camera]').textContent = card.dataset.noCamera || 'No camera: choose a file';
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false }).then(function (stream) {
      video.srcObject = stream;
      box.classList.remove('d-none');
      box.querySelector('[data-capture]').focus();
    }).catch(function () {
      card.querySelector('[data-camera]').disabled = true;
    });
  }

  function capture(card) {
    var video = card.querySelector('.camera video');
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) { return; }
    var canvas = document.createElement('canvas');
    canvas.width = 360; canvas.height = 480;                       // 3:4 portrait, stored small
    var cropW = Math.min(w, h * 3 / 4), cropH = cropW * 4 / 3;
    canvas.getContext('2d').drawImage(video, (w - cropW) / 2, (h - cropH) / 2, cropW, cropH, 0, 0, 360, 480);
    var data = canvas.toDataURL('image/jpeg', 0.8);
    card.querySelector('input[name$="-photo_data"]').value = data;
    var preview = card.querySelector('.photo-preview');
    preview.src = data;
    preview.classList.remove('d-none');
    video.srcObject.getTracks().forEach(function (t) { t.stop(); });
    card.querySelector('.camera').classList.add('d-none');
  }

  // --- live duplicate check -----------------------------------------------------------------
  function fieldValue(card, name) {
    var el = card.querySelector('[name="' + card.dataset.member + '-' + name + '"]');
    return el ? el.value : '';
  }

  function checkDuplicates(card) {
    var body = {};
    NAME_FIELDS.forEach(function (name) { body[name] = fieldValue(card, name); });
    if (!(body.given_name || body.given_name_orig) || !body.born || !body.sex) { return; }
    fetch(checkUrl, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify(body)
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (result) {
      if (result) { showMatches(card, result); }
    }).catch(function () { /* offline: the server checks again on save */ });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function showMatches(card, result) {
    var box = card.querySelector('.duplicates');
    var answered = {};
    box.querySelectorAll('input[type=checkbox]:checked').forEach(function (c) { answered[c.value] = true; });
    box.textContent = '';
    if (!result.matches.length && !result.other_camps) { return; }
    var panel = el('div', 'alert alert-warning');
    panel.setAttribute('data-testid', 'duplicate-warning');
    panel.appendChild(el('p', 'fw-semibold mb-2', result.title));
    result.matches.forEach(function (m) {
      var row = el('div', 'd-flex gap-3 align-items-start border-top pt-2 mb-2');
      if (m.photo_url) { var img = el('img'); img.src = m.photo_url; img.width = 60; img.height = 80; img.alt = ''; row.appendChild(img); }
      var text = el('div', 'flex-grow-1');
      var line = el('div');
      line.appendChild(el('code', '', m.number));
      line.appendChild(document.createTextNode(' · '));
      var name = el('bdi', '', m.name); line.appendChild(name);
      if (m.name_orig) { line.appendChild(document.createTextNode(' · ')); var o = el('bdi', 'name-orig', m.name_orig); o.dir = 'auto'; line.appendChild(o); }
      text.appendChild(line);
      text.appendChild(el('div', 'small', m.details));
      row.appendChild(text);
      var open = el('a', 'btn btn-sm btn-outline-primary', result.labels.same);
      open.href = m.household_url; open.target = '_blank'; open.rel = 'noopener';
      row.appendChild(open);
      var label = el('label', 'btn btn-sm btn-outline-secondary mb-0');
      var box2 = el('input', 'form-check-input me-1');
      box2.type = 'checkbox'; box2.name = card.dataset.member + '-not_duplicates'; box2.value = m.id;
      box2.checked = !!answered[m.id];
      label.appendChild(box2); label.appendChild(document.createTextNode(' ' + result.labels.different));
      row.appendChild(label);
      panel.appendChild(row);
    });
    if (result.other_camps_text) { panel.appendChild(el('p', 'small mb-0', result.other_camps_text)); }
    box.appendChild(panel);
  }

  function bindCard(card) {
    card.querySelector('[data-remove-member]').addEventListener('click', function () { removeMember(card); });
    card.querySelector('[data-camera]').addEventListener('click', function () { startCamera(card); });
    card.querySelector('[data-capture]').addEventListener('click', function () { capture(card); });
    var timer = null;
    NAME_FIELDS.forEach(function (name) {
      var input = card.querySelector('[name="' + card.dataset.member + '-' + name + '"]');
      if (!input) { return; }
      input.addEventListener('change', function () {
        clearTimeout(timer);
        timer = setTimeout(function () { checkDuplicates(card); }, 250);
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    form = document.getElementById('desk-form');
    if (!form) { return; }
    members = document.getElementById('members');
    checkUrl = form.dataset.checkUrl;
    csrf = document.querySelector('meta[name="csrf-token"]').content;
    memberCards().forEach(bindCard);
    document.getElementById('add-member').addEventListener('click', addMember);
    // Alt+N adds a member from anywhere in the form (browsers differ on accesskey modifiers).
    document.addEventListener('keydown', function (event) {
      if (event.altKey && !event.ctrlKey && (event.key === 'n' || event.key === 'N')) {
        event.preventDefault();
        addMember();
      }
    });
    var first = form.querySelector('.member input');
    if (first && !form.querySelector('.is-invalid')) { first.focus(); }
    var invalid = form.querySelector('.is-invalid');
    if (invalid) { invalid.focus(); }
  });
})();
