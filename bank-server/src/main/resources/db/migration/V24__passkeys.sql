-- Passkeys (WebAuthn) for staff (issue 15, docs/admin-console.md "Sign-in and the second factor"): a staff user signs
-- in with password and passkey; actions that change money or control (votes, case resolutions, policies, roles) need
-- a fresh passkey assertion, a step-up token valid for one action. Challenges and step-up tokens are stored only as
-- SHA-256 of the token handed out; the passkey's public key only (the private key never leaves the authenticator).
create table passkeys (
    id              uuid        primary key,
    user_id         uuid        not null references users (id),
    credential_id   bytea       not null unique check (octet_length(credential_id) between 16 and 1023),
    -- the attested credential data as WebAuthn encodes it: AAGUID, credential id, COSE public key
    credential_data bytea       not null,
    sign_count      bigint      not null check (sign_count >= 0),
    uv_initialized  boolean     not null,
    backup_eligible boolean     not null,
    backup_state    boolean     not null,
    name            text        not null check (char_length(name) between 1 and 64),
    created_at      timestamptz not null,
    last_used_at    timestamptz
);
create index passkeys_by_user on passkeys (user_id);

create table passkey_challenges (
    token_hash bytea       primary key check (octet_length(token_hash) = 32),
    user_id    uuid        not null references users (id),
    purpose    text        not null check (purpose in ('SIGN_IN', 'ENROLL', 'STEP_UP')),
    challenge  bytea       not null check (octet_length(challenge) = 32),
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz
);

create table step_up_grants (
    token_hash bytea       primary key check (octet_length(token_hash) = 32),
    user_id    uuid        not null references users (id),
    passkey_id uuid        not null references passkeys (id),
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz,
    used_for   text
);

-- a session started with the passkey keeps that fact through refresh-token rotation
alter table refresh_tokens add column second_factor boolean not null default false;
