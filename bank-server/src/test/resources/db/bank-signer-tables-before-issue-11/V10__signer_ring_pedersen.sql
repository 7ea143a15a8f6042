-- The bank signer's own ring-Pedersen parameters (docs/protocol.md §4, docs/zk-proofs.md §8): N̂, s, t and their
-- Π^prm proof, public values only (the factors of N̂ are discarded after proving). One row; the first signer
-- instance to start writes it, every other instance reads it. Devices verify the proof once; P2 proves its signing
-- ciphertexts under these parameters and the signer verifies against the copy kept in each share.
create table signer_ring_pedersen (
    id          smallint primary key check (id = 1),
    params      bytea       not null,
    fingerprint bytea       not null check (length(fingerprint) = 32),
    created_at  timestamptz not null default now()
);
