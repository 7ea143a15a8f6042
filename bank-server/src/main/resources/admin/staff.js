// Staff and customers (docs/admin-console.md "Staff and customers"): find anyone by name or email, see their roles
// and sign-in state; an ADMIN invites staff (a one-time code, shown once), sets roles (making someone an ADMIN waits
// for a second ADMIN), disables or enables an account (at once) and clears a login lockout. Every change asks for
// the passkey.
import * as api from './api.js';
import { act as actWith, cancelled } from './act.js';
import { h, fill, shortWhen } from './dom.js';

const ROLES = ['ADMIN', 'OPERATOR', 'COMPLIANCE', 'VIEWER', 'SIGNATORY', 'CUSTOMER'];
const INVITABLE = ['OPERATOR', 'COMPLIANCE', 'VIEWER', 'SIGNATORY'];

function checkboxes(prefix, roles, checked) {
  return h('fieldset', { class: 'roles-pick' }, h('legend', {}, 'Roles'), ...roles.map((r) => h('label', {},
    h('input', { type: 'checkbox', id: `${prefix}-${r}`, value: r, checked: checked.includes(r) }), ` ${r}`)));
}

function picked(fieldset) {
  return [...fieldset.querySelectorAll('input:checked')].map((i) => i.value);
}

export function staffPage({ main, me, say }) {
  const isAdmin = me.roles.includes('ADMIN');
  const q = h('input', { id: 'user-search', type: 'search', placeholder: 'name or email' });
  const role = h('select', { id: 'user-role' }, h('option', { value: '' }, 'Any role'),
    ...ROLES.map((r) => h('option', { value: r }, r)));
  const body = h('tbody', { id: 'users' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const section = h('section', { 'aria-labelledby': 'staff-title' },
    h('h1', { id: 'staff-title' }, 'Staff and customers'),
    h('form', { class: 'toolbar', id: 'user-find', role: 'search' },
      h('label', { for: 'user-search' }, 'Find'), q, h('label', { for: 'user-role', class: 'visually-hidden' },
        'Role'), role, h('button', { class: 'secondary', type: 'submit' }, 'Search')),
    error,
    h('div', { class: 'table-wrap' }, h('table', { class: 'queue' },
      h('caption', { class: 'visually-hidden' }, 'Users'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'User'), h('th', { scope: 'col' }, 'Roles'),
        h('th', { scope: 'col' }, 'Sign-in'), h('th', { scope: 'col' }, 'Since'),
        h('th', { scope: 'col' }, isAdmin ? 'Change' : ''))), body)));
  main.append(section);

  async function act(note, label, call) {
    if (await actWith({ note, say, label, call })) await list();
  }

  function row(u) {
    const state = u.disabled ? (u.invitationPending ? 'Invitation not accepted yet' : 'Disabled')
      : u.lockedUntil && new Date(u.lockedUntil) > new Date() ? `Locked until ${shortWhen(u.lockedUntil)}`
        : u.failedSignIns ? `${u.failedSignIns} failed sign-in(s)` : 'Active';
    const note = h('p', { class: 'row-status', role: 'status' });
    const actions = [];
    if (isAdmin) {
      const pick = checkboxes(`roles-${u.id}`, ROLES, u.roles);
      const save = h('button', { class: 'secondary', onclick: () => act(note, `Roles of ${u.username}`,
        () => api.withStepUp('PUT', `/v1/admin/users/${u.id}/roles`, { roles: picked(pick) })) }, 'Save roles');
      const editor = h('details', { class: 'roles-edit' }, h('summary', {}, 'Roles…'), pick, save);
      actions.push(editor);
      if (u.id !== me.id && !u.invitationPending) {
        actions.push(u.disabled
          ? h('button', { class: 'secondary', onclick: () => act(note, `${u.username} enabled`,
            () => api.withStepUp('POST', `/v1/admin/users/${u.id}/enable`)) }, 'Enable')
          : h('button', { class: 'reject', onclick: () => act(note, `${u.username} disabled`,
            () => api.withStepUp('POST', `/v1/admin/users/${u.id}/disable`)) }, 'Disable'));
      }
      if (u.failedSignIns || u.lockedUntil) {
        actions.push(h('button', { class: 'secondary', onclick: () => act(note, `Lockout of ${u.username} cleared`,
          () => api.withStepUp('DELETE', `/v1/admin/users/${u.id}/login-lockout`)) }, 'Clear lockout'));
      }
    }
    return h('tr', { dataset: { id: u.id, user: u.username } }, h('td', {}, h('strong', {}, u.username)),
      h('td', {}, u.roles.join(', ')),
      h('td', {}, state, h('div', { class: 'hint' }, `${u.passkeys} passkey(s)`)),
      h('td', {}, shortWhen(u.createdAt)),
      h('td', { class: 'decide' }, h('div', { class: 'actions' }, ...actions), note));
  }

  async function list() {
    try {
      const params = new URLSearchParams({ limit: '100' });
      if (q.value.trim()) params.set('q', q.value.trim());
      if (role.value) params.set('role', role.value);
      const page = await api.get(`/v1/admin/users?${params}`);
      fill(body, page.items.length ? page.items.map(row) : h('tr', {}, h('td', { colspan: 5 }, 'Nobody found.')));
      error.textContent = '';
    } catch (e) {
      error.textContent = `The users could not be read: ${e.message}`;
    }
  }
  section.querySelector('#user-find').addEventListener('submit', (ev) => {
    ev.preventDefault();
    list();
  });

  if (isAdmin) {
    const username = h('input', { id: 'invite-username', autocomplete: 'off', spellcheck: 'false' });
    const pick = checkboxes('invite', INVITABLE, ['VIEWER']);
    const out = h('div', { id: 'invite-result', role: 'status' });
    const send = h('button', { class: 'primary', id: 'invite-send', type: 'submit' }, 'Invite');
    const form = h('form', { class: 'card', id: 'invite-form', novalidate: true, 'aria-labelledby': 'invite-title' },
      h('h2', { id: 'invite-title' }, 'Invite a member of staff'),
      h('div', { class: 'field' }, h('label', { for: 'invite-username' }, 'Username'), username),
      pick, send, out);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      send.disabled = true;
      fill(out, h('p', {}, 'Confirm with your passkey…'));
      try {
        const r = await api.withStepUp('POST', '/v1/admin/users', { username: username.value.trim(),
          roles: picked(pick) });
        fill(out, h('div', { class: 'notice' }, h('p', {}, `Invitation for ${r.username} (${r.roles.join(', ')}). `
          + 'Give this one-time code to them over a separate channel; it is shown only now and works until '
          + `${shortWhen(r.expiresAt)}:`), h('p', {}, h('code', { class: 'secret', id: 'invite-code' },
          r.invitationCode)), h('p', { class: 'hint' }, 'They set their password with it and register their '
          + 'passkey at their first sign-in.')));
        form.reset();
        list();
      } catch (e) {
        fill(out, h('p', { class: 'form-error' }, cancelled(e) ? 'Not confirmed with your passkey; nobody was invited.'
          : e.message));
      }
      send.disabled = false;
    });
    section.append(form);
  }
  list();
  return { stop() {} };
}
