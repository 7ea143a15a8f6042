-- Users, refresh tokens and (for later) wallet-scoped role grants. See docs/bank-server.md, "Auth".

create table users (
    id            uuid        primary key,
    username      text        not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
    email         text        unique check (email is null or (length(email) between 3 and 254 and email like '%_@_%')),
    password_hash text        not null check (password_hash like '$2_$__$%' and length(password_hash) = 60),
    roles         text[]      not null check (cardinality(roles) >= 1
                                  and roles <@ array['ADMIN', 'OPERATOR', 'COMPLIANCE', 'VIEWER', 'CUSTOMER']::text[]),
    created_at    timestamptz not null default now(),
    disabled      boolean     not null default false
);

-- Opaque refresh tokens: only SHA-256 of the token is stored. A login starts a family; each refresh rotates the
-- token within its family. Presenting a rotated (revoked) token revokes the whole family.
create table refresh_tokens (
    id          uuid        primary key,
    token_hash  bytea       not null unique check (length(token_hash) = 32),
    user_id     uuid        not null references users (id),
    family_id   uuid        not null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    revoked_at  timestamptz,
    replaced_by uuid        references refresh_tokens (id)
);
create index refresh_tokens_family on refresh_tokens (family_id);
create index refresh_tokens_user on refresh_tokens (user_id);

-- Wallet-scoped roles (wallets come later: wallet_id gets its foreign key with the wallets table).
create table wallet_roles (
    wallet_id  uuid        not null,
    user_id    uuid        not null references users (id),
    role       text        not null check (role in ('OWNER', 'OPERATOR', 'VIEWER', 'APPROVER')),
    granted_at timestamptz not null default now(),
    primary key (wallet_id, user_id, role)
);
