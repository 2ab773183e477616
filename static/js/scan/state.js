// The scan page's state, one object made here and passed to every module (as ctx.state, see
// ../distribution-scan.js), and the little of it a reload of the tab keeps (sessionStorage).

const UNRECORDED_KEY = 'panoh-unrecorded-';  // + round id

export function createState(roundId, csrf) {
  return {
    roundId,                 // the round of this page
    csrf: csrf || '',        // the CSRF token for POSTs (refreshed when the server refuses a stale one)
    // the round's package (./package.js)
    pkg: null,               // its data: round, keys, revoked, households
    pkgLoadedAt: null,       // ISO time it was loaded
    pkgFresh: false,         // loaded from the server by this page (not read back from IndexedDB)
    pkgExpired: false,       // dropped as too old
    households: new Map(),   // household number -> the package's household
    revoked: new Set(),      // revoked card serials
    // the queue of collections and skips of this round (./sync.js), oldest first
    queue: [],
    syncing: false,
    lastSync: null,          // {ok, when, n}
    // the link (./net.js)
    net: 'unknown',          // online, offline, unreachable, signed_out
    netSince: 0,
    clockSkew: null,         // ms this device's clock is ahead of the server's
    // the counter (./counter.js, ./verdict.js)
    checkSeq: 0,             // the last check asked: an older answer is not shown
    panel: 0,                // verdicts shown so far
    current: null,           // the valid household shown, not recorded yet
    pendingText: null,       // the next card, waiting for "record it or skip it"
    shownItem: null,         // the collection the panel shows as saved or being sent: {id, panel, result}
    // the camera (./camera-button.js)
    camera: null,
    cameraStarting: false,
    lastCamera: null,
    lastCameraAt: 0,
  };
}

function session() {
  return globalThis.sessionStorage;
}

// The valid household not recorded yet and the card waiting behind it, kept for a reload of the page.
export function saveUnrecorded(state, storage) {
  try {
    storage = storage || session();
    const key = UNRECORDED_KEY + state.roundId;
    if (state.current) {
      storage.setItem(key, JSON.stringify({query: state.current.query, pending: state.pendingText || null}));
    } else {
      storage.removeItem(key);
    }
  } catch (error) { /* no storage: a reload forgets them */ }
}

// {query, pending} saved by saveUnrecorded, or null.
export function loadUnrecorded(state, storage) {
  try {
    storage = storage || session();
    return JSON.parse(storage.getItem(UNRECORDED_KEY + state.roundId) || 'null');
  } catch (error) {
    return null;
  }
}
