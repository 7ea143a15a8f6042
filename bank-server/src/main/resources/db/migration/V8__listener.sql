-- The chain listener (docs/custody-pipeline.md, "Chain listener"): what it needs beyond V7 to notice reorgs.

-- The block a deposit was found in, compared again before CONFIRMED (a different canonical block at that height
-- means the deposit was reorged out), and the token contract of an ERC-20 deposit (null for ETH).
alter table deposits add column block_hash bytea check (block_hash is null or octet_length(block_hash) = 32);
alter table deposits add column token_address text
    check (token_address is null or token_address ~ '^0x[0-9a-f]{40}$');
alter table deposits add column updated_at timestamptz;
create index deposits_detected on deposits (chain_id, block_number) where status = 'DETECTED';

-- The hash of the last processed block, checked against the node before the listener scans on.
alter table chain_cursor add column last_block_hash bytea
    check (last_block_hash is null or octet_length(last_block_hash) = 32);

-- Hashes of recently scanned blocks (a bounded window below the cursor): after a reorg the listener walks back to
-- the newest block whose hash is still canonical (the fork point) and scans on from there. A cache of chain data,
-- not a record: rows older than the window are removed by the listener.
create table chain_blocks (
    chain_id numeric(78) not null,
    number   bigint      not null check (number >= 0),
    hash     bytea       not null check (octet_length(hash) = 32),
    primary key (chain_id, number)
);
