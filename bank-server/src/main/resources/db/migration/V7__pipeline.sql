-- The custody pipeline (docs/custody-pipeline.md): transaction requests and their controls.

create table tokens (
    chain_id   numeric(78) not null,
    symbol     text        not null check (symbol ~ '^[A-Z0-9]{1,16}$' and symbol <> 'ETH'),
    address    text        not null check (address ~ '^0x[0-9a-fA-F]{40}$'),
    decimals   integer     not null check (decimals between 0 and 36),
    created_at timestamptz not null default now(),
    primary key (chain_id, symbol),
    unique (chain_id, address)
);

create table kyt_cases (
    id             uuid        primary key,
    address        text        not null check (address ~ '^0x[0-9a-fA-F]{40}$'),
    direction      text        not null check (direction in ('OUTBOUND', 'INBOUND')),
    tx_request_id  uuid,
    deposit_id     uuid,
    reason         text        not null,
    provider       text        not null,
    status         text        not null check (status in ('OPEN', 'ALLOWED', 'BLOCKED')),
    created_at     timestamptz not null,
    resolved_at    timestamptz,
    resolved_by    uuid        references users (id),
    resolution     text,
    check ((status = 'OPEN') = (resolved_at is null))
);
create index kyt_cases_open on kyt_cases (status) where status = 'OPEN';

create table tx_requests (
    id                       uuid        primary key,
    wallet_id                uuid        not null references wallets (id),
    created_by               uuid        not null references users (id),
    status                   text        not null check (status in ('SUBMITTED', 'KYT_PENDING', 'KYT_REVIEW',
                                 'POLICY_EVAL_PENDING', 'APPROVAL_PENDING', 'SIGN_PENDING', 'SIGNED',
                                 'BROADCAST_PENDING', 'BROADCASTED', 'CONFIRMING', 'CONFIRMED', 'FINALIZED',
                                 'KYT_BLOCKED', 'POLICY_BLOCKED', 'REJECTED', 'FAILED_SIGN', 'FAILED_BROADCAST')),
    version                  bigint      not null default 0,
    asset                    text        not null check (asset ~ '^[A-Z0-9]{1,16}$'),
    token_address            text        check (token_address is null or token_address ~ '^0x[0-9a-fA-F]{40}$'),
    to_address               text        not null check (to_address ~ '^0x[0-9a-fA-F]{40}$'),
    amount                   numeric(78) not null check (amount > 0),
    note                     text        check (note is null or char_length(note) <= 500),
    kyt_verdict              text        check (kyt_verdict is null or kyt_verdict in ('ALLOW', 'REVIEW', 'BLOCK')),
    kyt_case_id              uuid        references kyt_cases (id),
    policy_result            text,
    policy_rules             text,
    required_approvals       integer     not null default 0 check (required_approvals >= 0),
    chain_id                 numeric(78),
    nonce                    numeric(78),
    max_fee_per_gas          numeric(78),
    max_priority_fee_per_gas numeric(78),
    gas_limit                numeric(78),
    sign_request_id          uuid        references sign_requests (id),
    sign_failures            integer     not null default 0,
    raw_transaction          bytea,
    tx_hash                  bytea       check (tx_hash is null or octet_length(tx_hash) = 32),
    broadcast_attempts       integer     not null default 0,
    next_attempt_at          timestamptz not null default now(),
    last_error               text,
    block_number             bigint,
    confirmations            integer     not null default 0,
    created_at               timestamptz not null,
    updated_at               timestamptz not null
);
create index tx_requests_work on tx_requests (status, next_attempt_at);
create index tx_requests_wallet on tx_requests (wallet_id, created_at);
create unique index tx_requests_tx_hash on tx_requests (tx_hash) where tx_hash is not null;

alter table kyt_cases add constraint kyt_cases_tx_request_fk foreign key (tx_request_id) references tx_requests (id);
alter table sign_requests add column tx_request_id uuid references tx_requests (id);

create table approvals (
    tx_request_id uuid        not null references tx_requests (id),
    user_id       uuid        not null references users (id),
    decision      text        not null check (decision in ('APPROVE', 'REJECT')),
    comment       text        check (comment is null or char_length(comment) <= 500),
    created_at    timestamptz not null,
    primary key (tx_request_id, user_id)
);

create table policies (
    id          uuid        primary key,
    type        text        not null check (type in ('ADDRESS_DENYLIST', 'TOKEN_DENYLIST', 'TX_LIMIT', 'DAILY_LIMIT',
                                'APPROVAL_REQUIRED', 'ADDRESS_ALLOWLIST')),
    wallet_id   uuid        references wallets (id),
    wallet_type text        check (wallet_type is null or wallet_type in ('RETAIL', 'TREASURY', 'OPS', 'SETTLEMENT')),
    asset       text        check (asset is null or asset ~ '^[A-Z0-9]{1,16}$'),
    address     text        check (address is null or address ~ '^0x[0-9a-fA-F]{40}$'),
    token       text        check (token is null or token ~ '^0x[0-9a-fA-F]{40}$'),
    limit_amount numeric(78) check (limit_amount is null or limit_amount >= 0),
    approvals   integer     check (approvals is null or approvals between 1 and 10),
    enabled     boolean     not null default true,
    created_by  uuid        not null references users (id),
    created_at  timestamptz not null,
    check (wallet_id is null or wallet_type is null)
);

create table wallet_settings (
    wallet_id      uuid    primary key references wallets (id),
    allowlist_only boolean not null default false
);

create table daily_volumes (
    wallet_id uuid        not null references wallets (id),
    day       date        not null,
    asset     text        not null,
    total     numeric(78) not null check (total >= 0),
    tx_count  integer     not null check (tx_count >= 0),
    primary key (wallet_id, day, asset)
);

create table nonce_allocations (
    chain_id   numeric(78) not null,
    address    text        not null check (address ~ '^0x[0-9a-f]{40}$'),
    next_nonce numeric(78) not null check (next_nonce >= 0),
    primary key (chain_id, address)
);

create table deposits (
    id           uuid        primary key,
    wallet_id    uuid        not null references wallets (id),
    chain_id     numeric(78) not null,
    tx_hash      bytea       not null check (octet_length(tx_hash) = 32),
    log_index    integer     not null default -1,
    asset        text        not null,
    from_address text        not null,
    amount       numeric(78) not null check (amount > 0),
    block_number bigint      not null,
    kyt_verdict  text        check (kyt_verdict is null or kyt_verdict in ('ALLOW', 'REVIEW', 'BLOCK')),
    kyt_case_id  uuid        references kyt_cases (id),
    status       text        not null check (status in ('DETECTED', 'CONFIRMED', 'REORGED')),
    created_at   timestamptz not null,
    unique (chain_id, tx_hash, log_index)
);
create index deposits_wallet on deposits (wallet_id, block_number);

alter table kyt_cases add constraint kyt_cases_deposit_fk foreign key (deposit_id) references deposits (id);

create table chain_cursor (
    chain_id   numeric(78) primary key,
    last_block bigint      not null check (last_block >= -1),
    updated_at timestamptz not null default now()
);
