package org.mpcwallet.bank.integration.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tables {@code webhook_outbox}, {@code webhook_fanout} and the queue side of {@code webhook_deliveries} and
 * {@code webhook_attempts} (V21): the outbox row of each audit event, its fan-out into one delivery per subscription,
 * the leased claim of due deliveries and the record of each attempt. Micronaut Data JDBC, in the caller's Micronaut
 * transaction; {@link #fanOut} and {@link #claim} refuse to run outside one (their row locks are the point), and so
 * does {@link #insertOutbox} (the outbox row is written in the audit append's transaction).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class WebhookOutboxRepository implements GenericRepository<WebhookDeliveryRow, UUID> {
    @Inject
    JdbcOperations jdbc;

    /** A delivery claimed for one attempt: what to send where. */
    public record Claimed(UUID deliveryId, UUID subscriptionId, UUID eventId, int attempt, String url, String body,
                          Instant occurredAt, int retryBase) {
        /** The attempt's number in the retry schedule: counted from the latest redelivery. */
        public int scheduled() {
            return attempt - retryBase;
        }
    }

    /** The start of the reason the dispatcher gives when it disables an endpoint that kept failing. */
    public static final String FAILING_REASON = "failing since ";

    /**
     * Whether the subscription's client may see outbox row {@code o} (the REST API's rule): KYT cases to the case
     * roles ({@code :caseRoles}); a wallet's events to staff roles ({@code :staffRoles}) and to holders of a role on
     * the wallet. Also used by {@link WebhookDeliveryLogRepository#redeliverSince}.
     */
    static final String VISIBLE = "(case when o.type like 'kyt\\_case.%' then u.roles && :caseRoles::text[] "
            + "else (u.roles && :staffRoles::text[] or exists (select 1 from wallet_roles g "
            + "where g.wallet_id = o.wallet_id and g.user_id = u.id)) end)";

    // ---- the outbox (inside the audit append's transaction)

    /**
     * Inserts the outbox row of an audit event in the audit append's transaction (the row commits or rolls back with
     * the event); refuses to run outside a transaction.
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("insert into webhook_outbox (id, audit_seq, type, entity, wallet_id, occurred_at, body) "
            + "values (:id, :auditSeq, :type, :entity, :walletId, :occurredAt, :body)")
    public abstract void insertOutbox(UUID id, long auditSeq, String type, String entity, @Nullable UUID walletId,
                                      Instant occurredAt, String body);

    // ---- fan-out

    /**
     * Fans the next outbox rows out (at most {@code batch}): one PENDING delivery per enabled subscription of an
     * enabled client that names the type, was created before the event and may see it; moves the fan-out cursor.
     * Returns the number of outbox rows read. One instance at a time (the cursor row is locked).
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public int fanOut(int batch, List<String> caseRoles, List<String> staffRoles, Instant now) {
        Optional<Long> cursor = lockCursor();
        if (cursor.isEmpty()) {
            return 0; // another instance is fanning out
        }
        List<Long> read = nextSeqs(cursor.get(), batch);
        if (read.isEmpty()) {
            return 0;
        }
        long upto = read.get(read.size() - 1);
        insertDeliveries(now, cursor.get(), upto, caseRoles.toArray(new String[0]), staffRoles.toArray(new String[0]));
        moveCursor(upto);
        return read.size();
    }

    @Query("select audit_seq from webhook_fanout where id = 1 for update skip locked")
    protected abstract Optional<Long> lockCursor();

    @Query("select audit_seq from webhook_outbox where audit_seq > :cursor order by audit_seq limit :batch")
    protected abstract List<Long> nextSeqs(long cursor, int batch);

    @Query("insert into webhook_deliveries (id, subscription_id, event_id, audit_seq, entity, state, attempts, "
            + "next_attempt_at, created_at) "
            + "select gen_random_uuid(), s.id, o.id, o.audit_seq, o.entity, 'PENDING', 0, :now, :now "
            + "from webhook_outbox o join webhook_subscriptions s on o.type = any (s.event_types) "
            + "and o.audit_seq > s.from_seq and s.disabled_at is null "
            + "join api_clients a on a.id = s.client_id and a.disabled_at is null "
            + "join users u on u.id = a.user_id and not u.disabled "
            + "where o.audit_seq > :cursor and o.audit_seq <= :upto and " + VISIBLE
            + " on conflict (subscription_id, event_id) do nothing")
    protected abstract void insertDeliveries(Instant now, long cursor, long upto,
                                             @TypeDef(type = DataType.STRING_ARRAY) String[] caseRoles,
                                             @TypeDef(type = DataType.STRING_ARRAY) String[] staffRoles);

    @Query("update webhook_fanout set audit_seq = :upto where id = 1")
    protected abstract void moveCursor(long upto);

    // ---- delivery

    /** Deliveries of one subscription in flight (leased and not yet recorded) as of {@code ?} — SQL. */
    private static final String IN_FLIGHT = "(select count(*) from webhook_deliveries f where f.subscription_id = "
            + "%s.subscription_id and f.state = 'PENDING' and f.lease_until >= ?)";

    private static final String CLAIM = "with top as (select d.id, d.subscription_id, "
            + "d.next_attempt_at, d.audit_seq from webhook_deliveries d "
            + "join webhook_subscriptions s on s.id = d.subscription_id and s.disabled_at is null "
            + "where d.state = 'PENDING' and d.next_attempt_at <= ? and (d.lease_until is null "
            + "or d.lease_until < ?) and not exists (select 1 from webhook_deliveries e "
            + "where e.subscription_id = d.subscription_id and e.entity = d.entity and e.state = 'PENDING' "
            + "and e.audit_seq < d.audit_seq) and " + IN_FLIGHT.formatted("d") + " < ? "
            + "order by d.next_attempt_at, d.audit_seq limit ?), "
            + "ranked as (select t.id, t.next_attempt_at, t.audit_seq, row_number() over (partition by "
            + "t.subscription_id order by t.next_attempt_at, t.audit_seq) + " + IN_FLIGHT.formatted("t")
            + " as slot from top t), "
            + "due as (select d.id from webhook_deliveries d join ranked r on r.id = d.id where r.slot <= ? "
            + "order by r.next_attempt_at, r.audit_seq limit ? for update of d skip locked) "
            + "update webhook_deliveries d set lease_until = ?, attempts = d.attempts + 1 from due, "
            + "webhook_subscriptions s, webhook_outbox o where d.id = due.id and s.id = d.subscription_id "
            + "and o.id = d.event_id returning d.id, d.subscription_id, d.event_id, d.attempts, s.url, o.body, "
            + "o.occurred_at, d.retry_base";

    /**
     * Claims up to {@code limit} due deliveries of enabled subscriptions, each the oldest pending one of its entity
     * for its subscription (order per entity), at most {@code perSubscription} of one subscription in flight at once
     * (those already in flight included, so one slow receiver cannot take every sender), and leases them until
     * {@code leaseUntil}; counts the attempt. The candidates are read from the front of the due queue, a window of
     * {@code 4 * limit}, skipping subscriptions already at their share. One statement, as written, on the current
     * transaction's connection (Micronaut Data maps a native {@code returning} clause to the row's id).
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public List<Claimed> claim(Instant now, Instant leaseUntil, int limit, int perSubscription) {
        return jdbc.prepareStatement(CLAIM, ps -> {
            Timestamp at = Timestamp.from(now);
            ps.setTimestamp(1, at);
            ps.setTimestamp(2, at);
            ps.setTimestamp(3, at);
            ps.setInt(4, perSubscription);
            ps.setInt(5, 4 * limit);
            ps.setTimestamp(6, at);
            ps.setInt(7, perSubscription);
            ps.setInt(8, limit);
            ps.setTimestamp(9, Timestamp.from(leaseUntil));
            List<Claimed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getObject(3, UUID.class), rs.getInt(4), rs.getString(5), rs.getString(6),
                            rs.getTimestamp(7).toInstant(), rs.getInt(8)));
                }
            }
            out.sort(Comparator.comparing(Claimed::occurredAt));
            return out;
        });
    }

    /**
     * Records attempt {@code attempt} of a claimed delivery and its outcome: {@code state} with the next attempt
     * time (PENDING) or the delivery time (DELIVERED). False when the delivery was claimed again meanwhile (its lease
     * ran out: that claim records its own attempt), or redelivered while this attempt was out ({@code retryBase}
     * moved on: the redelivery stands, and the event is sent again once this attempt's lease is over).
     */
    @Transactional
    public boolean record(UUID deliveryId, int attempt, int retryBase, Instant startedAt, @Nullable Integer status,
                          @Nullable String error, int latencyMs, String state, @Nullable Instant nextAttemptAt,
                          @Nullable Instant deliveredAt) {
        if (updateOutcome(deliveryId, attempt, retryBase, status, error, latencyMs, state, nextAttemptAt,
                deliveredAt) == 0) {
            return false;
        }
        insertAttempt(deliveryId, attempt, startedAt, status, error, latencyMs);
        return true;
    }

    @Query("update webhook_deliveries set state = :state, lease_until = null, "
            + "next_attempt_at = coalesce(:nextAttemptAt, next_attempt_at), last_status = :status, "
            + "last_error = :error, last_latency_ms = :latencyMs, delivered_at = coalesce(:deliveredAt, delivered_at) "
            + "where id = :deliveryId and attempts = :attempt and retry_base = :retryBase")
    protected abstract int updateOutcome(UUID deliveryId, int attempt, int retryBase, @Nullable Integer status,
                                         @Nullable String error, int latencyMs, String state,
                                         @Nullable Instant nextAttemptAt, @Nullable Instant deliveredAt);

    @Query("insert into webhook_attempts (delivery_id, n, started_at, status, error, latency_ms) "
            + "values (:deliveryId, :attempt, :startedAt, :status, :error, :latencyMs) on conflict do nothing")
    protected abstract void insertAttempt(UUID deliveryId, int attempt, Instant startedAt, @Nullable Integer status,
                                          @Nullable String error, int latencyMs);

    /**
     * Subscriptions the dispatcher disabled after failing for the disable period and not re-enabled (their reason
     * starts with {@link #FAILING_REASON}; those disabled by a person are not counted).
     */
    public long endpointsDisabled() {
        return countDisabled(FAILING_REASON);
    }

    @Query("select count(*) from webhook_subscriptions where disabled_at is not null "
            + "and starts_with(disabled_reason, :prefix)")
    protected abstract long countDisabled(String prefix);

    /** Deliveries waiting (PENDING), for the backlog gauge. */
    @Query("select count(*) from webhook_deliveries where state = 'PENDING'")
    public abstract long pending();
}
