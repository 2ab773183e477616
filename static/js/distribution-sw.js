// Service worker of the distribution scan pages, served as /distributions/sw.js (scope /distributions/).
// It keeps the scan page and the static files it needs so that the page reloads when the link is down.
// Pages and files are fetched from the network first (so updates arrive at once) and the cached copy is
// used only when the network fails. The round's data and the queue of collections are not here: the page
// keeps them in IndexedDB ("panoh-distribution"). The API (/api/) is never cached.
/* eslint-env serviceworker */
'use strict';

var CACHE = 'panoh-distribution-v1';
var NETWORK_TIMEOUT = 6000;  // a link that hangs counts as down for a page that is cached

self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf('panoh-distribution-') === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function cacheable(response) {
  return response && response.ok && !response.redirected && response.type === 'basic';
}

function store(request, response) {
  if (!cacheable(response)) { return Promise.resolve(); }
  var copy = response.clone();
  return caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
}

// The page asks for its files to be cached (the first visit was not yet under this worker's control).
self.addEventListener('message', function (event) {
  var data = event.data || {};
  if (data.type !== 'cache' || !Array.isArray(data.urls)) { return; }
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(data.urls.map(function (url) {
      var target = new URL(url, self.location.origin);
      if (target.origin !== self.location.origin) { return null; }
      return fetch(target.href, {credentials: 'same-origin', cache: 'no-cache'}).then(function (response) {
        return cacheable(response) ? cache.put(target.href, response) : null;
      }).catch(function () { return null; });
    }));
  }).then(function () {
    if (event.source && event.source.postMessage) { event.source.postMessage({type: 'cached'}); }
  }));
});

function networkFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (cached) {
      var network = fetch(request).then(function (response) {
        return store(request, response).then(function () { return response; });
      });
      if (!cached) { return network; }
      var timeout = new Promise(function (resolve) { setTimeout(function () { resolve(cached); }, NETWORK_TIMEOUT); });
      return Promise.race([network.catch(function () { return cached; }), timeout]);
    });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') { return; }
  var url = new URL(request.url);
  var scope = new URL(self.registration.scope).pathname;       // .../distributions/
  var root = scope.replace(/distributions\/$/, '');             // where the app is mounted, usually /
  if (url.origin !== self.location.origin || url.pathname.indexOf(root + 'api/') === 0 ||
      url.pathname === new URL(self.location.href).pathname) { return; }
  // the scan pages, and the camera decoder's worker (served under the scope so that it is controlled)
  var page = (request.mode === 'navigate' || request.destination === 'worker') && url.pathname.indexOf(scope) === 0;
  var asset = url.pathname.indexOf(root + 'static/') === 0;
  if (!page && !asset) { return; }
  event.respondWith(networkFirst(request));
});
