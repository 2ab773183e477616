// The registration desk: add and remove member rows, webcam photos, live duplicate warnings, the
// head's names as defaults for the family, and the other script's spelling from the registry.
// Plain script (no inline code: the Content-Security-Policy forbids it). Names from the server are
// always inserted as text, never as HTML.
(function () {
  'use strict';
  var form, members, checkUrl, spellingsUrl;
  var NAME_FIELDS = ['given_name', 'given_name_orig', 'father_name', 'father_name_orig', 'family_name',
                     'family_name_orig', 'born', 'sex', 'tazkira'];
  //: each name field and the field of its other script
  var PARTNER = { given_name: 'given_name_orig', father_name: 'father_name_orig', family_name: 'family_name_orig',
                  grandfather_name: 'grandfather_name_orig' };
  Object.keys(PARTNER).forEach(function (k) { PARTNER[PARTNER[k]] = k; });
  //: what a member takes from the head by relationship (before one is chosen: a child's)
  var CHILD = { father_name: 'given_name', father_name_orig: 'given_name_orig', family_name: 'family_name',
                family_name_orig: 'family_name_orig' };
  var SIBLING = { father_name: 'father_name', father_name_orig: 'father_name_orig', family_name: 'family_name',
                  family_name_orig: 'family_name_orig' };
  var FROM_HEAD = { '': CHILD, son: CHILD, daughter: CHILD, brother: SIBLING, sister: SIBLING,
                    spouse: { family_name: 'family_name', family_name_orig: 'family_name_orig' } };
  var DEFAULTABLE = ['father_name', 'father_name_orig', 'family_name', 'family_name_orig'];

  function token() { return document.querySelector('meta[name="csrf-token"]').content; }
  function touchSession() { if (window.PanohDrafts) { window.PanohDrafts.touch(); } }

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
      el.classList.remove('is-invalid', 'from-head');
      delete el.dataset.touched;
    });
    card.querySelectorAll('[data-suggest-for]').forEach(function (el) { el.hidden = true; });
    var refused = card.querySelector('[data-camera-refused]');
    if (refused) { refused.hidden = true; }
    card.querySelector('[data-camera]').disabled = false;
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
    applyDefaults(card);
    card.querySelector('input[type=text], input:not([type])').focus();
    form.dispatchEvent(new Event('input'));  // the draft keeps the new row
  }

  function removeMember(card) {
    if (memberCards().length > 1) {
      card.remove();
      renumber();
      memberCards().forEach(applyDefaults);
      form.dispatchEvent(new Event('input'));
    }
  }

  // --- the head's names as defaults (Backspace clears one: Tab selects what is in a field) ----
  function field(card, name) { return card.querySelector('[name="' + card.dataset.member + '-' + name + '"]'); }

  function applyDefaults(card) {
    var cards = memberCards();
    if (card === cards[0]) { return; }
    var rule = FROM_HEAD[fieldValue(card, 'relation_to_head')] || {};
    DEFAULTABLE.forEach(function (name) {
      var input = field(card, name);
      if (!input || input.dataset.touched) { return; }
      var value = rule[name] ? fieldValue(cards[0], rule[name]) : '';
      input.value = value;
      input.classList.toggle('from-head', !!value);
      if (value) { hideSuggestion(input); }
    });
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
      var refused = card.querySelector('[data-camera-refused]');
      refused.hidden = false;
      var file = card.querySelector('input[type=file]');
      if (file) { file.focus(); }
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
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token() },
      body: JSON.stringify(body)
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (result) {
      if (result) { touchSession(); showMatches(card, result); }
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

  // --- the other script's spelling, from the registry's own pairs ----------------------------
  var spellings = {};

  function lookups(delta) {
    form.dataset.lookups = String((parseInt(form.dataset.lookups, 10) || 0) + delta);
  }

  function spellingsOf(name) {
    if (spellings[name]) { return spellings[name]; }
    lookups(1);
    spellings[name] = fetch(spellingsUrl, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token() },
      body: JSON.stringify({ name: name })
    }).then(function (r) { return r.ok ? r.json() : { spellings: [] }; })
      .then(function (result) { touchSession(); return result.spellings.map(function (s) { return s.name; }); })
      .catch(function () { delete spellings[name]; return []; })
      .then(function (list) { lookups(-1); return list; });
    return spellings[name];
  }

  function suggestionFor(input) {
    var box = input.parentNode.querySelector('[data-suggest-for]');
    if (!box) {
      box = el('div', 'form-text name-suggestion');
      box.hidden = true;
      box.id = input.id + '-suggest';
      input.insertAdjacentElement('afterend', box);
      var described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      described.push(box.id);
      input.setAttribute('aria-describedby', described.join(' '));
    }
    box.setAttribute('data-suggest-for', input.name);
    return box;
  }

  function hideSuggestion(input) {
    var box = input.parentNode.querySelector('[data-suggest-for]');
    if (box) { box.hidden = true; }
  }

  function showSuggestion(input, list, chosen) {
    var box = suggestionFor(input);
    box.textContent = '';
    if (!list.length || input.value) { box.hidden = true; return; }
    chosen = chosen || 0;
    box.dataset.value = list[chosen];
    box.dataset.options = JSON.stringify(list);
    box.dataset.chosen = String(chosen);
    box.appendChild(document.createTextNode(form.dataset.msgSuggested + ' '));
    list.forEach(function (name, i) {
      var option = el('button', 'btn btn-link btn-sm p-0 me-2' + (i === chosen ? ' fw-bold' : ''));
      option.type = 'button';
      option.tabIndex = -1;
      var text = el('bdi', '', name); text.dir = 'auto'; option.appendChild(text);
      option.addEventListener('mousedown', function (event) { event.preventDefault(); accept(input, name); });
      box.appendChild(option);
    });
    box.appendChild(el('kbd', '', form.dataset.msgSuggestKey));
    box.hidden = false;
  }

  function accept(input, value) {
    input.value = value;
    input.dataset.touched = '1';
    hideSuggestion(input);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  function suggest(card, name) {
    var source = field(card, name), target = field(card, PARTNER[name]);
    if (!source || !target) { return; }
    var value = source.value.trim();
    if (!value || target.value) { hideSuggestion(target); return; }
    spellingsOf(value).then(function (list) {
      if (source.value.trim() === value) { showSuggestion(target, list); }
    });
  }

  // Enter takes the suggestion shown under an empty name field, the arrow keys pick another.
  function onNameKey(event) {
    var input = event.target;
    var box = input.parentNode.querySelector('[data-suggest-for]');
    if (!box || box.hidden || input.value) { return; }
    var list = JSON.parse(box.dataset.options || '[]');
    if (event.key === 'Enter') {
      event.preventDefault();
      accept(input, box.dataset.value);
    } else if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && list.length > 1) {
      event.preventDefault();
      var step = event.key === 'ArrowDown' ? 1 : list.length - 1;
      showSuggestion(input, list, (parseInt(box.dataset.chosen, 10) + step) % list.length);
    } else if (event.key === 'Escape') {
      box.hidden = true;
    }
  }

  function bindNames(card) {
    var isHead = card === memberCards()[0];
    Object.keys(PARTNER).forEach(function (name) {
      var input = field(card, name);
      if (!input) { return; }
      var timer = null;
      input.addEventListener('keydown', onNameKey);
      input.addEventListener('input', function (event) {
        if (event.isTrusted) { input.dataset.touched = '1'; input.classList.remove('from-head'); }
        if (input.value) { hideSuggestion(input); }
        clearTimeout(timer);
        timer = setTimeout(function () { suggest(card, name); }, 250);
        if (card === memberCards()[0]) { memberCards().forEach(applyDefaults); }
      });
      input.addEventListener('change', function () { clearTimeout(timer); suggest(card, name); });
      input.addEventListener('focus', function () { if (!input.value) { suggest(card, PARTNER[name]); } });
      if (!isHead && input.value && DEFAULTABLE.indexOf(name) !== -1) { input.dataset.touched = '1'; }
    });
    var relation = field(card, 'relation_to_head');
    if (relation) { relation.addEventListener('change', function () { applyDefaults(card); }); }
  }

  function bindCard(card) {
    bindNames(card);
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
    spellingsUrl = form.dataset.spellingsUrl;
    memberCards().forEach(bindCard);
    // A draft kept while the session ended (drafts.js): as many rows as it had, then its values.
    form.addEventListener('drafts:restore', function (event) {
      var rows = 0;
      event.detail.names.forEach(function (name) {
        var m = /^members-(\d+)-/.exec(name);
        if (m) { rows = Math.max(rows, parseInt(m[1], 10) + 1); }
      });
      while (memberCards().length < rows) { addMember(); }
    });
    form.addEventListener('drafts:restored', function () {
      memberCards().forEach(function (card) {
        DEFAULTABLE.forEach(function (name) { var input = field(card, name); if (input && input.value) { input.dataset.touched = '1'; } });
        var data = card.querySelector('input[name$="-photo_data"]').value;
        var preview = card.querySelector('.photo-preview');
        if (data) { preview.src = data; preview.classList.remove('d-none'); }
      });
    });
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
