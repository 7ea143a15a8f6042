-- Storage behind bank-signer's persistence ports (docs/bank-signer.md, "Persistence ports"; docs/bank-server.md,
-- "MPC storage"). Every secret column holds a blob already sealed under the KEK (MPCS v1 / MPCP v1); nothing here
-- is plaintext key material.

-- The current sealed P1 share per keyset (one row per keyset; a refresh replaces it by compare-and-swap on epoch).
create table keyset_share (
    keyset_id  text        primary key check (octet_length(keyset_id) between 1 and 128),
    epoch      bigint      not null check (epoch between 0 and 4294967295),
    blob       bytea       not null check (octet_length(blob) > 0),
    created_at timestamptz not null default now()
);

-- Durable compromise locks: the first KEY_COMPROMISE_RISK cause is kept until a refresh clears it.
create table keyset_lock (
    keyset_id text        primary key check (octet_length(keyset_id) between 1 and 128),
    kind      text        not null check (kind = 'KEY_COMPROMISE_RISK'),
    step      text        not null,
    culprit   text        check (culprit is null or culprit in ('P1', 'P2')),
    reason    text        not null,
    locked_at timestamptz not null default now()
);

-- Sealed P1 presignatures; a take deletes the row (DELETE ... RETURNING) and commits before the blob is used.
create table presignature (
    keyset_id  text        not null check (octet_length(keyset_id) between 1 and 128),
    presig_id  text        not null check (presig_id ~ '^[0-9a-f]{64}$'),
    epoch      bigint      not null check (epoch between 0 and 4294967295),
    blob       bytea       not null check (octet_length(blob) > 0),
    created_at timestamptz not null default now(),
    primary key (keyset_id, presig_id)
);
create index presignature_keyset_epoch on presignature (keyset_id, epoch);

-- Consumed signing-permit nonces (single use); rows may be pruned once their permit has expired.
create table permit_nonce (
    nonce      bytea       primary key check (octet_length(nonce) = 16),
    expires_at timestamptz not null
);
create index permit_nonce_expires on permit_nonce (expires_at);
