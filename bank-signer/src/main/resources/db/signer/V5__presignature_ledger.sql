-- The presignature ledger (docs/operations.md "Restoring a database backup", checklist row 9): a restore epoch bound
-- into every stored presignature and the number taken so far. The signer keeps the furthest (restore_epoch, taken)
-- it has seen outside the database as well; a database behind it was restored from a backup and may hold
-- presignatures already used, so the signer then deletes them all and moves the restore epoch past both marks.
create table signer_presign_ledger (
    singleton     boolean primary key default true check (singleton),
    restore_epoch bigint  not null default 0 check (restore_epoch >= 0),
    taken         bigint  not null default 0 check (taken >= 0)
);
insert into signer_presign_ledger (singleton) values (true);

alter table presignature add column restore_epoch bigint not null default 0 check (restore_epoch >= 0);
