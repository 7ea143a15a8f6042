-- Webhooks (issue 14, docs/integration.md "Webhooks").
--
-- webhook_outbox: one row per audit event that is also a webhook event, inserted by the audit append in the same
-- transaction (AuditLog's hooks), so an event exists exactly when the change it reports committed. audit_seq orders
-- the outbox like the chain: appends serialise on the audit head row, so rows commit in seq order and a reader
-- following seq never skips one. body is the exact JSON delivered (and signed).
create table webhook_outbox (
    id          uuid        primary key,
    audit_seq   bigint      not null unique references audit_event (seq),
    type        text        not null check (type ~ '^[a-z_]+\.[a-z_]+$'),
    entity      text        not null check (length(entity) between 3 and 100),
    wallet_id   uuid,
    occurred_at timestamptz not null,
    body        text        not null check ((body::jsonb) is not null)
);

-- A client's subscription: its URL and event types. from_seq: the audit head when it was created (older events are
-- not fanned out to it). failing_since: the first failure since the last success; a day of it disables the endpoint.
create table webhook_subscriptions (
    id              uuid        primary key,
    client_id       uuid        not null references api_clients (id),
    url             text        not null check (length(url) between 8 and 2000),
    event_types     text[]      not null check (cardinality(event_types) >= 1),
    description     text        check (length(description) <= 200),
    from_seq        bigint      not null,
    created_by      uuid        not null references users (id),
    created_at      timestamptz not null,
    disabled_at     timestamptz,
    disabled_reason text,
    failing_since   timestamptz
);
create index webhook_subscriptions_client on webhook_subscriptions (client_id);

-- How far the fan-out has read the outbox (one row).
create table webhook_fanout (
    id        smallint primary key check (id = 1),
    audit_seq bigint   not null check (audit_seq >= 0)
);
insert into webhook_fanout (id, audit_seq) values (1, 0);

-- One event for one subscription. PENDING until answered 2xx (DELIVERED) or given up (FAILED). A worker claims a
-- due delivery by setting lease_until; a bank that dies mid-delivery leaves the lease to run out, and the delivery is
-- claimed again (at least once).
create table webhook_deliveries (
    id               uuid        primary key,
    subscription_id  uuid        not null references webhook_subscriptions (id),
    event_id         uuid        not null references webhook_outbox (id),
    audit_seq        bigint      not null,
    entity           text        not null,
    state            text        not null check (state in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts         int         not null default 0 check (attempts >= 0),
    next_attempt_at  timestamptz not null,
    lease_until      timestamptz,
    last_status      int,
    last_error       text,
    last_latency_ms  int,
    delivered_at     timestamptz,
    created_at       timestamptz not null,
    unique (subscription_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'PENDING';
create index webhook_deliveries_entity on webhook_deliveries (subscription_id, entity, audit_seq)
    where state = 'PENDING';
create index webhook_deliveries_log on webhook_deliveries (subscription_id, audit_seq);

-- Every attempt: HTTP status (null when there was no answer), the error, the time it took.
create table webhook_attempts (
    delivery_id uuid        not null references webhook_deliveries (id),
    n           int         not null check (n >= 1),
    started_at  timestamptz not null,
    status      int,
    error       text,
    latency_ms  int         not null,
    primary key (delivery_id, n)
);

-- The bank's webhook signing keys, public halves only (the private key is a file): the current one and those it
-- replaced (retired_at set), all published at GET /v1/webhooks/signing-keys.
create table webhook_signing_keys (
    kid        text        primary key,
    public_key bytea       not null check (octet_length(public_key) = 44),
    created_at timestamptz not null,
    retired_at timestamptz
);
