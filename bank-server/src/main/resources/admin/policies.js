// Policies (docs/admin-console.md "Policies"): the rules the engine applies, a new rule or a rule's removal proposed
// under four eyes (a second ADMIN approves it in "Changes"), and the dry run: which rule decides a transfer,
// and why, without making it.
import * as api from './api.js';
import { cancelled } from './act.js';
import { h, fill, amount } from './dom.js';

const TYPES = {
  ADDRESS_DENYLIST: { name: 'Deny an address', fields: ['address'] },
  ADDRESS_ALLOWLIST: { name: 'Allow an address (allowlist)', fields: ['address'] },
  TOKEN_DENYLIST: { name: 'Deny a token', fields: ['token'] },
  TX_LIMIT: { name: 'Limit per transfer', fields: ['asset', 'limit'] },
  DAILY_LIMIT: { name: 'Limit per day', fields: ['asset', 'limit'] },
  APPROVAL_REQUIRED: { name: 'Require approvals', fields: ['approvals'] },
};

/** "1.5" ETH -> "1500000000000000000" wei; null when it is not a decimal amount. */
export function toBaseUnits(text, decimals) {
  const m = /^(\d{1,60})(?:\.(\d+))?$/.exec(String(text).trim());
  if (!m || (m[2] && m[2].length > decimals)) return null;
  return (BigInt(m[1]) * 10n ** BigInt(decimals) + BigInt((m[2] || '').padEnd(decimals, '0') || '0')).toString();
}

function fromBaseUnits(base, decimals) {
  const s = String(base).padStart(decimals + 1, '0');
  const i = s.slice(0, s.length - decimals);
  const f = s.slice(s.length - decimals).replace(/0+$/, '');
  return f ? `${i}.${f}` : i;
}

function describe(p) {
  const scope = p.walletId ? `wallet ${p.walletId.slice(0, 8)}` : p.walletType ? `every ${p.walletType} wallet`
    : 'every wallet';
  const value = p.address ? p.address : p.token ? `token ${p.token}` : p.limit !== null && p.limit !== undefined
    ? (p.asset === 'ETH' ? `${amount(fromBaseUnits(p.limit, 18))} ETH` : `${p.limit} base units of ${p.asset}`)
    : p.approvals ? `${p.approvals} approval${p.approvals > 1 ? 's' : ''}` : '';
  return { scope, value };
}

function labelled(id, label, input, hint) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), input,
    hint ? h('p', { class: 'hint' }, hint) : null);
}

export function policiesPage({ main, me, say }) {
  const isAdmin = me.roles.includes('ADMIN');
  const body = h('tbody', { id: 'policies' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const section = h('section', { 'aria-labelledby': 'policies-title' },
    h('h1', { id: 'policies-title' }, 'Policies'),
    h('p', { class: 'hint' }, 'Rules the bank applies to every transfer before it is signed. A change takes effect '
      + 'only after a second ADMIN approves it.'), error,
    h('div', { class: 'table-wrap' }, h('table', { class: 'queue' },
      h('caption', { class: 'visually-hidden' }, 'Rules in force'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rule'), h('th', { scope: 'col' }, 'Applies to'),
        h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, isAdmin ? 'Change' : ''))), body)));
  main.append(section);

  async function list() {
    try {
      const rules = await api.get('/v1/policies');
      fill(body, rules.map((p) => {
        const d = describe(p);
        const remove = isAdmin ? h('button', { class: 'reject', onclick: () => propose(() => api.withStepUp('DELETE',
          `/v1/policies/${p.id}`), `Removal of the rule ${p.id.slice(0, 8)}`) }, 'Propose removal') : null;
        return h('tr', { dataset: { id: p.id } }, h('td', {}, (TYPES[p.type] || { name: p.type }).name),
          h('td', {}, d.scope), h('td', {}, h('code', {}, d.value)), h('td', {}, remove));
      }));
      if (!rules.length) body.append(h('tr', {}, h('td', { colspan: 4 }, 'No rule is in force.')));
    } catch (e) {
      error.textContent = `The rules could not be read: ${e.message}`;
    }
  }

  async function propose(call, what) {
    try {
      const r = await call();
      const proposed = r && r.status === 'PENDING';
      say(proposed ? `${what} proposed: a second ADMIN approves it under "Changes".` : `${what}: done.`,
        'ok');
      list();
      return r;
    } catch (e) {
      throw cancelled(e) ? new Error('Not confirmed with your passkey; nothing was proposed.') : e;
    }
  }

  if (isAdmin) {
    const type = h('select', { id: 'rule-type' },
      ...Object.entries(TYPES).map(([k, v]) => h('option', { value: k }, v.name)));
    const scope = h('select', { id: 'rule-scope' }, h('option', { value: 'GLOBAL' }, 'Every wallet'),
      h('option', { value: 'WALLET' }, 'One wallet'), h('option', { value: 'WALLET_TYPE' }, 'A type of wallet'));
    const walletId = h('input', { id: 'rule-wallet', placeholder: 'wallet id' });
    const walletType = h('select', { id: 'rule-wallet-type' }, ...['RETAIL', 'TREASURY', 'OPS', 'SETTLEMENT']
      .map((t) => h('option', { value: t }, t)));
    const address = h('input', { id: 'rule-address', placeholder: '0x…', spellcheck: 'false' });
    const token = h('input', { id: 'rule-token', placeholder: 'token contract 0x…', spellcheck: 'false' });
    const asset = h('input', { id: 'rule-asset', value: 'ETH' });
    const limit = h('input', { id: 'rule-limit', inputmode: 'decimal' });
    const approvals = h('input', { id: 'rule-approvals', type: 'number', min: 1, max: 10, value: 2 });
    const fields = {
      address: labelled('rule-address', 'Address', address),
      token: labelled('rule-token', 'Token contract', token),
      asset: labelled('rule-asset', 'Asset', asset, 'ETH, or a token symbol the bank knows'),
      limit: labelled('rule-limit', 'Limit', limit, 'In ETH for ETH (e.g. 2.5); in base units for a token'),
      approvals: labelled('rule-approvals', 'Approvals needed', approvals, '1 to 10'),
    };
    const walletField = labelled('rule-wallet', 'Wallet id', walletId);
    const typeField = labelled('rule-wallet-type', 'Wallet type', walletType);
    const formError = h('p', { class: 'form-error', id: 'rule-error', role: 'alert' });
    const submit = h('button', { class: 'primary', id: 'rule-propose', type: 'submit' }, 'Propose the rule');
    const form = h('form', { class: 'card', id: 'rule-form', novalidate: true, 'aria-labelledby': 'rule-title' },
      h('h2', { id: 'rule-title' }, 'New rule'), labelled('rule-type', 'Kind of rule', type),
      labelled('rule-scope', 'Applies to', scope), walletField, typeField, ...Object.values(fields), formError, submit);
    const show = () => {
      const wanted = TYPES[type.value].fields;
      for (const [k, el] of Object.entries(fields)) el.hidden = !wanted.includes(k);
      walletField.hidden = scope.value !== 'WALLET';
      typeField.hidden = scope.value !== 'WALLET_TYPE';
    };
    type.addEventListener('change', show);
    scope.addEventListener('change', show);
    show();
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      formError.textContent = '';
      const wanted = TYPES[type.value].fields;
      const rule = { type: type.value, scope: scope.value };
      if (scope.value === 'WALLET') rule.walletId = walletId.value.trim();
      if (scope.value === 'WALLET_TYPE') rule.walletType = walletType.value;
      if (wanted.includes('address')) rule.address = address.value.trim();
      if (wanted.includes('token')) rule.token = token.value.trim();
      if (wanted.includes('asset')) rule.asset = asset.value.trim().toUpperCase();
      if (wanted.includes('limit')) {
        const base = rule.asset === 'ETH' ? toBaseUnits(limit.value, 18) : /^\d{1,78}$/.test(limit.value.trim())
          ? limit.value.trim() : null;
        if (base === null) {
          formError.textContent = rule.asset === 'ETH' ? 'Limit: an amount of ETH such as 2.5 (at most 18 decimals).'
            : 'Limit: a whole number of the token\'s base units.';
          limit.setAttribute('aria-invalid', 'true');
          limit.focus();
          return;
        }
        limit.removeAttribute('aria-invalid');
        rule.limit = base;
      }
      if (wanted.includes('approvals')) rule.approvals = Number(approvals.value);
      submit.disabled = true;
      try {
        await propose(() => api.withStepUp('POST', '/v1/policies', rule), TYPES[type.value].name);
        form.reset();
        show();
      } catch (e) {
        formError.textContent = e.message;
      }
      submit.disabled = false;
    });
    section.append(form);
  }

  if (me.roles.some((r) => ['ADMIN', 'COMPLIANCE', 'OPERATOR'].includes(r))) {
    const wallet = h('input', { id: 'dry-wallet', placeholder: 'wallet id' });
    const to = h('input', { id: 'dry-to', placeholder: '0x…', spellcheck: 'false' });
    const value = h('input', { id: 'dry-amount', inputmode: 'decimal', placeholder: '1.5' });
    const out = h('div', { id: 'dry-result', role: 'status' });
    const run = h('button', { class: 'secondary', id: 'dry-run', type: 'submit' }, 'Which rule decides?');
    const form = h('form', { class: 'card', id: 'dry-form', novalidate: true, 'aria-labelledby': 'dry-title' },
      h('h2', { id: 'dry-title' }, 'Dry run'),
      h('p', { class: 'hint' }, 'What the policy step would decide for this transfer now; nothing is created.'),
      labelled('dry-wallet', 'Wallet id', wallet), labelled('dry-to', 'To', to),
      labelled('dry-amount', 'Amount (ETH)', value), run, out);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const wei = toBaseUnits(value.value, 18);
      if (wei === null) {
        fill(out, h('p', { class: 'form-error' }, 'Amount: an amount of ETH such as 1.5.'));
        return;
      }
      try {
        const r = await api.post('/v1/policies/dry-run', { walletId: wallet.value.trim(), asset: 'ETH',
          to: to.value.trim(), amount: wei });
        fill(out, h('p', { class: `badge big ${r.result === 'BLOCKED' ? 'bad' : r.result === 'ALLOWED' ? 'ok'
          : 'warn'}` }, r.result === 'NEEDS_APPROVALS' ? `Needs ${r.requiredApprovals} approval(s)` : r.result),
        h('p', {}, r.reason), ...(r.rules || []).map((x) => h('p', { class: 'hint' },
          `${(TYPES[x.type] || { name: x.type }).name} · ${describe(x).scope} · ${describe(x).value}`)));
      } catch (e) {
        fill(out, h('p', { class: 'form-error' }, e.message));
      }
    });
    section.append(form);
  }
  list();
  return { stop() {} };
}
