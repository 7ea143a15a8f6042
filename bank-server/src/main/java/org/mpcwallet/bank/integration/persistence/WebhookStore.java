package org.mpcwallet.bank.integration.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tables {@code webhook_outbox}, {@code webhook_subscriptions}, {@code webhook_fanout}, {@code webhook_deliveries},
 * {@code webhook_attempts}, {@code webhook_signing_keys} (V21): plain JDBC on the caller's connection, because the
 * outbox is written inside the audit append's transaction and the fan-out and claim are single statements with
 * locking clauses Micronaut Data does not express.
 */
public final class WebhookStore {
    private WebhookStore() {
    }

    public record Subscription(UUID id, UUID clientId, String url, List<String> eventTypes, String description,
                               long fromSeq, UUID createdBy, Instant createdAt, Instant disabledAt,
                               String disabledReason, Instant failingSince) {
    }

    /** A delivery as the log shows it (with its event's type and time). */
    public record Delivery(UUID id, UUID subscriptionId, UUID eventId, String eventType, long auditSeq, String entity,
                           Instant occurredAt, String state, int attempts, Instant nextAttemptAt, Integer lastStatus,
                           String lastError, Integer lastLatencyMs, Instant deliveredAt, Instant createdAt) {
    }

    public record Attempt(int n, Instant startedAt, Integer status, String error, int latencyMs) {
    }

    /** A delivery claimed for one attempt: what to send where. */
    public record Claimed(UUID deliveryId, UUID subscriptionId, UUID eventId, int attempt, String url, String body,
                          Instant occurredAt) {
    }

    public record SigningKey(String kid, byte[] publicKey, Instant createdAt, Instant retiredAt) {
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

    // ---- subscriptions

    private static final String SUBSCRIPTION_COLUMNS = "id, client_id, url, event_types, description, from_seq, "
            + "created_by, created_at, disabled_at, disabled_reason, failing_since";

    public static void insertSubscription(Connection c, Subscription s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into webhook_subscriptions (" + SUBSCRIPTION_COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, null, null, null)")) {
            ps.setObject(1, s.id());
            ps.setObject(2, s.clientId());
            ps.setString(3, s.url());
            ps.setArray(4, c.createArrayOf("text", s.eventTypes().toArray()));
            ps.setString(5, s.description());
            ps.setLong(6, s.fromSeq());
            ps.setObject(7, s.createdBy());
            ps.setTimestamp(8, Timestamp.from(s.createdAt()));
            ps.executeUpdate();
        }
    }

    public static Optional<Subscription> subscription(Connection c, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + SUBSCRIPTION_COLUMNS
                + " from webhook_subscriptions where id = ?" + (lock ? " for update" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(subscription(rs)) : Optional.empty();
            }
        }
    }

    /** A page of subscriptions in creation order after {@code after}; {@code clientId} null: all; limit + 1 rows. */
    public static List<Subscription> subscriptions(Connection c, UUID clientId,
                                                   org.mpcwallet.bank.paging.Cursors.TimeKey after, int limit)
            throws SQLException {
        org.mpcwallet.bank.db.Keyset q = new org.mpcwallet.bank.db.Keyset("");
        if (clientId != null) {
            q.and("client_id = ?", clientId);
        }
        return q.page(c, "select " + SUBSCRIPTION_COLUMNS + " from webhook_subscriptions", after, false, limit,
                WebhookStore::subscription);
    }

    public static int countSubscriptions(Connection c, UUID clientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from webhook_subscriptions where client_id = ? "
                + "and disabled_at is null")) {
            ps.setObject(1, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public static void setDisabled(Connection c, UUID id, Instant at, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update webhook_subscriptions set disabled_at = ?, "
                + "disabled_reason = ? where id = ?")) {
            ps.setTimestamp(1, at == null ? null : Timestamp.from(at));
            ps.setString(2, reason);
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    /** Re-enables: clears the disabled mark and the failure streak. */
    public static void enable(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update webhook_subscriptions set disabled_at = null, "
                + "disabled_reason = null, failing_since = null where id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    /** A failure: starts the streak if none runs; returns when the streak began. */
    public static Instant failing(Connection c, UUID id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update webhook_subscriptions set failing_since = "
                + "coalesce(failing_since, ?) where id = ? returning failing_since")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).toInstant() : now;
            }
        }
    }

    public static void succeeded(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update webhook_subscriptions set failing_since = null "
                + "where id = ? and failing_since is not null")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    /** The API client whose user row is {@code userId}: its id, or empty. */
    public static Optional<UUID> clientOfUser(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from api_clients where user_id = ?")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    public static boolean clientExists(Connection c, UUID clientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from api_clients where id = ?")) {
            ps.setObject(1, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---- fan-out

    /**
     * Whether the subscription's client may see outbox row {@code o} (the REST API's rule): KYT cases to the case
     * roles; a wallet's events to staff roles and to holders of a role on the wallet. Parameters: case roles, staff
     * roles.
     */
    private static final String VISIBLE = "(case when o.type like 'kyt\\_case.%' then u.roles && ?::text[] "
            + "else (u.roles && ?::text[] or exists (select 1 from wallet_roles g where g.wallet_id = o.wallet_id "
            + "and g.user_id = u.id)) end)";

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
                + "where o.audit_seq > ? and o.audit_seq <= ? and " + VISIBLE
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
                + "o.occurred_at")) {
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
                            rs.getTimestamp(7).toInstant()));
                }
            }
            out.sort(java.util.Comparator.comparing(Claimed::occurredAt));
            return out;
        }
    }

    /**
     * Records attempt {@code attempt} of a claimed delivery and its outcome: {@code state} with the next attempt
     * time (PENDING) or the delivery time (DELIVERED). False when the delivery was claimed again meanwhile (its lease
     * ran out): that claim records its own attempt.
     */
    public static boolean record(Connection c, UUID deliveryId, int attempt, Instant startedAt, Integer status,
                                 String error, int latencyMs, String state, Instant nextAttemptAt,
                                 Instant deliveredAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update webhook_deliveries set state = ?, lease_until = null, "
                + "next_attempt_at = coalesce(?, next_attempt_at), last_status = ?, last_error = ?, "
                + "last_latency_ms = ?, delivered_at = coalesce(?, delivered_at) where id = ? and attempts = ?")) {
            ps.setString(1, state);
            ps.setTimestamp(2, nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt));
            setInt(ps, 3, status);
            ps.setString(4, error);
            ps.setInt(5, latencyMs);
            ps.setTimestamp(6, deliveredAt == null ? null : Timestamp.from(deliveredAt));
            ps.setObject(7, deliveryId);
            ps.setInt(8, attempt);
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

    private static final String DELIVERY_COLUMNS = "d.id, d.subscription_id, d.event_id, o.type, d.audit_seq, "
            + "d.entity, o.occurred_at, d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error, "
            + "d.last_latency_ms, d.delivered_at, d.created_at";

    /** A page of a subscription's deliveries in event order, after {@code afterSeq}; {@code state} null: any. */
    public static List<Delivery> deliveries(Connection c, UUID subscriptionId, String state, long afterSeq, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + DELIVERY_COLUMNS + " from webhook_deliveries d "
                + "join webhook_outbox o on o.id = d.event_id where d.subscription_id = ? and d.audit_seq > ? "
                + "and (?::text is null or d.state = ?::text) order by d.audit_seq limit ?")) {
            ps.setObject(1, subscriptionId);
            ps.setLong(2, afterSeq);
            ps.setString(3, state);
            ps.setString(4, state);
            ps.setInt(5, limit);
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

    /** Makes one delivery due again now; false when there is none. */
    public static boolean redeliver(Connection c, UUID subscriptionId, UUID eventId, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update webhook_deliveries set state = 'PENDING', "
                + "next_attempt_at = ?, lease_until = null where subscription_id = ? and event_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, subscriptionId);
            ps.setObject(3, eventId);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Makes every event since {@code since} that the subscription names and may see due again now, creating the
     * deliveries of events fanned out while it was disabled; returns how many.
     */
    public static int redeliverSince(Connection c, UUID subscriptionId, Instant since, Instant now,
                                     List<String> caseRoles, List<String> staffRoles) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into webhook_deliveries (id, subscription_id, "
                + "event_id, audit_seq, entity, state, attempts, next_attempt_at, created_at) "
                + "select gen_random_uuid(), s.id, o.id, o.audit_seq, o.entity, 'PENDING', 0, ?, ? "
                + "from webhook_outbox o join webhook_subscriptions s on s.id = ? and o.type = any (s.event_types) "
                + "join api_clients a on a.id = s.client_id join users u on u.id = a.user_id "
                + "where o.occurred_at >= ? and o.audit_seq <= (select audit_seq from webhook_fanout where id = 1) "
                + "and " + VISIBLE + " on conflict (subscription_id, event_id) do update set state = 'PENDING', "
                + "next_attempt_at = excluded.next_attempt_at, lease_until = null")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, subscriptionId);
            ps.setTimestamp(4, Timestamp.from(since));
            ps.setArray(5, c.createArrayOf("text", caseRoles.toArray()));
            ps.setArray(6, c.createArrayOf("text", staffRoles.toArray()));
            return ps.executeUpdate();
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

    // ---- signing keys

    /** Registers the current key (once) and retires every other; returns nothing. */
    public static void currentKey(Connection c, String kid, byte[] spki, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into webhook_signing_keys (kid, public_key, "
                + "created_at, retired_at) values (?, ?, ?, null) on conflict (kid) do update set retired_at = null")) {
            ps.setString(1, kid);
            ps.setBytes(2, spki);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update webhook_signing_keys set retired_at = ? "
                + "where kid <> ? and retired_at is null")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, kid);
            ps.executeUpdate();
        }
    }

    public static List<SigningKey> signingKeys(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select kid, public_key, created_at, retired_at "
                + "from webhook_signing_keys order by retired_at desc nulls first, created_at desc");
             ResultSet rs = ps.executeQuery()) {
            List<SigningKey> out = new ArrayList<>();
            while (rs.next()) {
                Timestamp retired = rs.getTimestamp(4);
                out.add(new SigningKey(rs.getString(1), rs.getBytes(2), rs.getTimestamp(3).toInstant(),
                        retired == null ? null : retired.toInstant()));
            }
            return out;
        }
    }

    // ---- rows

    private static Subscription subscription(ResultSet rs) throws SQLException {
        Array types = rs.getArray(4);
        return new Subscription(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                Arrays.asList((String[]) types.getArray()), rs.getString(5), rs.getLong(6),
                rs.getObject(7, UUID.class), rs.getTimestamp(8).toInstant(), instant(rs, 9), rs.getString(10),
                instant(rs, 11));
    }

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

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
}
