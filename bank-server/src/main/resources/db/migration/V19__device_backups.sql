-- The bank's copy of a customer's device share (issue 13, docs/client-web.md "The bank's copy"): an optional
-- recovery copy for browsers, which may lose their storage. The device seals its share (share vault v1, role P2,
-- the wallet id in the authenticated header) under a generated recovery code of 160 random bits that only the
-- customer holds, then stores the envelope here; the bank cannot open it (it never sees the code) and the
-- password-based alternative is refused by design, since the bank also holds the other share. One copy per wallet,
-- replaced by the next; key_epoch is the bank's key epoch when the copy was stored (a later key refresh makes the
-- copy useless, and the API says so).
create table device_backups (
    wallet_id    uuid        primary key references wallets (id),
    envelope     bytea       not null check (octet_length(envelope) between 64 and 16384),
    sealed_with  text        not null check (sealed_with in ('recovery-code')),
    key_epoch    bigint      not null check (key_epoch >= 0),
    stored_by    uuid        not null references users (id),
    stored_at    timestamptz not null
);
