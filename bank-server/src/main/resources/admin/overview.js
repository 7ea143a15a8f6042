// The overview (docs/admin-console.md "Overview"): what needs the staff's attention, at a glance, refreshed every
// 5 seconds — approvals waiting, open cases, key incidents, the chain listener's lag, the webhook backlog, and
// transfers per state with the longest wait in each.
import * as api from './api.js';
import { h, fill, span } from './dom.js';

const ORDER = ['SUBMITTED', 'KYT_PENDING', 'KYT_REVIEW', 'POLICY_EVAL_PENDING', 'APPROVAL_PENDING', 'SIGN_PENDING',
  'SIGNED', 'BROADCAST_PENDING', 'BROADCASTED', 'CONFIRMING', 'CONFIRMED', 'FINALIZED', 'FAILED_BROADCAST',
  'FAILED_SIGN', 'KYT_BLOCKED', 'POLICY_BLOCKED', 'REJECTED'];

function tile(id, label, value, hint, alert, href) {
  const body = [h('span', { class: 'tile-value' }, value), h('span', { class: 'tile-label' }, label),
    hint ? h('span', { class: 'hint' }, hint) : null];
  return href ? h('a', { class: `tile${alert ? ' alert' : ''}`, id, href }, ...body)
    : h('div', { class: `tile${alert ? ' alert' : ''}`, id }, ...body);
}

export function overviewPage({ main, me }) {
  const tiles = h('div', { class: 'tiles', id: 'tiles' });
  const body = h('tbody', { id: 'states' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  main.append(h('section', { 'aria-labelledby': 'overview-title' },
    h('h1', { id: 'overview-title' }, 'Overview'), error, tiles,
    h('h2', {}, 'Transfers per state'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'queue' },
      h('caption', { class: 'visually-hidden' }, 'Transfers per state with the longest wait'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col', class: 'num' },
        'Transfers'), h('th', { scope: 'col' }, 'Longest wait'))), body))));
  const compliance = me.roles.some((r) => ['ADMIN', 'COMPLIANCE'].includes(r));
  let stopped = false;
  let timer = null;
  async function load() {
    try {
      const o = await api.get('/v1/admin/overview');
      if (stopped) return;
      fill(tiles,
        tile('tile-approvals', 'transfers wait for approval', o.approvalsPending, null, false, '#/approvals'),
        tile('tile-cases', 'open compliance cases', o.openCases, null, o.openCases > 0,
          compliance ? '#/compliance' : null),
        tile('tile-incidents', 'key incidents open', o.openIncidents, o.openIncidents ? 'a wallet\'s key is locked'
          : null, o.openIncidents > 0),
        o.listenerLagBlocks < 0
          ? tile('tile-lag', 'chain listener lag', '—', 'not known: no node, or not polled yet', false)
          : tile('tile-lag', 'blocks behind the chain', o.listenerLagBlocks, 'chain listener', o.listenerLagBlocks > 12),
        tile('tile-webhooks', 'webhook deliveries pending', o.webhookBacklog, null, o.webhookBacklog > 100),
        tile('tile-webhooks-disabled', 'webhook endpoints disabled', o.webhookEndpointsDisabled,
          o.webhookEndpointsDisabled ? 'they kept failing: an ADMIN re-enables them' : null,
          o.webhookEndpointsDisabled > 0, me.roles.includes('ADMIN') ? '#/integration' : null));
      const states = ORDER.filter((s) => o.transfersPerState[s]);
      fill(body, states.length ? states.map((s) => h('tr', {}, h('td', {}, s),
        h('td', { class: 'num' }, o.transfersPerState[s]),
        h('td', {}, o.oldestSecondsPerState[s] !== undefined ? span(o.oldestSecondsPerState[s] * 1000) : '')))
        : h('tr', {}, h('td', { colspan: 3 }, 'No transfer yet.')));
      error.textContent = '';
    } catch (e) {
      error.textContent = `The overview could not be read: ${e.message}`;
    }
    if (!stopped) timer = setTimeout(load, 5000);
  }
  load();
  return { stop() { stopped = true; clearTimeout(timer); } };
}
