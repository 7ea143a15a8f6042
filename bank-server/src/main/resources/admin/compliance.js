// Compliance (docs/admin-console.md "Compliance"): the KYT cases, outbound (a transfer held for review) and inbound
// (a deposit held); a case with its address, the transfer or deposit and its audit history; resolve ALLOW or BLOCK
// with a reason, then resume the transfer. Resolving and resuming ask for the passkey (step-up).
import * as api from './api.js';
import { act as actWith } from './act.js';
import { h, fill, shortWhen, relative, shortAddress, assetAmount } from './dom.js';

export function compliancePage({ main, me, say }) {
  const canAct = me.roles.includes('COMPLIANCE') || me.roles.includes('ADMIN');
  const list = h('div', { id: 'cases' });
  const show = h('select', { id: 'case-status', 'aria-label': 'Which cases' },
    h('option', { value: 'OPEN' }, 'Open cases'), h('option', { value: '' }, 'All cases'));
  const error = h('p', { class: 'form-error', role: 'alert' });
  main.append(h('section', { 'aria-labelledby': 'cases-title' },
    h('div', { class: 'page-head' }, h('h1', { id: 'cases-title' }, 'Compliance cases'), show),
    h('p', { class: 'hint' }, 'Screening (KYT) holds a transfer or a deposit whose address needs a decision.'),
    error, list));
  let stopped = false;
  let timer = null;
  // cases resolved here whose transfer still waits to be resumed: they stay on the page until it is
  const pinned = new Set();

  async function transferOf(c) {
    if (!c.txRequestId) return null;
    try {
      return await api.get(`/v1/tx-requests/${c.txRequestId}`);
    } catch {
      return null;
    }
  }

  async function history(txRequestId, into) {
    try {
      const p = await api.get(`/v1/audit/packages/${txRequestId}`);
      fill(into, h('h3', {}, `History (${p.count} events, ${p.intact ? 'chain intact' : 'CHAIN BROKEN'})`),
        h('ol', { class: 'timeline' }, ...(p.events || []).map((e) => h('li', {},
          h('span', { class: 'hint' }, `${shortWhen(e.occurredAt)} · ${e.actor} · `), e.type))));
    } catch (e) {
      fill(into, h('p', { class: 'hint' }, `History not available: ${e.message}`));
    }
  }

  function card(c, t) {
    const reason = h('input', { id: `case-reason-${c.id}`, class: 'comment', maxlength: 500,
      'aria-label': `Reason for the decision on ${c.address}`, placeholder: 'Reason (required)' });
    const note = h('p', { class: 'row-status', role: 'status' });
    const historyBox = h('div', { class: 'history' });
    const buttons = [];
    async function act(label, method, path, body) {
      if (await actWith({ note, say, label, buttons, call: () => api.withStepUp(method, path, body) })) load(true);
    }
    function resolve(decision) {
      if (!reason.value.trim()) {
        note.textContent = 'Give the reason for the decision: it goes to the audit log.';
        note.className = 'row-status error';
        reason.setAttribute('aria-invalid', 'true');
        reason.focus();
        return;
      }
      reason.removeAttribute('aria-invalid');
      if (c.txRequestId) pinned.add(c.id);
      act(decision === 'ALLOW' ? 'Case allowed' : 'Case blocked', 'POST', `/v1/cases/${c.id}/resolve`,
        { decision, comment: reason.value.trim() });
    }
    if (canAct && c.status === 'OPEN') {
      buttons.push(h('button', { class: 'approve', onclick: () => resolve('ALLOW') }, 'Allow'));
      buttons.push(h('button', { class: 'reject', onclick: () => resolve('BLOCK') }, 'Block'));
    }
    if (canAct && c.status !== 'OPEN' && t && t.status === 'KYT_REVIEW') {
      buttons.push(h('button', { class: 'primary', onclick: () => act('Transfer resumed', 'POST',
        `/v1/tx-requests/${t.id}/resume`) }, 'Resume the transfer'));
    }
    const subject = t ? h('p', {}, h('strong', {}, assetAmount(t.amount, t.asset)),
      ` from wallet ${t.walletId.slice(0, 8)} to `, h('code', { title: t.to }, shortAddress(t.to)),
      h('span', { class: 'hint' }, ` · transfer ${t.status}`))
      : c.depositId ? h('p', {}, `Deposit ${c.depositId.slice(0, 8)} held`) : null;
    const el = h('article', { class: 'card', dataset: { id: c.id } },
      h('h2', {}, `${c.direction === 'INBOUND' ? 'Inbound' : 'Outbound'} · `, h('code', { title: c.address },
        c.address)),
      h('p', { class: 'hint' }, `${c.status} · opened ${shortWhen(c.createdAt)} (${relative(c.createdAt)}) · `
        + `${c.provider}: ${c.reason}`),
      c.resolvedAt ? h('p', {}, `Resolved ${c.resolution} ${shortWhen(c.resolvedAt)}`) : null,
      subject,
      buttons.length ? h('div', { class: 'decide' }, c.status === 'OPEN' ? reason : null,
        h('div', { class: 'actions' }, ...buttons), note) : null,
      historyBox);
    if (c.txRequestId) history(c.txRequestId, historyBox);
    return el;
  }

  async function load(force = false) {
    clearTimeout(timer);
    if (stopped) return;
    try {
      const q = show.value ? `?status=${show.value}&limit=100` : '?limit=100';
      const page = await api.get(`/v1/cases${q}`);
      for (const id of pinned) {
        if (!page.items.some((c) => c.id === id)) page.items.unshift(await api.get(`/v1/cases/${id}`));
      }
      const typing = [...list.querySelectorAll('input')].some((i) => i.value || i === document.activeElement)
        || list.querySelector('button:disabled');
      if ((force || !typing) && !stopped) {
        const cards = [];
        for (const c of page.items) {
          const t = await transferOf(c);
          if (pinned.has(c.id) && c.status !== 'OPEN' && (!t || t.status !== 'KYT_REVIEW')) {
            pinned.delete(c.id); // resumed (or moved on): back to the filter's view
            if (show.value === 'OPEN') continue;
          }
          cards.push(card(c, t));
        }
        fill(list, cards.length ? cards : h('p', { class: 'empty', id: 'cases-empty' }, 'No case here.'));
      }
      error.textContent = '';
    } catch (e) {
      error.textContent = `The cases could not be read: ${e.message}`;
    }
    timer = setTimeout(load, 5000);
  }
  show.addEventListener('change', () => load(true));
  load();
  return { stop() { stopped = true; clearTimeout(timer); } };
}
