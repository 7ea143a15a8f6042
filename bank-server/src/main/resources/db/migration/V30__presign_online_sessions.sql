-- Presigning and online signing on the channel (docs/presign-online.md): a PRESIGN session makes one presignature
-- for a wallet (no sign request); an ONLINE session co-signs a sign request with one (a request, as SIGN).
alter table mpc_sessions drop constraint mpc_sessions_kind_check;
alter table mpc_sessions add constraint mpc_sessions_kind_check
    check (kind in ('KEYGEN', 'SIGN', 'REFRESH', 'PRESIGN', 'ONLINE'));
alter table mpc_sessions drop constraint mpc_sessions_check;
alter table mpc_sessions add constraint mpc_sessions_check
    check ((kind in ('SIGN', 'ONLINE')) = (request_id is not null));
