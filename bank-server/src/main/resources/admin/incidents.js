// Key incidents (docs/admin-console.md "Wallets and keys", docs/operations.md): the keys that locked, oldest first,
// with their wallet and what the runbook says to do. A locked key is never used or refreshed again: an ADMIN rotates
// it (a successor wallet its owner generates a key for) and, once the successor is active, sweeps the funds to it.
import * as api from './api.js';
import { act } from './act.js';
import { h, fill, shortWhen, relative, shortAddress } from './dom.js';

const KINDS = { KEY_LOCKED: 'Key locked' };

export function incidentsPage({ main, me, say }) {
  const isAdmin = me.roles.includes('ADMIN');
  const show = h('select', { id: 'incident-status' }, h('option', { value: 'OPEN' }, 'Open'),
    h('option', { value: 'RESOLVED' }, 'Resolved'), h('option', { value: '' }, 'All'));
  const list = h('div', { id: 'incidents' });
  const error = h('p', { class: 'form-error', role: 'alert', id: 'incidents-error' });
  main.append(h('section', { 'aria-labelledby': 'incidents-title' },
    h('h1', { id: 'incidents-title' }, 'Key incidents'),
    h('p', { class: 'hint' }, 'A key locks when a signature could not be verified or a decryption was interrupted: it '
      + 'signs nothing more. The runbook: rotate it — its owner generates the key of a successor wallet — then sweep '
      + 'the funds to the successor (transfers that go through the approvals like any other).'),
    h('div', { class: 'toolbar' }, h('label', { for: 'incident-status' }, 'Show'), show), error, list));

  async function rotationOf(walletId) {
    try {
      return await api.get(`/v1/admin/wallets/${walletId}/rotation`);
    } catch (e) {
      if (e.status === 404) return null;
      throw e;
    }
  }

  function runbook(i, wallet, rotation, note) {
    if (!isAdmin || i.status !== 'OPEN' || !i.walletId) return null;
    if (!rotation) {
      const reason = h('input', { id: `rotate-reason-${i.id}`, class: 'comment', maxlength: 500,
        placeholder: 'reason (required)' });
      const rotate = h('button', { class: 'reject', onclick: () => {
        if (!reason.value.trim()) {
          note.textContent = 'Give the reason: it goes to the audit log.';
          note.className = 'row-status error';
          reason.setAttribute('aria-invalid', 'true');
          reason.focus();
          return;
        }
        reason.removeAttribute('aria-invalid');
        act({ note, say, label: `Rotation of ${wallet ? wallet.name : i.walletId}`, buttons: [rotate],
          call: () => api.withStepUp('POST', `/v1/admin/wallets/${i.walletId}/rotate`, { reason: reason.value.trim() }),
          outcome: () => 'Rotation started: the owner generates the successor\'s key, then sweep.' })
          .then((r) => { if (r) load(); });
      } }, 'Rotate the key');
      return h('div', { class: 'runbook' }, h('label', { for: `rotate-reason-${i.id}` }, 'Why'), reason, rotate);
    }
    if (rotation.retiredAt) return null;
    const sweep = h('button', { class: 'primary', onclick: () => act({ note, say, buttons: [sweep],
      label: `Sweep of ${wallet ? wallet.name : i.walletId}`,
      call: () => api.withStepUp('POST', `/v1/admin/wallets/${i.walletId}/sweep`),
      outcome: (r) => `Sweep requested: ${(r.txRequestIds || []).length} transfer(s) to the successor, `
        + 'through the approvals.' }).then((r) => { if (r) load(); }) }, 'Sweep to the successor');
    return h('div', { class: 'runbook' }, sweep);
  }

  async function load() {
    const params = new URLSearchParams({ limit: '200' });
    if (show.value) params.set('status', show.value);
    try {
      const page = await api.get(`/v1/admin/incidents?${params}`);
      const ids = [...new Set(page.items.map((i) => i.walletId).filter((x) => x))];
      const wallets = new Map(await Promise.all(ids.map(async (id) => [id, await api.get(`/v1/wallets/${id}`)
        .catch(() => null)])));
      const rotations = new Map(await Promise.all(ids.map(async (id) => [id, await rotationOf(id)
        .catch(() => null)])));
      const now = Date.now();
      fill(list, page.items.length ? page.items.map((i) => {
        const w = wallets.get(i.walletId);
        const r = rotations.get(i.walletId);
        const note = h('p', { class: 'row-status', role: 'status' });
        return h('article', { class: 'card incident', dataset: { id: i.id, wallet: i.walletId || '' } },
          h('h2', {}, `${KINDS[i.kind] || i.kind}: `, w ? `${w.name} ` : 'a wallet ', h('span', { class: 'hint' },
            w ? `${w.type} · ${w.status}` : '')),
          h('p', {}, h('span', { class: `badge ${i.status === 'OPEN' ? 'bad' : 'ok'}` }, i.status === 'OPEN' ? 'Open'
            : `Resolved ${shortWhen(i.resolvedAt)}`), ` opened ${shortWhen(i.createdAt)} (${relative(i.createdAt, now)})`),
          h('p', {}, i.detail),
          h('p', { class: 'hint' }, w && w.address ? ['Address ', h('code', { title: w.address },
            shortAddress(w.address)), ' · '] : null, `keyset ${i.keysetId || '—'}`),
          r ? h('p', { class: 'rotation' }, `Rotation by an ADMIN ${shortWhen(r.createdAt)}: successor wallet `,
            h('code', {}, r.newWalletId.slice(0, 8)), r.retiredAt ? ` · swept and retired ${shortWhen(r.retiredAt)}`
              : ' · waiting for the owner\'s keygen of the successor, then the sweep', ` · “${r.reason}”`) : null,
          runbook(i, w, r, note), note);
      }) : h('p', { class: 'empty', id: 'incidents-empty' }, show.value === 'OPEN'
        ? 'No key is locked. Nothing to do.' : 'No incident.'));
      error.textContent = '';
    } catch (e) {
      error.textContent = `The incidents could not be read: ${e.message}`;
    }
  }
  show.addEventListener('change', load);
  load();
  return { stop() {} };
}
