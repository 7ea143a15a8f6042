-- Idempotency-Key storage (docs/bank-server.md, "Idempotency-Key"). One row per (scope, key): scope_hash is
-- SHA-256 of the principal, method and path; request_hash is HMAC-SHA-256 of the request body under a key derived
-- from the server secret (a plain hash of a register body would allow offline password guessing). A row is inserted
-- 'IN_PROGRESS' when a request claims its key (INSERT ... ON CONFLICT DO NOTHING) and becomes 'DONE' with the
-- response once the request completes. Rows older than 24 h are deleted on write.
create table idempotency_key (
    scope_hash            bytea       not null check (octet_length(scope_hash) = 32),
    key                   text        not null check (key ~ '^[!-~]{1,128}$'),
    request_hash          bytea       not null check (octet_length(request_hash) = 32),
    state                 text        not null check (state in ('IN_PROGRESS', 'DONE')),
    response_status       integer     check (response_status between 100 and 599),
    response_content_type text        check (response_content_type is null or length(response_content_type) <= 200),
    response_body         bytea,
    created_at            timestamptz not null default now(),
    primary key (scope_hash, key),
    check ((state = 'IN_PROGRESS' and response_status is null and response_body is null)
        or (state = 'DONE' and response_status is not null and response_body is not null))
);

create index idempotency_key_created_at on idempotency_key (created_at);
