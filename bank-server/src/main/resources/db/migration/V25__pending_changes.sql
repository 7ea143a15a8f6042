-- Four eyes (issue 15, docs/admin-console.md "Four eyes"): a change to the controls proposed by one ADMIN takes effect
-- only when a second ADMIN approves it, in the approval's transaction. Kinds: a policy created or disabled, the ADMIN
-- role granted, a wallet APPROVER granted or revoked. payload is the change as proposed (JSON); outcome what applying
-- it gave, or why it could not apply (FAILED).
create table pending_changes (
    id          uuid        primary key,
    kind        text        not null check (kind in ('POLICY_CREATE', 'POLICY_DISABLE', 'BANK_ROLES',
                                                     'WALLET_ROLE_GRANT', 'WALLET_ROLE_REVOKE')),
    payload     text        not null,
    summary     text        not null check (char_length(summary) between 1 and 500),
    status      text        not null check (status in ('PENDING', 'APPLIED', 'REJECTED', 'FAILED')),
    proposed_by uuid        not null references users (id),
    created_at  timestamptz not null,
    decided_by  uuid        references users (id),
    decided_at  timestamptz,
    comment     text        check (comment is null or char_length(comment) <= 500),
    outcome     text,
    check ((status = 'PENDING') = (decided_at is null))
);
create index pending_changes_page on pending_changes (created_at, id);
create index pending_changes_pending on pending_changes (created_at, id) where status = 'PENDING';
