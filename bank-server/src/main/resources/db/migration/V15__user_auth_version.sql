-- Revocation that takes effect (issue 10, docs/controls-hardening.md §2): every change of a user's status, bank roles
-- or password bumps auth_version, whatever makes it (the API, the console, SQL by an operator). Access tokens carry
-- the version they were issued under (claim ver); a token of an older version, or of a disabled user, is refused on
-- the next request (the bank caches a user's state for at most 2 s).
alter table users add column auth_version bigint not null default 0 check (auth_version >= 0);

create function users_bump_auth_version() returns trigger language plpgsql as $$
begin
    if new.disabled is distinct from old.disabled or new.roles is distinct from old.roles
            or new.password_hash is distinct from old.password_hash then
        new.auth_version := old.auth_version + 1;
    end if;
    return new;
end
$$;

create trigger users_auth_version before update on users for each row execute function users_bump_auth_version();
