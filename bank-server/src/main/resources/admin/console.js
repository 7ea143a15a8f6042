// The admin console (docs/admin-console.md): sign-in with password and passkey, navigation by role, and the pages.
// Everything it shows or does goes through the bank's public REST API; hiding a button is a courtesy, the API's
// refusal is the control.
import { cancelled } from './act.js';
import * as api from './api.js';
import * as passkey from './passkey.js';
import { h, clear } from './dom.js';
import { approvalsPage } from './approvals.js';
import { changesPage } from './changes.js';
import { compliancePage } from './compliance.js';
import { auditPage } from './audit.js';
import { policiesPage } from './policies.js';
import { incidentsPage } from './incidents.js';
import { overviewPage } from './overview.js';
import { staffPage } from './staff.js';
import { walletsPage } from './wallets.js';
import { integrationPage } from './integration.js';

const IDLE_MS = 30 * 60 * 1000;
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const status = document.getElementById('status');

const STAFF = ['ADMIN', 'OPERATOR', 'COMPLIANCE', 'VIEWER'];
const PAGES = [
  { path: 'approvals', title: 'Approvals', page: approvalsPage, visible: () => true },
  { path: 'overview', title: 'Overview', page: overviewPage, visible: (me) => me.roles.some((r) => STAFF.includes(r)) },
  { path: 'compliance', title: 'Compliance', page: compliancePage,
    visible: (me) => me.roles.some((r) => ['ADMIN', 'COMPLIANCE'].includes(r)) },
  { path: 'policies', title: 'Policies', page: policiesPage,
    visible: (me) => me.roles.some((r) => ['ADMIN', 'COMPLIANCE', 'OPERATOR'].includes(r)) },
  { path: 'changes', title: 'Changes', page: changesPage,
    visible: (me) => me.roles.some((r) => ['ADMIN', 'COMPLIANCE', 'OPERATOR'].includes(r)) },
  { path: 'wallets', title: 'Wallets', page: walletsPage,
    visible: (me) => me.roles.some((r) => STAFF.includes(r)) },
  { path: 'incidents', title: 'Incidents', page: incidentsPage,
    visible: (me) => me.roles.some((r) => ['ADMIN', 'COMPLIANCE'].includes(r)) },
  { path: 'staff', title: 'People', page: staffPage,
    visible: (me) => me.roles.some((r) => ['ADMIN', 'OPERATOR'].includes(r)) },
  { path: 'integration', title: 'Integration', page: integrationPage, visible: (me) => me.roles.includes('ADMIN') },
  { path: 'audit', title: 'Audit', page: auditPage,
    visible: (me) => me.roles.some((r) => ['ADMIN', 'COMPLIANCE'].includes(r)) },
];

let me = null;
let current = null;
let lastInput = Date.now();

let sayTimer = null;

/** A short message at the bottom of the page (read out by screen readers); it fades after a while. */
export function say(text, kind = 'info') {
  status.textContent = text;
  status.className = `status ${kind}`;
  clearTimeout(sayTimer);
  if (text) sayTimer = setTimeout(() => { status.textContent = ''; }, kind === 'ok' ? 8000 : 20000);
}

function stopPage() {
  if (current && current.stop) current.stop();
  current = null;
}

async function signedOut(message) {
  stopPage();
  me = null;
  clear(nav);
  clear(who);
  signInForm(message);
}

api.whenSignedOut((m) => signedOut(m));

function field(id, label, input, hint) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label), input,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    h('p', { class: 'field-error', id: `${id}-error`, role: 'alert' }));
}

function showFieldError(id, text) {
  const e = document.getElementById(`${id}-error`);
  if (e) e.textContent = text || '';
  const input = document.getElementById(id);
  if (input) {
    if (text) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', `${id}-error`);
  }
}

function signInForm(message) {
  stopPage();
  clear(main);
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password',
    required: true });
  const button = h('button', { type: 'submit', class: 'primary', id: 'sign-in' }, 'Sign in');
  const form = h('form', { class: 'card narrow', id: 'sign-in-form', novalidate: true },
    h('h1', {}, 'Sign in to the console'),
    message ? h('p', { class: 'notice', role: 'alert' }, message) : null,
    field('username', 'Username', user),
    field('password', 'Password', pass),
    h('p', { class: 'form-error', id: 'sign-in-error', role: 'alert' }),
    button,
    h('p', { class: 'hint' }, 'Staff sign in with their password and then their passkey.'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showFieldError('username', user.value.trim() ? '' : 'Enter your username.');
    showFieldError('password', pass.value ? '' : 'Enter your password.');
    if (!user.value.trim() || !pass.value) return;
    button.disabled = true;
    document.getElementById('sign-in-error').textContent = '';
    say('Checking your password…');
    try {
      const answer = await api.anonymous('/v1/auth/login', { username: user.value.trim(), password: pass.value });
      pass.value = '';
      if (answer.secondFactor) {
        secondFactor(answer);
      } else {
        api.adopt(answer);
        await start();
      }
    } catch (e) {
      document.getElementById('sign-in-error').textContent = e.message;
      say('');
      button.disabled = false;
      pass.focus();
    }
  });
  main.append(form);
  say('');
  user.focus();
}

function secondFactor(step) {
  clear(main);
  const enrolling = step.secondFactor === 'passkey_enrollment';
  const name = h('input', { id: 'passkey-name', value: 'This computer', maxlength: 64 });
  const go = h('button', { class: 'primary', id: 'use-passkey' },
    enrolling ? 'Register a passkey' : 'Use my passkey');
  const cancel = h('button', { class: 'secondary', id: 'cancel-passkey', onclick: () => signInForm() }, 'Cancel');
  const error = h('p', { class: 'form-error', id: 'passkey-error', role: 'alert' });
  const card = h('section', { class: 'card narrow', 'aria-labelledby': 'passkey-title' },
    h('h1', { id: 'passkey-title' }, enrolling ? 'Register your passkey' : 'Confirm with your passkey'),
    h('p', {}, enrolling
      ? 'This account has no passkey yet. Register one now: your device asks for your PIN, fingerprint or face. '
        + 'From then on you sign in with your password and this passkey.'
      : 'Your password was right. Confirm with your passkey to finish signing in.'),
    enrolling ? field('passkey-name', 'Name of this passkey', name, 'So you can tell your passkeys apart.') : null,
    error,
    h('div', { class: 'actions' }, go, cancel));
  if (!passkey.supported()) {
    error.textContent = 'This browser cannot use passkeys. Use a current Chrome, Edge, Safari or Firefox.';
    go.disabled = true;
  }
  go.addEventListener('click', async () => {
    go.disabled = true;
    error.textContent = '';
    say(enrolling ? 'Follow your device to create the passkey…' : 'Follow your device to use your passkey…');
    try {
      const tokens = enrolling
        ? await api.anonymous('/v1/auth/passkey/enroll', { challengeToken: step.challengeToken,
          credential: await passkey.create(step.options), name: name.value.trim() || 'passkey' })
        : await api.anonymous('/v1/auth/passkey', { challengeToken: step.challengeToken,
          credential: await passkey.get(step.options) });
      api.adopt(tokens);
      await start();
    } catch (e) {
      error.textContent = cancelled(e) ? 'The passkey was not used (cancelled or timed out). Sign in again.'
        : e.message;
      say('');
      cancel.focus();
    }
  });
  main.append(card);
  go.focus();
}

async function start() {
  try {
    me = await api.get('/v1/auth/me');
  } catch (e) {
    signInForm(e.message);
    return;
  }
  if (me.roles.every((r) => r === 'CUSTOMER')) {
    await api.signOut();
    signInForm('This console is for the bank\'s staff. Customers use the wallet.');
    return;
  }
  say('');
  clear(who).append(
    h('span', { class: 'me', id: 'me' }, me.username),
    h('span', { class: 'roles' }, me.roles.filter((r) => r !== 'CUSTOMER').join(', ')),
    h('button', { class: 'secondary', id: 'sign-out', onclick: async () => {
      await api.signOut();
      signedOut('You signed out.');
    } }, 'Sign out'));
  clear(nav);
  for (const p of PAGES.filter((x) => x.visible(me))) {
    nav.append(h('a', { href: `#/${p.path}`, id: `nav-${p.path}` }, p.title));
  }
  route();
}

function route() {
  if (!me) return;
  const path = (location.hash || '#/approvals').replace(/^#\//, '');
  const page = PAGES.find((p) => p.path === path && p.visible(me)) || PAGES[0];
  for (const a of nav.querySelectorAll('a')) {
    if (a.id === `nav-${page.path}`) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  stopPage();
  clear(main);
  document.title = `${page.title} — MPC Bank Console`;
  current = page.page({ main, me, say });
  main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', route);
for (const ev of ['keydown', 'pointerdown', 'wheel']) {
  window.addEventListener(ev, () => { lastInput = Date.now(); }, { passive: true });
}
setInterval(async () => {
  if (me && Date.now() - lastInput > IDLE_MS) {
    await api.signOut();
    signedOut('You were signed out after 30 minutes without activity.');
  }
}, 15000);

(async () => {
  if (api.hasSession() && (await api.refresh())) {
    await start();
  } else {
    signInForm();
  }
})();
