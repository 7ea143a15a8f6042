package org.mpcwallet.bank.integration.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Table {@code webhook_subscriptions} (V21): an API client's subscriptions, their disabled mark and failure streak,
 * and the two {@code api_clients} look-ups the webhook API needs (the caller's own client, whether a client exists).
 * Plain JDBC on the caller's connection, as the rest of the webhook tables ({@link WebhookOutboxStore}).
 */
public final class WebhookSubscriptionStore {
    private WebhookSubscriptionStore() {
    }

    public record Subscription(UUID id, UUID clientId, String url, List<String> eventTypes, String description,
                               long fromSeq, UUID createdBy, Instant createdAt, Instant disabledAt,
                               String disabledReason, Instant failingSince) {
    }

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
                WebhookSubscriptionStore::subscription);
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

    // ---- rows

    private static Subscription subscription(ResultSet rs) throws SQLException {
        Array types = rs.getArray(4);
        return new Subscription(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                Arrays.asList((String[]) types.getArray()), rs.getString(5), rs.getLong(6),
                rs.getObject(7, UUID.class), rs.getTimestamp(8).toInstant(), instant(rs, 9), rs.getString(10),
                instant(rs, 11));
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }
}
