-- Login throttling per account (issue 10 §4, docs/controls-hardening.md): failed sign-ins of an account make its next
-- attempt wait (1 s, doubling to 30 s), the tenth locks it for 15 minutes (an ADMIN may clear it). Kept in the
-- database so that every bank instance enforces the same count. A row exists only while there is something to
-- remember; a successful sign-in or an ADMIN's clearing deletes it.
create table login_throttle (
    user_id         uuid        primary key references users (id),
    failures        integer     not null check (failures >= 0),
    last_failure_at timestamptz,
    next_attempt_at timestamptz,
    locked_until    timestamptz,
    updated_at      timestamptz not null
);
