-- When each transfer entered its current state (issue 14 "time in state"; docs/integration.md "Metrics"): set at
-- insert and whenever the status changes (TxRequestStore.update), read by the gauge of the oldest transfer in each
-- state. Existing rows take their last update as the best known value.
alter table tx_requests add column status_since timestamptz;
update tx_requests set status_since = updated_at;
alter table tx_requests alter column status_since set not null;
alter table tx_requests alter column status_since set default now();
