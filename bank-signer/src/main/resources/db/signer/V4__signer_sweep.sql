-- The sweep of a retired key, the signer's side (docs/key-rotation.md, docs/protocol.md §6.4): a locked keyset may still sign transactions paying sweep_to, at most sweeps_left more times;
-- the write that takes the last one sets retired_at, after which nothing decrypts with the key again.
alter table keyset_lock
    add column sweep_to    text        check (sweep_to is null or sweep_to ~ '^0x[0-9a-f]{40}$'),
    add column sweeps_left integer     not null default 0 check (sweeps_left >= 0),
    add column retired_at  timestamptz,
    add check (retired_at is null or sweep_to is not null);
