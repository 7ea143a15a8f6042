package org.mpcwallet.bank.integration.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.MappedProperty;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The delivery log: a subscription's rows of {@code webhook_deliveries} with their event's type and time (from
 * {@code webhook_outbox}), and each delivery's {@code webhook_attempts} (V21), as the webhook API shows them; and
 * redelivery, which makes one delivery or every event since a time due again (creating the deliveries of events
 * fanned out while the subscription was disabled, under the fan-out's visibility rule
 * {@link WebhookOutboxRepository#VISIBLE}). Micronaut Data JDBC, in the caller's Micronaut transaction when there is
 * one.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class WebhookDeliveryLogRepository implements GenericRepository<WebhookDeliveryRow, UUID> {

    /** A delivery as the log shows it (with its event's type and time). */
    @Introspected
    public record Delivery(UUID id, UUID subscriptionId, UUID eventId, @MappedProperty("type") String eventType,
                           long auditSeq, String entity, Instant occurredAt, String state, int attempts,
                           Instant nextAttemptAt, @Nullable Integer lastStatus, @Nullable String lastError,
                           @Nullable Integer lastLatencyMs, @Nullable Instant deliveredAt, Instant createdAt) {
    }

    /** One attempt of a delivery: its HTTP status (null when there was no answer), the error, the time it took. */
    @Introspected
    public record Attempt(int n, Instant startedAt, @Nullable Integer status, @Nullable String error,
                          int latencyMs) {
    }

    private static final String DELIVERY_COLUMNS = "d.id, d.subscription_id, d.event_id, o.type, d.audit_seq, "
            + "d.entity, o.occurred_at, d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error, "
            + "d.last_latency_ms, d.delivered_at, d.created_at";

    /**
     * A page of a subscription's deliveries in event order, after {@code afterSeq}; {@code state} null: any; events
     * that occurred in [{@code from}, {@code to}) (null: unbounded).
     */
    @Query("select " + DELIVERY_COLUMNS + " from webhook_deliveries d "
            + "join webhook_outbox o on o.id = d.event_id where d.subscription_id = :subscriptionId "
            + "and d.audit_seq > :afterSeq and (:state::text is null or d.state = :state::text) "
            + "and (:from::timestamptz is null or o.occurred_at >= :from::timestamptz) "
            + "and (:to::timestamptz is null or o.occurred_at < :to::timestamptz) order by d.audit_seq limit :limit")
    public abstract List<Delivery> deliveries(UUID subscriptionId, @Nullable String state, @Nullable Instant from,
                                              @Nullable Instant to, long afterSeq, int limit);

    /** The subscription's delivery of event {@code eventId}, if there is one. */
    @Query("select " + DELIVERY_COLUMNS + " from webhook_deliveries d "
            + "join webhook_outbox o on o.id = d.event_id where d.subscription_id = :subscriptionId "
            + "and d.event_id = :eventId")
    public abstract Optional<Delivery> delivery(UUID subscriptionId, UUID eventId);

    /** Every attempt of the delivery, in order. */
    @Query("select n, started_at, status, error, latency_ms from webhook_attempts where delivery_id = :deliveryId "
            + "order by n")
    public abstract List<Attempt> attempts(UUID deliveryId);

    /**
     * Makes one delivery due again now, with the whole retry schedule ahead of it (also one given up before); false
     * when there is none. An attempt out at the time keeps its lease (no second send at once); its outcome no longer
     * counts, and the event goes again when the lease is over.
     */
    public boolean redeliver(UUID subscriptionId, UUID eventId, Instant now) {
        return makeDue(subscriptionId, eventId, now) == 1;
    }

    /**
     * Makes every event since {@code since} that the subscription names and may see due again now, each with the
     * whole retry schedule ahead of it, creating the deliveries of events fanned out while it was disabled; returns
     * how many.
     */
    public int redeliverSince(UUID subscriptionId, Instant since, Instant now, List<String> caseRoles,
                              List<String> staffRoles) {
        return makeDueSince(subscriptionId, since, now, caseRoles.toArray(new String[0]),
                staffRoles.toArray(new String[0]));
    }

    @Query("update webhook_deliveries set state = 'PENDING', next_attempt_at = :now, retry_base = attempts "
            + "where subscription_id = :subscriptionId and event_id = :eventId")
    protected abstract int makeDue(UUID subscriptionId, UUID eventId, Instant now);

    @Query("insert into webhook_deliveries (id, subscription_id, event_id, audit_seq, entity, state, attempts, "
            + "next_attempt_at, created_at) "
            + "select gen_random_uuid(), s.id, o.id, o.audit_seq, o.entity, 'PENDING', 0, :now, :now "
            + "from webhook_outbox o join webhook_subscriptions s on s.id = :subscriptionId "
            + "and o.type = any (s.event_types) join api_clients a on a.id = s.client_id "
            + "join users u on u.id = a.user_id where o.occurred_at >= :since "
            + "and o.audit_seq <= (select audit_seq from webhook_fanout where id = 1) and "
            + WebhookOutboxRepository.VISIBLE + " on conflict (subscription_id, event_id) do update set "
            + "state = 'PENDING', next_attempt_at = excluded.next_attempt_at, "
            + "retry_base = webhook_deliveries.attempts")
    protected abstract int makeDueSince(UUID subscriptionId, Instant since, Instant now,
                                        @TypeDef(type = DataType.STRING_ARRAY) String[] caseRoles,
                                        @TypeDef(type = DataType.STRING_ARRAY) String[] staffRoles);
}
