// The audit trail (docs/admin-console.md "Audit"): verify the hash chain (intact, or the first broken sequence
// number), browse the events, newest last, page by page.
import * as api from './api.js';
import { h, fill, shortWhen } from './dom.js';

export function auditPage({ main }) {
  const verdict = h('div', { id: 'verdict', role: 'status' });
  const verify = h('button', { class: 'primary', id: 'verify' }, 'Verify the chain');
  const body = h('tbody', { id: 'events' });
  const more = h('button', { class: 'secondary', id: 'more', hidden: true }, 'Show more');
  const error = h('p', { class: 'form-error', role: 'alert' });
  main.append(h('section', { 'aria-labelledby': 'audit-title' },
    h('h1', { id: 'audit-title' }, 'Audit trail'),
    h('p', { class: 'hint' }, 'Every event is chained to the one before it by its hash; a row edited or removed in the '
      + 'database breaks the chain from there on.'),
    h('div', { class: 'actions' }, verify), verdict, error,
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

  async function page() {
    try {
      const p = await api.get(`/v1/audit/events?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const e of p.items) {
        body.append(h('tr', { dataset: { seq: e.seq } }, h('td', { class: 'num' }, e.seq),
          h('td', {}, shortWhen(e.occurredAt)), h('td', {}, e.actor), h('td', {}, e.type),
          h('td', {}, h('code', { class: 'facts' }, e.payload))));
      }
      cursor = p.has_more ? p.next_cursor : null;
      more.hidden = !cursor;
      error.textContent = '';
    } catch (e) {
      error.textContent = `The events could not be read: ${e.message}`;
    }
  }
  more.addEventListener('click', page);
  page();
  return { stop() {} };
}
