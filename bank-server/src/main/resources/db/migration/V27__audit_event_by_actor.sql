-- GET /v1/audit/events?actor=... (the console's audit page, docs/admin-console.md "Audit"): one actor's events in
-- chain order without reading the whole chain.
create index audit_event_by_actor on audit_event (actor, seq);
