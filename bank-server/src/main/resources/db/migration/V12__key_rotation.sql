-- Rotation of a retired key and the sweep of its funds (docs/key-rotation.md, docs/protocol.md §6.4).

-- The signer's side: a locked keyset may still sign transactions paying sweep_to, at most sweeps_left more times;
-- the write that takes the last one sets retired_at, after which nothing decrypts with the key again.
alter table keyset_lock
    add column sweep_to    text        check (sweep_to is null or sweep_to ~ '^0x[0-9a-f]{40}$'),
    add column sweeps_left integer     not null default 0 check (sweeps_left >= 0),
    add column retired_at  timestamptz,
    add check (retired_at is null or sweep_to is not null);

-- A wallet whose key is retired keeps its key and address (history, deposits) and is RETIRED.
alter table wallets drop constraint wallets_status_check;
alter table wallets add constraint wallets_status_check
    check (status in ('PENDING_KEYGEN', 'ACTIVE', 'FAILED', 'RETIRED'));
alter table wallets drop constraint wallets_check;
alter table wallets add constraint wallets_key_known_check
    check ((status in ('ACTIVE', 'RETIRED')) = (public_key is not null and address is not null));

-- One rotation per wallet whose key locked: the wallet that replaces it (same owner, type and roles) and when its
-- funds were swept and the old wallet retired.
create table wallet_rotations (
    old_wallet_id uuid        primary key references wallets (id),
    new_wallet_id uuid        not null unique references wallets (id),
    reason        text        not null check (char_length(reason) between 1 and 500),
    authorized_by uuid        not null references users (id),
    created_at    timestamptz not null,
    retired_at    timestamptz,
    check (old_wallet_id <> new_wallet_id)
);

-- The transaction requests that sweep a rotated wallet into its successor (one per asset with a balance).
create table sweep_requests (
    tx_request_id uuid primary key references tx_requests (id),
    old_wallet_id uuid not null references wallet_rotations (old_wallet_id)
);
create index sweep_requests_wallet on sweep_requests (old_wallet_id);
