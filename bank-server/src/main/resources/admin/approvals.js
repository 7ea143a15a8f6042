// The approvals queue (docs/admin-console.md "Approvals queue"): the transfers waiting for the signed-in approver,
// refreshed every second, each with what deciding needs; approve or reject with a comment after a fresh passkey
// confirmation (step-up). The API decides who may vote; this page shows what it answers.
import * as api from './api.js';
import { cancelled } from './act.js';
import { h, clear, fill, shortWhen, relative, amount, shortAddress, eth, assetAmount } from './dom.js';

const POLL_MS = 1000;
const SOON_MS = 2 * 3600 * 1000;
const TIMES_MS = 30 * 1000;

async function all(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api.get(`${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.has_more ? page.next_cursor : null;
  } while (cursor && items.length < 2000);
  return items;
}

export function approvalsPage({ main, me, say }) {
  const count = h('span', { id: 'queue-count' }, '…');
  const updated = h('span', { class: 'hint', id: 'queue-updated' });
  const body = h('tbody', { id: 'queue-rows' });
  const empty = h('p', { class: 'empty', id: 'queue-empty', hidden: true },
    'Nothing waits for your approval. New transfers appear here by themselves.');
  const table = h('table', { class: 'queue', id: 'queue' },
    h('caption', { class: 'visually-hidden' }, 'Transfers waiting for your decision, oldest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Amount'),
      h('th', { scope: 'col' }, 'To'),
      h('th', { scope: 'col' }, 'Wallet'),
      h('th', { scope: 'col' }, 'Requested'),
      h('th', { scope: 'col' }, 'Checks'),
      h('th', { scope: 'col' }, 'Approvals'),
      h('th', { scope: 'col' }, 'Your decision'))),
    body);
  const decided = h('ul', { class: 'decided', id: 'decided' });
  const mine = h('ul', { class: 'mine', id: 'mine' });
  const mineSection = h('section', { class: 'card', id: 'mine-section', hidden: true, 'aria-labelledby': 'mine-title' },
    h('h2', { id: 'mine-title' }, 'Created by you — waiting for other approvers'),
    h('p', { class: 'hint' }, 'You cannot approve a transfer you created: another approver of the wallet decides it.'),
    mine);
  const decidedSection = h('section', { class: 'card', id: 'decided-section', hidden: true,
    'aria-labelledby': 'decided-title' }, h('h2', { id: 'decided-title' }, 'Decided by you in this session'), decided);
  const error = h('p', { class: 'form-error', id: 'queue-error', role: 'alert' });
  main.append(h('section', { 'aria-labelledby': 'queue-title' },
    h('div', { class: 'page-head' }, h('h1', { id: 'queue-title' }, 'Approvals ', count), updated),
    error, empty, h('div', { class: 'table-wrap' }, table)), decidedSection, mineSection);

  const rows = new Map();
  let timer = null;
  let stopped = false;

  function render(items, now) {
    const seen = new Set();
    for (const item of items) {
      seen.add(item.txRequestId);
      let row = rows.get(item.txRequestId);
      if (!row) {
        row = makeRow(item);
        rows.set(item.txRequestId, row);
      }
      row.update(item, now);
      body.append(row.tr); // keeps the API's order (oldest first), moving rows only when needed
    }
    for (const [id, row] of rows) {
      if (!seen.has(id) && !row.busy) {
        row.tr.remove();
        rows.delete(id);
      }
    }
    showCount();
  }

  function showCount() {
    count.textContent = `— ${rows.size} waiting for you`;
    empty.hidden = rows.size > 0;
    table.hidden = rows.size === 0;
  }

  function makeRow(item) {
    const id = item.txRequestId;
    const cells = {
      amount: h('td', { class: 'amount' }),
      to: h('td', {}),
      wallet: h('td', {}),
      requested: h('td', {}),
      checks: h('td', {}),
      approvals: h('td', {}),
    };
    const comment = h('input', { id: `comment-${id}`, class: 'comment', maxlength: 500,
      placeholder: 'Comment', 'aria-label': `Comment on the transfer of ${item.amountInUnits
        ?? item.amount} ${item.asset} to ${item.to}` });
    const approve = h('button', { class: 'approve', dataset: { action: 'approve', id } }, 'Approve');
    const reject = h('button', { class: 'reject', dataset: { action: 'reject', id } }, 'Reject');
    const note = h('p', { class: 'row-status', id: `status-${id}`, role: 'status' });
    const tr = h('tr', { dataset: { id } }, ...Object.values(cells),
      h('td', { class: 'decide' }, comment, h('div', { class: 'actions' }, approve, reject), note));
    const row = { tr, busy: false };
    async function decide(decision) {
      const text = comment.value.trim();
      if (decision === 'REJECT' && !text) {
        note.textContent = 'Say why you reject it: the requester and the audit log will read it.';
        note.className = 'row-status error';
        comment.setAttribute('aria-invalid', 'true');
        comment.focus();
        return;
      }
      comment.removeAttribute('aria-invalid');
      row.busy = true;
      approve.disabled = true;
      reject.disabled = true;
      note.className = 'row-status';
      note.textContent = 'Confirm with your passkey…';
      try {
        const r = await api.withStepUp('POST', `/v1/tx-requests/${id}/approve`,
          { decision, comment: text || undefined });
        const yes = (r.votes || []).filter((v) => v.decision === 'APPROVE').length;
        const outcome = decision === 'REJECT' ? 'Rejected: the transfer is stopped.'
          : r.status === 'APPROVAL_PENDING' ? `Approved: ${yes} of ${r.requiredApprovals}; it waits for another approver.`
            : 'Approved: all approvals are in; the transfer goes on to signing.';
        say(`${item.amountInUnits ?? item.amount} ${item.asset} to ${shortAddress(item.to)} — ${outcome}`, 'ok');
        decided.prepend(h('li', { dataset: { id } }, h('strong', {}, `${amount(item.amountInUnits ?? item.amount)} `
          + `${item.asset}`), ` to ${item.to} (${item.walletName}) — ${outcome}`, text ? ` “${text}”` : ''));
        decidedSection.hidden = false;
        tr.remove();
        rows.delete(id);
        showCount();
      } catch (e) {
        note.textContent = cancelled(e) ? 'Not confirmed with your passkey; nothing was decided.' : e.message;
        note.className = 'row-status error';
        approve.disabled = false;
        reject.disabled = false;
        row.busy = false;
      }
    }
    approve.addEventListener('click', () => decide('APPROVE'));
    reject.addEventListener('click', () => decide('REJECT'));
    row.update = (i, now) => {
      fill(cells.amount, h('strong', {}, `${amount(i.amountInUnits ?? i.amount)} ${i.asset}`),
        i.amountInUnits ? null : h('span', { class: 'hint' }, ' (base units)'),
        i.token ? h('div', { class: 'hint', title: i.token }, `token ${shortAddress(i.token)}`) : null,
        h('div', { class: 'hint' }, i.estimatedFeeEth ? `network fee ≈ ${eth(i.estimatedFeeEth)} ETH`
          : 'no fee estimate (node unavailable)'),
        i.kind === 'SWEEP' ? h('div', { class: 'badge warn' }, 'Sweep to the successor wallet') : null);
      fill(cells.to, h('code', { title: i.to }, shortAddress(i.to)),
        h('div', { class: `badge ${i.allowlisted ? 'ok' : 'warn'}` },
          i.allowlisted ? 'On the allowlist' : 'Not on the allowlist'));
      fill(cells.wallet, i.walletName, h('div', { class: 'hint' }, i.walletType));
      fill(cells.requested, i.creator, h('div', { class: 'hint', title: i.createdAt },
        `${shortWhen(i.createdAt)} · ${relative(i.createdAt, now)}`), i.note ? h('div', { class: 'hint' },
        `“${i.note}”`) : null);
      fill(cells.checks, h('div', {}, `KYT ${i.kytVerdict || 'not screened'}`,
        i.kytCaseId ? h('span', { class: 'hint' }, ` (case ${i.kytCaseId.slice(0, 8)})`) : null),
      h('div', { class: 'hint' }, i.policyRules ? `Rule ${i.policyRules.split(',').map((r) => r.slice(0, 8))
        .join(', ')} asks for approval` : `${i.walletType} wallets need approval`));
      const left = new Date(i.expiresAt).getTime() - now;
      fill(cells.approvals, h('div', {}, `${i.approvals} of ${i.requiredApprovals}`),
        h('div', { class: left < SOON_MS ? 'soon' : 'hint', title: i.expiresAt }, `expires ${relative(i.expiresAt,
          now)}`));
    };
    return row;
  }

  async function loadMine() {
    const waiting = await all('/v1/tx-requests?status=APPROVAL_PENDING');
    const own = waiting.filter((t) => t.createdBy === me.id);
    clear(mine);
    for (const t of own) {
      const yes = (t.votes || []).filter((v) => v.decision === 'APPROVE').length;
      mine.append(h('li', { dataset: { id: t.id } }, `${assetAmount(t.amount, t.asset)} to ${t.to} — `
        + `${yes} of ${t.requiredApprovals} approvals, created ${shortWhen(t.createdAt)}`));
    }
    mineSection.hidden = own.length === 0;
  }

  // Each page of the queue is asked with its last ETag: while nothing changed the bank answers 304 and the rows stay
  // as they are, but for their times ("3 min ago", "expires in 2 d"), refreshed every half minute.
  let renderedAt = 0;
  async function queue() {
    const items = [];
    let changed = false;
    let cursor = null;
    do {
      const page = await api.poll(`/v1/approvals?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      changed = changed || page.changed;
      items.push(...page.answer.items);
      cursor = page.answer.has_more ? page.answer.next_cursor : null;
    } while (cursor && items.length < 2000);
    return { items, changed };
  }

  async function poll() {
    if (stopped) return;
    try {
      const { items, changed } = await queue();
      if (stopped) return;
      const now = Date.now();
      if (changed || now - renderedAt > TIMES_MS) {
        render(items, now);
        renderedAt = now;
      }
      error.textContent = '';
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      if (!stopped) error.textContent = `The queue could not be read: ${e.message} Retrying…`;
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  }

  poll();
  loadMine().catch(() => {});
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
