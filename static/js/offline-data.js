// What this browser keeps for distribution points ends with the officer's session.
//
// The scan page keeps the round's package (household numbers, photos, alternates' names) and its queue
// of collections in IndexedDB ("panoh-distribution"), and its service worker keeps the page in the Cache
// API. Signing out answers `Clear-Site-Data: "cache", "storage"`, and the sign-in page (shown after
// signing out or when a session ended) removes whatever is left, so nothing outlives the session.
// One thing is kept: collections not yet sent to the server are handouts that happened. When this
// browser still has some, the sign-out form says so (keep_queue=1): the server then clears only the
// HTTP cache, the sign-in page removes everything else, and the next sign-in sends them.
// No inline script (CSP): loaded on every page by base.html.
(function () {
  'use strict';

  var DB_NAME = 'panoh-distribution';
  var CACHE_PREFIX = 'panoh-distribution-';
  var CHECK_TIMEOUT = 4000;

  // The database if this browser has one; never creates it.
  function openExisting() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(null); return; }
      var request;
      try { request = indexedDB.open(DB_NAME); } catch (error) { resolve(null); return; }
      request.onupgradeneeded = function () { request.transaction.abort(); };  // it did not exist
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function (event) { if (event.preventDefault) { event.preventDefault(); } resolve(null); };
      request.onblocked = function () { resolve(null); };
    });
  }

  function isWaiting(item) { return item && item.state === 'waiting'; }

  // How many collections wait to be sent (a rejected promise: could not tell).
  function waitingCount() {
    return openExisting().then(function (database) {
      if (!database) { return 0; }
      if (!database.objectStoreNames.contains('queue')) { database.close(); return 0; }
      return new Promise(function (resolve, reject) {
        var request = database.transaction('queue', 'readonly').objectStore('queue').getAll();
        request.onsuccess = function () { database.close(); resolve(request.result.filter(isWaiting).length); };
        request.onerror = function () { database.close(); reject(request.error); };
      });
    });
  }

  // Remove the packages and every collection already sent; delete the database when nothing waits.
  function clearDatabase() {
    return openExisting().then(function (database) {
      if (!database) { return null; }
      var stores = ['packages', 'queue'].filter(function (name) { return database.objectStoreNames.contains(name); });
      return new Promise(function (resolve) {
        var left = 0;
        if (!stores.length) { resolve(0); return; }
        var tx = database.transaction(stores, 'readwrite');
        if (stores.indexOf('packages') >= 0) { tx.objectStore('packages').clear(); }
        if (stores.indexOf('queue') >= 0) {
          tx.objectStore('queue').openCursor().onsuccess = function (event) {
            var cursor = event.target.result;
            if (!cursor) { return; }
            if (isWaiting(cursor.value)) { left++; } else { cursor.delete(); }
            cursor.continue();
          };
        }
        tx.oncomplete = function () { resolve(left); };
        tx.onerror = tx.onabort = function () { resolve(1); };
      }).then(function (waiting) {
        database.close();
        if (!waiting) { indexedDB.deleteDatabase(DB_NAME); }
      });
    }).catch(function () { return null; });
  }

  function clearCaches() {
    var work = [];
    if (window.caches && caches.keys) {
      work.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf(CACHE_PREFIX) === 0; })
          .map(function (name) { return caches.delete(name); }));
      }));
    }
    if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
      work.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.filter(function (r) { return /\/distributions\/$/.test(r.scope); })
          .map(function (r) { return r.unregister(); }));
      }));
    }
    return Promise.all(work).catch(function () { return null; });
  }

  // The scan page's unrecorded household kept for a reload of its tab ("panoh-unrecorded-<round>").
  function clearTabState() {
    try {
      Object.keys(sessionStorage).filter(function (key) { return key.indexOf('panoh-unrecorded-') === 0; })
        .forEach(function (key) { sessionStorage.removeItem(key); });
    } catch (error) { /* no storage */ }
  }

  function clearAll() {
    clearTabState();
    return Promise.all([clearDatabase(), clearCaches()]).then(function () {
      document.documentElement.setAttribute('data-offline-cleared', '1');
    });
  }

  function withTimeout(promise) {
    return Promise.race([promise, new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error('timeout')); }, CHECK_TIMEOUT);
    })]);
  }

  // Before the sign-out form goes: the scan page sends its queue (window.PanohBeforeSignOut), then any
  // collection still waiting keeps the queue (when in doubt, keep it).
  function guardSignOut(form) {
    form.addEventListener('submit', function (event) {
      if (form.dataset.queueChecked) { return; }
      event.preventDefault();
      function send(keep) {
        form.dataset.queueChecked = '1';
        if (keep && !form.querySelector('input[name="keep_queue"]')) {
          var input = document.createElement('input');
          input.type = 'hidden';
          input.name = 'keep_queue';
          input.value = '1';
          form.appendChild(input);
        }
        form.submit();
      }
      var before = window.PanohBeforeSignOut ? withTimeout(window.PanohBeforeSignOut()).catch(function () { return null; })
        : Promise.resolve();
      before.then(function () { return withTimeout(waitingCount()); })
        .then(function (waiting) { send(waiting > 0); }, function () { send(true); });
    });
  }

  function init() {
    var signOut = document.querySelector('form[action$="/logout"]');
    if (signOut) {
      guardSignOut(signOut);
    } else if (document.querySelector('form[action$="/login"]')) {
      clearAll();  // the sign-in page: nobody is signed in on this browser
    }
  }

  window.PanohOfflineData = {waitingCount: waitingCount, clearAll: clearAll};
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
