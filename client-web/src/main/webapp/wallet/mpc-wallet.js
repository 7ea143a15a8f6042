// <mpc-wallet>: the browser wallet as a custom element a bank embeds in its web banking with one script tag
// (docs/client-web.md "Embedding"). The element renders the screens and calls the bank's REST API with the access
// token it keeps in memory; every protocol step, the share and the wallet secret live in the dedicated worker
// (worker.js + p2.wasm). The page's main thread never runs a protocol step and never holds a share.
//
//   <script type="module" src="/wallet/mpc-wallet.js" integrity="sha384-..."></script>
//   <mpc-wallet server="" explorer-tx-url="https://explorer.example/tx/{tx}"></mpc-wallet>
//
// Attributes: server (the bank's origin; empty = this page's origin), explorer-tx-url (a transaction link, {tx}
// replaced by its hash). API: element.signIn(username, password), element.signOut(). Events (bubbling, composed):
// mpc-wallet:signed-in {username}, mpc-wallet:transfer-state {id, status}, mpc-wallet:cosign-needed {id},
// mpc-wallet:progress {op, step, steps, label, at}, mpc-wallet:cosign-confirmed {id, at},
// mpc-wallet:cosigned {id, txHash, at}, mpc-wallet:refreshed {walletId, epoch}, mpc-wallet:device-prepared {ms},
// mpc-wallet:presignatures {walletId, held, notice: {code, message} | null} (the worker's presignature pool),
// mpc-wallet:error {message}.
const WASM_SHA256 = '__P2_WASM_SHA256__'; // pinned at serving time (bank-server WalletAssets): SRI on this file pins the module

const TERMINAL = new Set(['KYT_BLOCKED', 'POLICY_BLOCKED', 'REJECTED', 'FAILED_SIGN', 'FAILED_BROADCAST', 'FINALIZED']);
const STAGES = [
  ['Screening (KYT)', ['SUBMITTED', 'KYT_PENDING', 'KYT_REVIEW'], 'KYT_BLOCKED'],
  ['Bank policies', ['POLICY_EVAL_PENDING'], 'POLICY_BLOCKED'],
  ['Approvals', ['APPROVAL_PENDING'], 'REJECTED'],
  ['Your co-signature', ['SIGN_PENDING', 'SIGNED'], 'FAILED_SIGN'],
  ['Broadcast', ['BROADCAST_PENDING', 'BROADCASTED'], 'FAILED_BROADCAST'],
  ['Confirmations', ['CONFIRMING', 'CONFIRMED'], null],
  ['Final', ['FINALIZED'], null],
];
const ORDER = STAGES.flatMap((s) => s[1]);

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) { continue; }
    if (k.startsWith('on')) { el.addEventListener(k.slice(2), v); } else if (k === 'text') { el.textContent = v; } else { el.setAttribute(k, v === true ? '' : v); }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) { continue; }
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Base units (decimal text) as units with up to `decimals` places, trailing zeros dropped. */
export function formatUnits(base, decimals) {
  const v = BigInt(base);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const d = BigInt(decimals);
  const unit = 10n ** d;
  const whole = a / unit;
  let frac = (a % unit).toString().padStart(Number(decimals), '0').replace(/0+$/, '');
  return (neg ? '-' : '') + whole.toString() + (frac ? '.' + frac : '');
}

/** Units typed by a person as base units; null and a reason when they are not a valid amount. */
export function parseUnits(text, decimals) {
  const t = String(text).trim();
  if (!/^[0-9]+(\.[0-9]+)?$/.test(t)) { return { error: 'Enter an amount like 0.25 (digits, one dot).' }; }
  const [w, f = ''] = t.split('.');
  if (f.length > decimals) { return { error: `At most ${decimals} decimal places.` }; }
  const base = BigInt(w) * 10n ** BigInt(decimals) + BigInt((f + '0'.repeat(decimals)).slice(0, decimals) || '0');
  if (base <= 0n) { return { error: 'The amount must be more than zero.' }; }
  return { base: base.toString() };
}

class WorkerLink {
  constructor() {
    this.worker = new Worker(new URL('worker.js', import.meta.url));
    this.nextId = 1;
    this.pending = new Map();
    this.worker.onmessage = (ev) => {
      const m = ev.data;
      if (m.type === 'pool') { if (this.onPool) { this.onPool(m); } return; }
      const p = this.pending.get(m.id);
      if (!p) { return; }
      if (m.type === 'progress') { if (p.onProgress) { p.onProgress(m); } return; }
      this.pending.delete(m.id);
      if (m.type === 'failed') { p.reject(Object.assign(new Error(m.message), { code: m.code })); } else { p.resolve(m); }
    };
    this.worker.onerror = (e) => {
      for (const p of this.pending.values()) { p.reject(Object.assign(new Error('The wallet worker stopped: ' + (e.message || 'error')), { code: 'WORKER' })); }
      this.pending.clear();
    };
  }

  call(op, args, onProgress) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage(Object.assign({ id, op }, args || {}));
    });
  }
}

class MpcWallet extends HTMLElement {
  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.session = null; // { access, refresh, expiresAt, user } in memory only
    this.link = null;
    this.timer = null;
    this.device = { ready: false, shares: new Map(), persisted: null };
  }

  connectedCallback() {
    const css = h('link', { rel: 'stylesheet', href: new URL('wallet.css', import.meta.url).href });
    this.main = h('main', { class: 'wallet', 'aria-live': 'polite' });
    this.root.replaceChildren(css, this.main);
    this.start();
  }

  disconnectedCallback() {
    this.stopPolling();
  }

  get server() {
    return (this.getAttribute('server') || '').replace(/\/$/, '');
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent('mpc-wallet:' + name, { detail, bubbles: true, composed: true }));
  }

  async start() {
    try {
      this.link = new WorkerLink();
      // the worker's presignature pool: public counts and notices only (docs/client-web.md)
      this.link.onPool = (m) => this.emit('presignatures', { walletId: m.walletId, held: m.held,
        notice: m.code ? { code: m.code, message: m.message } : null });
      await this.link.call('init', { wasmDigest: WASM_SHA256 });
      if (navigator.storage && navigator.storage.persist) {
        this.device.persisted = await navigator.storage.persisted() || await navigator.storage.persist();
      }
      await this.refreshDevice();
      this.showSignIn();
    } catch (e) {
      this.fatal(e.message);
    }
  }

  async refreshDevice() {
    const s = await this.link.call('status');
    this.device.ready = s.deviceReady;
    this.device.shares = new Map(s.shares.map((x) => [x.walletId, x]));
  }

  fatal(message) {
    this.stopPolling();
    this.main.replaceChildren(h('section', { class: 'card' }, h('h2', { text: 'The wallet cannot run here' }),
      h('p', { class: 'error', role: 'alert', id: 'fatal', text: message })));
    this.emit('error', { message });
  }

  // ---- REST ----------------------------------------------------------------------------------------------------

  async api(method, path, body, { idempotent } = {}) {
    const headers = { Accept: 'application/json' };
    if (this.session) {
      if (Date.now() > this.session.expiresAt - 30_000) { await this.refreshToken(); }
      headers.Authorization = 'Bearer ' + this.session.access;
    }
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    if (idempotent) { headers['Idempotency-Key'] = crypto.randomUUID(); }
    let res;
    try {
      res = await fetch(this.server + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
    } catch (e) {
      throw Object.assign(new Error('The bank cannot be reached. Check your connection and try again.'), { status: 0 });
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!res.ok) {
      const detail = json && (json.detail || json.message || json.title);
      const err = new Error(detail ? sentence(detail) : `The bank answered ${res.status}.`);
      err.status = res.status;
      throw err;
    }
    return json;
  }

  /** Every item of a paged list (docs/integration.md "Pagination"): pages of 200 while has_more, at most 50. */
  async all(path) {
    const items = [];
    let cursor = null;
    for (let page = 0; page < 50; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const p = await this.api('GET', `${path}${sep}limit=200${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
      if (!p || !Array.isArray(p.items)) { throw new Error('The bank answered a list in a form this page does not know.'); }
      items.push(...p.items);
      if (!p.has_more || typeof p.next_cursor !== 'string') { break; }
      cursor = p.next_cursor;
    }
    return items;
  }

  async refreshToken() {
    const s = this.session;
    const res = await fetch(this.server + '/v1/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: s.refresh }), credentials: 'omit' });
    if (!res.ok) { this.session = null; this.showSignIn('Your session ended; sign in again.'); throw new Error('Your session ended; sign in again.'); }
    this.keepTokens(await res.json());
  }

  keepTokens(t) {
    this.session = { access: t.access_token, refresh: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000, user: t.user };
  }

  async ticketUrl() {
    const t = await this.api('POST', '/v1/mpc/tickets', {});
    const base = this.server || location.origin;
    return base.replace(/^http/, 'ws') + t.path;
  }

  // ---- public API ----------------------------------------------------------------------------------------------

  async signIn(username, password) {
    const t = await this.api('POST', '/v1/auth/login', { username, password });
    this.keepTokens(t);
    this.emit('signed-in', { username: t.user.username });
    await this.showWallets();
  }

  async signOut() {
    const s = this.session;
    this.session = null;
    this.stopPolling();
    if (s) { fetch(this.server + '/v1/auth/logout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: s.refresh }) }).catch(() => {}); }
    this.showSignIn();
  }

  // ---- screens -------------------------------------------------------------------------------------------------

  stopPolling() {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
  }

  screen(title, ...content) {
    this.stopPolling();
    const bar = this.session ? h('nav', { class: 'bar' },
      h('button', { type: 'button', class: 'link', id: 'nav-wallets', onclick: () => this.showWallets() }, 'My wallets'),
      h('span', { class: 'who', text: 'Signed in as ' + this.session.user.username }),
      h('button', { type: 'button', class: 'link', id: 'sign-out', onclick: () => this.signOut() }, 'Sign out')) : null;
    this.main.replaceChildren(...[bar, h('h2', { id: 'screen-title', text: title }), ...content].filter(Boolean));
    const first = this.main.querySelector('input, button.primary');
    if (first) { first.focus(); }
  }

  field(id, label, attrs) {
    return h('div', { class: 'field' }, h('label', { for: id, text: label }), h('input', Object.assign({ id, name: id }, attrs)),
      h('p', { class: 'field-error', id: id + '-error', role: 'alert' }));
  }

  fieldError(id, message) {
    const e = this.root.getElementById(id + '-error');
    const input = this.root.getElementById(id);
    if (e) { e.textContent = message || ''; }
    if (input) { if (message) { input.setAttribute('aria-invalid', 'true'); input.focus(); } else { input.removeAttribute('aria-invalid'); } }
  }

  showSignIn(notice) {
    this.session = null;
    const form = h('form', { class: 'card', id: 'sign-in-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const u = this.root.getElementById('username').value.trim();
      const p = this.root.getElementById('password');
      this.fieldError('password', '');
      if (!u) { this.fieldError('username', 'Enter your user name.'); return; }
      const submit = form.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        await this.signIn(u, p.value);
        p.value = '';
      } catch (e) {
        p.value = '';
        this.fieldError('password', e.status === 401 ? 'Wrong user name or password.' : e.message);
      } finally { submit.disabled = false; }
    } },
    notice ? h('p', { class: 'notice', text: notice }) : null,
    this.field('username', 'User name', { autocomplete: 'username', required: true }),
    this.field('password', 'Password', { type: 'password', autocomplete: 'current-password', required: true }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'sign-in' }, 'Sign in'),
      h('button', { type: 'button', class: 'link', id: 'to-register', onclick: () => this.showRegister() }, 'Create an account')));
    this.screen('Sign in to your wallet', form);
  }

  showRegister() {
    const form = h('form', { class: 'card', id: 'register-form', onsubmit: async (ev) => {
      ev.preventDefault();
      ['new-username', 'new-email', 'new-password', 'new-password-repeat'].forEach((f) => this.fieldError(f, ''));
      const u = this.root.getElementById('new-username').value.trim();
      const email = this.root.getElementById('new-email').value.trim();
      const p1 = this.root.getElementById('new-password');
      const p2 = this.root.getElementById('new-password-repeat');
      if (!u) { this.fieldError('new-username', 'Choose a user name.'); return; }
      if (p1.value !== p2.value) { this.fieldError('new-password-repeat', 'The two entries differ.'); return; }
      const submit = form.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        await this.api('POST', '/v1/auth/register', Object.assign({ username: u, password: p1.value }, email ? { email } : {}));
        await this.signIn(u, p1.value);
      } catch (e) {
        this.fieldError(/user ?name/i.test(e.message) ? 'new-username' : /mail/i.test(e.message) ? 'new-email' : 'new-password', e.message);
      } finally {
        p1.value = ''; p2.value = '';
        submit.disabled = false;
      }
    } },
    this.field('new-username', 'User name', { autocomplete: 'username' }),
    this.field('new-email', 'E-mail (optional)', { type: 'email', autocomplete: 'email' }),
    this.field('new-password', 'Password for the bank (your wallet secret comes later and stays in this browser)', { type: 'password', autocomplete: 'new-password' }),
    this.field('new-password-repeat', 'Password again', { type: 'password', autocomplete: 'new-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'register' }, 'Create the account'),
      h('button', { type: 'button', onclick: () => this.showSignIn() }, 'Back')));
    this.screen('Create an account', form);
  }

  async showWallets() {
    await this.refreshDevice();
    const wallets = await this.all('/v1/wallets');
    const list = h('ul', { class: 'wallets', id: 'wallet-list' });
    for (const w of wallets) {
      const share = this.device.shares.get(w.id);
      let balance = '';
      if (w.status === 'ACTIVE') {
        try {
          const b = await this.api('GET', `/v1/wallets/${w.id}/balances`);
          balance = b.balances.map((x) => `${formatUnits(x.amount, x.decimals)} ${x.asset}`).join(', ');
        } catch (e) { balance = 'balance unavailable'; }
      }
      list.append(h('li', {},
        h('button', { type: 'button', class: 'wallet-row', 'data-wallet': w.id, onclick: () => this.showWallet(w.id) },
          h('span', { class: 'name', text: w.name }),
          h('span', { class: 'status status-' + w.status.toLowerCase(), text: statusText(w.status) }),
          h('span', { class: 'balance', text: balance }),
          h('span', { class: 'share', text: share ? (share.backedUpAt ? 'Key share in this browser, backed up' : 'Key share in this browser, not backed up') : (w.status === 'ACTIVE' ? 'No key share in this browser' : '') }))));
    }
    const missing = wallets.filter((w) => w.status === 'ACTIVE' && !this.device.shares.has(w.id));
    const restore = missing.length ? h('div', { class: 'card', id: 'restore-card' },
      h('p', { text: missing.length === 1 ? 'This browser holds no key share of your wallet ' + missing[0].name + '.'
        : 'This browser holds no key share of ' + missing.length + ' of your wallets.' }),
      h('button', { type: 'button', id: 'restore', onclick: () => this.showRestore(wallets) }, 'Restore your key share')) : null;
    const storage = this.device.persisted === true ? 'This browser keeps the wallet\'s data (persistent storage granted).'
      : 'This browser may delete the wallet\'s data when space runs low: keep your backup file.';
    this.screen('My wallets', wallets.length ? list : h('p', { class: 'empty', id: 'no-wallets', text: 'You have no wallet yet.' }),
      restore,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'create-wallet', onclick: () => this.showCreate() }, 'Create a wallet')),
      h('p', { class: 'hint', id: 'storage-note', text: storage }));
    // the device's one-time parameters are made in the background while nothing else needs the worker (keygen then
    // takes seconds); a browser that first has to restore shares makes them only when a wallet is created
    if (!this.device.ready && missing.length === 0) { this.prepareDevice().catch(() => {}); }
  }

  async prepareDevice() {
    if (this.preparing) { return this.preparing; }
    const started = performance.now();
    this.preparing = this.link.call('prepare').then(async (r) => {
      if (r.made) { this.emit('device-prepared', { ms: performance.now() - started }); }
      await this.refreshDevice();
      return r;
    }).finally(() => { this.preparing = null; });
    return this.preparing;
  }

  showCreate() {
    const progress = h('progress', { id: 'keygen-progress', max: 1, value: 0, hidden: true });
    const step = h('p', { class: 'step', id: 'keygen-step' });
    let cancelled = false;
    const cancel = h('button', { type: 'button', id: 'cancel-keygen', hidden: true, onclick: () => { cancelled = true; this.link.call('cancel'); } }, 'Cancel');
    const form = h('form', { class: 'card', id: 'create-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const name = this.root.getElementById('wallet-name').value.trim();
      const s1 = this.root.getElementById('wallet-secret');
      const s2 = this.root.getElementById('wallet-secret-repeat');
      ['wallet-name', 'wallet-secret', 'wallet-secret-repeat'].forEach((f) => this.fieldError(f, ''));
      if (!name) { this.fieldError('wallet-name', 'Give the wallet a name.'); return; }
      if ([...s1.value].length < 12) { this.fieldError('wallet-secret', 'At least 12 characters.'); return; }
      if (s1.value !== s2.value) { this.fieldError('wallet-secret-repeat', 'The two entries differ.'); return; }
      const secret = s1.value;
      s1.value = ''; s2.value = '';
      const submit = form.querySelector('button[type=submit]');
      submit.disabled = true;
      progress.hidden = false; cancel.hidden = false;
      cancelled = false;
      try {
        if (!this.device.ready) {
          progress.removeAttribute('value'); // indeterminate: the preparation has no steps to count
          step.textContent = 'Preparing this browser for its first wallet (once; this can take a minute)';
          await this.prepareDevice();
          progress.value = 0;
        }
        if (cancelled) { throw Object.assign(new Error('Cancelled; no wallet was created.'), { code: 'CANCELLED' }); }
        const type = this.root.getElementById('wallet-type').value;
        const w = await this.api('POST', '/v1/wallets', { name, type, riskProfile: 'LOW' }, { idempotent: true });
        const url = await this.ticketUrl();
        const done = await this.link.call('keygen', { walletId: w.id, url, secret }, (p) => {
          progress.max = p.steps; progress.value = p.step; step.textContent = p.label;
          this.emit('progress', { op: 'keygen', step: p.step, steps: p.steps, label: p.label, at: performance.now() });
        });
        progress.value = progress.max;
        step.textContent = 'Wallet created: ' + done.address;
        await this.showWallet(w.id, 'Your wallet is ready. Make a backup before your first transfer.');
      } catch (e) {
        step.textContent = '';
        progress.hidden = true; cancel.hidden = true;
        this.fieldError('wallet-secret', e.message + (e.code === 'CANCELLED' || /try again/i.test(e.message) ? '' : ' You can try again.'));
      } finally { submit.disabled = false; }
    } },
    this.field('wallet-name', 'Wallet name', { autocomplete: 'off', maxlength: 64 }),
    h('div', { class: 'field' }, h('label', { for: 'wallet-type', text: 'Kind of wallet' }),
      h('select', { id: 'wallet-type' },
        h('option', { value: 'RETAIL', text: 'Personal' }),
        h('option', { value: 'TREASURY', text: 'Business treasury (two approvals per transfer)' }))),
    this.field('wallet-secret', 'Wallet secret (at least 12 characters; it never leaves this browser)', { type: 'password', autocomplete: 'new-password' }),
    this.field('wallet-secret-repeat', 'Wallet secret again', { type: 'password', autocomplete: 'new-password' }),
    progress, step,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'create' }, 'Create'), cancel));
    this.screen('Create a wallet', form);
  }

  async showWallet(walletId, notice) {
    await this.refreshDevice();
    if (await this.settleRefresh(walletId)) {
      notice = notice || 'Your key refresh finished at the bank: this browser now uses the new share. Back up again.';
    }
    const w = await this.api('GET', `/v1/wallets/${walletId}`);
    const share = this.device.shares.get(walletId);
    let balances = [];
    if (w.status === 'ACTIVE') { balances = (await this.api('GET', `/v1/wallets/${walletId}/balances`)).balances; }
    const transfers = await this.all(`/v1/tx-requests?walletId=${encodeURIComponent(walletId)}`).catch(() => []);
    const deposits = w.status === 'ACTIVE' ? await this.all(`/v1/wallets/${walletId}/deposits`).catch(() => []) : [];
    // the address this browser's key share belongs to (stored at keygen or restore) must be the bank's: a bank
    // showing another address would collect the customer's deposits elsewhere
    const mismatch = !!(share && share.address && w.address && share.address.toLowerCase() !== w.address.toLowerCase());
    const address = mismatch ? '' : (w.address || '');
    const copy = h('button', { type: 'button', id: 'copy-address', onclick: async () => {
      try { await navigator.clipboard.writeText(address); copy.textContent = 'Copied'; } catch (e) { copy.textContent = 'Select and copy the address'; }
    } }, 'Copy address');
    const backedUp = !!(share && share.backedUpAt);
    const sendButton = h('button', { type: 'button', class: 'primary', id: 'send', disabled: !share || !backedUp || mismatch || w.status !== 'ACTIVE', onclick: () => this.showSend(w, balances) }, 'Send');
    const backupButton = share ? h('button', { type: 'button', id: 'backup', class: backedUp ? null : 'primary', onclick: () => this.showBackup(w) }, backedUp ? 'Back up again' : 'Back up now') : null;
    const passkeyButton = share && !share.passkey && passkeysPossible()
      ? h('button', { type: 'button', id: 'add-passkey', onclick: () => this.showPasskey(w) }, 'Unlock with a passkey') : null;
    const passkeyHint = share && share.passkey ? h('p', { class: 'hint', id: 'passkey-state', text: 'A passkey unlocks this wallet in this browser; your wallet secret still works too.' }) : null;
    const refreshButton = share && w.status === 'ACTIVE' && !mismatch
      ? h('button', { type: 'button', id: 'refresh-key', onclick: () => this.showRefresh(w) }, 'Refresh key') : null;
    const copyText = share && share.bankCopy ? (share.bankCopy.stale
      ? 'The bank\'s copy of your key share was made before the last key refresh and can no longer restore this wallet: make a new one from "Back up".'
      : 'The bank keeps a copy of your key share that only your recovery code opens (stored ' + new Date(share.bankCopy.storedAt).toLocaleString() + ').') : null;
    const qr = h('figure', { class: 'qr', id: 'address-qr', hidden: true });
    if (address && share && share.address) {
      this.link.call('qr', { walletId: w.id }).then((r) => {
        qr.replaceChildren(qrSvg(r.size, r.rows), h('figcaption', { text: 'Scan to pay to this wallet (' + r.text.slice(0, 'ethereum:'.length + 8) + '…)' }));
        qr.hidden = false;
      }).catch(() => { /* no QR: the address above is still there to copy */ });
    }
    const shareText = !share ? 'This browser holds no key share of this wallet. Restore your backup file to use it here.'
      : !backedUp && share.refreshedAt ? 'This browser holds your refreshed key share; backups made before the refresh no longer work. Back up before your next transfer (sending is locked until then).'
      : backedUp ? 'This browser holds your key share. Backed up on ' + new Date(share.backedUpAt).toLocaleString() + '.'
        : 'This browser holds your key share, and there is no backup yet. Browsers may delete stored data: back up before your first transfer (sending is locked until then).';
    const list = h('ul', { class: 'transfers', id: 'transfer-list' }, (Array.isArray(transfers) ? transfers : transfers.items || []).map((t) =>
      h('li', {}, h('button', { type: 'button', class: 'transfer-row', 'data-transfer': t.id, onclick: () => this.showTransfer(t.id, w) },
        h('span', { text: `${amountText(t)} to ${short(t.to)}` }), h('span', { class: 'status', text: statusText(t.status) })))));
    this.screen(w.name,
      notice ? h('p', { class: 'notice', id: 'wallet-notice', text: notice }) : null,
      h('section', { class: 'card' },
        h('p', { class: 'label', text: 'Address' }),
        mismatch ? h('p', { class: 'banner-bad', id: 'address-mismatch', role: 'alert', text: 'The bank shows an address for this wallet that is not the address of your key share in this browser. Do not send funds to it; contact your bank.' })
          : h('p', { class: 'address', id: 'wallet-address', text: address || 'not created yet' }),
        address ? copy : null,
        qr,
        h('p', { class: 'label', text: 'Balance' }),
        h('p', { class: 'balance', id: 'wallet-balance', text: balances.map((b) => `${formatUnits(b.amount, b.decimals)} ${b.asset}`).join(', ') || '—' }),
        h('p', { class: backedUp || !share ? 'hint' : 'warning', id: 'share-state', text: shareText }),
        passkeyHint,
        copyText ? h('p', { class: share.bankCopy.stale ? 'warning' : 'hint', id: 'bank-copy-state', text: copyText }) : null,
        h('div', { class: 'actions' }, sendButton, backupButton, passkeyButton, refreshButton)),
      h('h3', { text: 'Transfers' }), list,
      h('h3', { text: 'Deposits' }),
      deposits.length ? h('ul', { class: 'transfers', id: 'deposit-list' }, deposits.map((d) =>
        h('li', { class: 'deposit-row', 'data-deposit': d.id || d.txHash },
          h('span', { text: `${depositAmount(d)} from ${short(d.from)}` }), h('span', { class: 'status', text: depositStatus(d) }))))
        : h('p', { class: 'hint', id: 'no-deposits', text: 'No deposits yet. Send funds to the address above.' }));
  }

  /** A refresh interrupted after this browser sealed the new share: the bank's key epoch says whether it finished. */
  async settleRefresh(walletId) {
    const share = this.device.shares.get(walletId);
    if (!share || share.pendingEpoch === null || share.pendingEpoch === undefined) { return false; }
    const key = await this.api('GET', `/v1/wallets/${walletId}/mpc`).catch(() => null);
    if (!key || typeof key.epoch !== 'number') { return false; }
    const r = await this.link.call('settle', { walletId, bankEpoch: key.epoch });
    if (r.promoted) { await this.refreshDevice(); }
    return r.promoted;
  }

  showRefresh(w) {
    const share = this.device.shares.get(w.id);
    const progress = h('progress', { id: 'refresh-progress', max: 1, value: 0, hidden: true });
    const step = h('p', { class: 'step', id: 'refresh-step' });
    const cancel = h('button', { type: 'button', id: 'refresh-cancel', hidden: true, onclick: () => this.link.call('cancel') }, 'Cancel');
    const back = h('button', { type: 'button', id: 'refresh-back', onclick: () => this.showWallet(w.id) }, 'Back');
    const keepPasskey = share && share.passkey && passkeysPossible();
    const form = h('form', { class: 'card', id: 'refresh-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const input = this.root.getElementById('refresh-secret');
      const secret = input.value;
      input.value = '';
      this.fieldError('refresh-secret', '');
      if (!secret) { this.fieldError('refresh-secret', 'Enter your wallet secret.'); return; }
      const submit = form.querySelector('button[type=submit]');
      submit.disabled = true; back.disabled = true;
      progress.hidden = false; progress.value = 0; cancel.hidden = false;
      step.textContent = 'Preparing…';
      try {
        if (!this.device.ready) { step.textContent = 'Preparing this browser (once)…'; await this.prepareDevice(); }
        // the passkey's envelope moves to the new share too when the passkey answers; otherwise passkey unlock ends
        let passkeySecretText = '';
        if (keepPasskey) {
          step.textContent = 'Confirm with your passkey to keep passkey unlock…';
          passkeySecretText = await passkeySecret(w.id, share.passkey.credentialId).catch(() => '');
        }
        const url = await this.ticketUrl();
        const done = await this.link.call('refresh', { walletId: w.id, address: w.address, url, secret, passkeySecret: passkeySecretText }, (p) => {
          progress.max = p.steps; progress.value = p.step; step.textContent = p.label;
          this.emit('progress', { op: 'refresh', step: p.step, steps: p.steps, label: p.label, at: performance.now() });
        });
        this.emit('refreshed', { walletId: w.id, epoch: done.epoch });
        await this.showWallet(w.id, 'The key of ' + w.name + ' is refreshed (epoch ' + done.epoch + '); its address and funds are unchanged. '
          + 'Your backup file and any bank copy hold the old share, which can no longer sign: back up now (sending is locked until then).'
          + (keepPasskey && !passkeySecretText ? ' Passkey unlock ended with the old share; set it up again.' : ''));
      } catch (e) {
        progress.hidden = true; cancel.hidden = true; step.textContent = '';
        const why = e.status === 403 || /not authori[sz]ed/i.test(e.message) || e.code === 'NOT_AUTHORIZED'
          ? 'Your bank has not authorized a key refresh of this wallet (or the authorization expired). Ask your bank; nothing changed.'
          : e.message + (e.code === 'CANCELLED' ? '' : ' Nothing changed: your current key share still works.');
        this.fieldError('refresh-secret', why);
      } finally { submit.disabled = false; back.disabled = false; }
    } },
    h('p', { text: 'Your bank can authorize a refresh of this wallet\'s key, for example after a device was lost or as a routine. '
      + 'This browser and the bank then make new shares of the same key: the address and the funds stay; shares from before, '
      + 'including those in backup files and in the bank\'s copy, can no longer sign.' }),
    this.field('refresh-secret', 'Wallet secret', { type: 'password', autocomplete: 'current-password' }),
    keepPasskey ? h('p', { class: 'hint', text: 'Your passkey will be asked too, so that it keeps unlocking the wallet.' }) : null,
    progress, step,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'run-refresh' }, 'Refresh the key'), cancel, back));
    this.screen('Refresh the key of ' + w.name, form);
  }

  showBackup(w) {
    const form = h('form', { class: 'card', id: 'backup-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const input = this.root.getElementById('backup-secret');
      const secret = input.value;
      input.value = '';
      this.fieldError('backup-secret', '');
      const go = form.querySelector('button[type=submit]');
      go.disabled = true;
      try {
        const r = await this.link.call('backup', { walletId: w.id, address: w.address, secret });
        const url = URL.createObjectURL(new Blob([r.bundle], { type: 'application/json' }));
        const a = h('a', { href: url, download: r.fileName, id: 'backup-download', hidden: true });
        this.main.append(a);
        a.click();
        setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 60_000);
        await this.showWallet(w.id, 'Backup saved as ' + r.fileName + '. Keep it somewhere other than this computer; it opens only with your wallet secret.');
      } catch (e) {
        this.fieldError('backup-secret', e.message);
      } finally { go.disabled = false; }
    } },
    h('p', { text: 'The backup file holds your key share, still sealed with your wallet secret. With the file and the secret you can restore this wallet in another browser or in the desktop wallet if this browser loses its data.' }),
    this.field('backup-secret', 'Wallet secret (to confirm you know it: the file is useless without it)', { type: 'password', autocomplete: 'current-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'download-backup' }, 'Download backup file'),
      h('button', { type: 'button', onclick: () => this.showWallet(w.id) }, 'Back')));
    const codeBox = h('div', { id: 'recovery-code-box', hidden: true });
    const copyForm = h('form', { class: 'card', id: 'bank-copy-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const input = this.root.getElementById('copy-secret');
      const secret = input.value;
      input.value = '';
      this.fieldError('copy-secret', '');
      const go = copyForm.querySelector('button[type=submit]');
      go.disabled = true;
      try {
        const c = await this.link.call('bankCopy', { walletId: w.id, secret });
        const stored = await this.api('PUT', `/v1/wallets/${w.id}/device-backup`, { envelope: c.envelope, keyEpoch: c.keyEpoch, sealedWith: 'recovery-code' });
        await this.link.call('noteBankCopy', { walletId: w.id, storedAt: stored.storedAt, keyEpoch: stored.keyEpoch });
        codeBox.replaceChildren(
          h('p', { class: 'banner-ok', text: 'The bank now keeps a copy of your key share. Only this recovery code opens it; the bank does not have it. Write it down and keep it apart from this computer: it is shown once.' }),
          h('p', { class: 'recovery-code', id: 'recovery-code', text: c.code }),
          h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'code-noted', onclick: () => this.showWallet(w.id, 'The bank keeps a copy of your key share; your recovery code opens it.') }, 'I have written it down')));
        codeBox.hidden = false;
        copyForm.querySelector('.field').remove();
        go.hidden = true;
        this.root.getElementById('code-noted').focus();
      } catch (e) {
        this.fieldError('copy-secret', e.message);
      } finally { go.disabled = false; }
    } },
    h('h3', { text: 'Also keep a copy at the bank (optional)' }),
    h('p', { text: 'The bank can keep your key share sealed under a recovery code that this browser makes (32 letters and digits). The bank cannot open it; with the code you can restore the wallet here even without the file. A password you choose is never used for this copy, because the bank holds the other share.' }),
    this.field('copy-secret', 'Wallet secret', { type: 'password', autocomplete: 'current-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'make-bank-copy' }, 'Make a recovery code and store the copy')),
    codeBox);
    this.screen('Back up ' + w.name, form, copyForm);
  }

  async showRestore(wallets) {
    const known = {};
    const epochs = {};
    const names = {};
    for (const w of wallets) { if (w.address) { known[w.id] = w.address; names[w.id] = w.name; } }
    const missing = wallets.filter((w) => w.status === 'ACTIVE' && !this.device.shares.has(w.id));
    for (const w of missing) {
      const key = await this.api('GET', `/v1/wallets/${w.id}/mpc`).catch(() => null);
      if (key && typeof key.epoch === 'number') { epochs[w.id] = key.epoch; }
    }
    const form = h('form', { class: 'card', id: 'restore-form', onsubmit: async (ev) => {
      ev.preventDefault();
      ['backup-file', 'restore-secret'].forEach((f) => this.fieldError(f, ''));
      const file = this.root.getElementById('backup-file').files[0];
      if (!file) { this.fieldError('backup-file', 'Choose your backup file.'); return; }
      if (file.size > 1024 * 1024) { this.fieldError('backup-file', 'This file is too large to be a wallet backup.'); return; }
      const input = this.root.getElementById('restore-secret');
      const secret = input.value;
      input.value = '';
      try {
        const r = await this.link.call('restore', { bundle: await file.text(), wallets: known, epochs, names, secret });
        await this.showWallet(r.restored[0], 'Restored from your backup file: this browser holds your key share again.');
      } catch (e) {
        this.fieldError(['NOT_A_BACKUP', 'NOT_YOURS', 'OLD_BACKUP', 'STALE_BACKUP'].includes(e.code) ? 'backup-file' : 'restore-secret', e.message);
      }
    } },
    h('div', { class: 'field' }, h('label', { for: 'backup-file', text: 'Backup file' }),
      h('input', { id: 'backup-file', type: 'file', accept: '.json,application/json' }),
      h('p', { class: 'field-error', id: 'backup-file-error', role: 'alert' })),
    this.field('restore-secret', 'Wallet secret', { type: 'password', autocomplete: 'current-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'restore-now' }, 'Restore'),
      h('button', { type: 'button', onclick: () => this.showWallets() }, 'Back')));
    const fromBank = h('form', { class: 'card', id: 'bank-restore-form', onsubmit: async (ev) => {
      ev.preventDefault();
      ['bank-restore-wallet', 'recovery-code-input', 'bank-restore-secret', 'bank-restore-secret-repeat'].forEach((f) => this.fieldError(f, ''));
      const walletId = this.root.getElementById('bank-restore-wallet').value;
      const codeInput = this.root.getElementById('recovery-code-input');
      const s1 = this.root.getElementById('bank-restore-secret');
      const s2 = this.root.getElementById('bank-restore-secret-repeat');
      if (!codeInput.value.trim()) { this.fieldError('recovery-code-input', 'Enter the recovery code you wrote down.'); return; }
      if (s1.value.length < 12) { this.fieldError('bank-restore-secret', 'At least 12 characters.'); return; }
      if (s1.value !== s2.value) { this.fieldError('bank-restore-secret-repeat', 'The two entries differ.'); return; }
      const go = fromBank.querySelector('button[type=submit]');
      go.disabled = true;
      const code = codeInput.value;
      const secret = s1.value;
      try {
        let copy;
        try {
          copy = await this.api('GET', `/v1/wallets/${walletId}/device-backup`);
        } catch (e) {
          this.fieldError('bank-restore-wallet', e.status === 404 ? 'The bank keeps no copy of this wallet\'s key share. Restore from your backup file.' : e.message);
          return;
        }
        const r = await this.link.call('recover', { walletId, envelope: copy.envelope, address: known[walletId], code, secret, bankEpoch: epochs[walletId], storedAt: copy.storedAt });
        codeInput.value = ''; s1.value = ''; s2.value = '';
        await this.showWallet(r.restored[0], 'Restored from the bank\'s copy with your recovery code. Your new wallet secret seals it in this browser: download a backup file for it before your next transfer.');
      } catch (e) {
        this.fieldError(['WRONG_CODE', 'BAD_CODE', 'STALE_BACKUP'].includes(e.code) ? 'recovery-code-input' : 'bank-restore-secret', e.message);
      } finally { go.disabled = false; }
    } },
    h('h3', { text: 'Or restore from the bank\'s copy' }),
    h('p', { text: 'If you let the bank keep a copy of your key share, your recovery code opens it here. Choose a wallet secret for this browser.' }),
    h('div', { class: 'field' }, h('label', { for: 'bank-restore-wallet', text: 'Wallet' }),
      h('select', { id: 'bank-restore-wallet' }, missing.map((w) => h('option', { value: w.id, text: w.name }))),
      h('p', { class: 'field-error', id: 'bank-restore-wallet-error', role: 'alert' })),
    this.field('recovery-code-input', 'Recovery code', { autocomplete: 'off', spellcheck: 'false', placeholder: 'XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX' }),
    this.field('bank-restore-secret', 'New wallet secret for this browser (at least 12 characters)', { type: 'password', autocomplete: 'new-password' }),
    this.field('bank-restore-secret-repeat', 'New wallet secret again', { type: 'password', autocomplete: 'new-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'restore-from-bank' }, 'Restore from the bank\'s copy')));
    this.screen('Restore your wallet', form, missing.length ? fromBank : null);
  }

  showPasskey(w) {
    const form = h('form', { class: 'card', id: 'passkey-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const input = this.root.getElementById('passkey-secret');
      const secret = input.value;
      input.value = '';
      this.fieldError('passkey-secret', '');
      const go = form.querySelector('button[type=submit]');
      go.disabled = true;
      try {
        const user = this.session.user.username;
        const cred = await navigator.credentials.create({ publicKey: {
          rp: { name: 'Digital-asset wallet', id: location.hostname },
          user: { id: crypto.getRandomValues(new Uint8Array(16)), name: user, displayName: user },
          challenge: crypto.getRandomValues(new Uint8Array(32)),
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
          authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
          extensions: { prf: {} } } });
        const prf = cred.getClientExtensionResults().prf;
        if (!prf || prf.enabled !== true) {
          throw new Error('This passkey cannot unlock the wallet (its authenticator has no PRF support). Keep using your wallet secret.');
        }
        const credentialId = b64url(new Uint8Array(cred.rawId));
        const passkeySecretText = await passkeySecret(w.id, credentialId);
        await this.link.call('addPasskey', { walletId: w.id, secret, passkeySecret: passkeySecretText, credentialId });
        await this.showWallet(w.id, 'Your passkey now unlocks this wallet in this browser. Your wallet secret still works, and your backup file still needs it.');
      } catch (e) {
        this.fieldError('passkey-secret', e && e.name === 'NotAllowedError' ? 'The passkey was not created (cancelled or timed out).' : e.message);
      } finally { go.disabled = false; }
    } },
    h('p', { text: 'A passkey (your device\'s screen lock or a security key) can unlock this wallet instead of typing your wallet secret. The passkey derives a key that never leaves this browser; the bank does not see it. Your wallet secret keeps working, and your backup file still needs it.' }),
    this.field('passkey-secret', 'Wallet secret (to open the key share once)', { type: 'password', autocomplete: 'current-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'create-passkey' }, 'Create a passkey'),
      h('button', { type: 'button', onclick: () => this.showWallet(w.id) }, 'Back')));
    this.screen('Unlock ' + w.name + ' with a passkey', form);
  }

  showSend(w, balances) {
    const form = h('form', { class: 'card', id: 'send-form', onsubmit: async (ev) => {
      ev.preventDefault();
      ['recipient', 'amount'].forEach((f) => this.fieldError(f, ''));
      const to = this.root.getElementById('recipient').value.trim();
      if (!/^0x[0-9a-fA-F]{40}$/.test(to)) { this.fieldError('recipient', 'An address is 0x followed by 40 hexadecimal digits.'); return; }
      const amount = parseUnits(this.root.getElementById('amount').value, 18);
      if (amount.error) { this.fieldError('amount', amount.error); return; }
      const note = this.root.getElementById('note').value.trim();
      try {
        const t = await this.api('POST', '/v1/tx-requests', Object.assign({ walletId: w.id, asset: 'ETH', to, amount: amount.base }, note ? { note } : {}), { idempotent: true });
        await this.showTransfer(t.id, w);
      } catch (e) {
        this.fieldError(/address|recipient|\bto\b/i.test(e.message) ? 'recipient' : 'amount', e.message);
      }
    } },
    this.field('recipient', 'Recipient address', { autocomplete: 'off', spellcheck: 'false', placeholder: '0x…' }),
    this.field('amount', 'Amount (ETH)', { inputmode: 'decimal', autocomplete: 'off' }),
    this.field('note', 'Note for your records (optional)', { autocomplete: 'off', maxlength: 140 }),
    h('p', { class: 'hint', text: 'Available: ' + (balances.map((b) => `${formatUnits(b.amount, b.decimals)} ${b.asset}`).join(', ') || '0 ETH') }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'submit-transfer' }, 'Send'),
      h('button', { type: 'button', onclick: () => this.showWallet(w.id) }, 'Back')));
    this.screen('Send from ' + w.name, form);
  }

  async showTransfer(id, w) {
    const stages = h('ol', { class: 'timeline', id: 'timeline' });
    const headline = h('p', { class: 'headline', id: 'transfer-headline' });
    const link = h('p', { class: 'hint', id: 'transfer-link' });
    let current = null;
    const reopen = h('button', { type: 'button', class: 'primary', id: 'open-cosign', hidden: true, onclick: () => this.cosignDialog(current, w) }, 'Review the bank\'s request');
    this.screen('Transfer', headline, stages, link,
      h('div', { class: 'actions' }, reopen, h('button', { type: 'button', onclick: () => this.showWallet(w.id) }, 'Back to the wallet')));
    let dialogFor = null;
    const tick = async () => {
      let t;
      try { t = await this.api('GET', `/v1/tx-requests/${id}`); } catch (e) { headline.textContent = e.message; this.timer = setTimeout(tick, 2000); return; }
      current = t;
      reopen.hidden = !(t.status === 'SIGN_PENDING' && t.signRequestId && dialogFor === t.signRequestId && !this.root.getElementById('cosign-dialog'));
      renderTimeline(stages, t);
      headline.textContent = headlineText(t);
      headline.dataset.status = t.status;
      this.emit('transfer-state', { id: t.id, status: t.status });
      if (t.txHash) {
        const tpl = this.getAttribute('explorer-tx-url');
        link.replaceChildren('Transaction ', tpl ? h('a', { href: tpl.replace('{tx}', t.txHash), target: '_blank', rel: 'noopener noreferrer', text: t.txHash }) : h('code', { text: t.txHash }));
      }
      if (t.status === 'SIGN_PENDING' && t.signRequestId && dialogFor !== t.signRequestId) {
        dialogFor = t.signRequestId;
        this.emit('cosign-needed', { id: t.id });
        await this.cosignDialog(t, w);
      }
      if (!TERMINAL.has(t.status)) { this.timer = setTimeout(tick, 1000); }
    };
    await tick();
  }

  async cosignDialog(t, w) {
    const signRequest = await this.api('GET', `/v1/sign-requests/${t.signRequestId}`);
    const transferText = JSON.stringify(t);
    const requestText = JSON.stringify(signRequest);
    const { review } = await this.link.call('review', { transfer: transferText, signRequest: requestText });
    const dialog = h('dialog', { class: 'cosign', id: 'cosign-dialog', 'aria-labelledby': 'cosign-title' });
    const rows = h('dl', { class: 'review', id: 'cosign-rows' }, review.rows.flatMap((r) => [
      h('dt', { text: r.label }), h('dd', { class: r.emphasis ? 'emphasis' : null, text: r.value })]));
    const verdict = h('p', { id: 'cosign-verdict', class: review.mayCoSign ? 'banner-ok' : 'banner-bad', text: review.verdict });
    const progress = h('progress', { id: 'cosign-progress', max: 1, value: 0, hidden: true });
    const step = h('p', { class: 'step', id: 'cosign-step' });
    const close = () => { if (dialog.open) { dialog.close(); } };
    dialog.addEventListener('close', () => {
      dialog.remove();
      const again = this.root.getElementById('open-cosign');
      if (again && t.status === 'SIGN_PENDING') { again.hidden = false; }
    });
    const content = [h('h3', { id: 'cosign-title', text: review.title }), verdict, rows];
    if (review.mayCoSign) {
      const share = this.device.shares.get(w.id);
      const buttons = () => [...dialog.querySelectorAll('button')];
      // a ticket fetched while the customer reads, so that the confirmation does not wait for it (single use, 30 s)
      let ticket = null;
      const prefetch = () => { ticket = this.ticketUrl().then((url) => ({ url, at: Date.now() })).catch(() => null); };
      prefetch();
      const run = async (getSecret, passkey) => {
        this.emit('cosign-confirmed', { id: t.id, at: performance.now() });
        this.fieldError('cosign-secret', '');
        buttons().forEach((b) => { b.disabled = true; });
        progress.hidden = false;
        try {
          const secret = await getSecret();
          await this.settleRefresh(w.id);
          const early = ticket ? await ticket : null;
          ticket = null;
          const url = early && Date.now() - early.at < 20_000 ? early.url : await this.ticketUrl();
          performance.mark('mpc-wallet:cosign-ticket');
          const done = await this.link.call('cosign', { transfer: transferText, signRequest: requestText, address: w.address, url, secret, passkey },
            (p) => {
              progress.max = p.steps; progress.value = p.step; step.textContent = p.label;
              this.emit('progress', { op: 'cosign', step: p.step, steps: p.steps, label: p.label, at: performance.now() });
            });
          this.emit('cosigned', { id: t.id, txHash: done.txHash, at: performance.now() });
          step.textContent = 'Co-signed: ' + done.txHash;
          t.status = 'SIGNED'; // nothing left to review; the next poll shows the bank's state
          close();
        } catch (e) {
          progress.hidden = true; step.textContent = '';
          this.fieldError('cosign-secret', e.message);
          if (dialog.open) { prefetch(); }
        } finally { buttons().forEach((b) => { b.disabled = false; }); }
      };
      if (share && share.passkey && passkeysPossible()) {
        content.push(h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'cosign-passkey',
          onclick: () => run(() => passkeySecret(w.id, share.passkey.credentialId), true) }, 'Co-sign with your passkey')),
        h('p', { class: 'hint', text: 'Or with your wallet secret:' }));
      }
      const form = h('form', { method: 'dialog', id: 'cosign-form', onsubmit: (ev) => {
        ev.preventDefault();
        const input = this.root.getElementById('cosign-secret');
        const secret = input.value;
        input.value = '';
        run(async () => secret, false);
      } },
      this.field('cosign-secret', 'Wallet secret', { type: 'password', autocomplete: 'current-password' }),
      progress, step,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: share && share.passkey ? null : 'primary', id: 'cosign' }, 'Co-sign'),
        h('button', { type: 'button', id: 'cosign-later', onclick: close }, 'Not now')));
      content.push(form);
    } else {
      content.push(h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'cosign-close', onclick: close }, 'Close')));
    }
    dialog.append(...content);
    this.main.append(dialog);
    dialog.showModal();
    const first = dialog.querySelector('input, button.primary');
    if (first) { first.focus(); }
  }
}

function sentence(text) {
  const t = String(text).trim();
  if (!t) { return 'Something went wrong.'; }
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.?!)]$/.test(s) ? s : s + '.';
}

function short(a) {
  return a && a.length > 14 ? a.slice(0, 8) + '…' + a.slice(-6) : (a || '');
}

function amountText(t) {
  return t.asset === 'ETH' || !t.tokenAddress ? `${formatUnits(t.amount, 18)} ETH` : `${t.amount} base units of ${t.asset}`;
}

function depositAmount(d) {
  return d.token ? `${d.amount} base units of ${d.asset || 'a token'}` : `${formatUnits(d.amount, 18)} ETH`;
}

/** As the desktop window says it (DepositView): held or blocked by compliance, waiting, confirmed, dropped. */
function depositStatus(d) {
  if (d.kytVerdict === 'REVIEW') { return 'Held by compliance'; }
  if (d.kytVerdict === 'BLOCK') { return 'Blocked by compliance'; }
  return ({ DETECTED: 'Seen, waiting for confirmations', CONFIRMED: 'Confirmed', REORGED: 'Dropped by a chain reorganisation' })[d.status] || d.status || '';
}

function statusText(s) {
  return ({ PENDING_KEYGEN: 'Being created', ACTIVE: 'Active', FAILED: 'Creation failed', LOCKED: 'Locked', RETIRED: 'Retired',
    SUBMITTED: 'Submitted', KYT_PENDING: 'Screening', KYT_REVIEW: 'Held for compliance review', KYT_BLOCKED: 'Blocked by compliance',
    POLICY_EVAL_PENDING: 'Checking bank policies', POLICY_BLOCKED: 'Blocked by a bank policy', APPROVAL_PENDING: 'Waiting for approval',
    REJECTED: 'Rejected', SIGN_PENDING: 'Waiting for your co-signature', SIGNED: 'Signed', FAILED_SIGN: 'Signing failed',
    BROADCAST_PENDING: 'Being broadcast', BROADCASTED: 'Broadcast', FAILED_BROADCAST: 'Broadcast failed', CONFIRMING: 'Confirming',
    CONFIRMED: 'Confirmed', FINALIZED: 'Final' })[s] || s;
}

function headlineText(t) {
  const votes = (t.votes || []).filter((v) => v.decision === 'APPROVE').length;
  switch (t.status) {
    case 'APPROVAL_PENDING': return `Waiting for approval: ${votes} of ${t.requiredApprovals}`;
    case 'SIGN_PENDING': return 'Waiting for your co-signature';
    case 'CONFIRMING': return `Confirming: ${t.confirmations || 0} confirmations so far`;
    case 'FINALIZED': return 'Done: the transfer is final';
    default: return statusText(t.status) + (t.lastError ? ` (${t.lastError})` : '');
  }
}

function renderTimeline(ol, t) {
  const at = ORDER.indexOf(t.status);
  const failedStage = STAGES.findIndex((s) => s[2] === t.status);
  ol.replaceChildren(...STAGES.map((s, i) => {
    const first = ORDER.indexOf(s[1][0]);
    const last = ORDER.indexOf(s[1][s[1].length - 1]);
    let state;
    if (failedStage >= 0) { state = i < failedStage ? 'done' : i === failedStage ? 'failed' : 'skipped'; } else if (at > last || t.status === 'FINALIZED') { state = 'done'; } else if (at >= first) { state = 'active'; } else { state = 'waiting'; }
    return h('li', { class: 'stage ' + state, 'data-state': state }, h('span', { class: 'stage-name', text: s[0] }), h('span', { class: 'stage-state', text: ({ done: 'done', active: 'under way', waiting: 'waiting', failed: 'stopped', skipped: '—' })[state] }));
  }));
}

/** The QR code the worker computed (rows of '0'/'1') as an SVG with a quiet zone of four modules. */
function qrSvg(size, rows) {
  const NS = 'http://www.w3.org/2000/svg';
  const n = size + 8;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${n} ${n}`);
  svg.setAttribute('width', String(n * 4));
  svg.setAttribute('height', String(n * 4));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'QR code of the wallet address');
  svg.setAttribute('shape-rendering', 'crispEdges');
  const bg = document.createElementNS(NS, 'rect');
  bg.setAttribute('width', String(n));
  bg.setAttribute('height', String(n));
  bg.setAttribute('fill', '#fff');
  let d = '';
  rows.split('\n').forEach((row, y) => {
    for (let x = 0; x < row.length; x++) { if (row[x] === '1') { d += `M${x + 4} ${y + 4}h1v1h-1z`; } }
  });
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}

// ---- passkeys (WebAuthn PRF, docs/client-web.md "Passkeys") ---------------------------------------------------

/** Passkeys need a secure context and a domain name (WebAuthn refuses IP addresses as the relying party). */
function passkeysPossible() {
  return !!(window.PublicKeyCredential && navigator.credentials && window.isSecureContext
    && !/^[0-9.]+$/.test(location.hostname) && !location.hostname.startsWith('['));
}

function b64url(bytes) {
  let bin = '';
  for (const b of bytes) { bin += String.fromCharCode(b); }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromB64url(text) {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The wallet's passkey secret: the PRF output for a salt bound to the wallet, as text; the bytes are zeroed. */
async function passkeySecret(walletId, credentialId) {
  const salt = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('mpc-wallet passkey v1:' + walletId)));
  const cred = await navigator.credentials.get({ publicKey: {
    challenge: crypto.getRandomValues(new Uint8Array(32)),
    allowCredentials: [{ type: 'public-key', id: fromB64url(credentialId) }],
    userVerification: 'required',
    extensions: { prf: { eval: { first: salt } } } } });
  const prf = cred.getClientExtensionResults().prf;
  if (!prf || !prf.results || !prf.results.first) {
    throw new Error('The passkey gave no key (its authenticator has no PRF support). Use your wallet secret.');
  }
  const bytes = new Uint8Array(prf.results.first);
  const text = 'prf:' + b64url(bytes);
  bytes.fill(0);
  return text;
}

customElements.define('mpc-wallet', MpcWallet);
