-- Rotation of a retired key and the sweep of its funds, bank-server's side (docs/key-rotation.md).

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
