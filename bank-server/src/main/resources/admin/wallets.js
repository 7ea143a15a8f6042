// Wallets and keys (docs/admin-console.md "Wallets and keys"): find a wallet by name, address or owner; its detail
// with balances in units, key epoch and lock, allowlist-only, roles, open incidents, recent transfers and deposits; an
// ADMIN grants or revokes its APPROVERs and turns allowlist-only on or off (both under four eyes), authorizes a
// refresh of an active key or rotates a locked one (docs/operations.md).
import * as api from './api.js';
import { act as actWith } from './act.js';
import { h, fill, shortWhen, shortAddress, units, assetAmount } from './dom.js';

export function walletsPage({ main, me, say }) {
  const isAdmin = me.roles.includes('ADMIN');
  const incidentsVisible = me.roles.some((r) => ['ADMIN', 'COMPLIANCE'].includes(r));
  const q = h('input', { id: 'wallet-search', type: 'search', placeholder: 'name, address or owner' });
  const body = h('tbody', { id: 'wallets' });
  const detail = h('section', { id: 'wallet-detail', 'aria-live': 'polite' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  main.append(h('section', { 'aria-labelledby': 'wallets-title' },
    h('h1', { id: 'wallets-title' }, 'Wallets and keys'),
    h('form', { class: 'toolbar', id: 'wallet-find', role: 'search' },
      h('label', { for: 'wallet-search' }, 'Find'), q, h('button', { class: 'secondary', type: 'submit' }, 'Search')),
    error,
    h('div', { class: 'table-wrap' }, h('table', { class: 'queue' },
      h('caption', { class: 'visually-hidden' }, 'Wallets'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Wallet'), h('th', { scope: 'col' }, 'Type'),
        h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Address'), h('th', { scope: 'col' }, 'Since'),
        h('th', { scope: 'col' }, ''))), body))), detail);

  const act = (note, label, call) => actWith({ note, say, label, call });

  async function userIdOf(name) {
    const page = await api.get(`/v1/admin/users?q=${encodeURIComponent(name)}&limit=50`);
    const u = page.items.find((x) => x.username === name.toLowerCase());
    if (!u) throw new Error(`No user named ${name}.`);
    return u.id;
  }

  async function open(id) {
    fill(detail, h('p', { class: 'hint' }, 'Loading the wallet…'));
    try {
      const [w, mpc, roles] = await Promise.all([api.get(`/v1/wallets/${id}`), api.get(`/v1/wallets/${id}/mpc`),
        api.get(`/v1/wallets/${id}/roles`)]);
      const balances = await api.get(`/v1/wallets/${id}/balances`).catch((e) => ({ error: e.message }));
      const transfers = await api.get(`/v1/tx-requests?walletId=${id}&limit=10`).catch(() => ({ items: [] }));
      const deposits = await api.get(`/v1/wallets/${id}/deposits?limit=10`).catch(() => ({ items: [] }));
      const incidents = incidentsVisible ? await api.get('/v1/admin/incidents?status=OPEN&limit=200')
        .then((p) => p.items.filter((i) => i.walletId === id)).catch(() => []) : [];
      const settings = await api.get(`/v1/wallets/${id}/settings`).catch(() => null);
      // each action says how it went next to its own control
      const status = (name) => h('p', { class: 'row-status', role: 'status', id: `${name}-status` });
      const settingsNote = status('settings');
      const rolesNote = status('roles');
      const runbookNote = status('runbook');
      const parts = [
        h('h2', { id: 'wallet-name' }, `${w.name} `, h('span', { class: 'hint' }, `${w.type} · ${w.status}`)),
        h('p', {}, 'Address ', h('code', { id: 'wallet-address' }, w.address || 'not yet (key being generated)')),
        h('p', { id: 'wallet-key' }, mpc.locked ? h('span', { class: 'badge bad' }, 'Key locked')
          : h('span', { class: 'badge ok' }, 'Key active'), ` · key epoch ${mpc.epoch ?? '—'} · keyset ${w.keysetId}`),
        h('p', { id: 'wallet-allowlist-only' }, !settings ? h('span', { class: 'hint' }, 'Settings not available')
          : settings.allowlistOnly ? h('span', { class: 'badge ok' }, 'Allowlist-only: on')
            : h('span', { class: 'badge' }, 'Allowlist-only: off'), settings ? h('span', { class: 'hint' },
            settings.allowlistOnly ? ' · only addresses on its allowlist may receive'
              : ' · any address may receive, subject to the rules') : null,
          isAdmin && settings ? h('button', { class: 'secondary', id: 'allowlist-only-toggle', onclick: async () => {
            const r = await act(settingsNote, `Allowlist-only ${settings.allowlistOnly ? 'off' : 'on'} for ${w.name}`,
              () => api.withStepUp('PUT', `/v1/wallets/${id}/settings`, { allowlistOnly: !settings.allowlistOnly }));
            if (r && r.status !== 'PENDING') open(id); // applied at once (four eyes off): show the new state
          } }, settings.allowlistOnly ? 'Turn it off' : 'Turn it on') : null),
        settingsNote,
        h('h3', {}, 'Balances'),
        balances.error ? h('p', { class: 'hint' }, `Balances not available: ${balances.error}`)
          : h('ul', { id: 'wallet-balances' }, ...(balances.balances || []).map((b) => h('li', {},
            h('strong', {}, `${units(b.amount, b.decimals)} ${b.asset}`),
            b.token ? h('span', { class: 'hint' }, ` token ${shortAddress(b.token)}`) : null))),
        h('h3', {}, 'Roles'),
        h('ul', { id: 'wallet-roles' }, ...roles.map((g) => h('li', { dataset: { user: g.userId, role: g.role } },
          `${g.role} · user ${g.userId.slice(0, 8)} · since ${shortWhen(g.grantedAt)} `,
          isAdmin && g.role === 'APPROVER' ? h('button', { class: 'reject', onclick: () => act(rolesNote,
            'Revoke APPROVER', () => api.withStepUp('DELETE', `/v1/wallets/${id}/roles/${g.userId}/APPROVER`)) },
          'Revoke') : null))),
      ];
      if (isAdmin) {
        const who = h('input', { id: 'approver-name', placeholder: 'username', spellcheck: 'false' });
        const grant = h('button', { class: 'secondary', id: 'approver-grant', onclick: async () => {
          try {
            const userId = await userIdOf(who.value.trim());
            await act(rolesNote, `APPROVER for ${who.value.trim()}`, () => api.withStepUp('POST',
              `/v1/wallets/${id}/roles`, { userId, role: 'APPROVER' }));
          } catch (e) {
            rolesNote.textContent = e.message;
            rolesNote.className = 'row-status error';
          }
        } }, 'Grant APPROVER');
        parts.push(h('div', { class: 'toolbar' }, h('label', { for: 'approver-name' }, 'New approver'), who, grant));
      }
      parts.push(rolesNote);
      if (incidentsVisible) {
        parts.push(h('h3', {}, 'Open incidents'), incidents.length ? h('ul', { id: 'wallet-incidents' },
          ...incidents.map((i) => h('li', {}, `${i.kind} · ${shortWhen(i.createdAt)} · ${i.detail}`)))
          : h('p', { class: 'hint', id: 'wallet-incidents' }, 'None.'));
      }
      if (isAdmin && w.status === 'ACTIVE') {
        const reason = h('input', { id: 'runbook-reason', placeholder: 'reason (required)' });
        const need = () => {
          if (!reason.value.trim()) {
            runbookNote.textContent = 'Give the reason: it goes to the audit log.';
            runbookNote.className = 'row-status error';
            reason.setAttribute('aria-invalid', 'true');
            return false;
          }
          reason.removeAttribute('aria-invalid');
          return true;
        };
        // a locked key is never used or refreshed again: it is rotated (docs/operations.md); an active key may be
        // refreshed (new shares, same key and address) once its owner runs the refresh
        parts.push(h('h3', {}, 'Runbook (docs/operations.md)'), h('label', { for: 'runbook-reason' }, 'Why'), reason,
          h('div', { class: 'actions' }, mpc.locked
            ? h('button', { class: 'reject', onclick: () => need() && act(runbookNote, 'Rotation started',
              () => api.withStepUp('POST', `/v1/admin/wallets/${id}/rotate`, { reason: reason.value.trim() })) },
            'Rotate the key (a successor wallet, then a sweep)')
            : h('button', { class: 'secondary', onclick: () => need() && act(runbookNote, 'Key refresh authorized',
              () => api.withStepUp('POST', `/v1/admin/wallets/${id}/refresh`, { reason: reason.value.trim() })) },
            'Authorize a key refresh')), runbookNote);
      }
      parts.push(h('h3', {}, 'Recent transfers'), transfers.items.length ? h('ul', { id: 'wallet-transfers' },
        ...transfers.items.map((t) => h('li', {}, `${shortWhen(t.createdAt)} · ${t.status} · `
          + `${assetAmount(t.amount, t.asset)} to ${shortAddress(t.to)}`))) : h('p', { class: 'hint' }, 'None yet.'));
      parts.push(h('h3', {}, 'Recent deposits'), deposits.items.length ? h('ul', { id: 'wallet-deposits' },
        ...deposits.items.map((d) => h('li', {}, `${shortWhen(d.createdAt)} · ${d.status} · `
          + `${assetAmount(d.amount, d.asset)} from ${shortAddress(d.from)}`, d.kytVerdict ? ` · KYT ${d.kytVerdict}`
          : ''))) : h('p', { class: 'hint', id: 'wallet-deposits' }, 'None yet.'));
      fill(detail, h('article', { class: 'card', dataset: { id } }, ...parts));
    } catch (e) {
      fill(detail, h('p', { class: 'form-error' }, `The wallet could not be read: ${e.message}`));
    }
  }

  async function list() {
    try {
      const params = new URLSearchParams({ limit: '50' });
      if (q.value.trim()) params.set('q', q.value.trim());
      const page = await api.get(`/v1/wallets?${params}`);
      fill(body, page.items.length ? page.items.map((w) => h('tr', { dataset: { id: w.id } },
        h('td', {}, h('strong', {}, w.name)), h('td', {}, w.type), h('td', {}, w.status),
        h('td', {}, h('code', { title: w.address || '' }, shortAddress(w.address))), h('td', {}, shortWhen(w.createdAt)),
        h('td', {}, h('button', { class: 'secondary', onclick: () => open(w.id) }, 'Open'))))
        : h('tr', {}, h('td', { colspan: 6 }, 'No wallet found.')));
      error.textContent = '';
    } catch (e) {
      error.textContent = `The wallets could not be read: ${e.message}`;
    }
  }
  main.querySelector('#wallet-find').addEventListener('submit', (ev) => {
    ev.preventDefault();
    list();
  });
  list();
  return { stop() {} };
}
