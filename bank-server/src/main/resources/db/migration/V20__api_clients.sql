-- API clients (issue 14, docs/integration.md "Signed requests"): the bank's own systems, each acting as a user row
-- of its own (username 'api.<name>', a password nobody knows: it never logs in) so that bank roles, wallet roles and
-- the audit log treat it like any caller. The bank stores only the clients' Ed25519 public keys (SPKI DER); during a
-- rotation two keys overlap until the older one's expires_at. Each request's JWT id is kept until the token expires,
-- so a replay within its lifetime is refused.
create table api_clients (
    id            uuid        primary key,
    name          text        not null unique check (name ~ '^[a-z0-9][a-z0-9._-]{2,59}$'),
    user_id       uuid        not null unique references users (id),
    allowed_cidrs text[]      not null default '{}',
    created_by    uuid        not null references users (id),
    created_at    timestamptz not null,
    disabled_at   timestamptz
);

create table api_client_keys (
    id          uuid        primary key,
    client_id   uuid        not null references api_clients (id),
    public_key  bytea       not null check (octet_length(public_key) = 44),
    created_at  timestamptz not null,
    expires_at  timestamptz
);
create index api_client_keys_client on api_client_keys (client_id);

create table api_client_jtis (
    client_id  uuid        not null references api_clients (id),
    jti        text        not null check (length(jti) between 8 and 128),
    expires_at timestamptz not null,
    primary key (client_id, jti)
);
create index api_client_jtis_expires on api_client_jtis (expires_at);
