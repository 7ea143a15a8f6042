-- The MPC channel (docs/mpc-channel.md): sign requests, channel sessions, incidents. No secrets in any column:
-- protocol messages, permits and shares are never stored here.

-- "Sign this transfer": an EIP-1559 transaction of a wallet waiting for the device's co-signature.
create table sign_requests (
    id                       uuid        primary key,
    wallet_id                uuid        not null references wallets (id),
    status                   text        not null check (status in ('PENDING', 'SIGNED', 'FAILED')),
    chain_id                 numeric(78) not null check (chain_id > 0),
    nonce                    numeric(78) not null check (nonce >= 0),
    max_priority_fee_per_gas numeric(78) not null check (max_priority_fee_per_gas >= 0),
    max_fee_per_gas          numeric(78) not null check (max_fee_per_gas >= max_priority_fee_per_gas),
    gas_limit                numeric(78) not null check (gas_limit > 0),
    to_address               text        not null check (to_address ~ '^0x[0-9a-fA-F]{40}$'),
    value_wei                numeric(78) not null check (value_wei >= 0),
    data                     bytea       not null,
    signing_hash             bytea       not null check (octet_length(signing_hash) = 32),
    created_by               uuid        not null references users (id),
    created_at               timestamptz not null,
    expires_at               timestamptz not null,
    updated_at               timestamptz not null,
    sig_r                    bytea       check (sig_r is null or octet_length(sig_r) = 32),
    sig_s                    bytea       check (sig_s is null or octet_length(sig_s) = 32),
    sig_v                    smallint    check (sig_v is null or sig_v in (0, 1)),
    raw_transaction          bytea,
    tx_hash                  bytea       check (tx_hash is null or octet_length(tx_hash) = 32),
    failure                  text,
    -- SIGNED exactly when the signature and the signed transaction are known
    check ((status = 'SIGNED') = (sig_r is not null and sig_s is not null and sig_v is not null
                                  and raw_transaction is not null and tx_hash is not null))
);
create index sign_requests_wallet on sign_requests (wallet_id, status);

-- One keygen, sign or refresh run over the WebSocket.
create table mpc_sessions (
    id             uuid        primary key,
    kind           text        not null check (kind in ('KEYGEN', 'SIGN', 'REFRESH')),
    wallet_id      uuid        not null references wallets (id),
    request_id     uuid        references sign_requests (id),
    user_id        uuid        not null references users (id),
    status         text        not null check (status in ('RUNNING', 'COMPLETED', 'FAILED', 'EXPIRED')),
    sid            bytea       not null unique check (octet_length(sid) = 32),
    last_seq       integer     not null default 0 check (last_seq >= 0),
    failure_code   text,
    failure_detail text,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    deadline_at    timestamptz not null,
    check ((kind = 'SIGN') = (request_id is not null))
);
create index mpc_sessions_running on mpc_sessions (status) where status = 'RUNNING';
create index mpc_sessions_wallet on mpc_sessions (wallet_id);

-- An ADMIN's authorization for the wallet's device to run the refresh protocol (recovery of a locked key, or
-- routine rotation of the shares). Single use; expires.
create table refresh_authorizations (
    id            uuid        primary key,
    wallet_id     uuid        not null references wallets (id),
    authorized_by uuid        not null references users (id),
    reason        text        not null check (char_length(reason) between 1 and 500),
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    used_at       timestamptz,
    session_id    uuid        references mpc_sessions (id)
);
create index refresh_authorizations_wallet on refresh_authorizations (wallet_id);

-- Security incidents that need a human (e.g. a key locked after a failed signature).
create table incidents (
    id          uuid        primary key,
    kind        text        not null check (kind in ('KEY_LOCKED')),
    wallet_id   uuid        references wallets (id),
    keyset_id   text,
    session_id  uuid        references mpc_sessions (id),
    detail      text        not null,
    status      text        not null check (status in ('OPEN', 'RESOLVED')),
    created_at  timestamptz not null,
    resolved_at timestamptz,
    resolved_by uuid        references users (id)
);
create index incidents_open on incidents (status) where status = 'OPEN';
