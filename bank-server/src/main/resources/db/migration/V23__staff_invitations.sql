-- Staff invitations (issue 15, docs/admin-console.md "Sign-in"): an ADMIN creates a staff account (OPERATOR,
-- COMPLIANCE, VIEWER, SIGNATORY) disabled, with a one-time code; the invited person sets a password with the code,
-- which enables the account. Only SHA-256 of the code is stored; a code is valid until expires_at, once.
create table staff_invitations (
    user_id     uuid        primary key references users (id),
    code_hash   bytea       not null check (octet_length(code_hash) = 32),
    created_by  uuid        not null references users (id),
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    accepted_at timestamptz
);
