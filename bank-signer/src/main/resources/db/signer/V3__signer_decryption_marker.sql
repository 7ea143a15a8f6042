-- "Decryption in progress" markers of the bank signer (docs/protocol.md §6.4, docs/bank-signer.md): written and
-- committed before P1 decrypts a signing ciphertext, deleted once the signature verified (or the attempt ended
-- without a decryption). A marker older than the signer's threshold means a crash or a database error between the
-- decryption and the verified signature: the key is then locked like any failed signature.
create table signer_decryption (
    keyset_id  text        not null,
    session_id text        not null,
    started_at timestamptz not null default now(),
    primary key (keyset_id, session_id)
);
