-- Who may approve (issue 10 item 1, docs/controls-hardening.md §1, docs/custody-pipeline.md "Who may approve"):
-- APPROVER on a wallet is granted by a bank ADMIN to a staff user or a registered signatory, never by the wallet's
-- owner. Bank role SIGNATORY: a signatory the bank verified (set by an ADMIN).
alter table users drop constraint users_roles_check;
alter table users add constraint users_roles_check check (cardinality(roles) >= 1
    and roles <@ array['ADMIN', 'OPERATOR', 'COMPLIANCE', 'VIEWER', 'CUSTOMER', 'SIGNATORY']::text[]);

-- Who made a grant; a suspended grant counts for nothing (it stays as evidence).
alter table wallet_roles
    add column granted_by       uuid references users (id),
    add column suspended_at     timestamptz,
    add column suspended_reason text,
    add column reported_at      timestamptz,
    add check ((suspended_at is null) = (suspended_reason is null));

-- Every APPROVER grant made before this rule: its grantor is unknown (owners could grant it), so it is suspended,
-- not silently kept active. bank-server reports each one at its next start (log WARN, audit APPROVER_GRANT_SUSPENDED).
update wallet_roles set suspended_at = now(),
    suspended_reason = 'granted before approvers became a bank decision (issue 10); an ADMIN grants it again'
    where role = 'APPROVER';
