-- A redelivered event gets the whole retry schedule again (docs/integration.md "Webhooks"): retry_base is the number
-- of attempts made before the latest redelivery; the schedule counts the attempts after it. `attempts` keeps
-- counting every attempt, so the attempt log's numbers stay unique.
alter table webhook_deliveries add column retry_base int not null default 0 check (retry_base >= 0);
alter table webhook_deliveries add constraint webhook_deliveries_retry_base_check2 check (retry_base <= attempts);
