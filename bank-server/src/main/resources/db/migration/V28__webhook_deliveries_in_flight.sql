-- A subscription's deliveries in flight (leased, not yet recorded): the dispatcher counts them for every candidate it
-- claims, to keep one slow receiver to its share of the senders (docs/integration.md "Delivery").
create index webhook_deliveries_in_flight on webhook_deliveries (subscription_id)
    where state = 'PENDING' and lease_until is not null;
