// Four-eyes changes (docs/admin-console.md "Four eyes"): what one ADMIN proposed to the controls waits here for a
// second ADMIN; approving applies it, rejecting drops it (the proposer may withdraw their own). Both with a passkey.
import * as api from './api.js';
import { act } from './act.js';
import { h, clear, shortWhen, relative } from './dom.js';

export function changesPage({ main, me, say }) {
  const isAdmin = me.roles.includes('ADMIN');
  const list = h('ul', { class: 'changes', id: 'changes' });
  const empty = h('p', { class: 'empty', id: 'changes-empty', hidden: true }, 'No change waits for a decision.');
  const error = h('p', { class: 'form-error', role: 'alert' });
  main.append(h('section', { 'aria-labelledby': 'changes-title' },
    h('h1', { id: 'changes-title' }, 'Four-eyes changes'),
    h('p', { class: 'hint' }, 'Policies, a wallet\'s allowlist-only switch, ADMIN grants and wallet approvers change '
      + 'only when a second ADMIN approves what the first proposed.'), error, empty, list));
  let stopped = false;
  let timer = null;

  function item(c) {
    const own = c.proposedById === me.id;
    const comment = h('input', { id: `change-comment-${c.id}`, class: 'comment', maxlength: 500,
      'aria-label': `Comment on: ${c.summary}`, placeholder: 'Comment' });
    const note = h('p', { class: 'row-status', role: 'status' });
    const buttons = [];
    async function decide(what) {
      const r = await act({ note, say, label: c.summary, buttons,
        call: () => api.withStepUp('POST', `/v1/admin/changes/${c.id}/${what}`,
          { comment: comment.value.trim() || undefined }),
        outcome: (a) => `${c.summary} — ${a.status === 'APPLIED' ? 'approved and applied' : 'rejected'}.` });
      if (r) load(true);
    }
    if (isAdmin && !own) {
      buttons.push(h('button', { class: 'approve', onclick: () => decide('approve') }, 'Approve and apply'));
      buttons.push(h('button', { class: 'reject', onclick: () => decide('reject') }, 'Reject'));
    } else if (own) {
      buttons.push(h('button', { class: 'secondary', onclick: () => decide('reject') }, 'Withdraw'));
    }
    return h('li', { class: 'card', dataset: { id: c.id } },
      h('h2', {}, c.summary),
      h('p', { class: 'hint' }, `${c.kind} · proposed by ${c.proposedBy} ${shortWhen(c.createdAt)} `
        + `(${relative(c.createdAt)})`),
      own ? h('p', { class: 'notice' }, 'You proposed this change: a second ADMIN must approve it.') : null,
      !isAdmin ? h('p', { class: 'hint' }, 'Only an ADMIN decides changes.') : null,
      buttons.length ? h('div', { class: 'decide' }, comment, h('div', { class: 'actions' }, ...buttons), note) : null);
  }

  async function load(force = false) {
    clearTimeout(timer);
    if (stopped) return;
    try {
      const page = await api.get('/v1/admin/changes?status=PENDING&limit=200');
      if (stopped) return;
      const busy = list.querySelector('button:disabled')
        || [...list.querySelectorAll('input')].some((i) => i.value || i === document.activeElement);
      if (force || !busy) {
        clear(list);
        page.items.forEach((c) => list.append(item(c)));
      }
      empty.hidden = page.items.length > 0;
      error.textContent = '';
    } catch (e) {
      error.textContent = `The changes could not be read: ${e.message}`;
    }
    timer = setTimeout(load, 5000);
  }
  load();
  return { stop() { stopped = true; clearTimeout(timer); } };
}
