// The browser wallet's dedicated Web Worker (docs/client-web.md "The worker"). It loads the production module
// teavm/p2.wasm (the shared Java device core compiled by TeaVM) after checking its SHA-256, and is the only place
// where a share, a nonce or the wallet secret exists: it runs the protocol sessions over the MPC channel's WebSocket
// (opened here with a single-use ticket), keeps the sealed envelopes in IndexedDB, and answers the page with
// progress, reviews and outcomes only. The page never receives a share or a secret.
//
// Messages from the page: { id, op, ... } with op one of
//   init {wasmDigest}            load and check the module; answers {type:'result', crypto, persisted}
//   status {}                    {type:'result', deviceReady, shares:[{walletId, address, backedUpAt}]}
//   prepare {}                   make the device's one-time parameters if missing (progress, then result), in a
//                                helper worker (setup {}: the same script and module, computing only)
//   keygen {walletId, url, secret}   run KEYGEN; the share is sealed and stored before the last message leaves
//   review {transfer, signRequest}   the co-sign dialog's content, computed by the device
//   cosign {transfer, signRequest, address, url, secret, passkey?}   check again, open the share (with the passkey's
//                                envelope when passkey is true), run SIGN
//   backup {walletId, address, secret}   check the secret opens the share, then the backup file's text (the
//                                desktop's format, mpcwallet-backup v1: the envelope as stored, still sealed)
//   restore {bundle, wallets:{walletId: address}, epochs:{walletId: bank's key epoch}, names:{walletId: name}, secret}   open every envelope of a backup file, check it is the
//                                bank's wallet, then store it (nothing is stored unless every wallet checks)
//   addPasskey {walletId, secret, passkeySecret, credentialId}   seal the share a second time under the passkey's
//                                PRF output (the wallet secret's envelope stays, as the fallback)
//   refresh {walletId, address, url, secret, passkeySecret?}   run REFRESH (an administrator authorized it): the new
//                                share is kept beside the current one (record.next) before R4 leaves, and becomes the
//                                current one after the bank's done (both in one IndexedDB write each)
//   settle {walletId, bankEpoch}  a refresh interrupted after R4: make record.next current when the bank's key is
//                                at its epoch (never dropped otherwise; the next refresh replaces it)
//   qr {walletId}                the QR code of ethereum:<address> for the address of this browser's share
//   bankCopy {walletId, secret}  a recovery code (160 random bits) and the share sealed under it, for the bank to keep
//   noteBankCopy {walletId, storedAt, keyEpoch}   remember that the bank keeps a copy (shown on the wallet page)
//   recover {walletId, envelope (base64), address, code, secret, bankEpoch}   open the bank's copy with the recovery
//                                code, check it is the bank's wallet at the bank's key epoch, seal it under the new
//                                wallet secret and store it
//   cancel {}                    abandon the running operation (the bank is told), or stop the pool's top-up
// Answers: {id, type:'progress', step, steps, label} | {id, type:'done', ...} | {id, type:'result', ...}
//          | {id, type:'failed', code, message}
//          | {id: -1, type:'pool', walletId, held, code?, message?}: the wallet's presignature pool changed, or
//            topping it up failed (a notice: the operation it followed had already succeeded)
// The presignature pool (docs/presign-online.md "Stage 3"): after a keygen, a co-signing or a refresh, while the
// share is still open, the worker makes presignatures up to POOL_TARGET per wallet over the same connection (after
// the outcome was posted); a co-signing uses the oldest that opens (online signing: one message), deleting its record
// before O1 leaves, and falls back to SIGN when there is none or the bank answers PRESIGNATURE_UNAVAILABLE (then
// the wallet's whole pool is discarded). A refresh, a restore and a recovery discard the wallet's pool. Tabs each run
// their own worker: a co-signing reads, chooses from and deletes from the pool only while it holds the origin-wide
// Web Lock of the wallet's pool (poolLock), so two tabs never use one presignature; one that finds the lock held
// co-signs with SIGN instead of waiting.
'use strict';

const DB_NAME = 'mpc-wallet';
const DB_VERSION = 2; // 2: the presignature pool (store 'pool')
const SILENCE_MS = 60_000;
const POOL_TARGET = 4; // presignatures kept per wallet (docs/presign-online.md "Stage 3")
let exports = null;
let wasmDigest = null;
let current = null; // the running session: { id, ws, finish, abandon }
let tail = null; // the pool's top-up after an operation's result: { stop() -> promise }
let dbPromise = null;

function post(m) {
  self.postMessage(m);
}

function failed(id, code, message) {
  post({ id, type: 'failed', code, message });
}

function requireWebCrypto() {
  const c = self.crypto;
  if (!c || typeof c.getRandomValues !== 'function' || !c.subtle) {
    throw new Error('this browser offers no Web Crypto (crypto.getRandomValues and crypto.subtle); the wallet '
      + 'cannot run here');
  }
}

// ---- IndexedDB ------------------------------------------------------------------------------------------------

function db() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const d = req.result;
        if (!d.objectStoreNames.contains('vaults')) { d.createObjectStore('vaults', { keyPath: 'walletId' }); }
        if (!d.objectStoreNames.contains('meta')) { d.createObjectStore('meta'); }
        // one sealed presignature per record (docs/vault-format.md section 13); the stores above are kept as they are
        if (!d.objectStoreNames.contains('pool')) { d.createObjectStore('pool', { keyPath: ['walletId', 'presignatureId'] }); }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return dbPromise;
}

async function tx(store, mode, work) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(store, mode, { durability: 'strict' });
    let value;
    const req = work(t.objectStore(store));
    if (req) { req.onsuccess = () => { value = req.result; }; }
    t.oncomplete = () => resolve(value);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error('IndexedDB transaction aborted'));
  });
}

const idbGet = (store, key) => tx(store, 'readonly', (s) => s.get(key));
const idbPut = (store, value, key) => tx(store, 'readwrite', (s) => (key === undefined ? s.put(value) : s.put(value, key)));
const idbAll = (store) => tx(store, 'readonly', (s) => s.getAll());

// ---- the presignature pool ------------------------------------------------------------------------------------
// Records {walletId, presignatureId, fingerprint, record (hex: PresignatureRecords' format, sealed under the
// wallet's pool key), storedAt}. Deleting one needs no cryptography; every delete awaits its transaction's complete
// event (durability strict) before anything depending on it leaves the worker.

const poolRange = (walletId) => IDBKeyRange.bound([walletId, ''], [walletId, '\uffff']);
const poolOf = (walletId) => tx('pool', 'readonly', (s) => s.getAll(poolRange(walletId)));
// add, not put: a presignature id the bank hands out twice (it is the bank's session id) fails with a ConstraintError
// instead of replacing the unused record under it
const poolPut = (rec) => tx('pool', 'readwrite', (s) => s.add({ walletId: rec.walletId,
  presignatureId: rec.presignatureId, fingerprint: rec.fingerprint, record: rec.record, storedAt: Date.now() }));
const poolDelete = (walletId, ids) => tx('pool', 'readwrite', (s) => { for (const i of ids) { s.delete([walletId, i]); } });
const poolDiscard = (walletId) => tx('pool', 'readwrite', (s) => s.delete(poolRange(walletId)));

// Runs step(held) under the wallet's pool lock when it is free (held true) and at once without it (held false)
// when another tab's worker holds it: a presignature must never serve two co-signings, since two O1s under one nonce
// give the bank the whole key (docs/presign-online.md "Single use on the device"). No Web Locks: no pool.
const poolLockName = (walletId) => 'mpc-wallet presignatures ' + walletId;
function poolLock(walletId, step) {
  if (!self.navigator || !self.navigator.locks) { return step(false); }
  return self.navigator.locks.request(poolLockName(walletId), { ifAvailable: true }, (lock) => step(lock !== null));
}

// What the page hears of the pool: how many presignatures a wallet holds, and a failure while filling it (a notice,
// never an operation's failure). Public values only.
async function poolNotice(walletId, extra) {
  let held = null;
  try { held = (await poolOf(walletId)).length; } catch (e) { held = null; }
  post(Object.assign({ id: -1, type: 'pool', walletId, held }, extra || {}));
}

// ---- module ---------------------------------------------------------------------------------------------------

async function init(m) {
  requireWebCrypto();
  if (!exports) {
    const response = await fetch(new URL('teavm/p2.wasm', self.location.href), { cache: 'no-store' });
    if (!response.ok) { throw new Error('the wallet module could not be loaded (HTTP ' + response.status + ')'); }
    const bytes = await response.arrayBuffer();
    const digest = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
    if (typeof m.wasmDigest !== 'string' || digest !== m.wasmDigest.toLowerCase()) {
      throw new Error('the wallet module is not the one this page expects (its SHA-256 differs); not running it');
    }
    if (!self.TeaVM) { importScripts(new URL('teavm/teavm-runtime.js', self.location.href).href); }
    const teavm = await TeaVM.wasmGC.load(bytes);
    exports = teavm.exports;
    wasmDigest = digest;
  }
  return { crypto: true };
}

function hex(bytes) {
  let s = '';
  for (const b of bytes) { s += b.toString(16).padStart(2, '0'); }
  return s;
}

async function status() {
  const params = await idbGet('meta', 'deviceParams');
  const vaults = await idbAll('vaults');
  const held = new Map();
  for (const r of await idbAll('pool')) { held.set(r.walletId, (held.get(r.walletId) || 0) + 1); }
  return {
    deviceReady: typeof params === 'string',
    shares: vaults.map((v) => ({ walletId: v.walletId, address: v.address || null, backedUpAt: v.backedUpAt || null,
      passkey: v.passkey ? { credentialId: v.passkey.credentialId } : null, epoch: typeof v.epoch === 'number' ? v.epoch : null,
      pendingEpoch: v.next ? v.next.epoch : null, refreshedAt: v.refreshedAt || null,
      bankCopy: v.bankCopy || null, presignatures: held.get(v.walletId) || 0 })),
  };
}

// The device's one-time parameters take seconds of pure computation (two safe primes); they are made in a second
// worker running the same checked module, so this worker keeps answering the page meanwhile. Public values only.
let preparing = null;

async function prepare(id) {
  const have = await idbGet('meta', 'deviceParams');
  if (typeof have === 'string') { return { deviceReady: true, made: false }; }
  if (!preparing) {
    post({ id, type: 'progress', step: 0, steps: 1, label: 'Preparing this browser for its first wallet (once)' });
    preparing = setupInHelper().then(async (params) => {
      await idbPut('meta', params, 'deviceParams');
      return { deviceReady: true, made: true };
    }).finally(() => { preparing = null; });
  }
  return preparing;
}

function setupInHelper() {
  return new Promise((resolve, reject) => {
    const helper = new Worker(self.location.href);
    const fail = (code, message) => { helper.terminate(); reject(Object.assign(new Error(message), { code })); };
    helper.onmessage = (ev) => {
      const m = ev.data;
      if (m.type === 'failed') { fail(m.code, m.message); return; }
      if (m.id === 1 && m.type === 'result') { helper.postMessage({ id: 2, op: 'setup' }); return; }
      if (m.id === 2 && m.type === 'result') { helper.terminate(); resolve(m.params); }
    };
    helper.onerror = () => fail('DEVICE_SETUP', 'This browser could not prepare the wallet (its helper stopped).');
    helper.postMessage({ id: 1, op: 'init', wasmDigest });
  });
}

async function setup() {
  const r = JSON.parse(await exports.deviceSetup());
  if (!r.ok) { throw Object.assign(new Error(r.message), { code: r.code }); }
  return { params: r.params };
}

// ---- sessions -------------------------------------------------------------------------------------------------

// Opens the channel's WebSocket to url and pings it until the bank's channel answers: a frame sent the instant the
// connection opens can reach the bank before its channel is ready for it (seen with Micronaut 4.10), and a ping lost
// that way is simply sent again. Opened before the share is unsealed (PBKDF2 takes ~100 ms), so the connection is
// ready when the session begins; nothing is sent on it but pings until then. ready resolves true on the first pong,
// false if the connection closed first.
function openChannel(url) {
  const ws = new WebSocket(url);
  const ch = { ws, pinger: null };
  // listeners, not on* properties: the session adds its own beside these (a pong may come after it started)
  ch.ready = new Promise((resolve) => {
    ws.addEventListener('open', () => {
      const ping = () => { try { ws.send('{"type":"ping"}'); } catch (e) { /* closing */ } };
      ping();
      ch.pinger = setInterval(ping, 1000);
    });
    ws.addEventListener('message', (ev) => { if (ev.data === '{"type":"pong"}') { clearInterval(ch.pinger); resolve(true); } });
    ws.addEventListener('close', () => { clearInterval(ch.pinger); resolve(false); });
  });
  ch.close = () => { clearInterval(ch.pinger); try { ws.close(1000); } catch (e) { /* closed */ } };
  return ch;
}

// Drives one begun session over the channel ch (openChannel) and resolves with its final answer ({type: 'done' |
// 'presigned' | 'failed', ...}); progress goes to the page under id (none when id is null: the pool's top-up).
// Frames from the bank are handled strictly one after the other (a keygen's sealing awaits WebCrypto, and the next
// frame must not enter the core meanwhile). What a reaction asks to store or delete is done, and its IndexedDB
// transaction complete, before its frames are sent: a keygen's envelope, a used or unusable presignature (before O1),
// the wallet's whole pool on PRESIGNATURE_UNAVAILABLE (before the fallback sign).
function drive(id, ch, begun, onDone) {
  return new Promise((resolve) => {
    let over = false;
    let chain = Promise.resolve();
    const ws = ch.ws;
    const session = {};
    const finish = (answer) => {
      if (over) { return; }
      over = true;
      clearTimeout(watchdog);
      if (current === session) { current = null; }
      resolve(answer);
    };
    const abandon = (code, message) => {
      let frames = [];
      try { frames = JSON.parse(exports.sessionAbandon()); } catch (e) { frames = []; }
      for (const f of frames) { try { ws.send(f); } catch (e) { /* closed */ } }
      finish({ type: 'failed', code, message });
    };
    Object.assign(session, { id, ws, finish, abandon });
    current = session;
    // the bank answers every step within seconds; a minute of silence ends the operation on our side
    let watchdog = null;
    const quiet = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => abandon('TIMEOUT', 'The bank did not answer for a minute; nothing was finished.'), SILENCE_MS);
    };
    quiet(); // also bounds the wait for the connection itself
    const handle = async (text) => {
      if (over) { return; }
      quiet();
      const r = JSON.parse(await exports.sessionFrame(text));
      if (over) { return; } // abandoned meanwhile (cancel, the next operation): nothing of it is stored or sent
      try {
        if (r.store) { await storeEnvelope(r.store); }
        if (r.discardPool) { await poolDiscard(r.discardPool); }
        if (r.presigned) { await poolPut(r.presigned); }
      } catch (e) {
        abandon('STORAGE', 'This browser could not ' + (r.store ? 'store the wallet\'s key share' : 'update its stored '
          + 'presignatures') + ' (' + (e && e.name ? e.name : 'error') + '); nothing was finished at the bank.');
        return;
      }
      for (const f of r.send || []) { ws.send(f); }
      if (!r.ok) {
        finish({ type: 'failed', code: r.code, message: r.message });
        return;
      }
      if (r.progress && id !== null) { post(Object.assign({ id, type: 'progress' }, r.progress)); }
      if (r.presigned) { finish({ type: 'presigned', walletId: r.presigned.walletId }); return; }
      if (r.done) {
        const extra = onDone ? await onDone(r.done) : {};
        finish(Object.assign({ type: 'done' }, r.done, extra, r.pool ? { pool: r.pool } : {}));
      }
    };
    ws.addEventListener('message', (ev) => {
      if (over || typeof ev.data !== 'string' || ev.data === '{"type":"pong"}') { return; } // openChannel's
      chain = chain.then(() => handle(ev.data)).catch((e) => abandon('INTERNAL', 'The wallet failed: '
        + (e && e.message ? e.message : String(e))));
    });
    const lost = () => {
      chain = chain.then(() => {
        if (!over) {
          abandon('CONNECTION_LOST', 'The connection to the bank was lost before the operation finished.');
        }
      });
    };
    ws.addEventListener('close', lost);
    ch.ready.then((open) => {
      if (over) { return; }
      if (!open) { lost(); return; }
      quiet();
      for (const f of begun.send) { ws.send(f); }
      if (id !== null) { post(Object.assign({ id, type: 'progress' }, begun.progress)); }
    });
  });
}

// Runs an operation's session and posts its outcome to the page. When the device kept the share for the wallet's
// pool (answer.pool), the pool is topped up over the same connection AFTER the outcome was posted: the user's action
// never waits for presignatures, and a failure while presigning is only a notice. The share and the pool key are
// dropped when the top-up ends (or is stopped by cancel or the next operation).
async function runSession(id, ch, begun, onDone) {
  const answer = await drive(id, ch, begun, onDone);
  const walletId = answer.type === 'done' ? answer.pool : null;
  delete answer.pool;
  post(Object.assign({ id }, answer));
  if (walletId) {
    await fillPool(ch, walletId);
  } else {
    try { exports.sessionAbandon(); } catch (e) { /* nothing held */ }
    ch.close();
  }
}

// Tops the wallet's pool up to POOL_TARGET presignatures, one presign session at a time; each record is stored when
// its session completes. stop() (cancel, or any operation the page starts meanwhile) abandons the running session.
async function fillPool(ch, walletId) {
  let stopped = false;
  let resolveDone;
  const t = { done: new Promise((r) => { resolveDone = r; }) };
  t.stop = () => {
    stopped = true;
    if (current && current.tail) { current.abandon('CANCELLED', 'The presignatures were stopped.'); }
    return t.done;
  };
  tail = t;
  try {
    let held = (await poolOf(walletId)).length;
    while (!stopped && held < POOL_TARGET) {
      const begun = JSON.parse(exports.presignBegin());
      if (!begun.ok) { await poolNotice(walletId, { code: begun.code, message: begun.message }); break; }
      const p = drive(null, ch, begun, null);
      current.tail = true;
      const r = await p;
      if (r.type !== 'presigned') {
        if (!stopped) { await poolNotice(walletId, { code: r.code, message: r.message }); }
        break;
      }
      held += 1;
      await poolNotice(walletId);
    }
  } catch (e) {
    await poolNotice(walletId, { code: 'STORAGE', message: 'The presignatures could not be stored.' });
  } finally {
    try { exports.sessionAbandon(); } catch (e) { /* nothing held */ }
    ch.close();
    if (tail === t) { tail = null; }
    resolveDone();
  }
}

async function stopTail() {
  if (tail) { await tail.stop(); }
}

async function keygen(m) {
  const params = await idbGet('meta', 'deviceParams');
  if (typeof params !== 'string') {
    failed(m.id, 'DEVICE_NOT_READY', 'This browser is not prepared yet; wait for the preparation to finish.');
    return;
  }
  const begun = JSON.parse(exports.keygenBegin(String(m.walletId), String(m.secret), params));
  if (!begun.ok) { failed(m.id, begun.code, begun.message); return; }
  await poolDiscard(String(m.walletId)); // a new key: nothing of an earlier attempt can be used
  await runSession(m.id, openChannel(m.url), begun, async (done) => {
    const v = await idbGet('vaults', done.walletId);
    if (v) { v.address = done.address; v.publicKey = done.publicKey; await idbPut('vaults', v); }
    return {};
  });
}

async function cosign(m) {
  const transfer = String(m.transfer);
  const signRequest = String(m.signRequest);
  let walletId;
  try { walletId = JSON.parse(signRequest).walletId; } catch (e) { walletId = null; }
  const v = walletId ? await idbGet('vaults', walletId) : null;
  if (!v) {
    failed(m.id, 'NO_SHARE', 'This browser holds no key share of this wallet. Restore your backup first.');
    return;
  }
  if (m.passkey && !v.passkey) {
    failed(m.id, 'NO_PASSKEY', 'No passkey unlocks this wallet in this browser; use your wallet secret.');
    return;
  }
  const envelope = m.passkey ? v.passkey.envelope : v.envelope;
  post({ id: m.id, type: 'progress', step: 0, steps: 1, label: 'Opening your key share' });
  const ch = openChannel(m.url); // connects while the share is unsealed
  const begun = await poolLock(walletId, async (held) => {
    // the wallet's presignatures, oldest first (none without the lock); the core opens them only after its check
    // and with the open share
    const pool = !held ? [] : (await poolOf(walletId)).sort((a, b) => a.storedAt - b.storedAt)
      .map((r) => ({ id: r.presignatureId, record: r.record }));
    const b = JSON.parse(await exports.cosignBegin(transfer, signRequest, String(m.address), envelope,
      String(m.secret), JSON.stringify(pool)));
    if (b.ok && b.discard) {
      // the presignature used (and any that did not open) is deleted, durably, before its O1 can leave and before
      // the lock is released
      try { await poolDelete(walletId, b.discard); } catch (e) { b.unstored = true; }
    }
    return b;
  });
  if (!begun.ok) { ch.close(); failed(m.id, begun.code, begun.message); return; }
  if (begun.unstored) {
    try { exports.sessionAbandon(); } catch (x) { /* nothing held */ }
    ch.close();
    failed(m.id, 'STORAGE', 'This browser could not update its stored presignatures; nothing was signed.');
    return;
  }
  await runSession(m.id, ch, begun, null);
}


// A reaction's envelope: a keygen's share is the wallet's record; a refresh's new share (store.next) goes beside the
// current one, which stays usable until the bank confirms the new epoch.
async function storeEnvelope(st) {
  if (!st.next) {
    await idbPut('vaults', { walletId: st.walletId, envelope: st.envelope, epoch: 0, storedAt: Date.now() });
    return;
  }
  const v = await idbGet('vaults', st.walletId);
  if (!v) { throw new Error('the wallet\'s record is gone'); }
  v.next = { envelope: st.envelope, passkeyEnvelope: st.passkeyEnvelope || null, epoch: st.epoch, storedAt: Date.now() };
  await idbPut('vaults', v);
}

// Makes the refreshed share current (one write): the passkey's envelope moves with it when the refresh sealed one,
// else passkey unlock is dropped; the backup file and the bank's copy hold the old share, which can no longer sign.
async function promote(walletId, epoch) {
  const v = await idbGet('vaults', walletId);
  if (!v || !v.next || v.next.epoch !== epoch) { return false; }
  v.envelope = v.next.envelope;
  v.epoch = epoch;
  if (v.passkey) {
    if (v.next.passkeyEnvelope) { v.passkey.envelope = v.next.passkeyEnvelope; } else { delete v.passkey; }
  }
  v.backedUpAt = null;
  if (v.bankCopy) { v.bankCopy.stale = true; }
  v.refreshedAt = new Date().toISOString();
  delete v.next;
  await idbPut('vaults', v);
  await poolDiscard(walletId); // presignatures of the old key: the bank dropped its halves at the refresh
  return true;
}

async function refresh(m) {
  const params = await idbGet('meta', 'deviceParams');
  if (typeof params !== 'string') {
    failed(m.id, 'DEVICE_NOT_READY', 'This browser is not prepared yet; wait for the preparation to finish.');
    return;
  }
  const walletId = String(m.walletId);
  const v = await idbGet('vaults', walletId);
  if (!v) {
    failed(m.id, 'NO_SHARE', 'This browser holds no key share of this wallet. Restore your backup first.');
    return;
  }
  post({ id: m.id, type: 'progress', step: 0, steps: 1, label: 'Opening your key share' });
  const ch = openChannel(m.url);
  const begun = JSON.parse(await exports.refreshBegin(walletId, v.envelope, String(m.address), String(m.secret),
    m.passkeySecret && v.passkey ? String(m.passkeySecret) : '', params));
  if (!begun.ok) { ch.close(); failed(m.id, begun.code, begun.message); return; }
  await runSession(m.id, ch, begun, async (done) => {
    const promoted = await promote(done.walletId, done.epoch);
    return { promoted };
  });
}

async function settle(m) {
  const v = await idbGet('vaults', String(m.walletId));
  if (!v || !v.next || typeof m.bankEpoch !== 'number') { return { promoted: false }; }
  if (m.bankEpoch !== v.next.epoch) { return { promoted: false }; }
  await stopTail();
  return { promoted: await promote(v.walletId, v.next.epoch) };
}

async function qr(m) {
  const v = await idbGet('vaults', String(m.walletId));
  if (!v || !v.address) { throw Object.assign(new Error('This browser holds no key share of this wallet.'), { code: 'NO_SHARE' }); }
  const r = JSON.parse(exports.addressQr(v.address));
  if (!r.ok) { throw Object.assign(new Error(r.message), { code: r.code }); }
  return { text: r.text, size: r.size, rows: r.rows };
}

// ---- backup and restore (docs/client-web.md "Storage and recovery") -------------------------------------------

function hexToBase64(h) {
  let bin = '';
  for (let i = 0; i < h.length; i += 2) { bin += String.fromCharCode(parseInt(h.slice(i, i + 2), 16)); }
  return btoa(bin);
}

function base64ToHex(b) {
  const bin = atob(b);
  let h = '';
  for (let i = 0; i < bin.length; i++) { h += bin.charCodeAt(i).toString(16).padStart(2, '0'); }
  return h;
}

async function backup(m) {
  const v = await idbGet('vaults', String(m.walletId));
  if (!v) { throw Object.assign(new Error('This browser holds no key share of this wallet.'), { code: 'NO_SHARE' }); }
  const r = JSON.parse(await exports.shareCheck(v.envelope, v.walletId, String(m.address || ''), String(m.secret)));
  if (!r.ok) { throw Object.assign(new Error(r.message), { code: r.code }); }
  const createdAt = new Date().toISOString();
  const bundle = JSON.stringify({ format: 'mpcwallet-backup', version: 1, createdAt,
    wallets: [{ walletId: v.walletId, vault: hexToBase64(v.envelope), sealedWith: 'wallet-secret' }] }, null, 2);
  v.backedUpAt = createdAt;
  await idbPut('vaults', v);
  return { bundle, fileName: 'mpc-wallet-backup-' + v.walletId + '.json', backedUpAt: createdAt };
}

async function restore(m) {
  let b;
  try { b = JSON.parse(String(m.bundle)); } catch (e) { b = null; }
  if (!b || b.format !== 'mpcwallet-backup' || b.version !== 1 || !Array.isArray(b.wallets) || b.wallets.length === 0) {
    throw Object.assign(new Error('This file is not a wallet backup (mpcwallet-backup version 1).'), { code: 'NOT_A_BACKUP' });
  }
  const known = m.wallets || {};
  const checked = [];
  for (const w of b.wallets) {
    if (!w || typeof w.walletId !== 'string' || typeof w.vault !== 'string') {
      throw Object.assign(new Error('The backup file is damaged (a wallet entry is incomplete).'), { code: 'NOT_A_BACKUP' });
    }
    if (w.sealedWith && w.sealedWith !== 'wallet-secret') {
      throw Object.assign(new Error('This backup is sealed with a login password; restore it in the desktop wallet, which re-seals it.'), { code: 'OLD_BACKUP' });
    }
    if (!(w.walletId in known)) {
      throw Object.assign(new Error('The backup holds wallet ' + w.walletId + ', which is not one of your wallets at this bank.'), { code: 'NOT_YOURS' });
    }
    let envelope;
    try { envelope = base64ToHex(w.vault); } catch (e) {
      throw Object.assign(new Error('The backup file is damaged (its key share is not readable).'), { code: 'NOT_A_BACKUP' });
    }
    const r = JSON.parse(await exports.shareCheck(envelope, w.walletId, String(known[w.walletId] || ''), String(m.secret)));
    if (!r.ok) { throw Object.assign(new Error(r.message), { code: r.code }); }
    const bankEpoch = m.epochs ? m.epochs[w.walletId] : null;
    if (typeof bankEpoch === 'number' && r.epoch !== bankEpoch) {
      const name = m.names && m.names[w.walletId] ? m.names[w.walletId] : w.walletId;
      throw Object.assign(new Error('This backup was made before the key of wallet ' + name + ' was refreshed; '
        + 'its share can no longer sign. Restore the backup made after the refresh.'), { code: 'STALE_BACKUP' });
    }
    checked.push({ walletId: w.walletId, envelope, address: r.address, epoch: r.epoch });
  }
  const now = new Date().toISOString();
  for (const c of checked) {
    await poolDiscard(c.walletId); // a restored share comes with no presignatures (single use, never carried over)
    await idbPut('vaults', { walletId: c.walletId, envelope: c.envelope, address: c.address, epoch: c.epoch,
      storedAt: Date.now(), backedUpAt: b.createdAt || now, restoredAt: now });
  }
  return { restored: checked.map((c) => c.walletId) };
}

async function addPasskey(m) {
  const v = await idbGet('vaults', String(m.walletId));
  if (!v) { throw Object.assign(new Error('This browser holds no key share of this wallet.'), { code: 'NO_SHARE' }); }
  const r = JSON.parse(await exports.shareReseal(v.envelope, v.walletId, String(m.secret), String(m.passkeySecret)));
  if (!r.ok) { throw Object.assign(new Error(r.message), { code: r.code }); }
  v.passkey = { credentialId: String(m.credentialId), envelope: r.envelope, addedAt: new Date().toISOString() };
  await idbPut('vaults', v);
  return { passkey: true };
}


// ---- the bank's copy (docs/client-web.md "The bank's copy") ---------------------------------------------------

// Crockford's base32 (no I, L, O, U): 32 characters = 160 bits, shown in groups of four.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function newRecoveryCode() {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) { out += CODE_ALPHABET[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  bytes.fill(0);
  return out;
}

/** What the person typed as the code the vault uses: case, spaces and dashes ignored, O read as 0, I and L as 1. */
function normalizeCode(text) {
  const t = String(text || '').toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (t.length !== 32 || [...t].some((c) => !CODE_ALPHABET.includes(c))) {
    throw Object.assign(new Error('A recovery code is 32 letters and digits (8 groups of 4); check what you typed.'), { code: 'BAD_CODE' });
  }
  return t;
}

async function bankCopy(m) {
  const v = await idbGet('vaults', String(m.walletId));
  if (!v) { throw Object.assign(new Error('This browser holds no key share of this wallet.'), { code: 'NO_SHARE' }); }
  const code = newRecoveryCode();
  const r = JSON.parse(await exports.shareReseal(v.envelope, v.walletId, String(m.secret), code));
  if (!r.ok) { throw Object.assign(new Error(r.message), { code: r.code }); }
  return { code: code.match(/.{4}/g).join('-'), envelope: hexToBase64(r.envelope), keyEpoch: r.epoch };
}

async function noteBankCopy(m) {
  const v = await idbGet('vaults', String(m.walletId));
  if (!v) { return { noted: false }; }
  v.bankCopy = { storedAt: String(m.storedAt), keyEpoch: Number(m.keyEpoch), stale: false };
  await idbPut('vaults', v);
  return { noted: true };
}

async function recover(m) {
  const walletId = String(m.walletId);
  const code = normalizeCode(m.code);
  let envelope;
  try { envelope = base64ToHex(String(m.envelope)); } catch (e) {
    throw Object.assign(new Error('The bank\'s copy is not readable.'), { code: 'NOT_A_BACKUP' });
  }
  const r = JSON.parse(await exports.shareRecover(envelope, walletId, String(m.address || ''), code, String(m.secret)));
  if (!r.ok) {
    const wrongCode = r.code === 'WRONG_SECRET';
    throw Object.assign(new Error(wrongCode ? 'This recovery code does not open the bank\'s copy of this wallet.' : r.message),
      { code: wrongCode ? 'WRONG_CODE' : r.code });
  }
  if (typeof m.bankEpoch === 'number' && r.epoch !== m.bankEpoch) {
    throw Object.assign(new Error('The bank\'s copy was made before the key was refreshed; it can no longer sign. '
      + 'Restore the backup file made after the refresh.'), { code: 'STALE_BACKUP' });
  }
  const now = new Date().toISOString();
  await poolDiscard(walletId); // a recovered share comes with no presignatures
  await idbPut('vaults', { walletId, envelope: r.envelope, address: r.address, epoch: r.epoch, storedAt: Date.now(),
    backedUpAt: null, restoredAt: now, bankCopy: { storedAt: String(m.storedAt || now), keyEpoch: r.epoch, stale: false } });
  return { restored: [walletId] };
}

// ---- dispatch -------------------------------------------------------------------------------------------------

const STOPS_TAIL = new Set(['keygen', 'cosign', 'refresh', 'restore', 'recover', 'cancel']);
const OPS = new Set(['init', 'status', 'prepare', 'setup', 'keygen', 'review', 'cosign', 'backup', 'restore', 'addPasskey',
  'refresh', 'settle', 'qr', 'bankCopy', 'noteBankCopy', 'recover', 'cancel']);

self.onmessage = async (ev) => {
  const m = ev.data;
  if (!m || typeof m !== 'object' || typeof m.id !== 'number' || !OPS.has(m.op)) {
    failed(m && typeof m.id === 'number' ? m.id : -1, 'BAD_MESSAGE', 'The wallet received a message it does not know.');
    return;
  }
  try {
    if (m.op === 'init') { post({ id: m.id, type: 'result', ...(await init(m)) }); return; }
    if (!exports) { failed(m.id, 'NOT_READY', 'The wallet module is not loaded yet.'); return; }
    // the pool's top-up never stands in the way: an operation that runs a session or replaces a share stops it first
    if (STOPS_TAIL.has(m.op)) { await stopTail(); }
    switch (m.op) {
      case 'status': post({ id: m.id, type: 'result', ...(await status()) }); break;
      case 'prepare': post({ id: m.id, type: 'result', ...(await prepare(m.id)) }); break;
      case 'setup': post({ id: m.id, type: 'result', ...(await setup()) }); break;
      case 'review': {
        const r = JSON.parse(exports.cosignReview(String(m.transfer), String(m.signRequest)));
        if (r.ok) { post({ id: m.id, type: 'result', review: r.review }); } else { failed(m.id, r.code, r.message); }
        break;
      }
      case 'backup': post({ id: m.id, type: 'result', ...(await backup(m)) }); break;
      case 'addPasskey': post({ id: m.id, type: 'result', ...(await addPasskey(m)) }); break;
      case 'restore': post({ id: m.id, type: 'result', ...(await restore(m)) }); break;
      case 'settle': post({ id: m.id, type: 'result', ...(await settle(m)) }); break;
      case 'qr': post({ id: m.id, type: 'result', ...(await qr(m)) }); break;
      case 'bankCopy': post({ id: m.id, type: 'result', ...(await bankCopy(m)) }); break;
      case 'noteBankCopy': post({ id: m.id, type: 'result', ...(await noteBankCopy(m)) }); break;
      case 'recover': post({ id: m.id, type: 'result', ...(await recover(m)) }); break;
      case 'keygen':
      case 'cosign':
      case 'refresh':
        if (current) { failed(m.id, 'BUSY', 'Another operation is still running in this wallet.'); return; }
        await (m.op === 'keygen' ? keygen(m) : m.op === 'cosign' ? cosign(m) : refresh(m));
        break;
      case 'cancel':
        if (current && current.abandon) { current.abandon('CANCELLED', 'Cancelled; nothing was finished.'); }
        post({ id: m.id, type: 'result', cancelled: true });
        break;
      default: break;
    }
  } catch (e) {
    failed(m.id, e && e.code ? e.code : 'INTERNAL', e && e.message ? e.message : String(e));
  }
};
