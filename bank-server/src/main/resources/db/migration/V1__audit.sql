-- Audit log: an append-only, hash-chained table (docs/bank-server.md, "Audit log").
-- hash = SHA-256(prev_hash || canonical(seq, occurred_at in epoch microseconds, actor, type, payload));
-- the first event's prev_hash is 32 zero bytes. The hashes are computed by the application (AuditChain).

create table audit_event (
    seq         bigint      primary key check (seq > 0),
    occurred_at timestamptz not null,
    actor       text        not null check (length(actor) between 1 and 200),
    type        text        not null check (type ~ '^[A-Z][A-Z0-9_]{0,63}$'),
    -- stored as the exact text that was hashed; must be valid JSON (query it with payload::jsonb)
    payload     text        not null check ((payload::jsonb) is not null),
    prev_hash   bytea       not null check (octet_length(prev_hash) = 32),
    hash        bytea       not null check (octet_length(hash) = 32)
);

-- The head of the chain: one row, locked (SELECT ... FOR UPDATE) by every writer, so appends are serialised and
-- seq has no gaps and the chain no forks. Verification also checks that the last event matches the head, which
-- detects events deleted from the end of the chain.
create table audit_head (
    id   smallint primary key check (id = 1),
    seq  bigint   not null check (seq >= 0),
    hash bytea    not null check (octet_length(hash) = 32)
);
insert into audit_head (id, seq, hash) values (1, 0, decode(repeat('00', 32), 'hex'));

-- Append-only at the database level: no UPDATE, DELETE or TRUNCATE on audit_event.
create function audit_event_reject_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_event_append_only
    before update or delete on audit_event
    for each row execute function audit_event_reject_change();

create trigger audit_event_no_truncate
    before truncate on audit_event
    for each statement execute function audit_event_reject_change();

-- An insert must extend the chain at its head: next seq, prev_hash = the head's hash.
create function audit_event_check_insert() returns trigger language plpgsql as $$
declare
    h audit_head%rowtype;
begin
    select * into h from audit_head where id = 1;
    if new.seq <> h.seq + 1 or new.prev_hash <> h.hash then
        raise exception 'audit_event insert must extend the chain head (expected seq %)', h.seq + 1
            using errcode = 'integrity_constraint_violation';
    end if;
    return new;
end;
$$;

create trigger audit_event_extends_head
    before insert on audit_event
    for each row execute function audit_event_check_insert();

-- The head only moves forward, one event at a time, onto an event that exists.
create function audit_head_check_change() returns trigger language plpgsql as $$
begin
    if tg_op <> 'UPDATE' then
        raise exception 'audit_head: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end if;
    if new.id <> old.id or new.seq <> old.seq + 1 or not exists (
            select 1 from audit_event e
             where e.seq = new.seq and e.hash = new.hash and e.prev_hash = old.hash) then
        raise exception 'audit_head may only advance to the next appended event'
            using errcode = 'integrity_constraint_violation';
    end if;
    return new;
end;
$$;

create trigger audit_head_forward_only
    before update or delete on audit_head
    for each row execute function audit_head_check_change();

create trigger audit_head_no_truncate
    before truncate on audit_head
    for each statement execute function audit_head_check_change();
