// The scan page's IndexedDB ("panoh-distribution"): store "packages" by round id, store "queue" by
// collection id. When the browser gives no IndexedDB (or in Node), the same calls work on memory.

const DB_NAME = 'panoh-distribution';
const DB_VERSION = 1;

var dbPromise = null;
var memory = {packages: new Map(), queue: new Map()};  // when the browser gives no IndexedDB

function db() {
  if (!dbPromise) {
    dbPromise = new Promise(function (resolve) {
      if (!globalThis.indexedDB) { resolve(null); return; }
      var request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var database = request.result;
        if (!database.objectStoreNames.contains('packages')) {
          database.createObjectStore('packages', {keyPath: 'round_id'});
        }
        if (!database.objectStoreNames.contains('queue')) {
          database.createObjectStore('queue', {keyPath: 'id'}).createIndex('round_id', 'round_id');
        }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { resolve(null); };
    });
  }
  return dbPromise;
}

export function idb(storeName, mode, work) {
  return db().then(function (database) {
    if (!database) { return work(null, memory[storeName]); }
    return new Promise(function (resolve, reject) {
      var tx = database.transaction(storeName, mode);
      var result;
      Promise.resolve(work(tx.objectStore(storeName), null)).then(function (value) { result = value; });
      tx.oncomplete = function () { resolve(result); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  });
}

function requestValue(request) {
  return new Promise(function (resolve, reject) {
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });
}

export function putRecord(storeName, record) {
  return idb(storeName, 'readwrite', function (store, mem) {
    if (mem) { mem.set(record[storeName === 'packages' ? 'round_id' : 'id'], record); return; }
    store.put(record);
  });
}

export function getPackage(roundId) {
  return idb('packages', 'readonly', function (store, mem) {
    return mem ? mem.get(roundId) : requestValue(store.get(roundId));
  });
}

export function deletePackage(roundId) {
  return idb('packages', 'readwrite', function (store, mem) {
    if (mem) { mem.delete(roundId); return; }
    store.delete(roundId);
  });
}

export function roundQueue(roundId) {
  return idb('queue', 'readonly', function (store, mem) {
    if (mem) { return Array.from(mem.values()).filter(function (i) { return i.round_id === roundId; }); }
    return requestValue(store.index('round_id').getAll(roundId));
  });
}

export function saveItems(items) {
  return idb('queue', 'readwrite', function (store, mem) {
    items.forEach(function (item) {
      var copy = Object.assign({}, item);
      delete copy.sending;
      if (mem) { mem.set(copy.id, copy); } else { store.put(copy); }
    });
  });
}
