-- Four eyes on a wallet's allowlist-only switch (issue 15, docs/admin-console.md "Four eyes"): an ADMIN's change of it
-- is a pending change of kind WALLET_SETTINGS until a second ADMIN approves it.
alter table pending_changes drop constraint pending_changes_kind_check;
alter table pending_changes add constraint pending_changes_kind_check check (kind in ('POLICY_CREATE',
    'POLICY_DISABLE', 'BANK_ROLES', 'WALLET_ROLE_GRANT', 'WALLET_ROLE_REVOKE', 'WALLET_SETTINGS'));
