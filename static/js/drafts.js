// Drafts of long forms (the desk, feedback intake, a feedback case) that survive the session's end.
//
// What is typed is kept in this tab's sessionStorage only (keyed by user and form; nothing is sent
// anywhere else) and removed once the form reached the server from a signed-in browser. Before
// sending, the server is asked whether this browser is still signed in; if not, a sign-in dialog on
// the same page posts to the sign-in endpoint, takes a fresh CSRF token and sends the form once.
// A banner warns a couple of minutes before the idle timeout, with "Stay signed in".
// Loaded on every page (base.html): a signed-in page load clears the drafts that were sent.
(function () {
  'use strict';
  var PREFIX = 'panoh-draft:';
  var WARN_SECONDS = 120;
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }

  function userId() {
    var meta = document.querySelector('meta[name="panoh-user"]');
    return meta ? meta.content : '';
  }
  function keyOf(form) { return PREFIX + form.dataset.draftUser + ':' + form.dataset.draft; }
  function read(key) {
    try { return JSON.parse(store.getItem(key) || 'null'); } catch (e) { return null; }
  }
  function write(key, draft) {
    try { store.setItem(key, JSON.stringify(draft)); } catch (e) { /* full or refused: the form still works */ }
  }
  function draftKeys() {
    var keys = [];
    for (var i = 0; store && i < store.length; i++) {
      if (store.key(i).indexOf(PREFIX) === 0) { keys.push(store.key(i)); }
    }
    return keys;
  }

  // On a signed-in page, drafts sent from a signed-in browser are done with; on a page without a
  // user (the sign-in page after a refused save), they were not: they wait for the form again.
  function settleSentDrafts() {
    if (!store) { return; }
    var user = userId();
    draftKeys().forEach(function (key) {
      // another account's words never wait in the tab of whoever signed in after it (a shared laptop)
      if (user && key.indexOf(PREFIX + user + ':') !== 0) { store.removeItem(key); return; }
      var draft = read(key);
      if (!draft || !draft.sent) { return; }
      if (!user) { draft.sent = false; write(key, draft); }
      else if (key.indexOf(PREFIX + user + ':') === 0) { store.removeItem(key); }
    });
  }

  function snapshot(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === 'csrf_token' || el.type === 'file' || el.type === 'password' ||
          el.tagName === 'BUTTON' || el.type === 'submit') { return; }
      if (el.type === 'checkbox' || el.type === 'radio') { fields.push([el.name, el.value, el.checked]); }
      else { fields.push([el.name, el.value]); }
    });
    return fields;
  }

  function restore(form, draft) {
    var names = draft.fields.map(function (f) { return f[0]; });
    form.dispatchEvent(new CustomEvent('drafts:restore', { detail: { names: names } }));
    draft.fields.forEach(function (f) {
      var els = form.querySelectorAll('[name="' + f[0].replace(/"/g, '') + '"]');
      Array.prototype.forEach.call(els, function (el) {
        if (el.type === 'checkbox' || el.type === 'radio') { if (el.value === f[1]) { el.checked = f[2]; } }
        else if (el.type !== 'file') { el.value = f[1]; }
      });
    });
    form.dispatchEvent(new CustomEvent('drafts:restored'));
  }

  // --- the session: status, sign-in in place ------------------------------------------------
  var ui = {}, lastActivity = Date.now(), idleSeconds = 0, pending = null;

  function status() {
    return fetch(ui.root.dataset.statusUrl, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { if (!r.ok) { throw new Error('status ' + r.status); } return r.json(); });
  }

  function useToken(token) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { meta.content = token; }
    document.querySelectorAll('input[name="csrf_token"]').forEach(function (input) { input.value = token; });
  }

  function alive(answer) {
    lastActivity = Date.now();
    idleSeconds = answer.idle_seconds || idleSeconds;
    useToken(answer.csrf_token);
    ui.banner.hidden = true;
  }

  function openSignIn(form, submitter) {
    pending = form ? { form: form, submitter: submitter } : pending;
    ui.error.textContent = '';
    ui.error.hidden = true;
    if (!ui.dialog.open) { ui.dialog.showModal(); }
    (ui.username.value ? ui.password : ui.username).focus();
  }

  function refusalText(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var node = doc.querySelector('[data-testid="login-refusal"], .invalid-feedback, .alert-danger');
    return node ? node.textContent.trim() : ui.root.dataset.msgFailed;
  }

  // Someone else is signed in in this browser (perhaps from this dialog): sign that account out first,
  // without clearing what the browser keeps (keep_queue), so that the form's own user can sign in.
  function signOutOther(answer) {
    var body = new URLSearchParams();
    body.set('csrf_token', answer.csrf_token);
    body.set('keep_queue', '1');
    return fetch(ui.root.dataset.logoutUrl, { method: 'POST', credentials: 'same-origin', body: body })
      .then(status);
  }

  function signIn(event) {
    event.preventDefault();
    ui.submit.disabled = true;
    status().then(function (answer) {
      if (answer.signed_in && answer.user === userId()) { return answer; }
      return answer.signed_in ? signOutOther(answer) : answer;
    }).then(function (answer) {
      if (answer.signed_in) { return answer; }
      var body = new URLSearchParams();
      body.set('csrf_token', answer.csrf_token);
      body.set('username', ui.username.value);
      body.set('password', ui.password.value);
      body.set('next', '');
      return fetch(ui.root.dataset.loginUrl, { method: 'POST', credentials: 'same-origin', body: body })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          return status().then(function (after) {
            if (!after.signed_in) { throw new Error(refusalText(html)); }
            return after;
          });
        });
    }).then(function (answer) {
      ui.password.value = '';
      if (answer.user !== userId()) { throw new Error(ui.root.dataset.msgOtherUser); }
      alive(answer);
      ui.dialog.close();
      var job = pending;
      pending = null;
      if (job) { send(job.form, job.submitter); }
    }).catch(function (error) {
      ui.error.textContent = error && error.message && error.message.indexOf('status') !== 0 ? error.message
        : ui.root.dataset.msgFailed;
      ui.error.hidden = false;
      ui.password.focus();
    }).then(function () { ui.submit.disabled = false; });
  }

  // Send once, for real: the submit listener below lets a checked form through.
  function send(form, submitter) {
    var draft = read(keyOf(form)) || {};
    draft.fields = snapshot(form);
    draft.sent = true;
    write(keyOf(form), draft);
    form.dataset.draftChecked = '1';
    delete form.dataset.submitted;
    if (form.requestSubmit) { form.requestSubmit(submitter && submitter.form === form ? submitter : undefined); }
    else { form.submit(); }
  }

  function checkThenSend(event) {
    var form = event.target;
    if (form.dataset.draftChecked) { delete form.dataset.draftChecked; return; }
    event.preventDefault();
    if (form.dataset.draftChecking) { return; }
    form.dataset.draftChecking = '1';
    var submitter = event.submitter;
    status().then(function (answer) {
      delete form.dataset.draftChecking;
      if (answer.signed_in && answer.user === userId()) { alive(answer); send(form, submitter); }
      else { save(form); openSignIn(form, submitter); }
    }).catch(function () {
      delete form.dataset.draftChecking;  // no answer (offline?): send as before, the draft stays
      send(form, submitter);
    });
  }

  // --- the idle warning -----------------------------------------------------------------------
  function tick() {
    var left = idleSeconds - (Date.now() - lastActivity) / 1000;
    if (left > WARN_SECONDS) { ui.banner.hidden = true; return; }
    ui.bannerText.textContent = left > 0
      ? ui.root.dataset.msgSoon.replace('{n}', String(Math.max(1, Math.ceil(left / 60))))
      : ui.root.dataset.msgEnded;
    ui.banner.hidden = false;
  }

  function stay() {
    status().then(function (answer) {
      if (answer.signed_in) { alive(answer); } else { openSignIn(null, null); }
    }).catch(function () { /* offline: the banner stays */ });
  }

  // --- wiring ------------------------------------------------------------------------------
  var timers = {};
  function save(form) {
    var draft = { saved: Date.now(), sent: false, fields: snapshot(form) };
    write(keyOf(form), draft);
  }
  function saveSoon(form) {
    clearTimeout(timers[form.dataset.draft]);
    timers[form.dataset.draft] = setTimeout(function () { save(form); }, 300);
  }

  function discard(form, notice) {
    if (store) { store.removeItem(keyOf(form)); }
    notice.remove();
    window.location.reload();
  }

  function bindForm(form) {
    if (!form.dataset.draftUser || form.dataset.draftUser !== userId()) { return; }
    var draft = store ? read(keyOf(form)) : null;
    var notice = form.querySelector('[data-draft-restored]');
    if (draft && !draft.sent && !form.querySelector('.is-invalid')) {
      restore(form, draft);
      if (notice) {
        notice.hidden = false;
        notice.querySelector('[data-draft-discard]').addEventListener('click', function () { discard(form, notice); });
      }
    }
    form.addEventListener('input', function () { saveSoon(form); });
    form.addEventListener('change', function () { saveSoon(form); });
    form.addEventListener('submit', checkThenSend, true);  // before panoh.js's double-click guard
  }

  document.addEventListener('DOMContentLoaded', function () {
    settleSentDrafts();
    // Signing out on purpose leaves nothing typed behind in this tab.
    document.querySelectorAll('form[action$="/logout"]').forEach(function (logout) {
      logout.addEventListener('submit', function () {
        draftKeys().forEach(function (key) { store.removeItem(key); });
      });
    });
    ui.root = document.getElementById('drafts-ui');
    if (!ui.root) { return; }
    ui.banner = document.getElementById('session-warning');
    ui.bannerText = ui.banner.querySelector('[data-session-text]');
    ui.dialog = document.getElementById('sign-in-again');
    ui.username = ui.dialog.querySelector('[name="username"]');
    ui.password = ui.dialog.querySelector('[name="password"]');
    ui.error = ui.dialog.querySelector('[data-sign-in-error]');
    ui.submit = ui.dialog.querySelector('button[type="submit"]');
    idleSeconds = parseInt(ui.root.dataset.idleSeconds, 10) || 1800;
    ui.banner.querySelector('[data-stay]').addEventListener('click', stay);
    ui.dialog.querySelector('form').addEventListener('submit', signIn);
    ui.dialog.querySelector('[data-cancel]').addEventListener('click', function () {
      pending = null;
      ui.dialog.close();
    });
    // after every script's own start-up (the desk adds rows for a draft when asked)
    setTimeout(function () { document.querySelectorAll('form[data-draft]').forEach(bindForm); }, 0);
    tick();
    setInterval(tick, 10000);
  });

  // Other scripts' requests count as activity too (the desk's duplicate check).
  window.PanohDrafts = { touch: function () { lastActivity = Date.now(); } };
})();
