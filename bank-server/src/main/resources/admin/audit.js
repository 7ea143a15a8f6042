// The audit trail (docs/admin-console.md "Audit"): verify the hash chain (intact, or the first broken sequence
// number); browse the events page by page, filtered by type, actor, time and from a sequence number; a transfer's audit package as
// a timeline, downloadable as JSON (the package hash lets anyone check it later).
import * as api from './api.js';
import { h, fill, shortWhen } from './dom.js';

function field(id, label, input) {
  return h('div', { class: 'field inline' }, h('label', { for: id }, label), input);
}

export function auditPage({ main }) {
  const verdict = h('div', { id: 'verdict', role: 'status' });
  const verify = h('button', { class: 'primary', id: 'verify' }, 'Verify the chain');
  const type = h('input', { id: 'audit-type', placeholder: 'e.g. TX_STATUS_CHANGED', spellcheck: 'false' });
  const from = h('input', { id: 'audit-from', inputmode: 'numeric', placeholder: '1' });
  const actor = h('input', { id: 'audit-actor', placeholder: 'e.g. user:alice', spellcheck: 'false' });
  const since = h('input', { id: 'audit-since', type: 'datetime-local' });
  const until = h('input', { id: 'audit-until', type: 'datetime-local' });
  const body = h('tbody', { id: 'events' });
  const more = h('button', { class: 'secondary', id: 'more', hidden: true }, 'Show more');
  const error = h('p', { class: 'form-error', role: 'alert', id: 'audit-error' });
  const txId = h('input', { id: 'package-id', placeholder: 'transfer id', spellcheck: 'false' });
  const pkg = h('div', { id: 'package', role: 'status' });
  const filters = h('form', { class: 'toolbar', id: 'audit-filters', role: 'search' },
    field('audit-type', 'Event type', type), field('audit-actor', 'Actor', actor),
    field('audit-since', 'From', since), field('audit-until', 'Until', until), field('audit-from', 'From sequence', from),
    h('button', { class: 'secondary', type: 'submit' }, 'Show'));
  const packageForm = h('form', { class: 'toolbar', id: 'package-form' }, field('package-id', 'Transfer', txId),
    h('button', { class: 'secondary', type: 'submit' }, 'Show its audit package'));
  main.append(h('section', { 'aria-labelledby': 'audit-title' },
    h('h1', { id: 'audit-title' }, 'Audit trail'),
    h('p', { class: 'hint' }, 'Every event is chained to the one before it by its hash; a row edited or removed in the '
      + 'database breaks the chain from there on.'),
    h('div', { class: 'actions' }, verify), verdict,
    h('h2', {}, 'A transfer\'s audit package'), packageForm, pkg,
    h('h2', {}, 'Events'), filters, error,
    h('div', { class: 'table-wrap' }, h('table', { class: 'queue' },
      h('caption', { class: 'visually-hidden' }, 'Audit events, oldest first'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Seq'), h('th', { scope: 'col' }, 'When'),
        h('th', { scope: 'col' }, 'Actor'), h('th', { scope: 'col' }, 'Event'), h('th', { scope: 'col' }, 'Facts'))),
      body)), more));
  let cursor = null;

  verify.addEventListener('click', async () => {
    verify.disabled = true;
    fill(verdict, h('p', {}, 'Verifying…'));
    try {
      const v = await api.get('/v1/audit/verify');
      fill(verdict, v.ok
        ? h('p', { class: 'badge ok big', id: 'chain-ok' }, `Intact: ${v.count} events, every hash checks.`)
        : h('p', { class: 'badge bad big', id: 'chain-broken' }, `Broken at sequence ${v.firstBrokenSeq}: `
          + `${v.reason}. Events from there on cannot be trusted; see the runbook.`));
    } catch (e) {
      fill(verdict, h('p', { class: 'form-error' }, e.message));
    }
    verify.disabled = false;
  });

  async function page(reset) {
    if (reset) {
      cursor = null;
      fill(body);
    }
    const params = new URLSearchParams({ limit: '100' });
    if (type.value.trim()) params.set('type', type.value.trim().toUpperCase());
    if (from.value.trim()) {
      if (!/^\d{1,18}$/.test(from.value.trim())) {
        error.textContent = 'From sequence: a whole number.';
        from.setAttribute('aria-invalid', 'true');
        return;
      }
      params.set('fromSeq', from.value.trim());
    }
    from.removeAttribute('aria-invalid');
    if (actor.value.trim()) params.set('actor', actor.value.trim());
    // the times are the browser's local time, sent as instants
    const a = since.value ? new Date(since.value) : null;
    const b = until.value ? new Date(until.value) : null;
    if (a && b && a >= b) {
      error.textContent = 'Until must be later than From.';
      until.setAttribute('aria-invalid', 'true');
      return;
    }
    until.removeAttribute('aria-invalid');
    if (a) params.set('from', a.toISOString());
    if (b) params.set('to', b.toISOString());
    if (cursor) params.set('cursor', cursor);
    try {
      const p = await api.get(`/v1/audit/events?${params}`);
      for (const e of p.items) {
        body.append(h('tr', { dataset: { seq: e.seq } }, h('td', { class: 'num' }, e.seq),
          h('td', {}, shortWhen(e.occurredAt)), h('td', {}, e.actor), h('td', {}, e.type),
          h('td', {}, h('code', { class: 'facts' }, e.payload))));
      }
      if (!body.firstChild) body.append(h('tr', {}, h('td', { colspan: 5 }, 'No event matches.')));
      cursor = p.has_more ? p.next_cursor : null;
      more.hidden = !cursor;
      error.textContent = '';
    } catch (e) {
      error.textContent = `The events could not be read: ${e.message}`;
    }
  }

  packageForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const id = txId.value.trim();
    fill(pkg, h('p', { class: 'hint' }, 'Reading the package…'));
    try {
      const p = await api.get(`/v1/audit/packages/${encodeURIComponent(id)}`);
      const blob = new Blob([JSON.stringify(p, null, 2)], { type: 'application/json' });
      const link = h('a', { href: URL.createObjectURL(blob), download: `audit-package-${p.txRequestId}.json`,
        id: 'package-download', class: 'button-link' }, 'Download as JSON');
      fill(pkg, h('p', { class: `badge big ${p.intact ? 'ok' : 'bad'}`, id: 'package-verdict' },
        `${p.count} events, ${p.intact ? 'intact' : 'BROKEN'} · package hash ${p.packageHash.slice(0, 16)}…`),
      h('ol', { class: 'timeline', id: 'package-timeline' }, ...p.events.map((e) => h('li', {},
        h('span', { class: 'hint' }, `#${e.seq} · ${shortWhen(e.occurredAt)} · ${e.actor} · `), h('strong', {}, e.type),
        ' ', h('code', { class: 'facts' }, e.payload)))), link);
    } catch (e) {
      fill(pkg, h('p', { class: 'form-error' }, e.status === 404 ? 'No transfer with this id has audit events.'
        : e.message));
    }
  });
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    page(true);
  });
  more.addEventListener('click', () => page(false));
  page(true);
  return { stop() {} };
}
