// Integration (docs/admin-console.md "Integration", docs/integration.md): the bank systems' API clients (their key
// fingerprints, roles, source ranges) and webhook subscriptions with their delivery log; an ADMIN registers a client
// with the public key its operators give (the bank never holds the private key), disables it, and redelivers a
// webhook event or everything since a time.
import * as api from './api.js';
import { act as actWith, cancelled } from './act.js';
import { h, fill, shortWhen } from './dom.js';

export function integrationPage({ main, me, say }) {
  const isAdmin = me.roles.includes('ADMIN');
  const clients = h('tbody', { id: 'clients' });
  const hooks = h('div', { id: 'webhooks' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const section = h('section', { 'aria-labelledby': 'integration-title' },
    h('h1', { id: 'integration-title' }, 'Integration'), error,
    h('h2', {}, 'API clients'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'queue' },
      h('caption', { class: 'visually-hidden' }, 'API clients'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Client'), h('th', { scope: 'col' }, 'Roles'),
        h('th', { scope: 'col' }, 'Keys'), h('th', { scope: 'col' }, 'Sources'), h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col' }, ''))), clients)),
    h('h2', {}, 'Webhook subscriptions'), hooks);
  main.append(section);

  async function act(note, label, call) {
    if (await actWith({ note, say, label, call })) load();
  }

  async function deliveries(hookId, into) {
    try {
      const p = await api.get(`/v1/webhooks/${hookId}/deliveries?limit=20`);
      fill(into, p.items.length ? h('table', { class: 'queue' },
        h('caption', { class: 'visually-hidden' }, 'Latest deliveries'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Event'), h('th', { scope: 'col' }, 'State'),
          h('th', { scope: 'col' }, 'Attempts'), h('th', { scope: 'col' }, 'Last answer'),
          h('th', { scope: 'col' }, ''))),
        h('tbody', {}, ...p.items.map((d) => {
          const note = h('p', { class: 'row-status', role: 'status' });
          return h('tr', { dataset: { event: d.eventId } },
            h('td', {}, d.eventType, h('div', { class: 'hint' }, `${shortWhen(d.occurredAt)} · audit #${d.auditSeq}`)),
            h('td', {}, d.state), h('td', { class: 'num' }, d.attempts),
            h('td', {}, d.lastStatus ? `HTTP ${d.lastStatus}` : (d.lastError || '—'),
              d.lastLatencyMs !== null && d.lastLatencyMs !== undefined ? h('div', { class: 'hint' },
                `${d.lastLatencyMs} ms`) : null),
            h('td', {}, isAdmin ? h('button', { class: 'secondary', onclick: () => act(note, 'Redelivery queued',
              () => api.post(`/v1/webhooks/${hookId}/deliveries/${d.eventId}/redeliver`)) }, 'Redeliver') : null, note));
        }))) : h('p', { class: 'hint' }, 'No delivery yet.'));
    } catch (e) {
      fill(into, h('p', { class: 'hint' }, `Deliveries not available: ${e.message}`));
    }
  }

  // A key rotation: the client's operators give a new public key; the old ones keep working for the overlap, so
  // their systems can switch without a gap.
  function rotation(x, note) {
    const key = h('textarea', { id: `rotate-key-${x.id}`, rows: 4, spellcheck: 'false',
      placeholder: '-----BEGIN PUBLIC KEY-----' });
    const hours = h('input', { id: `rotate-overlap-${x.id}`, type: 'number', min: 0, max: 168, value: 24,
      inputmode: 'numeric' });
    const add = h('button', { class: 'secondary', type: 'button', onclick: () => {
      const overlap = Number(hours.value);
      if (!key.value.trim()) {
        note.textContent = 'Paste the new public key (PEM) its operators gave you.';
        note.className = 'row-status error';
        key.setAttribute('aria-invalid', 'true');
        return;
      }
      if (!Number.isInteger(overlap) || overlap < 0 || overlap > 168) {
        note.textContent = 'The overlap is a whole number of hours, 0 to 168.';
        note.className = 'row-status error';
        hours.setAttribute('aria-invalid', 'true');
        return;
      }
      key.removeAttribute('aria-invalid');
      hours.removeAttribute('aria-invalid');
      act(note, `New key for ${x.name}`, () => api.withStepUp('POST', `/v1/api-clients/${x.id}/keys`,
        { publicKey: key.value.trim(), overlapSeconds: overlap * 3600 }));
    } }, 'Add the key');
    return h('details', { class: 'rotate' }, h('summary', {}, 'Rotate its key'),
      h('div', { class: 'field' }, h('label', { for: `rotate-key-${x.id}` }, 'New public key (PEM)'), key),
      h('div', { class: 'field' }, h('label', { for: `rotate-overlap-${x.id}` }, 'Old keys keep working for (hours)'),
        hours), add);
  }

  // Everything a subscription was sent since a time, sent again (for a receiver that lost events).
  function redelivery(s) {
    const since = h('input', { id: `redeliver-since-${s.id}`, type: 'datetime-local' });
    const note = h('p', { class: 'row-status', role: 'status' });
    const go = h('button', { class: 'secondary', type: 'button', onclick: async () => {
      const t = since.value ? new Date(since.value) : null;
      if (!t || Number.isNaN(t.getTime()) || t > new Date()) {
        note.textContent = 'Choose a time in the past: every event since then is sent again.';
        note.className = 'row-status error';
        since.setAttribute('aria-invalid', 'true');
        return;
      }
      since.removeAttribute('aria-invalid');
      go.disabled = true;
      try {
        const r = await api.post(`/v1/webhooks/${s.id}/redeliver`, { since: t.toISOString() });
        note.className = 'row-status';
        note.textContent = `${r.deliveries} event${r.deliveries === 1 ? '' : 's'} queued to be sent again.`;
        say(`${s.url}: ${r.deliveries} events queued again.`, 'ok');
      } catch (e) {
        note.textContent = e.message;
        note.className = 'row-status error';
      }
      go.disabled = false;
    } }, 'Send again');
    return h('div', { class: 'toolbar' }, h('label', { for: `redeliver-since-${s.id}` }, 'Send again every event since'),
      since, go, note);
  }

  async function load() {
    try {
      const [c, w] = await Promise.all([api.get('/v1/api-clients?limit=200'), api.get('/v1/webhooks?limit=200')]);
      fill(clients, c.items.length ? c.items.map((x) => {
        const note = h('p', { class: 'row-status', role: 'status' });
        return h('tr', { dataset: { id: x.id } }, h('td', {}, h('strong', {}, x.name), h('div', { class: 'hint' },
          x.username)), h('td', {}, x.roles.join(', ')),
        h('td', {}, ...x.keys.map((k) => h('div', {}, h('code', { title: k.fingerprint }, k.fingerprint.slice(0, 24)),
          k.expiresAt ? h('span', { class: 'hint' }, ` · being replaced, works until ${shortWhen(k.expiresAt)}`) : null))),
        h('td', {}, x.allowedCidrs.length ? x.allowedCidrs.join(', ') : 'anywhere'),
        h('td', {}, x.disabled ? `Disabled ${shortWhen(x.disabledAt)}` : 'Active'),
        h('td', {}, isAdmin && !x.disabled ? h('button', { class: 'reject', onclick: () => act(note,
          `${x.name} disabled`, () => api.withStepUp('POST', `/v1/api-clients/${x.id}/disable`)) }, 'Disable')
          : null, isAdmin && !x.disabled ? rotation(x, note) : null, note));
      }) : h('tr', {}, h('td', { colspan: 6 }, 'No API client is registered.')));
      fill(hooks, w.items.length ? w.items.map((s) => {
        const log = h('div', { class: 'deliveries' });
        const card = h('article', { class: 'card', dataset: { id: s.id } },
          h('h3', {}, h('code', {}, s.url)),
          h('p', { class: 'hint' }, `${s.enabled ? 'Enabled' : `Disabled ${shortWhen(s.disabledAt)}: ${s.disabledReason
            || ''}`} · ${s.eventTypes.join(', ')}${s.failingSince ? ` · failing since ${shortWhen(s.failingSince)}`
            : ''}`), log);
        deliveries(s.id, log);
        if (isAdmin) card.append(redelivery(s));
        return card;
      }) : h('p', { class: 'empty' }, 'No webhook subscription.'));
      error.textContent = '';
    } catch (e) {
      error.textContent = `The integration could not be read: ${e.message}`;
    }
  }

  if (isAdmin) {
    const name = h('input', { id: 'client-name' });
    const key = h('textarea', { id: 'client-key', rows: 4, spellcheck: 'false',
      placeholder: '-----BEGIN PUBLIC KEY-----' });
    const roles = h('input', { id: 'client-roles', value: 'OPERATOR', spellcheck: 'false' });
    const cidrs = h('input', { id: 'client-cidrs', placeholder: '10.0.0.0/8, 192.0.2.10/32', spellcheck: 'false' });
    const out = h('p', { class: 'form-error', role: 'alert', id: 'client-error' });
    const send = h('button', { class: 'primary', type: 'submit', id: 'client-register' }, 'Register the client');
    const split = (v) => v.split(',').map((x) => x.trim()).filter((x) => x);
    const form = h('form', { class: 'card', id: 'client-form', novalidate: true, 'aria-labelledby': 'client-title' },
      h('h2', { id: 'client-title' }, 'Register an API client'),
      h('p', { class: 'hint' }, 'Its operators keep the Ed25519 private key; paste the public key they give you.'),
      h('div', { class: 'field' }, h('label', { for: 'client-name' }, 'Name'), name),
      h('div', { class: 'field' }, h('label', { for: 'client-key' }, 'Public key (PEM)'), key),
      h('div', { class: 'field' }, h('label', { for: 'client-roles' }, 'Roles (comma-separated)'), roles),
      h('div', { class: 'field' }, h('label', { for: 'client-cidrs' }, 'Allowed sources (optional)'), cidrs),
      out, send);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      out.textContent = '';
      send.disabled = true;
      try {
        await api.withStepUp('POST', '/v1/api-clients', { name: name.value.trim(), publicKey: key.value.trim(),
          roles: split(roles.value), allowedCidrs: split(cidrs.value) });
        say(`${name.value.trim()} registered.`, 'ok');
        form.reset();
        load();
      } catch (e) {
        out.textContent = cancelled(e) ? 'Not confirmed with your passkey; nothing was registered.' : e.message;
      }
      send.disabled = false;
    });
    section.append(form);
  }
  load();
  return { stop() {} };
}
