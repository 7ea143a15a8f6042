package org.mpcwallet.bank.integration.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The delivery log: a subscription's rows of {@code webhook_deliveries} with their event's type and time, and each
 * delivery's {@code webhook_attempts} (V21), as the webhook API shows them; and redelivery, which makes one delivery
 * or every event since a time due again (creating the deliveries of events fanned out while the subscription was
 * disabled, under the fan-out's visibility rule {@code WebhookOutboxStore.VISIBLE}). Plain JDBC on the caller's
 * connection.
 */
public final class WebhookDeliveryLogStore {
    private WebhookDeliveryLogStore() {
    }

    /** A delivery as the log shows it (with its event's type and time). */
    public record Delivery(UUID id, UUID subscriptionId, UUID eventId, String eventType, long auditSeq, String entity,
                           Instant occurredAt, String state, int attempts, Instant nextAttemptAt, Integer lastStatus,
                           String lastError, Integer lastLatencyMs, Instant deliveredAt, Instant createdAt) {
    }

    public record Attempt(int n, Instant startedAt, Integer status, String error, int latencyMs) {
    }

    private static final String DELIVERY_COLUMNS = "d.id, d.subscription_id, d.event_id, o.type, d.audit_seq, "
            + "d.entity, o.occurred_at, d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error, "
            + "d.last_latency_ms, d.delivered_at, d.created_at";

    /**
     * A page of a subscription's deliveries in event order, after {@code afterSeq}; {@code state} null: any; events
     * that occurred in [{@code from}, {@code to}) (null: unbounded).
     */
    public static List<Delivery> deliveries(Connection c, UUID subscriptionId, String state, Instant from,
                                            Instant to, long afterSeq, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + DELIVERY_COLUMNS + " from webhook_deliveries d "
                + "join webhook_outbox o on o.id = d.event_id where d.subscription_id = ? and d.audit_seq > ? "
                + "and (?::text is null or d.state = ?::text) "
                + "and (?::timestamptz is null or o.occurred_at >= ?::timestamptz) "
                + "and (?::timestamptz is null or o.occurred_at < ?::timestamptz) order by d.audit_seq limit ?")) {
            ps.setObject(1, subscriptionId);
            ps.setLong(2, afterSeq);
            ps.setString(3, state);
            ps.setString(4, state);
            Timestamp f = from == null ? null : Timestamp.from(from);
            Timestamp t = to == null ? null : Timestamp.from(to);
            ps.setTimestamp(5, f);
            ps.setTimestamp(6, f);
            ps.setTimestamp(7, t);
            ps.setTimestamp(8, t);
            ps.setInt(9, limit);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(delivery(rs));
                }
            }
            return out;
        }
    }

    public static Optional<Delivery> delivery(Connection c, UUID subscriptionId, UUID eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + DELIVERY_COLUMNS + " from webhook_deliveries d "
                + "join webhook_outbox o on o.id = d.event_id where d.subscription_id = ? and d.event_id = ?")) {
            ps.setObject(1, subscriptionId);
            ps.setObject(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(delivery(rs)) : Optional.empty();
            }
        }
    }

    public static List<Attempt> attempts(Connection c, UUID deliveryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select n, started_at, status, error, latency_ms "
                + "from webhook_attempts where delivery_id = ? order by n")) {
            ps.setObject(1, deliveryId);
            List<Attempt> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Attempt(rs.getInt(1), rs.getTimestamp(2).toInstant(), intOrNull(rs, 3),
                            rs.getString(4), rs.getInt(5)));
                }
            }
            return out;
        }
    }

    /**
     * Makes one delivery due again now, with the whole retry schedule ahead of it (also one given up before); false
     * when there is none. An attempt out at the time keeps its lease (no second send at once); its outcome no longer
     * counts, and the event goes again when the lease is over.
     */
    public static boolean redeliver(Connection c, UUID subscriptionId, UUID eventId, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update webhook_deliveries set state = 'PENDING', "
                + "next_attempt_at = ?, retry_base = attempts where subscription_id = ? and event_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, subscriptionId);
            ps.setObject(3, eventId);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Makes every event since {@code since} that the subscription names and may see due again now, each with the
     * whole retry schedule ahead of it, creating the deliveries of events fanned out while it was disabled; returns
     * how many.
     */
    public static int redeliverSince(Connection c, UUID subscriptionId, Instant since, Instant now,
                                     List<String> caseRoles, List<String> staffRoles) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into webhook_deliveries (id, subscription_id, "
                + "event_id, audit_seq, entity, state, attempts, next_attempt_at, created_at) "
                + "select gen_random_uuid(), s.id, o.id, o.audit_seq, o.entity, 'PENDING', 0, ?, ? "
                + "from webhook_outbox o join webhook_subscriptions s on s.id = ? and o.type = any (s.event_types) "
                + "join api_clients a on a.id = s.client_id join users u on u.id = a.user_id "
                + "where o.occurred_at >= ? and o.audit_seq <= (select audit_seq from webhook_fanout where id = 1) "
                + "and " + WebhookOutboxStore.VISIBLE + " on conflict (subscription_id, event_id) do update set "
                + "state = 'PENDING', next_attempt_at = excluded.next_attempt_at, "
                + "retry_base = webhook_deliveries.attempts")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, subscriptionId);
            ps.setTimestamp(4, Timestamp.from(since));
            ps.setArray(5, c.createArrayOf("text", caseRoles.toArray()));
            ps.setArray(6, c.createArrayOf("text", staffRoles.toArray()));
            return ps.executeUpdate();
        }
    }

    // ---- rows

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getLong(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getString(8),
                rs.getInt(9), rs.getTimestamp(10).toInstant(), intOrNull(rs, 11), rs.getString(12),
                intOrNull(rs, 13), instant(rs, 14), rs.getTimestamp(15).toInstant());
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }

    private static Integer intOrNull(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }
}
