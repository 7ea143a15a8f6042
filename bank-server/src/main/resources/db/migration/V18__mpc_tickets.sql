-- Single-use tickets that admit a WebSocket upgrade to /v1/mpc/ws (issue 13, docs/browser-wallet.md "The channel
-- from the worker"). Browsers cannot set an Authorization header on an upgrade, so a signed-in client asks
-- POST /v1/mpc/tickets (with its access token) for a ticket and opens /v1/mpc/ws?ticket=<ticket>. Only the SHA-256
-- of a ticket is kept; a ticket lives 30 seconds and is used at most once (used_at is set by the upgrade that
-- presents it, in the same statement that checks it), so every bank instance enforces the same rule.
create table mpc_tickets (
    id           uuid        primary key,
    ticket_hash  bytea       not null unique,
    user_id      uuid        not null references users (id),
    auth_version bigint      not null,
    created_at   timestamptz not null,
    expires_at   timestamptz not null,
    used_at      timestamptz,
    check (expires_at > created_at)
);
create index mpc_tickets_expires_at on mpc_tickets (expires_at);
