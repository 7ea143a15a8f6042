-- Wallets. See docs/bank-server.md, "Wallets".

create table wallets (
    id              uuid        primary key,
    name            text        not null check (char_length(name) between 1 and 100),
    type            text        not null check (type in ('RETAIL', 'TREASURY', 'OPS', 'SETTLEMENT')),
    risk_profile    text        not null check (risk_profile in ('LOW', 'MEDIUM', 'HIGH')),
    tags            text[]      not null default '{}' check (cardinality(tags) <= 20),
    custody_backend text        not null check (custody_backend = 'MPC_2PC'),
    status          text        not null check (status in ('PENDING_KEYGEN', 'ACTIVE', 'FAILED')),
    keyset_id       text        not null unique check (octet_length(keyset_id) between 1 and 128),
    public_key      bytea       check (public_key is null or octet_length(public_key) in (33, 65)),
    address         text        check (address is null or char_length(address) between 1 and 128),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    last_used_at    timestamptz,
    created_by      uuid        not null references users (id),
    -- ACTIVE exactly when the key and the address are known
    check ((status = 'ACTIVE') = (public_key is not null and address is not null))
);
create index wallets_created_by on wallets (created_by);
create index wallet_roles_user on wallet_roles (user_id);

-- wallet_roles.wallet_id (V2) gets its foreign key. NOT VALID enforces it for every new or changed row without
-- touching existing ones; it is validated at once when no existing row is orphaned (nothing granted wallet roles
-- before V5, so on every known deployment). Orphans, if any, are kept (forward-only, no deletes) and reported.
alter table wallet_roles add constraint wallet_roles_wallet_fk
    foreign key (wallet_id) references wallets (id) not valid;
do $$
begin
    if not exists (select 1 from wallet_roles r where not exists (select 1 from wallets w where w.id = r.wallet_id)) then
        alter table wallet_roles validate constraint wallet_roles_wallet_fk;
    else
        raise warning 'wallet_roles holds grants for unknown wallets; wallet_roles_wallet_fk left NOT VALID';
    end if;
end
$$;
