-- Legacy (EIP-155) transactions for a node without EIP-1559 (docs/custody-pipeline.md "Signing"): the type travels
-- with every sign request; an EIP-1559 request has both fee fields and no gas price, a legacy one only a gas price.
alter table sign_requests add column tx_type text not null default 'EIP1559'
    check (tx_type in ('EIP1559', 'LEGACY'));
alter table sign_requests alter column tx_type drop default;
alter table sign_requests add column gas_price numeric(78) check (gas_price is null or gas_price >= 0);
alter table sign_requests alter column max_priority_fee_per_gas drop not null;
alter table sign_requests alter column max_fee_per_gas drop not null;
alter table sign_requests add constraint sign_requests_fee_shape check (
    (tx_type = 'EIP1559' and max_priority_fee_per_gas is not null and max_fee_per_gas is not null
        and gas_price is null)
    or (tx_type = 'LEGACY' and gas_price is not null and max_priority_fee_per_gas is null
        and max_fee_per_gas is null));

-- What the worker priced the request's transaction as (null until SIGN_PENDING prices it).
alter table tx_requests add column tx_type text check (tx_type is null or tx_type in ('EIP1559', 'LEGACY'));
alter table tx_requests add column gas_price numeric(78) check (gas_price is null or gas_price >= 0);
update tx_requests set tx_type = 'EIP1559' where max_fee_per_gas is not null;
