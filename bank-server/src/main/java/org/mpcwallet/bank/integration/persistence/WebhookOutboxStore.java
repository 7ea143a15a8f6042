package org.mpcwallet.bank.integration.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Tables {@code webhook_outbox}, {@code webhook_fanout} and the queue side of {@code webhook_deliveries} and
 * {@code webhook_attempts} (V21): the outbox row of each audit event, its fan-out into one delivery per subscription,
 * the leased claim of due deliveries and the record of each attempt. Plain JDBC on the caller's connection, because
 * the outbox is written inside the audit append's transaction and the fan-out and claim are single statements with
 * locking clauses Micronaut Data does not express.
 */
public final class WebhookOutboxStore {
    private WebhookOutboxStore() {
    }

    /** A delivery claimed for one attempt: what to send where. */
    public record Claimed(UUID deliveryId, UUID subscriptionId, UUID eventId, int attempt, String url, String body,
                          Instant occurredAt, int retryBase) {
        /** The attempt's number in the retry schedule: counted from the latest redelivery. */
        public int scheduled() {
            return attempt - retryBase;
        }
    }

    // ---- the outbox (inside the audit append's transaction)

    public static void insertOutbox(Connection c, UUID id, long auditSeq, String type, String entity, UUID walletId,
                                    Instant occurredAt, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into webhook_outbox (id, audit_seq, type, entity, "
                + "wallet_id, occurred_at, body) values (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setLong(2, auditSeq);
            ps.setString(3, type);
            ps.setString(4, entity);
            ps.setObject(5, walletId);
            ps.setTimestamp(6, Timestamp.from(occurredAt));
            ps.setString(7, body);
            ps.executeUpdate();
        }
    }

    // ---- fan-out

    /**
     * Whether the subscription's client may see outbox row {@code o} (the REST API's rule): KYT cases to the case
     * roles ({@code :caseRoles}); a wallet's events to staff roles ({@code :staffRoles}) and to holders of a role on
     * the wallet. Also used by {@link WebhookDeliveryLogRepository#redeliverSince}.
     */
    static final String VISIBLE = "(case when o.type like 'kyt\\_case.%' then u.roles && :caseRoles::text[] "
            + "else (u.roles && :staffRoles::text[] or exists (select 1 from wallet_roles g "
            + "where g.wallet_id = o.wallet_id and g.user_id = u.id)) end)";

    /** {@link #VISIBLE} with positional parameters: case roles, staff roles. */
    private static final String VISIBLE_POSITIONAL = VISIBLE.replace(":caseRoles", "?").replace(":staffRoles", "?");

    /**
     * Fans the next outbox rows out (at most {@code batch}): one PENDING delivery per enabled subscription of an
     * enabled client that names the type, was created before the event and may see it; moves the fan-out cursor.
     * Returns the number of outbox rows read. One instance at a time (the cursor row is locked).
     */
    public static int fanOut(Connection c, int batch, List<String> caseRoles, List<String> staffRoles, Instant now)
            throws SQLException {
        long cursor;
        try (PreparedStatement ps = c.prepareStatement("select audit_seq from webhook_fanout where id = 1 "
                + "for update skip locked"); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return 0; // another instance is fanning out
            }
            cursor = rs.getLong(1);
        }
        long upto = -1;
        int read = 0;
        try (PreparedStatement ps = c.prepareStatement("select audit_seq from webhook_outbox where audit_seq > ? "
                + "order by audit_seq limit ?")) {
            ps.setLong(1, cursor);
            ps.setInt(2, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    upto = rs.getLong(1);
                    read++;
                }
            }
        }
        if (read == 0) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into webhook_deliveries (id, subscription_id, "
                + "event_id, audit_seq, entity, state, attempts, next_attempt_at, created_at) "
                + "select gen_random_uuid(), s.id, o.id, o.audit_seq, o.entity, 'PENDING', 0, ?, ? "
                + "from webhook_outbox o join webhook_subscriptions s on o.type = any (s.event_types) "
                + "and o.audit_seq > s.from_seq and s.disabled_at is null "
                + "join api_clients a on a.id = s.client_id and a.disabled_at is null "
                + "join users u on u.id = a.user_id and not u.disabled "
                + "where o.audit_seq > ? and o.audit_seq <= ? and " + VISIBLE_POSITIONAL
                + " on conflict (subscription_id, event_id) do nothing")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setLong(3, cursor);
            ps.setLong(4, upto);
            ps.setArray(5, c.createArrayOf("text", caseRoles.toArray()));
            ps.setArray(6, c.createArrayOf("text", staffRoles.toArray()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update webhook_fanout set audit_seq = ? where id = 1")) {
            ps.setLong(1, upto);
            ps.executeUpdate();
        }
        return read;
    }

    // ---- delivery

    /** Deliveries of one subscription in flight (leased and not yet recorded) as of {@code ?} — SQL. */
    private static final String IN_FLIGHT = "(select count(*) from webhook_deliveries f where f.subscription_id = "
            + "%s.subscription_id and f.state = 'PENDING' and f.lease_until >= ?)";

    /**
     * Claims up to {@code limit} due deliveries of enabled subscriptions, each the oldest pending one of its entity
     * for its subscription (order per entity), at most {@code perSubscription} of one subscription in flight at once
     * (those already in flight included, so one slow receiver cannot take every sender), and leases them until
     * {@code leaseUntil}; counts the attempt. The candidates are read from the front of the due queue, a window of
     * {@code 4 * limit}, skipping subscriptions already at their share.
     */
    public static List<Claimed> claim(Connection c, Instant now, Instant leaseUntil, int limit, int perSubscription)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("with top as (select d.id, d.subscription_id, "
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
                + "o.occurred_at, d.retry_base")) {
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
            out.sort(java.util.Comparator.comparing(Claimed::occurredAt));
            return out;
        }
    }

    /**
     * Records attempt {@code attempt} of a claimed delivery and its outcome: {@code state} with the next attempt
     * time (PENDING) or the delivery time (DELIVERED). False when the delivery was claimed again meanwhile (its lease
     * ran out: that claim records its own attempt), or redelivered while this attempt was out ({@code retryBase}
     * moved on: the redelivery stands, and the event is sent again once this attempt's lease is over).
     */
    public static boolean record(Connection c, UUID deliveryId, int attempt, int retryBase, Instant startedAt,
                                 Integer status, String error, int latencyMs, String state, Instant nextAttemptAt,
                                 Instant deliveredAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update webhook_deliveries set state = ?, lease_until = null, "
                + "next_attempt_at = coalesce(?, next_attempt_at), last_status = ?, last_error = ?, "
                + "last_latency_ms = ?, delivered_at = coalesce(?, delivered_at) where id = ? and attempts = ? "
                + "and retry_base = ?")) {
            ps.setString(1, state);
            ps.setTimestamp(2, nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt));
            setInt(ps, 3, status);
            ps.setString(4, error);
            ps.setInt(5, latencyMs);
            ps.setTimestamp(6, deliveredAt == null ? null : Timestamp.from(deliveredAt));
            ps.setObject(7, deliveryId);
            ps.setInt(8, attempt);
            ps.setInt(9, retryBase);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into webhook_attempts (delivery_id, n, started_at, "
                + "status, error, latency_ms) values (?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            ps.setObject(1, deliveryId);
            ps.setInt(2, attempt);
            ps.setTimestamp(3, Timestamp.from(startedAt));
            setInt(ps, 4, status);
            ps.setString(5, error);
            ps.setInt(6, latencyMs);
            ps.executeUpdate();
        }
        return true;
    }

    /** The start of the reason the dispatcher gives when it disables an endpoint that kept failing. */
    public static final String FAILING_REASON = "failing since ";

    /**
     * Subscriptions the dispatcher disabled after failing for the disable period and not re-enabled (their reason
     * starts with {@link #FAILING_REASON}; those disabled by a person are not counted).
     */
    public static long endpointsDisabled(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from webhook_subscriptions "
                + "where disabled_at is not null and starts_with(disabled_reason, ?)")) {
            ps.setString(1, FAILING_REASON);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Deliveries waiting (PENDING), for the backlog gauge. */
    public static long pending(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from webhook_deliveries "
                + "where state = 'PENDING'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- rows

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
}
